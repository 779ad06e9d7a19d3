/*
 * Billing portal page, payment methods and paying invoices (SELF-SERVICE.md §4): plain JavaScript, no framework, no build step. Registers with portal.js (see the
 * "features" block there for the hooks); keeps its rules: texts from billing data only as textContent, no storage, no
 * token (writes go through portal.send), messages to the host's page only through portal.notifyParent.
 *
 * What it shows: the customer's methods (brand, last four, expiry MM/YYYY with "expires soon" this month or next and
 * "expired" before, the default), Add (a hand-off to the payment provider's hosted page, which comes back to the
 * portal), Make default, Remove (after a confirmation), and a Pay button on each payable invoice and on a currency's
 * overdue total. Paying the overdue total means paying each overdue invoice of that currency, oldest first, one
 * request per invoice (the API pays one invoice at a time, so each is charged at most once under its own key); it
 * stops at the first that needs the provider's hosted page (no default method) and goes there: the customer comes
 * back and pays the rest the same way. Confirmations are native modal dialogs (focus kept inside, Escape closes,
 * focus back on the button that opened them).
 */
(function () {
  'use strict';

  (window.BillingPortalFeatures = window.BillingPortalFeatures || []).push(function (portal) {
    var section = portal.byId('payments-section');
    var list = portal.byId('payment-method-list');
    var status = portal.byId('payments-status');
    var message = portal.byId('payments-message');
    var addButton = portal.byId('payment-method-add');
    var dialog = portal.byId('payments-dialog');
    var dialogTitle = portal.byId('payments-dialog-title');
    var dialogText = portal.byId('payments-dialog-text');
    var dialogError = portal.byId('payments-dialog-error');
    var dialogConfirm = portal.byId('payments-dialog-confirm');
    var dialogClose = portal.byId('payments-dialog-close');
    var BRANDS = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover',
      diners: 'Diners Club', jcb: 'JCB', unionpay: 'UnionPay', maestro: 'Maestro', cartes_bancaires: 'Cartes Bancaires' };
    var TYPES = { card: 'payments.type_card', sepa_debit: 'payments.type_sepa_debit',
      bank_account: 'payments.type_bank_account', paypal: 'payments.type_paypal', other: 'payments.type_other' };

    var methods = null;     // the last list shown, or null when the feature is off
    var pending = null;     // {what, key} of a write whose outcome is unknown: the same action again keeps its key
    var confirmAction = null;
    var opener = null;      // what gets the focus back when the dialog closes
    var busy = false;
    var inFlow = null;      // 'payment_method_update' or 'invoice_pay' while the session's flow runs

    // The announcements sit above every card, so they are seen (and read) whatever section the action came from,
    // also when payment methods are off but invoices can be paid; the dialog lives outside the hidden-able section.
    var portalEl = portal.byId('portal');
    portalEl.insertBefore(status, portalEl.firstChild);
    document.body.appendChild(dialog);

    addButton.addEventListener('click', startSetup);
    dialogClose.addEventListener('click', function () { closeDialog(); });
    dialog.addEventListener('cancel', function (event) {
      event.preventDefault();
      if (!busy) { closeDialog(); }
    });
    dialogConfirm.addEventListener('click', function () {
      if (confirmAction && !busy) { confirmAction(); }
    });

    // ---------------------------------------------------------------- rendering

    function render(data) {
      methods = data && !data.failed ? data : null;
      section.hidden = !data;
      list.textContent = '';
      message.textContent = '';
      message.classList.remove('is-error');
      if (!data) { return; }
      if (data.failed) {
        message.textContent = portal.label('payments.error_load');
        message.classList.add('is-error');
        addButton.hidden = true;
        return;
      }
      addButton.hidden = false;
      if (!data.length) {
        message.textContent = portal.label('payments.empty');
      }
      data.forEach(function (m) { list.appendChild(item(m)); });
    }

    function item(m) {
      var li = document.createElement('li');
      li.className = 'payment-method';
      li.setAttribute('data-payment-method-id', m.id);
      var name = nameOf(m);
      li.appendChild(portal.text('span', name, 'pm-name', 'name'));
      var badges = document.createElement('span');
      badges.className = 'badges';
      var expiry = expiryOf(m);
      if (expiry) {
        li.appendChild(portal.text('span', portal.labelOf('payments.expires', [expiry.text]), 'pm-expiry', 'expiry'));
        if (expiry.state === 'expired') {
          badges.appendChild(portal.text('span', portal.label('payments.expired'), 'badge badge-pm-expired', 'expired'));
        } else if (expiry.state === 'soon') {
          badges.appendChild(portal.text('span', portal.label('payments.expires_soon'), 'badge badge-pm-soon', 'expires_soon'));
        }
      }
      if (m['default']) {
        badges.appendChild(portal.text('span', portal.label('payments.default'), 'badge badge-pm-default', 'default'));
      }
      li.appendChild(badges);
      var actions = document.createElement('span');
      actions.className = 'form-actions pm-actions';
      if (!m['default']) {
        actions.appendChild(button('payments.make_default', 'payments.make_default_label', name, 'make_default',
          null, function (b) { makeDefault(m, b); }));
      }
      actions.appendChild(button('payments.remove', 'payments.remove_label', name, 'remove', null,
        function (b) { askRemove(m, b); }));
      li.appendChild(actions);
      return li;
    }

    function button(textKey, nameKey, name, action, className, onClick) {
      var b = portal.text('button', portal.label(textKey), className);
      b.type = 'button';
      b.setAttribute('data-action', action);
      if (nameKey) { b.setAttribute('aria-label', portal.labelOf(nameKey, [name])); }
      b.addEventListener('click', function () { onClick(b); });
      return b;
    }

    /** "Visa •••• 4242", "SEPA Direct Debit •••• 3000": the brand (or the type) and the last four. */
    function nameOf(m) {
      var brand = m.brand ? (Object.prototype.hasOwnProperty.call(BRANDS, m.brand) ? BRANDS[m.brand] : m.brand)
        : portal.label(TYPES[m.type] || 'payments.type_other');
      return m.last4 ? portal.labelOf('payments.ending', [brand, m.last4]) : brand;
    }

    /** MM/YYYY, and whether that is past (expired) or this month or next (soon), by the customer's calendar. */
    function expiryOf(m) {
      if (!m.exp_month || !m.exp_year) { return null; }
      var now = new Date();
      var months = (m.exp_year - now.getFullYear()) * 12 + (m.exp_month - (now.getMonth() + 1));
      return {
        text: (m.exp_month < 10 ? '0' : '') + m.exp_month + '/' + m.exp_year,
        state: months < 0 ? 'expired' : months <= 1 ? 'soon' : 'ok'
      };
    }

    function announce(text, isError) {
      status.textContent = text;
      status.classList.toggle('is-error', !!isError);
    }

    function focusMethod(id, action) {
      var li = id ? list.querySelector('[data-payment-method-id="' + id.replace(/["\\]/g, '\\$&') + '"]') : null;
      var target = li && (li.querySelector('[data-action="' + action + '"]') || li.querySelector('button'));
      (target || addButton).focus();
    }

    // ---------------------------------------------------------------- the dialog

    function openDialog(title, text, confirmKey, closeKey, danger, onConfirm, from) {
      opener = from || null;
      dialogTitle.textContent = title;
      dialogText.textContent = text;
      dialogError.textContent = '';
      dialogError.hidden = true;
      dialogConfirm.textContent = portal.label(confirmKey);
      dialogConfirm.className = danger ? 'danger' : 'primary';
      dialogConfirm.hidden = false;
      dialogClose.textContent = portal.label(closeKey);
      confirmAction = onConfirm;
      setBusy(false);
      if (!dialog.open) { dialog.showModal(); }
      dialogConfirm.focus();
    }

    function closeDialog(focusTarget) {
      confirmAction = null;
      if (dialog.open) { dialog.close(); }
      var target = focusTarget || opener;
      opener = null;
      if (target && document.body.contains(target)) { target.focus(); }
    }

    function dialogFailure(text) {
      dialogError.textContent = text;
      dialogError.hidden = false;
      dialogError.focus();
    }

    function setBusy(on, busyKey) {
      busy = on;
      dialogConfirm.disabled = on;
      dialogClose.disabled = on;
      dialog.setAttribute('aria-busy', on ? 'true' : 'false');
      if (on && busyKey) { dialogConfirm.textContent = portal.label(busyKey); }
    }

    // ---------------------------------------------------------------- writes

    /** One customer action's key: fresh, unless it is the same action again after an answer we could not judge. */
    function keyFor(what) {
      if (!pending || pending.what !== what) {
        pending = { what: what, key: portal.newKey() };
      }
      return pending.key;
    }

    /** Sends; a 503 or a lost connection keeps the key for the same action's retry, any other answer frees it. */
    function write(method, path, body, what) {
      return portal.send(method, path, body, keyFor(what)).then(function (result) {
        if (result.status !== 503) { pending = null; }
        if (result.status === 401) {
          closeDialog();
          portal.showError({ status: 401, code: result.answer.code });
        }
        return result;
      }, function () {
        return { ok: false, status: 0, answer: {} };
      });
    }

    function failureText(result) {
      var code = result.answer && result.answer.code;
      var known = {
        payment_method_required: 'payments.error_required',
        payment_method_not_found: 'payments.error_not_found',
        invoice_not_payable: 'payments.error_not_payable',
        invoice_not_found: 'payments.error_not_payable',
        feature_disabled: 'payments.error_not_available',
        provider_unavailable: 'payments.error_unavailable'
      };
      if (known[code]) { return portal.label(known[code]); }
      return portal.label(result.status === 0 || result.status === 503 ? 'payments.error_unavailable' : 'payments.error_failed');
    }

    // ---------------------------------------------------------------- payment methods

    function startSetup() {
      if (busy) { return; }
      busy = true;
      addButton.disabled = true;
      announce(portal.label('payments.redirecting'), false);
      write('POST', '/payment_methods/setup', '{}', 'setup').then(function (result) {
        var url = result.ok && result.answer.setup && result.answer.setup.redirect_url;
        if (url && portal.isHttpUrl(url)) {
          portal.leaveTo(url);
          return;
        }
        busy = false;
        addButton.disabled = false;
        if (result.status !== 401) { announce(failureText(result), true); }
      });
    }

    function makeDefault(m, b) {
      if (busy) { return; }
      busy = true;
      b.disabled = true;
      write('POST', '/payment_methods/' + encodeURIComponent(m.id) + '/default', '{}', 'default:' + m.id)
        .then(function (result) {
          busy = false;
          b.disabled = false;
          if (result.ok) {
            render(result.answer.payment_methods);
            announce(portal.labelOf('payments.now_default', [nameOf(m)]), false);
            focusMethod(m.id, 'remove');
            portal.notifyParent('billing-portal:default_payment_method_changed', { payment_method_id: m.id });
            if (inFlow === 'payment_method_update') { finishFlow(portal.labelOf('payments.now_default', [nameOf(m)])); }
          } else if (result.status !== 401) {
            announce(failureText(result), true);
            if (result.status === 404) { refresh(); }
          }
        });
    }

    function askRemove(m, b) {
      var name = nameOf(m);
      openDialog(portal.labelOf('payments.remove_title', [name]), portal.label('payments.remove_text'),
        'payments.remove_confirm', 'payments.keep', true, function () { remove(m); }, b);
    }

    function remove(m) {
      setBusy(true, 'payments.removing');
      write('DELETE', '/payment_methods/' + encodeURIComponent(m.id), null, 'remove:' + m.id).then(function (result) {
        setBusy(false);
        dialogConfirm.textContent = portal.label('payments.remove_confirm');
        if (result.ok || result.status === 404) {
          closeDialog(addButton);
          announce(portal.labelOf('payments.removed', [nameOf(m)]), false);
          refresh().then(function () { addButton.focus(); });
        } else if (result.status !== 401) {
          dialogFailure(failureText(result));
          if (result.status === 409) { dialogConfirm.hidden = true; }
        }
      });
    }

    function refresh() {
      return portal.call('/payment_methods').then(function (body) { render(body.payment_methods); })
        .catch(function () { /* the list shown stays */ });
    }

    // ---------------------------------------------------------------- paying

    function payable(invoice) {
      return invoice.status === 'finalized' && invoice.payment_status !== 'succeeded'
        && invoice.total_due_amount_cents > 0;
    }

    function paymentsOn() {
      var config = portal.config();
      return Boolean(config && config.features && config.features.invoices && config.features.invoices.payments);
    }

    function invoiceAction(invoice) {
      if (!paymentsOn() || !payable(invoice)) { return null; }
      return button('payments.pay', 'payments.pay_label', invoice.number, 'pay', 'primary pay-button',
        function (b) { askPay([invoice], invoice.formatted.total_due_amount, b); });
    }

    function overviewAction(row) {
      if (!paymentsOn() || !(row.overdue_invoices_count > 0)) { return null; }
      var b = button('payments.pay_overdue', 'payments.pay_overdue_label', row.currency, 'pay_overdue',
        'primary pay-overdue', function () { payOverdue(row, b); });
      return b;
    }

    /** The overdue invoices of the row's currency, oldest first (the list is newest first), then their confirmation. */
    function payOverdue(row, b) {
      b.disabled = true;
      portal.call('/invoices', { overdue: 'true', limit: 100 }).then(function (body) {
        b.disabled = false;
        var due = body.invoices.filter(function (i) { return i.currency === row.currency && payable(i); }).reverse();
        if (!due.length) {
          announce(portal.label('payments.nothing_overdue'), false);
          return;
        }
        askPay(due, row.formatted.overdue_amount, b);
      }, function () {
        b.disabled = false;
        announce(portal.label('payments.error_failed'), true);
      });
    }

    function askPay(invoices, amount, from) {
      var text = invoices.length === 1 ? portal.labelOf('payments.pay_text', [invoices[0].number, amount])
        : portal.labelOf('payments.pay_many_text', [String(invoices.length), amount]);
      openDialog(portal.label('payments.pay_title'), text, 'payments.pay_confirm', 'payments.not_now', false,
        function () { pay(invoices, 0, 0); }, from);
    }

    /** Pays invoices[i..] one after the other, each under its own key; a retry of the same invoice keeps its key. */
    function pay(invoices, i, paid) {
      var invoice = invoices[i];
      setBusy(true, 'payments.paying');
      write('POST', '/invoices/' + encodeURIComponent(invoice.id) + '/pay', '{}', 'pay:' + invoice.id)
        .then(function (result) {
          var payment = result.ok && result.answer.payment;
          if (!payment) {
            setBusy(false);
            dialogConfirm.textContent = portal.label('payments.pay_confirm');
            if (result.status === 401) { return; }
            dialogFailure(failureText(result));
            if (result.status === 409 || result.status === 404) {
              dialogConfirm.hidden = true; // paid meanwhile, or not payable: the list shows why
              afterPaying();
            } else {
              // trying again goes on from this invoice, under its key when its outcome is unknown
              confirmAction = function () { pay(invoices, i, paid); };
              if (paid) { afterPaying(); }
            }
            return;
          }
          if (payment.status === 'redirect') {
            if (portal.isHttpUrl(payment.redirect_url)) {
              portal.leaveTo(payment.redirect_url);
              return;
            }
            setBusy(false);
            dialogFailure(portal.label('payments.error_failed'));
            return;
          }
          if (payment.status === 'failed') {
            setBusy(false);
            dialogConfirm.textContent = portal.label('payments.pay_confirm');
            dialogConfirm.hidden = true;
            dialogFailure(portal.labelOf('payments.failed', [invoice.number]));
            afterPaying();
            return;
          }
          if (payment.status === 'succeeded') {
            portal.notifyParent('billing-portal:invoice_paid', { invoice_id: invoice.id, status: 'succeeded' });
          }
          if (i + 1 < invoices.length) {
            pay(invoices, i + 1, paid + 1);
            return;
          }
          setBusy(false);
          var text = payment.status === 'processing' ? portal.labelOf('payments.processing', [invoice.number])
            : invoices.length === 1 ? portal.labelOf('payments.paid', [invoice.number])
              : portal.labelOf('payments.paid_many', [String(invoices.length)]);
          closeDialog();
          announce(text, false);
          afterPaying().then(function () {
            if (inFlow === 'invoice_pay') { finishFlow(text); }
          });
        });
    }

    /** The invoices and totals again, as the server now has them. */
    function afterPaying() {
      return Promise.all([portal.reloadInvoices(), portal.refreshOverview()]).catch(function () { /* shown stays */ });
    }

    // ---------------------------------------------------------------- flows and the way back

    function finishFlow(text) {
      inFlow = null;
      portal.completeFlow(text, function () { status.setAttribute('tabindex', '-1'); status.focus(); });
    }

    function openFlow(flow) {
      if (flow.type === 'payment_method_update' && methods) {
        inFlow = flow.type;
        portal.enterFlow(section);
        addButton.focus();
        return true;
      }
      if (flow.type === 'invoice_pay' && paymentsOn()) {
        inFlow = flow.type;
        portal.call('/invoices/' + encodeURIComponent(flow.invoice_id)).then(function (body) {
          var invoice = body.invoice;
          if (!payable(invoice)) {
            inFlow = null;
            announce(portal.label('payments.error_not_payable'), true);
            return;
          }
          askPay([invoice], invoice.formatted.total_due_amount, null);
        }, function () {
          inFlow = null;
          announce(portal.label('payments.error_not_payable'), true);
        });
        return true;
      }
      return false;
    }

    /** Back from the provider's hosted page: say what happened, tell the host, and end (or reopen) the flow. */
    function arrive(arrival) {
      var flow = portal.config().flow;
      var flowType = flow && flow.type;
      if (arrival.setup === 'complete') {
        var text = portal.label('payments.added');
        announce(text, false);
        var byDefault = (methods || []).filter(function (m) { return m['default']; })[0];
        portal.notifyParent('billing-portal:payment_method_added', {
          payment_method_ids: (methods || []).map(function (m) { return m.id; }),
          default_payment_method_id: byDefault ? byDefault.id : null
        });
        if (flowType === 'payment_method_update') { inFlow = flowType; finishFlow(text); } else { focusStatus(); }
      } else if (arrival.setup === 'canceled') {
        announce(portal.label('payments.setup_canceled'), false);
        if (flowType === 'payment_method_update') { openFlow(flow); } else { focusStatus(); }
      } else if (arrival.payment === 'complete' && arrival.invoice) {
        portal.call('/invoices/' + encodeURIComponent(arrival.invoice)).then(function (body) {
          var invoice = body.invoice;
          var done = invoice.payment_status === 'succeeded';
          var said = portal.labelOf(done ? 'payments.paid' : 'payments.processing', [invoice.number]);
          announce(said, false);
          if (done) {
            portal.notifyParent('billing-portal:invoice_paid', { invoice_id: invoice.id, status: 'succeeded' });
          }
          if (flowType === 'invoice_pay') { inFlow = flowType; finishFlow(said); } else { focusStatus(); }
        }, function () { announce(portal.label('payments.error_failed'), true); });
      } else if (arrival.payment === 'canceled') {
        announce(portal.label('payments.payment_canceled'), false);
        if (flowType === 'invoice_pay') { openFlow(flow); } else { focusStatus(); }
      }
    }

    function focusStatus() {
      status.setAttribute('tabindex', '-1');
      status.focus();
    }

    return {
      key: 'payment_methods',
      load: function (part) {
        return part !== undefined ? part : portal.call('/payment_methods').then(function (body) { return body['payment_methods']; });
      },
      render: render,
      invoiceAction: invoiceAction,
      overviewAction: overviewAction,
      openFlow: openFlow,
      arrive: arrive
    };
  });
}());
