/*
 * Billing portal page: plain JavaScript, no framework, no build step.
 *
 * Security rules this file keeps:
 *  - the link's token is read from the address bar once and removed from it at once (history.replaceState), then
 *    exchanged (POST /session) for the session token and forgotten: a one-time link works only for that first
 *    exchange, so the address in the browser's history, a Referer or a screenshot opens nothing;
 *  - the session token is kept in this closure only: never in localStorage, sessionStorage, cookies or a URL;
 *  - every text that comes from billing data is put in the page with textContent, never parsed as HTML;
 *  - amounts and dates arrive formatted by the server (one source of truth for every language).
 */
(function () {
  'use strict';

  if (window.self !== window.top) {
    document.documentElement.classList.add('framed');
  }

  var API = document.querySelector('meta[name="portal-api"]').getAttribute('content');
  var PAGE_SIZE = 20;
  // Errors of a dead link, by the API's code: retrying cannot help, the customer needs a new link.
  var TOKEN_ERRORS = {
    token_expired: 'error.expired',
    session_expired: 'error.session_expired',
    session_revoked: 'error.revoked',
    link_already_used: 'error.link_used',
    exchange_required: 'error.invalid',
    invalid_token: 'error.invalid',
    missing_authorization: 'error.invalid',
    invalid_authorization: 'error.invalid'
  };
  var linkToken = takeTokenFromAddressBar();
  var token = null; // the session's, from POST /session

  var state = {
    locale: null,          // null: the session's language; otherwise the one picked in the switcher
    labels: {},
    config: null,
    filters: { status: '', issued_from: '', issued_to: '', search: '' },
    cursors: [null],       // cursors[i] opens page i (keyset pagination: pages are walked, not jumped to)
    pageIndex: 0,
    nextCursor: null
  };

  var el = {
    loading: byId('loading'),
    error: byId('error'),
    errorMessage: byId('error-message'),
    retry: byId('retry-button'),
    portal: byId('portal'),
    brandName: byId('brand-name'),
    brandLogo: byId('brand-logo'),
    back: byId('back-link'),
    language: byId('language-select'),
    overview: byId('overview'),
    invoices: byId('invoices'),
    filters: byId('filters'),
    status: byId('filter-status'),
    from: byId('filter-from'),
    to: byId('filter-to'),
    search: byId('filter-search'),
    message: byId('invoices-message'),
    rows: byId('invoice-rows'),
    previous: byId('page-previous'),
    next: byId('page-next'),
    pageLabel: byId('page-label'),
    customer: byId('customer')
  };

  // ------------------------------------------------------------------ start

  el.filters.addEventListener('submit', function (event) {
    event.preventDefault();
    applyFilters();
  });
  el.filters.addEventListener('reset', function () {
    // after the browser has cleared the fields
    setTimeout(applyFilters, 0);
  });
  el.previous.addEventListener('click', function () { goToPage(state.pageIndex - 1); });
  el.next.addEventListener('click', function () { goToPage(state.pageIndex + 1); });
  el.language.addEventListener('change', function () {
    state.locale = el.language.value;
    loadEverything();
  });
  el.retry.addEventListener('click', start);

  if (linkToken) {
    start();
  } else {
    showError({ code: 'invalid_token' });
  }

  /** Exchanges the link first (once: a retry after that only reloads), then loads everything. */
  function start() {
    if (token) {
      return loadEverything();
    }
    showLoading();
    return exchangeLink().then(loadEverything, showError);
  }

  // ------------------------------------------------------------------ token

  function takeTokenFromAddressBar() {
    var url = new URL(window.location.href);
    var value = url.searchParams.get('token');
    if (url.searchParams.has('token')) {
      url.searchParams.delete('token');
      window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    }
    return value;
  }

  // ------------------------------------------------------------------ API

  /** The link's token for the session's: one-time links work exactly once; reusable ones answer with themselves. */
  function exchangeLink() {
    return fetch(API + '/session' + query({}), {
      method: 'POST',
      headers: { Accept: 'application/json', Authorization: 'Bearer ' + linkToken },
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer'
    }).then(function (response) {
      if (!response.ok) {
        return failure(response);
      }
      return response.json();
    }).then(function (body) {
      token = body.session.token;
      linkToken = null;
    });
  }

  function query(params) {
    var search = new URLSearchParams();
    Object.keys(params || {}).forEach(function (name) {
      if (params[name] !== null && params[name] !== undefined && params[name] !== '') {
        search.set(name, params[name]);
      }
    });
    if (state.locale) {
      search.set('locale', state.locale);
    }
    var text = search.toString();
    return text ? '?' + text : '';
  }

  function request(path, params, withToken) {
    var headers = { Accept: 'application/json' };
    if (withToken) {
      headers.Authorization = 'Bearer ' + token;
    }
    return fetch(API + path + query(params), {
      headers: headers,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer'
    });
  }

  function call(path, params) {
    return request(path, params, true).then(function (response) {
      if (!response.ok) {
        return failure(response);
      }
      return response.json();
    });
  }

  function failure(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      var error = new Error('portal API answered ' + response.status);
      error.status = response.status;
      error.code = body && body.code;
      throw error;
    });
  }

  // ------------------------------------------------------------------ loading

  /** Everything at once, rendered together: a language switch never shows half-translated content. */
  function loadEverything() {
    showLoading();
    return Promise.all([call('/config'), call('/overview'), call('/customer'), call('/invoices', invoiceQuery())])
      .then(function (answers) {
        state.config = answers[0].config;
        applyConfig(answers[0].config);
        renderOverview(answers[1].overview);
        renderCustomer(answers[2].customer);
        showInvoices(answers[3]);
        el.loading.hidden = true;
        el.error.hidden = true;
        el.portal.hidden = false;
      }).catch(showError);
  }

  function loadInvoices() {
    return call('/invoices', invoiceQuery()).then(showInvoices);
  }

  function invoiceQuery() {
    var params = invoiceParams();
    params.limit = PAGE_SIZE;
    params.cursor = state.cursors[state.pageIndex];
    return params;
  }

  function showInvoices(body) {
    state.nextCursor = body.next_cursor;
    renderInvoices(body.invoices);
  }

  /** The status choices of the filter, as the API's parameters. */
  function invoiceParams() {
    var f = state.filters;
    var params = { issued_from: f.issued_from, issued_to: f.issued_to, search: f.search };
    if (f.status === 'to_pay') {
      params.status = 'finalized';
      params.payment_status = 'pending,failed';
    } else if (f.status === 'overdue') {
      params.overdue = 'true';
    } else if (f.status === 'paid') {
      params.status = 'finalized';
      params.payment_status = 'succeeded';
    } else if (f.status === 'voided') {
      params.status = 'voided';
    }
    return params;
  }

  function applyFilters() {
    var filters = {
      status: el.status.value,
      issued_from: el.from.value,
      issued_to: el.to.value,
      search: el.search.value.trim()
    };
    if (filters.issued_from && filters.issued_to && filters.issued_from > filters.issued_to) {
      showMessage(label('invoices.invalid_dates'), true);
      el.to.focus();
      return;
    }
    state.filters = filters;
    state.cursors = [null];
    state.pageIndex = 0;
    reloadInvoices(false);
  }

  function goToPage(index) {
    if (index < 0 || (index > state.pageIndex && !state.nextCursor)) {
      return;
    }
    if (index > state.pageIndex) {
      state.cursors[index] = state.nextCursor;
    }
    state.pageIndex = index;
    reloadInvoices(true);
  }

  function reloadInvoices(moveFocus) {
    el.rows.setAttribute('aria-busy', 'true');
    loadInvoices().then(function () {
      el.rows.removeAttribute('aria-busy');
      if (moveFocus) {
        el.invoices.focus(); // the buttons may have become disabled: keep the reader in the list
      }
    }).catch(showError);
  }

  // ------------------------------------------------------------------ rendering

  function label(key, value) {
    var text = Object.prototype.hasOwnProperty.call(state.labels, key) ? state.labels[key] : key;
    return value === undefined ? text : text.replace('{0}', value);
  }

  function applyLabels(labels, language) {
    state.labels = labels;
    document.documentElement.lang = language;
    document.querySelectorAll('[data-label]').forEach(function (node) {
      node.textContent = label(node.getAttribute('data-label'));
    });
  }

  function fillLanguages(languages, selected) {
    el.language.textContent = '';
    Object.keys(languages).forEach(function (tag) {
      var option = document.createElement('option');
      option.value = tag;
      option.lang = tag;
      option.textContent = languages[tag];
      option.selected = tag === selected;
      el.language.appendChild(option);
    });
  }

  function applyConfig(config) {
    applyLabels(config.labels, config.language);
    fillLanguages(config.languages, config.language);
    var branding = config.branding || {};
    el.brandName.textContent = branding.name || label('portal.title');
    document.title = label('portal.title') + ' – ' + (branding.name || '');
    if (/^#[0-9a-fA-F]{6}$/.test(branding.accent_color || '')) {
      document.documentElement.style.setProperty('--accent', branding.accent_color);
    }
    if (branding.logo_url && /^https?:\/\//i.test(branding.logo_url)) {
      el.brandLogo.src = branding.logo_url;
      el.brandLogo.hidden = false;
    }
    if (config.return_url && /^https?:\/\//i.test(config.return_url)) {
      el.back.href = config.return_url;
      el.back.hidden = false;
    } else {
      el.back.hidden = true;
    }
  }

  function renderOverview(overview) {
    el.overview.textContent = '';
    if (!overview.currencies.length) {
      el.overview.appendChild(textElement('p', label('overview.empty'), 'message'));
      return;
    }
    overview.currencies.forEach(function (row) {
      var box = document.createElement('section');
      box.className = 'currency';
      box.setAttribute('data-currency', row.currency);
      box.setAttribute('aria-label', label('overview.currency') + ' ' + row.currency);
      box.appendChild(textElement('h3', row.currency));
      var list = document.createElement('dl');
      list.className = 'figures';
      list.appendChild(figure('total_invoiced_amount', label('overview.total_invoiced'), row.formatted.total_invoiced_amount));
      list.appendChild(figure('overdue_amount', label('overview.overdue'), row.formatted.overdue_amount,
        label('overview.overdue_count'), row.formatted.overdue_invoices_count, row.overdue_invoices_count > 0));
      list.appendChild(figure('outstanding_amount', label('overview.outstanding'), row.formatted.outstanding_amount,
        label('overview.outstanding_count'), row.formatted.outstanding_invoices_count, false));
      box.appendChild(list);
      el.overview.appendChild(box);
    });
  }

  function figure(field, title, amount, countTitle, count, alarming) {
    var item = document.createElement('div');
    item.className = 'figure' + (alarming ? ' is-overdue' : '');
    item.appendChild(textElement('dt', title));
    var value = document.createElement('dd');
    value.appendChild(textElement('span', amount, null, field));
    if (countTitle) {
      value.appendChild(textElement('span', countTitle + ': ' + count, 'count', field.replace('_amount', '_count')));
    }
    item.appendChild(value);
    return item;
  }

  /** The badge of an invoice: voided, paid, overdue, payment failed or to pay. */
  function badgeOf(invoice) {
    if (invoice.status === 'voided') { return 'voided'; }
    if (invoice.payment_status === 'succeeded') { return 'paid'; }
    if (invoice.payment_overdue) { return 'overdue'; }
    if (invoice.payment_status === 'failed') { return 'failed'; }
    return 'to_pay';
  }

  function renderInvoices(invoices) {
    el.rows.textContent = '';
    var filtered = state.filters.status || state.filters.issued_from || state.filters.issued_to || state.filters.search;
    showMessage(invoices.length ? '' : label(filtered ? 'invoices.no_match' : 'invoices.empty'), false);
    invoices.forEach(function (invoice) {
      var badge = badgeOf(invoice);
      var row = document.createElement('tr');
      row.className = 'is-' + badge;
      row.setAttribute('data-invoice-id', invoice.id);
      row.appendChild(cell(label('invoices.number'), invoice.number, 'number'));
      row.appendChild(cell(label('invoices.issuing_date'), invoice.formatted.issuing_date, 'date'));
      row.appendChild(cell(label('invoices.due_date'), invoice.formatted.payment_due_date, 'date'));
      row.appendChild(cell(label('invoices.amount'), invoice.formatted.total_amount, 'amount'));
      var status = cell(label('invoices.status'), '');
      status.appendChild(textElement('span', label('status.' + badge), 'badge badge-' + badge));
      row.appendChild(status);
      var actions = cell('', '', 'actions');
      if (invoice.download_url) {
        var button = textElement('button', label('invoices.download'), 'link');
        button.type = 'button';
        button.setAttribute('aria-label', label('invoices.download_label', invoice.number));
        button.addEventListener('click', function () { download(invoice, button); });
        actions.appendChild(button);
      }
      row.appendChild(actions);
      el.rows.appendChild(row);
    });
    el.previous.disabled = state.pageIndex === 0;
    el.next.disabled = !state.nextCursor;
    el.pageLabel.textContent = label('invoices.page', String(state.pageIndex + 1));
    el.pageLabel.parentNode.hidden = state.pageIndex === 0 && !state.nextCursor;
  }

  function cell(title, text, className) {
    var td = textElement('td', text, className);
    if (title) {
      td.setAttribute('data-title', title); // shown before the value when rows become cards on phones
    }
    return td;
  }

  function renderCustomer(customer) {
    el.customer.textContent = '';
    detail(label('customer.name'), customer.name);
    detail(label('customer.legal_name'), customer.legal_name);
    detail(label('customer.email'), customer.email);
    detail(label('customer.tax_id'), customer.tax_identification_number);
    detail(label('customer.billing_address'), customer.formatted.billing_address);
    detail(label('customer.shipping_address'), customer.formatted.shipping_address);
  }

  function detail(title, value) {
    el.customer.appendChild(textElement('dt', title));
    var dd = document.createElement('dd');
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) {
      dd.appendChild(textElement('span', label('customer.not_provided'), 'not-provided'));
    } else if (Array.isArray(value)) {
      value.forEach(function (line) { dd.appendChild(textElement('span', line, 'address-line')); });
    } else {
      dd.textContent = value;
    }
    el.customer.appendChild(dd);
  }

  /** An element whose content is {@code text}, as text: billing data never becomes markup. */
  function textElement(tag, text, className, field) {
    var node = document.createElement(tag);
    node.textContent = text === null || text === undefined ? '' : String(text);
    if (className) { node.className = className; }
    if (field) { node.setAttribute('data-field', field); }
    return node;
  }

  function showMessage(text, isError) {
    el.message.textContent = text;
    el.message.classList.toggle('is-error', !!isError);
  }

  function showLoading() {
    el.loading.hidden = false;
    el.error.hidden = true;
  }

  // ------------------------------------------------------------------ download

  /**
   * The download endpoint needs the token in a header, so a plain link cannot fetch it: fetch it, then hand the
   * browser the bytes under the server's file name. A document stored elsewhere comes back as its URL.
   */
  function download(invoice, button) {
    button.disabled = true;
    showMessage('', false);
    var path = invoice.download_url.substring(API.length);
    request(path, { redirect: 'false' }, true).then(function (response) {
      if (!response.ok) {
        return failure(response);
      }
      var type = response.headers.get('Content-Type') || '';
      if (type.indexOf('application/json') === 0) {
        return response.json().then(function (body) {
          if (/^https?:\/\//i.test(body.download.url)) {
            window.open(body.download.url, '_blank', 'noopener,noreferrer');
          }
        });
      }
      var name = fileName(response.headers.get('Content-Disposition')) || invoice.number;
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var link = document.createElement('a');
        link.href = url;
        link.download = name;
        link.hidden = true;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      });
    }).catch(function (error) {
      if (error.status === 401) {
        showError(error);
      } else {
        showMessage(label('invoices.download_failed'), true);
      }
    }).then(function () {
      button.disabled = false;
    });
  }

  /** The file name of a Content-Disposition header, preferring the exact UTF-8 one (RFC 6266). */
  function fileName(header) {
    if (!header) { return null; }
    var exact = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (exact) {
      try { return decodeURIComponent(exact[1]); } catch (e) { /* fall back to the plain name */ }
    }
    var plain = /filename="([^"]*)"/i.exec(header);
    return plain ? plain[1] : null;
  }

  // ------------------------------------------------------------------ errors

  /** A friendly page: what happened and what to do, in the customer's language; never a stack trace. */
  function showError(error) {
    var code = error && error.code;
    var key = TOKEN_ERRORS[code] || (error && error.status === 503 ? 'error.unavailable' : 'error.generic');
    labelsInPickedLanguage().then(function () {
      el.loading.hidden = true;
      el.portal.hidden = true;
      el.errorMessage.textContent = label(key);
      el.retry.hidden = !!TOKEN_ERRORS[code]; // retrying cannot revive a dead link
      el.error.hidden = false;
      el.error.focus();
    });
  }

  /** The labels already shown if they are in the picked language, else those of /messages (no token needed). */
  function labelsInPickedLanguage() {
    if (state.config && (!state.locale || state.locale === state.config.language)) {
      return Promise.resolve();
    }
    return request('/messages', {}, false).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (body) {
        applyLabels(body.messages.labels, body.messages.language);
        fillLanguages(body.messages.languages, body.messages.language);
        el.brandName.textContent = label('portal.title');
        document.title = label('portal.title');
      }
    }).catch(function () { /* the page's English text stays */ });
  }

  function byId(id) {
    return document.getElementById(id);
  }
}());
