/*
 * Billing portal page, prepaid wallets and top-ups: plain JavaScript, no framework, no build step. Registers with portal.js (see the
 * "features" block there for the hooks); keeps its rules: texts from billing data only as textContent, no storage, no
 * token (writes go through portal.send), messages to the host's page only through portal.notifyParent.
 *
 * Each wallet: balance in money and credits, rate, expiry, status, its latest transactions (asked after the first
 * render, five at a time, "more" following next_cursor) and, when this session may top it up, a top-up dialog (a
 * modal <dialog>: focus moves in and back, Escape closes it). The dialog checks the amount before anything is sent:
 * a decimal string (digits, at most one separator, at most the wallet's decimals), more than zero, within the limits,
 * compared as decimal strings (never as floating point); the server's 422 reasons land on the same field. One
 * submission keeps one Idempotency-Key through its retries, so a double click or a lost answer tops up once. Flow
 * wallet_top_up opens the dialog for its wallet alone.
 */
(function () {
  'use strict';

  var PAGE = 5;
  var MAX_INTEGER_DIGITS = 12; // as the server (Credits.MAX_INTEGER_DIGITS)
  var CREDIT_PROBLEMS = ['required', 'invalid_format', 'must_be_positive', 'too_large', 'too_many_decimals',
    'below_minimum', 'above_maximum'];

  // ------------------------------------------------------------ exact decimals (strings, never floating point)

  /** {int, frac} of a plain decimal string: leading zeros of the integer and trailing zeros of the fraction dropped. */
  function decimalParts(text) {
    var point = text.indexOf('.');
    var integer = (point < 0 ? text : text.substring(0, point)).replace(/^0+/, '');
    var fraction = (point < 0 ? '' : text.substring(point + 1)).replace(/0+$/, '');
    return { int: integer, frac: fraction };
  }

  /** -1, 0 or 1 as {@code a} is below, equal to or above {@code b}; both plain non-negative decimal strings. */
  function compareDecimals(a, b) {
    var x = decimalParts(a);
    var y = decimalParts(b);
    if (x.int.length !== y.int.length) { return x.int.length < y.int.length ? -1 : 1; }
    if (x.int !== y.int) { return x.int < y.int ? -1 : 1; }
    var n = Math.max(x.frac.length, y.frac.length);
    var fx = x.frac + new Array(n - x.frac.length + 1).join('0');
    var fy = y.frac + new Array(n - y.frac.length + 1).join('0');
    if (fx === fy) { return 0; }
    return fx < fy ? -1 : 1;
  }

  /**
   * What is wrong with {@code raw} as credits of a wallet with {@code scale} decimals and these limits (plain decimal
   * strings or null): null when nothing, else {code, value: the amount as sent, with a point}.
   */
  function checkCredits(raw, scale, min, max) {
    var text = String(raw).trim();
    if (text === '') { return { code: 'required' }; }
    if (/^-\s*[0-9]+([.,][0-9]+)?$/.test(text)) { return { code: 'must_be_positive' }; }
    if (!/^[0-9]+([.,][0-9]+)?$/.test(text)) { return { code: 'invalid_format' }; }
    var value = text.replace(',', '.');
    var parts = value.split('.');
    if (parts[0].replace(/^0+(?=.)/, '').length > MAX_INTEGER_DIGITS) { return { code: 'too_large' }; }
    if (parts.length > 1 && parts[1].length > scale) { return { code: 'too_many_decimals' }; }
    if (!/[1-9]/.test(value)) { return { code: 'must_be_positive' }; }
    if (min && compareDecimals(value, min) < 0) { return { code: 'below_minimum' }; }
    if (max && compareDecimals(value, max) > 0) { return { code: 'above_maximum' }; }
    return { code: null, value: value };
  }

  /**
   * A plain decimal string as the page's language writes it: only the decimal mark changes ("10.00" reads "10,00" in
   * German); the digits are the server's, untouched.
   */
  function localDecimal(text) {
    if (typeof text !== 'string') { return text; }
    var mark = '.';
    try {
      new Intl.NumberFormat(document.documentElement.lang || undefined).formatToParts(1.5).forEach(function (part) {
        if (part.type === 'decimal') { mark = part.value; }
      });
    } catch (e) { /* an unknown language: the point stays */ }
    return text.replace('.', mark);
  }

  (window.BillingPortalFeatures = window.BillingPortalFeatures || []).push(function (portal) {
    var el = {
      section: portal.byId('wallets-section'),
      status: portal.byId('wallets-status'),
      message: portal.byId('wallets-message'),
      list: portal.byId('wallet-list'),
      dialog: portal.byId('topup-dialog'),
      form: portal.byId('topup-form'),
      title: portal.byId('topup-title'),
      formError: portal.byId('topup-error'),
      input: portal.byId('topup-credits'),
      inputError: portal.byId('topup-credits-error'),
      limits: portal.byId('topup-limits'),
      rate: portal.byId('topup-rate'),
      decimals: portal.byId('topup-decimals'),
      submit: portal.byId('topup-submit'),
      cancel: portal.byId('topup-cancel'),
      done: portal.byId('topup-done'),
      doneMessage: portal.byId('topup-done-message'),
      payAmount: portal.byId('topup-pay-amount'),
      payStatus: portal.byId('topup-pay-status'),
      payError: portal.byId('topup-pay-error'),
      pay: portal.byId('topup-pay'),
      close: portal.byId('topup-close')
    };
    var st = {
      wallets: [],
      generation: 0,
      open: null,      // {wallet, opener} while the dialog is open
      busy: false,
      pending: null,   // {walletId, body, key}: the submission not known to have been answered; a retry keeps its key
      payment: null,   // {invoiceId, key, busy} of the top-up just made
      flow: false      // a wallet_top_up flow is running
    };

    el.form.addEventListener('submit', function (event) {
      event.preventDefault();
      submitTopUp();
    });
    el.input.addEventListener('input', function () {
      if (!el.inputError.hidden) { showFieldError(null); }
    });
    el.cancel.addEventListener('click', function () { closeDialog(true); });
    el.close.addEventListener('click', function () { finishDone(); });
    el.pay.addEventListener('click', function () { payNow(); });
    el.dialog.addEventListener('cancel', function (event) {
      // Escape: not while a request runs; after a top-up it is the Close button
      event.preventDefault();
      if (st.busy || (st.payment && st.payment.busy)) { return; }
      if (!el.done.hidden) { finishDone(); } else { closeDialog(true); }
    });

    function feature() {
      var config = portal.config();
      var f = config && config.features && config.features.wallets;
      return f || null;
    }

    function invoicePaymentsOn() {
      var config = portal.config();
      var inv = config && config.features && config.features.invoices;
      return Boolean(inv && inv.payments);
    }

    // ------------------------------------------------------------ the list

    function render(data) {
      st.generation += 1;
      el.list.textContent = '';
      el.message.textContent = '';
      el.message.classList.remove('is-error');
      if (!data) {
        el.section.hidden = true;
        st.wallets = [];
        return;
      }
      el.section.hidden = false;
      if (data.failed) {
        st.wallets = [];
        el.message.textContent = portal.label('wallets.error.load_failed');
        el.message.classList.add('is-error');
        return;
      }
      st.wallets = data;
      if (!data.length) {
        el.message.textContent = portal.label('wallets.empty');
        return;
      }
      var mine = st.generation;
      data.forEach(function (w) {
        var card = walletCard(w);
        el.list.appendChild(card);
        loadTransactions(w, card, null, mine);
      });
    }

    function nameOf(w) {
      return w.name ? w.name : portal.label('wallets.unnamed');
    }

    function findWallet(id) {
      for (var i = 0; i < st.wallets.length; i++) {
        if (st.wallets[i].id === id) { return st.wallets[i]; }
      }
      return null;
    }

    function canTopUp(w) {
      var f = feature();
      return Boolean(w && f && f.top_up && w.top_up && w.status === 'active');
    }

    function walletCard(w) {
      var card = document.createElement('article');
      card.className = 'wallet';
      card.setAttribute('data-wallet-id', w.id);
      var head = document.createElement('div');
      head.className = 'wallet-head';
      head.appendChild(portal.text('h3', nameOf(w)));
      var status = w.status === 'active' || w.status === 'terminated' ? w.status : 'terminated';
      head.appendChild(portal.text('span', portal.label('wallets.status.' + status),
        'badge badge-wallet-' + status, 'wallet_status'));
      card.appendChild(head);

      var details = document.createElement('dl');
      details.className = 'details wallet-details';
      detail(details, 'wallets.balance', w.formatted.balance, 'balance');
      detail(details, 'wallets.credits', portal.labelOf('wallets.credits_value', [localDecimal(w.credits_balance)]),
        'credits_balance');
      detail(details, 'wallets.rate', portal.labelOf('wallets.rate_value', [localDecimal(w.rate_amount), w.currency]), 'rate');
      detail(details, 'wallets.expires', w.formatted.expires_at || portal.label('wallets.no_expiry'), 'expires_at');
      if (canTopUp(w)) {
        detail(details, 'wallets.limits', limitsText(w) || portal.label('wallets.no_limits'), 'limits');
      }
      card.appendChild(details);

      if (canTopUp(w)) {
        var button = portal.text('button', portal.label('wallets.top_up'), 'primary');
        button.type = 'button';
        button.setAttribute('data-action', 'top_up');
        button.setAttribute('aria-label', portal.labelOf('wallets.top_up_name', [nameOf(w)]));
        button.setAttribute('aria-haspopup', 'dialog');
        button.addEventListener('click', function () { openDialog(w.id, button); });
        var actions = document.createElement('div');
        actions.className = 'wallet-actions';
        actions.appendChild(button);
        card.appendChild(actions);
      }

      var tx = document.createElement('div');
      tx.className = 'wallet-transactions';
      var txTitle = portal.text('h4', portal.label('wallets.transactions'));
      tx.appendChild(txTitle);
      var txStatus = portal.text('p', portal.label('portal.loading'), 'hint', 'transactions_status');
      txStatus.setAttribute('role', 'status');
      tx.appendChild(txStatus);
      var wrap = document.createElement('div');
      wrap.className = 'table-wrap';
      wrap.hidden = true;
      var table = document.createElement('table');
      table.className = 'wallet-transactions-table';
      table.appendChild(portal.text('caption', portal.labelOf('wallets.transactions_of', [nameOf(w)]), 'visually-hidden'));
      var thead = document.createElement('thead');
      var row = document.createElement('tr');
      [['wallets.tx_date', ''], ['wallets.tx_type', ''], ['invoices.status', ''], ['wallets.credits', 'number'],
        ['invoices.amount', 'amount']].forEach(function (column) {
        var th = portal.text('th', portal.label(column[0]), column[1] || null);
        th.setAttribute('scope', 'col');
        row.appendChild(th);
      });
      thead.appendChild(row);
      table.appendChild(thead);
      table.appendChild(document.createElement('tbody'));
      wrap.appendChild(table);
      tx.appendChild(wrap);
      var more = portal.text('button', portal.label('wallets.more'), null, 'more');
      more.type = 'button';
      more.hidden = true;
      tx.appendChild(more);
      card.appendChild(tx);
      return card;
    }

    function detail(list, key, value, field) {
      list.appendChild(portal.text('dt', portal.label(key)));
      list.appendChild(portal.text('dd', value, null, field));
    }

    function limitsText(w) {
      var min = w.top_up && w.top_up.min_credits;
      var max = w.top_up && w.top_up.max_credits;
      if (min && max) { return portal.labelOf('wallets.limits_between', [localDecimal(min), localDecimal(max)]); }
      if (min) { return portal.labelOf('wallets.limits_min', [localDecimal(min)]); }
      if (max) { return portal.labelOf('wallets.limits_max', [localDecimal(max)]); }
      return '';
    }

    /** One page of a wallet's transactions into its card; {@code cursor}: null for the first page. */
    function loadTransactions(w, card, cursor, mine) {
      var tx = card.querySelector('.wallet-transactions');
      var status = tx.querySelector('[data-field=transactions_status]');
      var wrap = tx.querySelector('.table-wrap');
      var body = tx.querySelector('tbody');
      var more = tx.querySelector('[data-field=more]');
      var params = { limit: String(PAGE) };
      if (cursor) { params.cursor = cursor; }
      more.disabled = true;
      return portal.call('/wallets/' + encodeURIComponent(w.id) + '/transactions', params).then(function (answer) {
        if (mine !== st.generation) { return; }
        var rows = answer.wallet_transactions || [];
        if (!cursor) { body.textContent = ''; }
        rows.forEach(function (t) { body.appendChild(transactionRow(t)); });
        var any = body.children.length > 0;
        wrap.hidden = !any;
        status.textContent = any ? '' : portal.label('wallets.no_transactions');
        status.hidden = any;
        status.classList.remove('is-error');
        var replacement = more.cloneNode(true); // drops the previous page's listener
        replacement.disabled = false;
        replacement.hidden = !answer.next_cursor;
        more.replaceWith(replacement);
        if (answer.next_cursor) {
          replacement.addEventListener('click', function () {
            loadTransactions(w, card, answer.next_cursor, st.generation).then(function () {
              // the first of the new rows, so a keyboard user carries on where the list grew
              var first = body.children[body.children.length - rows.length];
              if (first) { first.focus(); }
            });
          });
        }
        if (more === document.activeElement) { replacement.focus(); }
      }, function (error) {
        if (mine !== st.generation) { return; }
        if (error && error.status === 401) {
          portal.showError(error);
          return;
        }
        more.disabled = false;
        status.hidden = false;
        status.textContent = portal.label('wallets.error.transactions_failed');
        status.classList.add('is-error');
      });
    }

    function transactionRow(t) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-transaction-id', t.id);
      tr.setAttribute('data-status', t.status);
      tr.tabIndex = -1;
      tr.appendChild(portal.text('td', t.formatted.created_at, 'date', 'created_at'));
      var type = t.type === 'inbound' || t.type === 'outbound' ? t.type : 'inbound';
      tr.appendChild(portal.text('td', portal.label('wallets.type.' + type), null, 'type'));
      var statusCell = document.createElement('td');
      var status = ['pending', 'settled', 'failed'].indexOf(t.status) >= 0 ? t.status : 'pending';
      statusCell.appendChild(portal.text('span', portal.label('wallets.tx.' + status), 'badge badge-tx-' + status,
        'status'));
      tr.appendChild(statusCell);
      var credits = portal.text('td', (type === 'outbound' ? '−' : '+') + localDecimal(t.credits), 'number', 'credits');
      credits.setAttribute('data-credits', t.credits);
      tr.appendChild(credits);
      var amount = portal.text('td', t.formatted.amount, 'amount', 'amount');
      amount.setAttribute('data-amount', String(t.amount_cents));
      tr.appendChild(amount);
      return tr;
    }

    function cardOf(id) {
      var cards = el.list.querySelectorAll('[data-wallet-id]');
      for (var i = 0; i < cards.length; i++) {
        if (cards[i].getAttribute('data-wallet-id') === id) { return cards[i]; }
      }
      return null;
    }

    /** The wallets again (balances, limits), then each one's first page of transactions. */
    function refreshWallets() {
      return portal.call('/wallets').then(function (body) {
        render(body.wallets || []);
      }).catch(function (error) {
        if (error && error.status === 401) { portal.showError(error); }
        // otherwise the list shown stays
      });
    }

    // ------------------------------------------------------------ the dialog

    function openDialog(walletId, opener) {
      var w = findWallet(walletId);
      if (!canTopUp(w)) {
        el.message.textContent = portal.label('wallets.error.not_active');
        el.message.classList.add('is-error');
        return false;
      }
      st.open = { wallet: w, opener: opener || null };
      st.payment = null;
      el.title.textContent = portal.labelOf('wallets.dialog_title', [nameOf(w)]);
      el.limits.textContent = limitsText(w);
      el.limits.hidden = !el.limits.textContent;
      el.rate.textContent = portal.labelOf('wallets.rate_value', [localDecimal(w.rate_amount), w.currency]);
      el.decimals.textContent = w.credits_scale > 0
        ? portal.labelOf('wallets.decimals_hint', [String(w.credits_scale)]) : portal.label('wallets.whole_hint');
      el.input.value = '';
      showFieldError(null);
      showFormError(null);
      el.form.hidden = false;
      el.done.hidden = true;
      setBusy(false);
      if (!el.dialog.open) {
        if (typeof el.dialog.showModal === 'function') {
          el.dialog.showModal();
        } else {
          el.dialog.setAttribute('open', '');
        }
      }
      el.input.focus();
      return true;
    }

    /** Closes the dialog; {@code byCustomer}: Cancel or Escape, which in a flow also shows the whole portal. */
    function closeDialog(byCustomer) {
      var opener = st.open && st.open.opener;
      var walletId = st.open && st.open.wallet.id;
      st.open = null;
      if (el.dialog.open) {
        if (typeof el.dialog.close === 'function') {
          el.dialog.close();
        } else {
          el.dialog.removeAttribute('open');
        }
      }
      if (byCustomer && st.flow) {
        st.flow = false;
        portal.leaveFlow();
      }
      focusTopUpButton(walletId, opener);
    }

    function focusTopUpButton(walletId, opener) {
      var target = opener && document.body.contains(opener) ? opener : null;
      if (!target && walletId) {
        var card = cardOf(walletId);
        target = card && card.querySelector('[data-action=top_up]');
      }
      if (target) { target.focus(); }
    }

    function setBusy(busy) {
      st.busy = busy;
      el.submit.disabled = busy;
      el.cancel.disabled = busy;
      el.input.readOnly = busy;
      el.form.setAttribute('aria-busy', busy ? 'true' : 'false');
      el.submit.textContent = portal.label(busy ? 'wallets.sending' : 'wallets.submit');
    }

    function showFieldError(text) {
      el.inputError.textContent = text || '';
      el.inputError.hidden = !text;
      if (text) {
        el.input.setAttribute('aria-invalid', 'true');
      } else {
        el.input.removeAttribute('aria-invalid');
      }
    }

    function showFormError(text) {
      el.formError.textContent = text || '';
      el.formError.hidden = !text;
    }

    function problemText(code, w) {
      switch (code) {
        case 'below_minimum': return portal.labelOf('wallets.error.below_minimum', [localDecimal(w.top_up.min_credits)]);
        case 'above_maximum': return portal.labelOf('wallets.error.above_maximum', [localDecimal(w.top_up.max_credits)]);
        case 'too_many_decimals':
          return w.credits_scale > 0 ? portal.labelOf('wallets.error.too_many_decimals', [String(w.credits_scale)])
            : portal.label('wallets.error.whole_only');
        default:
          return CREDIT_PROBLEMS.indexOf(code) >= 0 ? portal.label('wallets.error.' + code)
            : portal.label('wallets.error.invalid');
      }
    }

    function submitTopUp() {
      if (st.busy || !st.open) { return; }
      var w = st.open.wallet;
      showFormError(null);
      var checked = checkCredits(el.input.value, w.credits_scale, w.top_up.min_credits, w.top_up.max_credits);
      if (checked.code) {
        showFieldError(problemText(checked.code, w));
        el.input.focus();
        return;
      }
      showFieldError(null);
      var path = '/wallets/' + encodeURIComponent(w.id) + '/top_up';
      var body = JSON.stringify({ credits: checked.value });
      if (!st.pending || st.pending.walletId !== w.id || st.pending.body !== body) {
        st.pending = { walletId: w.id, body: body, key: portal.newKey() };
      }
      var pending = st.pending;
      setBusy(true);
      portal.send('POST', path, body, pending.key).then(function (result) {
        setBusy(false);
        if (result.ok) {
          st.pending = null;
          toppedUp(w, result.answer);
          return;
        }
        if (result.status >= 500 || result.status === 409 && result.answer.code === 'request_in_progress') {
          // the same submission again keeps its key: whatever happened on the server happens once
          showFormError(portal.label('wallets.error.failed'));
          el.formError.focus();
          return;
        }
        st.pending = null;
        failed(w, result);
      }, function () {
        setBusy(false); // the connection was lost on every attempt: the key stays for the next try
        showFormError(portal.label('wallets.error.failed'));
        el.formError.focus();
      });
    }

    function failed(w, result) {
      var answer = result.answer || {};
      if (result.status === 401) {
        closeDialog(false);
        portal.showError({ status: 401, code: answer.code });
        return;
      }
      var details = answer.error_details && answer.error_details.credits;
      if (result.status === 422 && details) {
        var code = Array.isArray(details) ? details[0] : String(details);
        if (code === 'below_minimum' || code === 'above_maximum') {
          // the limits changed since the page was drawn: the error names the server's, the dialog shows them
          refreshWallets().then(function () {
            var fresh = findWallet(w.id) || w;
            if (st.open && st.open.wallet.id === w.id) {
              st.open.wallet = fresh;
              el.limits.textContent = limitsText(fresh);
              el.limits.hidden = !el.limits.textContent;
            }
            showFieldError(fresh.top_up ? problemText(code, fresh) : portal.label('wallets.error.not_active'));
            el.input.focus();
          });
          return;
        }
        showFieldError(problemText(code, w));
        el.input.focus();
        return;
      }
      var key = answer.code === 'wallet_not_active' ? 'wallets.error.not_active'
        : answer.code === 'wallet_not_found' ? 'wallets.error.not_found'
          : result.status === 403 ? 'wallets.error.not_allowed' : 'wallets.error.failed';
      showFormError(portal.label(key));
      el.formError.focus();
      if (result.status === 403 || result.status === 404 || result.status === 409) {
        refreshWallets();
      }
    }

    function toppedUp(w, answer) {
      var t = answer.wallet_transaction || {};
      portal.notifyParent('billing-portal:wallet_topped_up', { wallet_id: w.id, transaction_id: t.id, credits: t.credits });
      el.form.hidden = true;
      el.done.hidden = false;
      el.doneMessage.textContent = portal.labelOf('wallets.done', [localDecimal(t.credits)]);
      el.payStatus.textContent = '';
      el.payError.hidden = true;
      var payment = answer.payment;
      if (payment && payment.invoice_id) {
        st.payment = { invoiceId: payment.invoice_id, key: portal.newKey(), busy: false };
        el.payAmount.textContent = portal.labelOf('wallets.pay_amount', [payment.formatted && payment.formatted.amount]);
        el.payAmount.hidden = false;
        el.pay.hidden = !invoicePaymentsOn();
        el.pay.disabled = false;
        el.pay.textContent = portal.label('wallets.pay_now');
      } else {
        st.payment = null;
        el.payAmount.hidden = true;
        el.pay.hidden = true;
      }
      el.status.textContent = portal.labelOf('wallets.done', [localDecimal(t.credits)]);
      el.done.focus();
      refreshWallets();
      if (payment && payment.invoice_id) {
        portal.reloadInvoices();
        portal.refreshOverview();
      }
      if (st.flow && !(st.payment && !el.pay.hidden)) {
        finishDone();
      }
    }

    /** Close after a top-up: in a flow the flow completes (by its after_completion). */
    function finishDone() {
      var walletId = st.open && st.open.wallet.id;
      var opener = st.open && st.open.opener;
      var text = el.doneMessage.textContent;
      if (st.flow) {
        st.flow = false;
        st.open = null;
        if (el.dialog.open) { el.dialog.close(); }
        portal.completeFlow(text, function () { focusTopUpButton(walletId, opener); });
        return;
      }
      closeDialog(false);
    }

    function payNow() {
      var payment = st.payment;
      if (!payment || payment.busy) { return; }
      payment.busy = true;
      el.pay.disabled = true;
      el.close.disabled = true;
      el.pay.textContent = portal.label('wallets.paying');
      el.payError.hidden = true;
      portal.send('POST', '/invoices/' + encodeURIComponent(payment.invoiceId) + '/pay', '{}', payment.key)
        .then(function (result) {
          payment.busy = false;
          el.close.disabled = false;
          el.pay.textContent = portal.label('wallets.pay_now');
          var p = result.ok && result.answer && result.answer.payment;
          if (!p) {
            el.pay.disabled = false;
            if (result.status === 401) {
              closeDialog(false);
              portal.showError({ status: 401, code: result.answer && result.answer.code });
              return;
            }
            if (result.status < 500) { payment.key = portal.newKey(); } // answered: the next try is a new action
            el.payError.textContent = portal.label(result.answer && result.answer.code === 'invoice_not_payable'
              ? 'wallets.pay_not_payable' : 'wallets.pay_error');
            el.payError.hidden = false;
            return;
          }
          if (p.status === 'redirect') {
            if (portal.isHttpUrl(p.redirect_url)) {
              portal.leaveTo(p.redirect_url);
            } else {
              el.pay.disabled = false;
              el.payError.textContent = portal.label('wallets.pay_error');
              el.payError.hidden = false;
            }
            return;
          }
          if (p.status === 'failed') {
            payment.key = portal.newKey();
            el.pay.disabled = false;
            el.payError.textContent = portal.label('wallets.pay_failed');
            el.payError.hidden = false;
            return;
          }
          el.pay.hidden = true;
          el.payStatus.textContent = portal.label(p.status === 'succeeded' ? 'wallets.paid' : 'wallets.processing');
          portal.notifyParent('billing-portal:invoice_paid', { invoice_id: payment.invoiceId, status: p.status });
          portal.reloadInvoices();
          portal.refreshOverview();
          refreshWallets();
          el.close.focus();
        }, function () {
          payment.busy = false;
          el.close.disabled = false;
          el.pay.disabled = false;
          el.pay.textContent = portal.label('wallets.pay_now');
          el.payError.textContent = portal.label('wallets.pay_error');
          el.payError.hidden = false;
        });
    }

    // ------------------------------------------------------------ flow

    function openFlow(flow) {
      if (!flow || flow.type !== 'wallet_top_up') { return false; }
      var w = findWallet(flow.wallet_id);
      if (!canTopUp(w)) {
        el.message.textContent = portal.label('wallets.error.not_active');
        el.message.classList.add('is-error');
        return true;
      }
      st.flow = true;
      portal.enterFlow(el.section);
      openDialog(w.id, null);
      return true;
    }

    return {
      key: 'wallets',
      load: function (part) {
        return part !== undefined ? part : portal.call('/wallets').then(function (body) { return body['wallets']; });
      },
      render: render,
      openFlow: openFlow
    };
  });
}());
