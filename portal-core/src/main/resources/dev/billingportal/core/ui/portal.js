/*
 * Billing portal page: plain JavaScript, no framework, no build step.
 *
 * Security rules this file keeps:
 *  - the link's token is read from the address bar once and removed from it at once (history.replaceState), then
 *    exchanged (POST /session) for the session token and forgotten: a one-time link works only for that first
 *    exchange, so the address in the browser's history, a Referer or a screenshot opens nothing;
 *  - the session token is kept in this closure only: never in localStorage, sessionStorage, cookies or a URL;
 *  - every text that comes from billing data is put in the page with textContent, never parsed as HTML;
 *  - amounts and dates arrive formatted by the server (one source of truth for every language);
 *  - messages to the host's page (postMessage) go only to the configuration's frame ancestors, never to "*", and
 *    carry ids and state, never a token.
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
    nextCursor: null,
    customer: null,
    rendered: false,       // the first render happened (billing-portal:loaded was sent, a flow was opened)
    flowOpen: false,       // a profile_update flow is running: only the form is shown
    formSnapshot: null,    // the form's values when it was opened: a save sends only what differs
    pendingSave: null      // {body, key} of a save not known to have succeeded: a retry reuses its key
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
    customer: byId('customer'),
    profileEdit: byId('profile-edit'),
    profileStatus: byId('profile-status'),
    profileForm: byId('profile-form'),
    profileFormError: byId('profile-form-error'),
    profileSave: byId('profile-save'),
    profileCancel: byId('profile-cancel'),
    documentLocale: byId('pf-document_locale'),
    confirmation: byId('confirmation'),
    confirmationMessage: byId('confirmation-message')
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
  el.back.addEventListener('click', function (event) {
    notifyParent('billing-portal:closed', {});
    if (window.parent !== window && event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault(); // the host's page gets the message before it is navigated away
      leaveTo(el.back.href);
    }
  });
  el.profileEdit.addEventListener('click', function () { openProfileForm(); });
  el.profileCancel.addEventListener('click', function () { closeProfileForm(true); });
  el.profileForm.addEventListener('submit', function (event) {
    event.preventDefault();
    saveProfile();
  });
  el.profileForm.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !el.profileSave.disabled) {
      closeProfileForm(true);
    }
  });

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

  /**
   * Everything at once, rendered together: a language switch never shows half-translated content. One bootstrap
   * answer carries the configuration, the customer, the overview and the first page of invoices; only a filtered or
   * later page needs its own invoice call beside it.
   */
  function loadEverything() {
    showLoading();
    var filtered = Boolean(state.filters.status || state.filters.issued_from || state.filters.issued_to
      || state.filters.search || state.pageIndex > 0);
    var calls = [call('/bootstrap')];
    if (filtered) {
      calls.push(call('/invoices', invoiceQuery()));
    }
    return Promise.all(calls)
      .then(function (answers) {
        var boot = answers[0].bootstrap;
        state.config = boot.config;
        applyConfig(boot.config);
        if (boot.overview) {
          renderOverview(boot.overview);
        }
        state.customer = boot.customer;
        renderCustomer(boot.customer);
        var invoices = filtered ? answers[1] : boot.invoices;
        if (invoices) {
          showInvoices(invoices);
        }
        el.loading.hidden = true;
        el.error.hidden = true;
        if (el.confirmation.hidden) {
          el.portal.hidden = false;
        }
        if (!state.rendered) {
          state.rendered = true;
          notifyParent('billing-portal:loaded', { locale: state.config.locale });
          if (flowType() === 'profile_update' && profileEditable().length) {
            state.flowOpen = true;
            el.portal.classList.add('in-flow');
            openProfileForm();
          }
        }
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
    applyProfileFeature(config);
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
      var outstanding = figure('outstanding_amount', label('overview.outstanding'), row.formatted.outstanding_amount,
        label('overview.outstanding_count'), row.formatted.outstanding_invoices_count, false);
      // "Outstanding" excludes what is overdue: say so, visibly (and so to screen readers) and as a tooltip.
      outstanding.querySelector('dt').title = label('overview.outstanding_hint');
      outstanding.querySelector('dd').appendChild(textElement('span', label('overview.outstanding_hint'), 'hint'));
      list.appendChild(outstanding);
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
    detail(label('customer.phone'), customer.phone);
    detail(label('customer.tax_id'), customer.tax_identification_number);
    detail(label('customer.billing_address'), customer.formatted.billing_address);
    detail(label('customer.shipping_address'), customer.formatted.shipping_address);
    detail(label('customer.document_locale'), languageName(customer.document_locale));
  }

  function languageName(tag) {
    if (!tag) { return null; }
    var languages = (state.config && state.config.languages) || {};
    return languages[tag] || languages[matchLanguage(tag, Object.keys(languages))] || tag;
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

  // ------------------------------------------------------------------ profile

  // The server's limits (ProfileRoutes, Checks): the form says the same before the server has to.
  var TEXT_FIELDS = ['name', 'legal_name', 'email', 'phone', 'tax_id'];
  var ADDRESS_PARTS = ['line1', 'line2', 'city', 'state', 'zipcode', 'country'];
  var MAX_LENGTH = {
    name: 200, legal_name: 200, email: 254, phone: 40, tax_id: 64,
    line1: 200, line2: 200, city: 100, state: 100, zipcode: 20
  };
  // ISO 3166-1 alpha-2, as the server's Locale.getISOCountries() (PortalPageTest keeps them equal).
  var COUNTRIES = ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
    'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET ' +
    'FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO ' +
    'IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH ' +
    'MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
    'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG ' +
    'TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' ');
  // The server's reasons (error_details), by their stable start, to the label that explains them.
  var FIELD_ERRORS = [
    [/^not_editable$/, 'profile.error.not_editable'],
    [/^is not an e-mail address/, 'profile.error.email'],
    [/^must be a phone number/, 'profile.error.phone'],
    [/^must be an ISO 3166/, 'profile.error.country'],
    [/^must be at most (\d+) characters/, 'profile.error.too_long'],
    [/^must not contain control characters/, 'profile.error.control'],
    [/^must be a (supported language|language tag)/, 'profile.error.language'],
    [/^is required/, 'profile.error.required']
  ];

  function profileEditable() {
    var profile = state.config && state.config.features && state.config.features.profile;
    return profile && Array.isArray(profile.editable) ? profile.editable : [];
  }

  function flowType() {
    return state.config && state.config.flow ? state.config.flow.type : null;
  }

  /** Shows the Edit button and exactly the editable fields; names countries and languages in the page's language. */
  function applyProfileFeature(config) {
    var editable = profileEditable();
    el.profileEdit.hidden = !editable.length || !el.profileForm.hidden;
    el.profileForm.querySelectorAll('[data-profile-field]').forEach(function (node) {
      node.hidden = editable.indexOf(node.getAttribute('data-profile-field')) < 0;
    });
    if (!editable.length) {
      el.profileForm.hidden = true;
      el.profileEdit.setAttribute('aria-expanded', 'false');
    }
    el.profileForm.querySelectorAll('select[data-countries]').forEach(function (select) {
      fillCountries(select, config.locale || config.language);
    });
    fillDocumentLanguages(config.languages || {});
  }

  function fillCountries(select, locale) {
    var selected = select.value;
    var names = null;
    try {
      names = typeof Intl === 'object' && Intl.DisplayNames ? new Intl.DisplayNames([locale], { type: 'region' }) : null;
    } catch (e) { /* an engine without this locale: codes */ }
    var codes = COUNTRIES.slice();
    if (selected && codes.indexOf(selected) < 0) {
      codes.push(selected); // the customer's current value stays choosable, the server judges it
    }
    var rows = codes.map(function (code) {
      var name = code;
      try { name = names ? names.of(code) || code : code; } catch (e) { /* keep the code */ }
      return { code: code, name: name };
    });
    var collator = typeof Intl === 'object' && Intl.Collator ? new Intl.Collator([locale]) : null;
    rows.sort(function (a, b) { return collator ? collator.compare(a.name, b.name) : (a.name < b.name ? -1 : 1); });
    select.textContent = '';
    select.appendChild(option('', label('profile.not_set'), null));
    rows.forEach(function (row) { select.appendChild(option(row.code, row.name, null)); });
    select.value = selected;
  }

  function fillDocumentLanguages(languages) {
    var selected = el.documentLocale.value;
    el.documentLocale.textContent = '';
    el.documentLocale.appendChild(option('', label('profile.not_set'), null));
    Object.keys(languages).forEach(function (tag) {
      el.documentLocale.appendChild(option(tag, languages[tag], tag));
    });
    setSelect(el.documentLocale, selected);
  }

  function option(value, text, lang) {
    var node = document.createElement('option');
    node.value = value;
    node.textContent = text;
    if (lang) { node.lang = lang; }
    return node;
  }

  /** Selects {@code value}, adding it as a choice when the list lacks it (a value set by the host). */
  function setSelect(select, value) {
    value = value || '';
    var found = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    if (!found) {
      select.appendChild(option(value, value, null));
    }
    select.value = value;
  }

  /** The supported tag for a stored one: exact, else the same language (de-DE: de, pt: pt-BR), else null. */
  function matchLanguage(tag, tags) {
    if (tags.indexOf(tag) >= 0) { return tag; }
    var base = tag.split('-')[0].toLowerCase();
    for (var i = 0; i < tags.length; i++) {
      if (tags[i].split('-')[0].toLowerCase() === base) { return tags[i]; }
    }
    return null;
  }

  function control(name) {
    return el.profileForm.elements.namedItem(name);
  }

  function addressOf(customer, field) {
    var address = customer[field] || {};
    return {
      line1: address.line1 || address.address_line1 || '',
      line2: address.line2 || address.address_line2 || '',
      city: address.city || '',
      state: address.state || '',
      zipcode: address.zipcode || '',
      country: address.country || ''
    };
  }

  function fillForm(customer) {
    TEXT_FIELDS.forEach(function (field) {
      control(field).value = customer[field] || '';
    });
    ['billing_address', 'shipping_address'].forEach(function (field) {
      var address = addressOf(customer, field);
      ADDRESS_PARTS.forEach(function (part) {
        var input = control(field + '.' + part);
        if (part === 'country') {
          setSelect(input, address.country);
        } else {
          input.value = address[part];
        }
      });
    });
    var tag = customer.document_locale || '';
    setSelect(el.documentLocale, tag && (matchLanguage(tag, Object.keys(state.config.languages || {})) || tag));
  }

  /** The form's editable values, trimmed as the server trims them: {field: text or {part: text}}. */
  function readForm() {
    var values = {};
    profileEditable().forEach(function (field) {
      if (field === 'billing_address' || field === 'shipping_address') {
        var address = {};
        ADDRESS_PARTS.forEach(function (part) { address[part] = control(field + '.' + part).value.trim(); });
        values[field] = address;
      } else if (control(field)) {
        values[field] = control(field).value.trim();
      }
    });
    return values;
  }

  function openProfileForm() {
    if (!state.customer || !profileEditable().length) { return; }
    el.profileStatus.textContent = '';
    clearProfileErrors();
    fillForm(state.customer);
    state.formSnapshot = JSON.stringify(readForm());
    state.pendingSave = null;
    el.profileForm.hidden = false;
    el.customer.hidden = true;
    el.profileEdit.hidden = true;
    el.profileEdit.setAttribute('aria-expanded', 'true');
    var first = el.profileForm.querySelector('[data-profile-field]:not([hidden]) input, [data-profile-field]:not([hidden]) select');
    if (first) { first.focus(); }
  }

  /** Back to the details; {@code byCustomer}: Cancel or Escape, which in a flow also shows the whole portal. */
  function closeProfileForm(byCustomer) {
    el.profileForm.hidden = true;
    el.customer.hidden = false;
    el.profileEdit.hidden = !profileEditable().length;
    el.profileEdit.setAttribute('aria-expanded', 'false');
    clearProfileErrors();
    state.pendingSave = null;
    if (byCustomer && state.flowOpen) {
      leaveFlow();
    }
    el.profileEdit.focus();
  }

  function leaveFlow() {
    state.flowOpen = false;
    el.portal.classList.remove('in-flow');
  }

  // -------------------------------------------------- checks and errors

  /** The checks the server makes too, as {error key: [label]}; null when all pass. */
  function checkProfile(values) {
    var problems = {};
    function add(key, text) { (problems[key] = problems[key] || []).push(text); }
    function length(key, value, max) {
      if (value.length > max) { add(key, label('profile.error.too_long', String(max))); return false; }
      if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) { add(key, label('profile.error.control')); return false; }
      return true;
    }
    Object.keys(values).forEach(function (field) {
      var value = values[field];
      if (typeof value === 'object') {
        ADDRESS_PARTS.forEach(function (part) {
          if (part !== 'country') { length(field + '.' + part, value[part], MAX_LENGTH[part]); }
        });
        if (value.country && !/^[A-Z]{2}$/.test(value.country)) { add(field + '.country', label('profile.error.country')); }
        return;
      }
      if (field === 'document_locale' || !length(field, value, MAX_LENGTH[field]) || !value) { return; }
      if (field === 'email') {
        var at = value.indexOf('@');
        if (at <= 0 || at !== value.lastIndexOf('@') || at === value.length - 1 || value.indexOf(' ') >= 0) {
          add(field, label('profile.error.email'));
        }
      } else if (field === 'phone') {
        if (!/^\+?[0-9 .()\-]{3,40}$/.test(value) || value.replace(/[^0-9]/g, '').length < 3) {
          add(field, label('profile.error.phone'));
        }
      }
    });
    return Object.keys(problems).length ? problems : null;
  }

  /** The server's error_details in the customer's language: each reason by its label, unknown ones as "invalid". */
  function serverProblems(details) {
    var problems = {};
    Object.keys(details || {}).forEach(function (key) {
      (Array.isArray(details[key]) ? details[key] : [String(details[key])]).forEach(function (reason) {
        var text = label('profile.error.invalid');
        for (var i = 0; i < FIELD_ERRORS.length; i++) {
          var match = FIELD_ERRORS[i][0].exec(String(reason));
          if (match) {
            text = label(FIELD_ERRORS[i][1], match[1]);
            break;
          }
        }
        (problems[key] = problems[key] || []).push(text);
      });
    });
    return problems;
  }

  function clearProfileErrors() {
    el.profileFormError.hidden = true;
    el.profileFormError.textContent = '';
    el.profileForm.querySelectorAll('.field-error').forEach(function (node) {
      node.textContent = '';
      node.hidden = true;
    });
    el.profileForm.querySelectorAll('[aria-invalid]').forEach(function (node) {
      node.removeAttribute('aria-invalid');
    });
  }

  /** Each problem next to its field (aria-invalid, described by it); the rest above the form; focus the first. */
  function showProfileErrors(problems) {
    clearProfileErrors();
    var unplaced = [];
    var first = null;
    Object.keys(problems).forEach(function (key) {
      var target = el.profileForm.querySelector('[data-error-key="' + cssEscape(key) + '"]');
      var group = target ? null : el.profileForm.querySelector('fieldset[data-profile-field="' + cssEscape(key) + '"]');
      var message = byId('pf-' + key.replace('.', '-') + '-error');
      if ((!target && !group) || !message || (target && target.closest('[hidden]')) || (group && group.hidden)) {
        unplaced = unplaced.concat(problems[key]);
        return;
      }
      message.textContent = problems[key].join(' ');
      message.hidden = false;
      var focusable = target || group.querySelector('input, select');
      if (target) { target.setAttribute('aria-invalid', 'true'); }
      if (!first || (focusable.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        first = focusable;
      }
    });
    el.profileFormError.textContent = label('profile.error.summary') + (unplaced.length ? ' ' + unplaced.join(' ') : '');
    el.profileFormError.hidden = false;
    if (first) {
      first.focus();
    } else {
      el.profileFormError.focus();
    }
  }

  function showProfileFailure(key) {
    clearProfileErrors();
    el.profileFormError.textContent = label(key);
    el.profileFormError.hidden = false;
    el.profileFormError.focus();
  }

  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : text.replace(/["\\]/g, '\\$&');
  }

  // -------------------------------------------------- saving

  /** The changed fields only, as PATCH wants them: an address whole, an empty text clears. */
  function changesOf(values) {
    var before = JSON.parse(state.formSnapshot || '{}');
    var body = {};
    Object.keys(values).forEach(function (field) {
      if (JSON.stringify(values[field]) !== JSON.stringify(before[field])) {
        body[field] = values[field];
      }
    });
    return body;
  }

  function saveProfile() {
    if (el.profileSave.disabled) { return; }
    var values = readForm();
    var problems = checkProfile(values);
    if (problems) {
      showProfileErrors(problems);
      return;
    }
    clearProfileErrors();
    var body = changesOf(values);
    var changed = Object.keys(body);
    if (!changed.length) {
      finishSave(null, []);
      return;
    }
    var text = JSON.stringify(body);
    // One key per action; the same action again (same body, after a failure we cannot judge) keeps its key.
    if (!state.pendingSave || state.pendingSave.body !== text) {
      state.pendingSave = { body: text, key: newIdempotencyKey() };
    }
    var save = state.pendingSave;
    setSaving(true);
    patchCustomer(save, 0).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok && answer.customer) {
          state.pendingSave = null;
          finishSave(answer.customer, changed);
        } else if (response.status === 422 && answer.code === 'validation_errors') {
          state.pendingSave = null; // refused before acting: the corrected form is a new action
          showProfileErrors(serverProblems(answer.error_details));
        } else if (response.status === 401) {
          showError({ status: 401, code: answer.code });
        } else if (response.status === 403) {
          state.pendingSave = null;
          showProfileFailure('profile.not_available');
        } else {
          showProfileFailure('profile.save_failed'); // Save again retries with the same key
        }
      });
    }, function () {
      showProfileFailure('profile.save_failed');
    }).then(function () {
      setSaving(false);
    });
  }

  /** PATCH /customer; a lost connection or a request still in progress is retried with the same key. */
  function patchCustomer(save, attempt) {
    var retry = function () {
      return new Promise(function (resolve) { setTimeout(resolve, 300 * Math.pow(2, attempt)); })
        .then(function () { return patchCustomer(save, attempt + 1); });
    };
    return fetch(API + '/customer' + query({}), {
      method: 'PATCH',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Authorization: 'Bearer ' + token,
        'Idempotency-Key': save.key
      },
      body: save.body,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer'
    }).then(function (response) {
      if (response.status === 409 && attempt < 3) {
        return response.clone().json().catch(function () { return {}; }).then(function (answer) {
          return answer.code === 'request_in_progress' ? retry() : response;
        });
      }
      return response;
    }, function (networkFailure) {
      if (attempt < 2) { return retry(); }
      throw networkFailure;
    });
  }

  function newIdempotencyKey() {
    if (window.crypto && typeof crypto.randomUUID === 'function') {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).substring(1); }).join('');
    return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-' +
      hex.substring(16, 20) + '-' + hex.substring(20);
  }

  function setSaving(saving) {
    el.profileSave.disabled = saving;
    el.profileCancel.disabled = saving;
    el.profileForm.setAttribute('aria-busy', saving ? 'true' : 'false');
    el.profileSave.textContent = label(saving ? 'profile.saving' : 'profile.save');
  }

  /** After a save (or nothing to save): the new details, the announcement, the host's message, then the flow. */
  function finishSave(customer, changed) {
    if (customer) {
      state.customer = customer;
      renderCustomer(customer);
      notifyParent('billing-portal:profile_updated', { customer_id: customer.external_id, changed: changed });
    }
    closeProfileForm(false);
    el.profileStatus.textContent = label(customer ? 'profile.saved' : 'profile.no_changes');
    if (state.flowOpen) {
      completeFlow();
    }
  }

  /** What the session's after_completion says, then billing-portal:flow_completed. */
  function completeFlow() {
    var flow = state.config.flow || {};
    var after = flow.after_completion || { type: 'portal_homepage' };
    leaveFlow();
    if (after.type === 'redirect') {
      var url = after.redirect && after.redirect.return_url;
      notifyParent('billing-portal:flow_completed', { flow: flow.type });
      if (isHttpUrl(url)) {
        leaveTo(url);
        return;
      }
    } else if (after.type === 'hosted_confirmation') {
      var message = after.hosted_confirmation && after.hosted_confirmation.custom_message;
      el.confirmationMessage.textContent = message || label('profile.saved'); // text, never markup
      el.portal.hidden = true;
      el.confirmation.hidden = false;
      el.confirmation.focus();
      notifyParent('billing-portal:flow_completed', { flow: flow.type });
      return;
    } else {
      notifyParent('billing-portal:flow_completed', { flow: flow.type });
    }
    el.portal.hidden = false;
    el.profileEdit.focus();
  }

  function isHttpUrl(url) {
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) { return false; }
    try {
      var parsed = new URL(url);
      return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && !!parsed.host;
    } catch (e) {
      return false;
    }
  }

  /**
   * Leaves for {@code url}. Framed, a moment later: messages just posted to the host's page are delivered as tasks of
   * its own, which a navigation of the top window started at once would discard.
   */
  function leaveTo(url) {
    if (window.parent !== window) {
      setTimeout(function () { navigateTop(url); }, 150);
    } else {
      navigateTop(url);
    }
  }

  /** The whole window when framed (the host's page is left, as a redirect means), else this one. */
  function navigateTop(url) {
    if (window.top !== window.self) {
      try {
        window.top.location.href = url;
        return;
      } catch (e) { /* the browser refused to navigate the top window: navigate the frame */ }
    }
    window.location.assign(url);
  }

  // ------------------------------------------------------------------ host page

  /**
   * Tells the host's page (the parent frame) what happened: only when framed, only to the configuration's frame
   * ancestors, one message per listed origin (the browser delivers only the one whose origin matches the parent),
   * never to "*". Where the browser names the parent's origin (location.ancestorOrigins), only that one is tried.
   */
  function notifyParent(type, details) {
    if (window.parent === window || !state.config || !Array.isArray(state.config.frame_ancestors)) {
      return;
    }
    var message = { type: type };
    Object.keys(details || {}).forEach(function (name) { message[name] = details[name]; });
    var parentOrigin = window.location.ancestorOrigins && window.location.ancestorOrigins.length
      ? window.location.ancestorOrigins[0] : null;
    state.config.frame_ancestors.forEach(function (origin) {
      if (typeof origin !== 'string' || !/^https?:\/\/[^\/\s*]+$/i.test(origin)) { return; }
      if (parentOrigin && parentOrigin !== origin) { return; }
      try {
        window.parent.postMessage(message, origin);
      } catch (e) { /* a malformed origin: nothing is sent */ }
    });
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
