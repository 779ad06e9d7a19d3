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
  // A return from a hosted page (payment setup, payment) names what happened; read before the token is taken.
  var arrival = takeArrivalFromAddressBar();
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

  // ------------------------------------------------------------------ features

  /*
   * Feature scripts (portal-payments.js, portal-usage.js, portal-wallets.js) run before this one and push a factory
   * onto window.BillingPortalFeatures. Each factory gets the small API below (never the token: writes go through
   * send) and answers an object of optional hooks:
   *   key                    its field in the bootstrap answer (null there: the feature is off)
   *   load(bootPart)         a promise of its data: the bootstrap's part when there is one, else its own GET
   *   render(data)           shows it (called with every full render, in the page's current language)
   *   invoiceAction(invoice) an element for an invoice row's actions cell, or null
   *   overviewAction(row)    an element for a currency's overview box, or null
   *   openFlow(flow)         opens the flow when it is this feature's; true when it was
   *   arrive(arrival)        after the first render: what a return from a hosted page said ({setup, payment, ...})
   * The registry is removed from window once read, so nothing later can add a feature.
   */
  var portalApi = {
    call: call,
    send: sendWrite,
    newKey: newIdempotencyKey,
    label: label,
    labelOf: labelOf,
    text: textElement,
    byId: byId,
    config: function () { return state.config; },
    customer: function () { return state.customer; },
    notifyParent: notifyParent,
    enterFlow: enterFeatureFlow,
    leaveFlow: leaveFlow,
    completeFlow: completeFlow,
    leaveTo: leaveTo,
    isHttpUrl: isHttpUrl,
    showError: showError,
    reloadInvoices: function () { return loadInvoices(); },
    reload: function () { return loadEverything(); },
    refreshOverview: function () {
      return call('/overview').then(function (body) { renderOverview(body.overview); })
        .catch(function () { /* the figures shown stay */ });
    }
  };
  var features = (window.BillingPortalFeatures || []).map(function (factory) { return factory(portalApi); });
  try {
    delete window.BillingPortalFeatures;
  } catch (e) {
    window.BillingPortalFeatures = undefined;
  }

  /** Each feature's data for a full render: the bootstrap's part (null: off), else its own call; failures it shows. */
  function loadFeatures(boot) {
    return Promise.all(features.map(function (feature) {
      if (!feature.load) { return null; }
      var part = feature.key ? boot[feature.key] : undefined;
      if (feature.key && part === null) { return null; }
      return Promise.resolve(feature.load(part)).catch(function (error) {
        if (error && error.status === 401) { throw error; }
        return { failed: error || true };
      });
    }));
  }

  function renderFeatures(data) {
    features.forEach(function (feature, i) {
      if (feature.render) { feature.render(data[i]); }
    });
  }

  function openFeatureFlow(flow) {
    return features.some(function (feature) { return feature.openFlow ? feature.openFlow(flow) === true : false; });
  }

  /** A flow shows only its own section: {@code section} is that section's element ({@code leaveFlow} shows all). */
  function enterFeatureFlow(section) {
    el.portal.querySelectorAll('.flow-target').forEach(function (node) { node.classList.remove('flow-target'); });
    section.classList.add('flow-target');
    el.portal.classList.add('in-feature-flow');
  }

  function featureActions(hook, item, parent) {
    features.forEach(function (feature) {
      var node = feature[hook] ? feature[hook](item) : null;
      if (node) { parent.appendChild(node); }
    });
  }

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

  /** The parameters a hosted page's return adds (setup, payment, invoice, wallet), removed from the address bar. */
  function takeArrivalFromAddressBar() {
    var url = new URL(window.location.href);
    var found = {};
    var any = false;
    ['setup', 'payment', 'invoice', 'wallet'].forEach(function (name) {
      if (url.searchParams.has(name)) {
        found[name] = url.searchParams.get(name);
        url.searchParams.delete(name);
        any = true;
      }
    });
    if (any) {
      window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    }
    return any ? found : null;
  }

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
        // the sections of features the configuration turns on, once it is known
        var boot = answers[0].bootstrap;
        return Promise.all([loadSubscriptions(boot), loadFeatures(boot)]).then(function (loaded) {
          answers.subscriptions = loaded[0];
          answers.features = loaded[1];
          return answers;
        });
      })
      .then(function (answers) {
        var boot = answers[0].bootstrap;
        state.config = boot.config;
        applyConfig(boot.config);
        if (boot.overview) {
          renderOverview(boot.overview);
        }
        state.customer = boot.customer;
        renderCustomer(boot.customer);
        applySubscriptions(answers.subscriptions);
        renderFeatures(answers.features);
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
          } else if (isSubscriptionFlow()) {
            openSubscriptionFlow(state.config.flow);
          } else if (state.config.flow && !arrival) {
            openFeatureFlow(state.config.flow);
          }
          if (arrival) {
            var returned = arrival;
            arrival = null;
            features.forEach(function (feature) { if (feature.arrive) { feature.arrive(returned); } });
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
      featureActions('overviewAction', row, box);
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
      featureActions('invoiceAction', invoice, actions);
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
    subs.flow = false;
    el.portal.classList.remove('in-subscription-flow');
    el.portal.classList.remove('in-feature-flow');
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

  /**
   * What the session's after_completion says, then billing-portal:flow_completed. {@code doneText}: the hosted
   * confirmation's text when the session has none (default: the profile's); {@code backHome}: what to focus back on
   * the portal's page (default: the profile's Edit button).
   */
  function completeFlow(doneText, backHome) {
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
      el.confirmationMessage.textContent = message || doneText || label('profile.saved'); // text, never markup
      el.portal.hidden = true;
      el.confirmation.hidden = false;
      el.confirmation.focus();
      notifyParent('billing-portal:flow_completed', { flow: flow.type });
      return;
    } else {
      notifyParent('billing-portal:flow_completed', { flow: flow.type });
    }
    el.portal.hidden = false;
    if (backHome) {
      backHome();
    } else {
      el.profileEdit.focus();
    }
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

  // ------------------------------------------------------------------ subscriptions

  /*
   * The subscriptions section: the list with what each subscription's `actions` allow, the plan picker, the
   * confirmation of a previewed change (its lines, timing and amount due now, all as the server formatted them: the
   * page never computes money), the cancel form with the configured reasons and comment, and resume. Flows
   * subscription_update, subscription_update_confirm and subscription_cancel open the matching step.
   */
  var SUBSCRIPTION_FLOWS = ['subscription_update', 'subscription_update_confirm', 'subscription_cancel'];
  var SUBSCRIPTION_STATUSES = ['active', 'trialing', 'past_due', 'canceled', 'pending'];
  var COMMENT_MAX = 500;
  var subs = {
    list: [],          // the customer's subscriptions, as GET /subscriptions answered
    panel: null,       // the open step: {kind: 'picker'|'confirm'|'cancel', id, plans, planCode, preview}
    pending: null,     // {path, body, key} of a write not known to have succeeded: a retry reuses its key
    busy: false,
    flow: false        // a subscription flow is running: only its step is shown
  };
  var sel = {
    section: byId('subscriptions-section'),
    status: byId('subscriptions-status'),
    message: byId('subscriptions-message'),
    list: byId('subscription-list'),
    planForm: byId('plan-form'),
    planTitle: byId('plan-form-title'),
    planCurrent: byId('plan-form-current'),
    planError: byId('plan-form-error'),
    planChoices: byId('plan-choices'),
    planChoicesError: byId('plan-choices-error'),
    planOptions: byId('plan-options'),
    planContinue: byId('plan-continue'),
    planClose: byId('plan-close'),
    confirm: byId('plan-confirm'),
    confirmNotice: byId('plan-confirm-notice'),
    confirmError: byId('plan-confirm-error'),
    confirmSummary: byId('plan-confirm-summary'),
    confirmTiming: byId('plan-confirm-timing'),
    previewTable: byId('preview-table'),
    previewLines: byId('preview-lines'),
    previewNoLines: byId('preview-no-lines'),
    previewDue: byId('preview-due'),
    previewNext: byId('preview-next'),
    confirmButton: byId('plan-confirm-button'),
    confirmBack: byId('plan-confirm-back'),
    confirmClose: byId('plan-confirm-close'),
    cancelForm: byId('cancel-form'),
    cancelTitle: byId('cancel-form-title'),
    cancelError: byId('cancel-form-error'),
    cancelEffect: byId('cancel-form-effect'),
    cancelReasons: byId('cancel-reasons'),
    cancelOptional: byId('cancel-reasons-optional'),
    cancelReasonsError: byId('cancel-reasons-error'),
    cancelReasonOptions: byId('cancel-reason-options'),
    cancelCommentField: byId('cancel-comment-field'),
    cancelComment: byId('cancel-comment'),
    cancelCommentHint: byId('cancel-comment-hint'),
    cancelCommentError: byId('cancel-comment-error'),
    cancelSubmit: byId('cancel-submit'),
    cancelKeep: byId('cancel-keep')
  };

  sel.planForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var picked = sel.planForm.querySelector('input[name="plan"]:checked');
    if (!picked) {
      showFieldError(sel.planChoicesError, label('subscriptions.error.choose_plan'));
      var first = sel.planOptions.querySelector('input');
      if (first) { first.focus(); }
      return;
    }
    previewChange(subs.panel.id, picked.value, false);
  });
  sel.planClose.addEventListener('click', function () { closeSubscriptionPanel(true); });
  sel.confirmButton.addEventListener('click', confirmChange);
  sel.confirmBack.addEventListener('click', function () {
    if (!subs.busy) { openPlanPicker(subs.panel.id, subs.panel.planCode); }
  });
  sel.confirmClose.addEventListener('click', function () { closeSubscriptionPanel(true); });
  sel.cancelForm.addEventListener('submit', function (event) {
    event.preventDefault();
    submitCancellation();
  });
  sel.cancelKeep.addEventListener('click', function () { closeSubscriptionPanel(true); });
  sel.cancelComment.addEventListener('input', updateCommentHint);
  [sel.planForm, sel.confirm, sel.cancelForm].forEach(function (panel) {
    panel.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && !subs.busy) {
        closeSubscriptionPanel(true);
      }
    });
  });

  /** The session's subscription features: false, or {change, resume, cancel: false | {mode, reasons, ...}}. */
  function subscriptionFeature() {
    var f = state.config && state.config.features && state.config.features.subscriptions;
    return f && typeof f === 'object' ? f : null;
  }

  function isSubscriptionFlow() {
    return SUBSCRIPTION_FLOWS.indexOf(flowType()) >= 0;
  }

  /**
   * The subscriptions when the configuration shows them: those of the bootstrap answer, else (its provider did not
   * answer in time) GET /subscriptions; null when the feature is off; 'failed' when the provider cannot answer (the
   * rest of the page is shown all the same).
   */
  function loadSubscriptions(boot) {
    var config = boot.config;
    var f = config && config.features && config.features.subscriptions;
    if (!f || typeof f !== 'object') {
      return Promise.resolve(null);
    }
    if (Array.isArray(boot.subscriptions)) {
      return Promise.resolve(boot.subscriptions);
    }
    return call('/subscriptions').then(function (body) { return body.subscriptions; }, function (error) {
      if (error.status === 401) { throw error; }
      return 'failed';
    });
  }

  /** Shows the section (or hides it: feature off), then reopens the step that was open (a language switch). */
  function applySubscriptions(list) {
    var feature = subscriptionFeature();
    sel.section.hidden = !feature || !list;
    subs.list = feature && Array.isArray(list) ? list : [];
    renderSubscriptions();
    sel.message.classList.toggle('is-error', list === 'failed');
    if (list === 'failed') {
      sel.message.textContent = label('subscriptions.error.load_failed');
    }
    if (!feature) {
      hideSubscriptionPanels();
      subs.panel = null;
      return;
    }
    var panel = subs.panel;
    if (panel) {
      if (panel.kind === 'picker') {
        openPlanPicker(panel.id, selectedPlan() || panel.planCode);
      } else if (panel.kind === 'confirm') {
        previewChange(panel.id, panel.planCode, false);
      } else if (panel.kind === 'cancel') {
        openCancelForm(panel.id, { reason: selectedReason(), comment: sel.cancelComment.value });
      }
    }
  }

  function findSubscription(id) {
    for (var i = 0; i < subs.list.length; i++) {
      if (subs.list[i].id === id) { return subs.list[i]; }
    }
    return null;
  }

  function replaceSubscription(subscription) {
    var found = false;
    subs.list = subs.list.map(function (s) {
      if (s.id === subscription.id) { found = true; return subscription; }
      return s;
    });
    if (!found) { subs.list.push(subscription); }
    renderSubscriptions();
  }

  /** {0}, {1}… of a label replaced in order. */
  function labelOf(key, values) {
    var text = label(key);
    (values || []).forEach(function (value, i) {
      text = text.split('{' + i + '}').join(value === null || value === undefined ? '' : String(value));
    });
    return text;
  }

  function priceOf(plan) {
    var amount = plan.formatted && plan.formatted.amount;
    return plan.interval === 'year' ? labelOf('subscriptions.per_year', [amount])
      : plan.interval === 'month' ? labelOf('subscriptions.per_month', [amount]) : amount;
  }

  // -------------------------------------------------- the list

  function renderSubscriptions() {
    sel.list.textContent = '';
    sel.message.classList.remove('is-error');
    sel.message.textContent = subs.list.length ? '' : label('subscriptions.empty');
    subs.list.forEach(function (s) {
      var card = document.createElement('article');
      card.className = 'subscription';
      card.setAttribute('data-subscription-id', s.id);
      card.setAttribute('aria-labelledby', 'sub-title-' + s.id);
      var head = document.createElement('div');
      head.className = 'subscription-head';
      var title = textElement('h3', s.name || s.plan.name);
      title.id = 'sub-title-' + s.id;
      head.appendChild(title);
      var badges = document.createElement('p');
      badges.className = 'badges';
      var status = SUBSCRIPTION_STATUSES.indexOf(s.status) >= 0 ? s.status : 'pending';
      badges.appendChild(textElement('span', label('subscriptions.status.' + status), 'badge badge-sub-' + status, 'status'));
      if (s.cancel_at_period_end && s.status !== 'canceled') {
        badges.appendChild(textElement('span', label('subscriptions.badge_ending'), 'badge badge-sub-ending', 'ending'));
      }
      if (s.pending_change) {
        badges.appendChild(textElement('span', label('subscriptions.badge_changing'), 'badge badge-sub-changing', 'changing'));
      }
      head.appendChild(badges);
      card.appendChild(head);

      var details = document.createElement('dl');
      details.className = 'details subscription-details';
      subDetail(details, 'plan', label('subscriptions.plan'), s.plan.name);
      subDetail(details, 'price', label('subscriptions.price'), priceOf(s.plan));
      if (s.quantity && s.quantity !== 1) {
        subDetail(details, 'quantity', label('subscriptions.quantity'), String(s.quantity));
      }
      if (s.status !== 'canceled' && s.formatted.current_period_start && s.formatted.current_period_end) {
        subDetail(details, 'period', label('subscriptions.period'),
          s.formatted.current_period_start + ' – ' + s.formatted.current_period_end);
      }
      if (s.trial_end && s.status === 'trialing') {
        subDetail(details, 'trial_end', label('subscriptions.trial_ends'), s.formatted.trial_end);
      }
      if (s.ending_at) {
        subDetail(details, 'ending_at', label(s.status === 'canceled' ? 'subscriptions.ended_on' : 'subscriptions.ends_on'),
          s.formatted.ending_at);
      } else if (s.status !== 'canceled' && s.formatted.current_period_end) {
        subDetail(details, 'renews_at', label('subscriptions.renews_on'), s.formatted.current_period_end);
      }
      if (s.pending_change) {
        subDetail(details, 'pending_change', label('subscriptions.pending_change'),
          labelOf('subscriptions.pending_change_text', [s.pending_change.plan.name + ' (' + priceOf(s.pending_change.plan) + ')',
            s.pending_change.formatted.effective_at]));
      }
      card.appendChild(details);

      var actions = document.createElement('div');
      actions.className = 'form-actions subscription-actions';
      var feature = subscriptionFeature() || {};
      var a = s.actions || {};
      // Only what both the configuration and the server's actions for this subscription allow.
      if (a.change && feature.change) {
        actions.appendChild(actionButton(s, 'change', 'subscriptions.change', 'subscriptions.change_label', 'primary',
          function () { openPlanPicker(s.id, null); }));
      }
      if (a.resume && feature.resume) {
        actions.appendChild(actionButton(s, 'resume', 'subscriptions.resume', 'subscriptions.resume_label', 'primary',
          function (button) { resumeSubscription(s.id, button); }));
      }
      if (a.cancel && feature.cancel) {
        actions.appendChild(actionButton(s, 'cancel', 'subscriptions.cancel', 'subscriptions.cancel_label', null,
          function () { openCancelForm(s.id, null); }));
      }
      if (actions.childNodes.length) {
        card.appendChild(actions);
      }
      sel.list.appendChild(card);
    });
  }

  function subDetail(list, field, title, value) {
    list.appendChild(textElement('dt', title));
    list.appendChild(textElement('dd', value, null, field));
  }

  function actionButton(s, action, textKey, nameKey, className, onClick) {
    var button = textElement('button', label(textKey), className);
    button.type = 'button';
    button.setAttribute('data-action', action);
    button.setAttribute('aria-label', labelOf(nameKey, [s.name || s.plan.name]));
    button.addEventListener('click', function () { onClick(button); });
    return button;
  }

  // -------------------------------------------------- panels

  function hideSubscriptionPanels() {
    sel.planForm.hidden = true;
    sel.confirm.hidden = true;
    sel.cancelForm.hidden = true;
  }

  /** Shows one step in place of the list. */
  function showSubscriptionPanel(panel) {
    hideSubscriptionPanels();
    sel.list.hidden = true;
    sel.message.hidden = true;
    panel.hidden = false;
  }

  /** Back to the list; {@code byCustomer}: Keep/Escape, which in a flow also shows the whole portal again. */
  function closeSubscriptionPanel(byCustomer) {
    var id = subs.panel && subs.panel.id;
    var action = subs.panel && (subs.panel.kind === 'cancel' ? 'cancel' : 'change');
    hideSubscriptionPanels();
    subs.panel = null;
    subs.pending = null;
    sel.list.hidden = false;
    sel.message.hidden = false;
    if (byCustomer && subs.flow) {
      leaveFlow();
    }
    focusSubscriptionAction(id, action);
  }

  function focusSubscriptionAction(id, action) {
    var card = id ? sel.list.querySelector('[data-subscription-id="' + cssEscape(id) + '"]') : null;
    var target = card && (card.querySelector('[data-action="' + action + '"]') || card.querySelector('button'));
    if (target) {
      target.focus();
    } else if (card) {
      card.setAttribute('tabindex', '-1');
      card.focus();
    }
  }

  function showFieldError(node, text) {
    node.textContent = text;
    node.hidden = !text;
  }

  function showPanelError(node, text) {
    node.textContent = text;
    node.hidden = false;
    node.focus();
  }

  function clearPanelErrors() {
    [sel.planError, sel.planChoicesError, sel.confirmError, sel.cancelError, sel.cancelReasonsError,
      sel.cancelCommentError].forEach(function (node) { showFieldError(node, ''); });
    sel.cancelComment.removeAttribute('aria-invalid');
  }

  function selectedPlan() {
    var picked = sel.planForm.querySelector('input[name="plan"]:checked');
    return picked ? picked.value : null;
  }

  function selectedReason() {
    var picked = sel.cancelForm.querySelector('input[name="reason"]:checked');
    return picked ? picked.value : null;
  }

  // -------------------------------------------------- changing the plan

  /** The plan picker of one subscription, from GET /subscriptions/{id}/plans; {@code preselect} checked. */
  function openPlanPicker(id, preselect) {
    var s = findSubscription(id);
    if (!s) { return; }
    sel.status.textContent = '';
    clearPanelErrors();
    subs.panel = { kind: 'picker', id: id, planCode: preselect };
    subs.pending = null;
    sel.planTitle.textContent = labelOf('subscriptions.picker_title', [s.name || s.plan.name]);
    sel.planCurrent.textContent = labelOf('subscriptions.current_plan', [s.plan.name + ' (' + priceOf(s.plan) + ')']);
    sel.planOptions.textContent = '';
    sel.planOptions.setAttribute('aria-busy', 'true');
    showSubscriptionPanel(sel.planForm);
    setSubscriptionBusy(true, sel.planContinue, 'subscriptions.loading');
    return call(subscriptionPath(id, '/plans')).then(function (body) {
      if (!subs.panel || subs.panel.kind !== 'picker' || subs.panel.id !== id) { return; }
      renderPlanOptions(body.plans, preselect);
      var focus = sel.planOptions.querySelector('input:checked') || sel.planOptions.querySelector('input');
      if (focus) {
        focus.focus();
      } else {
        sel.planClose.focus();
      }
    }, function (error) {
      if (error.status === 401) { showError(error); return; }
      showPanelError(sel.planError, label(errorLabel(error.code, error.status)));
    }).then(function () {
      sel.planOptions.removeAttribute('aria-busy');
      setSubscriptionBusy(false, sel.planContinue, 'subscriptions.continue');
    });
  }

  function renderPlanOptions(plans, preselect) {
    sel.planOptions.textContent = '';
    if (!plans.length) {
      sel.planOptions.appendChild(textElement('p', label('subscriptions.no_plans'), 'message'));
      sel.planContinue.hidden = true;
      return;
    }
    sel.planContinue.hidden = false;
    plans.forEach(function (plan) {
      var id = 'plan-option-' + plan.code;
      var row = document.createElement('div');
      row.className = 'plan-option';
      row.setAttribute('data-plan-code', plan.code);
      var input = document.createElement('input');
      input.type = 'radio';
      input.name = 'plan';
      input.id = id;
      input.value = plan.code;
      input.checked = plan.code === preselect;
      input.setAttribute('aria-describedby', id + '-price ' + id + '-direction');
      var text = document.createElement('label');
      text.htmlFor = id;
      text.appendChild(textElement('span', plan.name, 'plan-name'));
      var price = textElement('span', priceOf(plan), 'plan-price');
      price.id = id + '-price';
      var direction = ['upgrade', 'downgrade', 'same_price'].indexOf(plan.direction) >= 0 ? plan.direction : 'same_price';
      var tag = textElement('span', label('subscriptions.direction.' + direction), 'badge badge-direction-' + direction);
      tag.id = id + '-direction';
      row.appendChild(input);
      row.appendChild(text);
      row.appendChild(price);
      row.appendChild(tag);
      sel.planOptions.appendChild(row);
    });
  }

  /**
   * POST /preview for the plan, then the confirmation step. {@code priceChanged}: the confirmation was refused as
   * outdated, so the customer is told the amounts are new.
   */
  function previewChange(id, planCode, priceChanged) {
    var s = findSubscription(id);
    if (!s || !planCode) { return Promise.resolve(); }
    clearPanelErrors();
    subs.panel = { kind: 'confirm', id: id, planCode: planCode, preview: null };
    var action = writeAction(subscriptionPath(id, '/preview'), { plan_code: planCode }, true);
    var showing = !sel.confirm.hidden;
    var busyButton = showing ? sel.confirmButton : sel.planContinue;
    setSubscriptionBusy(true, busyButton, 'subscriptions.loading');
    return sendSubscriptionWrite(action, 0).then(function (result) {
      if (!subs.panel || subs.panel.id !== id || subs.panel.planCode !== planCode) { return; }
      if (result.ok && result.answer.preview) {
        subs.pending = null;
        subs.panel.preview = result.answer.preview;
        showPreview(s, result.answer.preview, priceChanged);
        return;
      }
      handleSubscriptionFailure(result, showing ? sel.confirmError : sel.planError);
    }, function () {
      showPanelError(showing ? sel.confirmError : sel.planError, label('subscriptions.error.failed'));
    }).then(function () {
      setSubscriptionBusy(false, busyButton, showing ? 'subscriptions.confirm' : 'subscriptions.continue');
    });
  }

  function showPreview(s, preview, priceChanged) {
    var target = preview.plan_code;
    var offered = sel.planOptions.querySelector('[data-plan-code="' + cssEscape(target) + '"] .plan-name');
    var targetName = offered ? offered.textContent : target;
    sel.confirmSummary.textContent = labelOf('subscriptions.from_to', [s.plan.name, targetName]);
    sel.confirmTiming.textContent = preview.timing === 'immediately' ? label('subscriptions.timing.immediately')
      : labelOf('subscriptions.timing.period_end', [preview.formatted.effective_at]);
    sel.previewLines.textContent = '';
    (preview.lines || []).forEach(function (line) {
      var row = document.createElement('tr');
      row.appendChild(textElement('td', line.description));
      row.appendChild(textElement('td', line.formatted.amount, 'amount'));
      sel.previewLines.appendChild(row);
    });
    sel.previewTable.hidden = !(preview.lines || []).length;
    sel.previewNoLines.hidden = !!(preview.lines || []).length;
    sel.previewDue.textContent = preview.formatted.amount_due_now;
    sel.previewNext.textContent = preview.formatted.next_invoice_at
      ? labelOf('subscriptions.next_invoice', [preview.formatted.next_invoice_at, preview.formatted.next_invoice_amount]) : '';
    sel.confirmNotice.textContent = priceChanged ? label('subscriptions.price_changed') : '';
    sel.confirmNotice.hidden = !priceChanged;
    showSubscriptionPanel(sel.confirm);
    sel.confirm.focus();
  }

  /** POST /change with the preview's id: exactly what the customer was shown, or a 409 and nothing changes. */
  function confirmChange() {
    var panel = subs.panel;
    if (subs.busy || !panel || panel.kind !== 'confirm' || !panel.preview) { return; }
    clearPanelErrors();
    var id = panel.id;
    var action = writeAction(subscriptionPath(id, '/change'),
      { plan_code: panel.planCode, preview_id: panel.preview.id }, false);
    setSubscriptionBusy(true, sel.confirmButton, 'subscriptions.confirming');
    sendSubscriptionWrite(action, 0).then(function (result) {
      if (result.ok && result.answer.subscription) {
        subs.pending = null;
        var preview = panel.preview;
        var after = result.answer.subscription;
        replaceSubscription(after);
        hideSubscriptionPanels();
        subs.panel = null;
        sel.list.hidden = false;
        sel.message.hidden = false;
        var planName = after.pending_change ? after.pending_change.plan.name : after.plan.name;
        var text = preview.timing === 'immediately' ? labelOf('subscriptions.changed', [planName])
          : labelOf('subscriptions.change_scheduled', [planName, preview.formatted.effective_at]);
        sel.status.textContent = text;
        notifyParent('billing-portal:subscription_changed', {
          subscription_id: after.id,
          plan_code: panel.planCode,
          status: after.status,
          timing: preview.timing,
          effective_at: preview.effective_at
        });
        finishSubscriptionAction(id, 'change', text);
        return;
      }
      if (result.status === 409 && result.answer.code === 'preview_outdated'
          || result.status === 422 && result.answer.error_details && result.answer.error_details.preview_id) {
        subs.pending = null; // refused before acting: the new preview is a new action
        setSubscriptionBusy(false, sel.confirmButton, 'subscriptions.confirm');
        return previewChange(id, panel.planCode, true);
      }
      handleSubscriptionFailure(result, sel.confirmError);
    }, function () {
      showPanelError(sel.confirmError, label('subscriptions.error.failed'));
    }).then(function () {
      if (subs.busy) { setSubscriptionBusy(false, sel.confirmButton, 'subscriptions.confirm'); }
    });
  }

  // -------------------------------------------------- cancelling and resuming

  /** The cancel form: the configured mode's consequence, the reasons (required or optional), the comment. */
  function openCancelForm(id, keep) {
    var s = findSubscription(id);
    var feature = subscriptionFeature();
    if (!s || !feature || !feature.cancel) { return; }
    var cancel = feature.cancel;
    sel.status.textContent = '';
    clearPanelErrors();
    subs.panel = { kind: 'cancel', id: id };
    subs.pending = null;
    sel.cancelTitle.textContent = labelOf('subscriptions.cancel_title', [s.name || s.plan.name]);
    var effect = cancel.mode === 'immediately' ? label('subscriptions.cancel_effect_now')
      : labelOf('subscriptions.cancel_effect_period_end', [s.formatted.current_period_end]);
    if (cancel.mode !== 'immediately' && feature.resume) {
      effect += ' ' + label('subscriptions.cancel_resume_hint');
    }
    sel.cancelEffect.textContent = effect;
    var reasons = Array.isArray(cancel.reasons) ? cancel.reasons : [];
    sel.cancelReasons.hidden = !reasons.length;
    sel.cancelOptional.hidden = !!cancel.reason_required;
    sel.cancelReasonOptions.textContent = '';
    reasons.forEach(function (reason) {
      var row = document.createElement('div');
      row.className = 'reason-option';
      var input = document.createElement('input');
      input.type = 'radio';
      input.name = 'reason';
      input.id = 'cancel-reason-' + reason;
      input.value = reason;
      input.required = !!cancel.reason_required;
      input.checked = !!keep && keep.reason === reason;
      var text = textElement('label', label('subscriptions.reason.' + reason));
      text.htmlFor = input.id;
      row.appendChild(input);
      row.appendChild(text);
      sel.cancelReasonOptions.appendChild(row);
    });
    sel.cancelCommentField.hidden = !cancel.comment;
    sel.cancelComment.value = keep && keep.comment ? keep.comment : '';
    updateCommentHint();
    setSubscriptionBusy(false, sel.cancelSubmit, 'subscriptions.confirm_cancel');
    showSubscriptionPanel(sel.cancelForm);
    var first = sel.cancelForm.querySelector('input[name="reason"]:checked') || sel.cancelForm.querySelector('input[name="reason"]');
    (first || (cancel.comment ? sel.cancelComment : sel.cancelSubmit)).focus();
  }

  function updateCommentHint() {
    var left = COMMENT_MAX - sel.cancelComment.value.length;
    sel.cancelCommentHint.textContent = labelOf('subscriptions.comment_hint', [String(COMMENT_MAX), String(Math.max(left, 0))]);
  }

  function submitCancellation() {
    var panel = subs.panel;
    var feature = subscriptionFeature();
    if (subs.busy || !panel || panel.kind !== 'cancel' || !feature || !feature.cancel) { return; }
    clearPanelErrors();
    var reason = selectedReason();
    var comment = feature.cancel.comment ? sel.cancelComment.value.trim() : '';
    var problems = false;
    if (!reason && feature.cancel.reason_required && (feature.cancel.reasons || []).length) {
      showFieldError(sel.cancelReasonsError, label('subscriptions.error.reason_required'));
      problems = sel.cancelForm.querySelector('input[name="reason"]');
    }
    if (comment.length > COMMENT_MAX) {
      showFieldError(sel.cancelCommentError, labelOf('subscriptions.error.comment_too_long', [String(COMMENT_MAX)]));
      sel.cancelComment.setAttribute('aria-invalid', 'true');
      problems = problems || sel.cancelComment;
    }
    if (problems) {
      sel.cancelError.textContent = label('subscriptions.error.summary');
      sel.cancelError.hidden = false;
      problems.focus();
      return;
    }
    var body = {};
    if (reason) { body.reason = reason; }
    if (comment) { body.comment = comment; }
    var id = panel.id;
    var action = writeAction(subscriptionPath(id, '/cancel'), body, false);
    setSubscriptionBusy(true, sel.cancelSubmit, 'subscriptions.canceling');
    sendSubscriptionWrite(action, 0).then(function (result) {
      if (result.ok && result.answer.subscription) {
        subs.pending = null;
        var after = result.answer.subscription;
        replaceSubscription(after);
        hideSubscriptionPanels();
        subs.panel = null;
        sel.list.hidden = false;
        sel.message.hidden = false;
        var text = after.status === 'canceled' || !after.cancel_at_period_end ? label('subscriptions.canceled_now')
          : labelOf('subscriptions.canceled_at_period_end', [after.formatted.ending_at || after.formatted.current_period_end]);
        sel.status.textContent = text;
        notifyParent('billing-portal:subscription_canceled', {
          subscription_id: after.id,
          cancel_at_period_end: after.cancel_at_period_end,
          ending_at: after.ending_at
        });
        finishSubscriptionAction(id, 'resume', text);
        return;
      }
      if (result.status === 422 && result.answer.code === 'validation_errors') {
        subs.pending = null;
        var details = result.answer.error_details || {};
        if (details.reason) {
          showFieldError(sel.cancelReasonsError, label(String(details.reason) === 'required'
            ? 'subscriptions.error.reason_required' : 'subscriptions.error.reason_not_offered'));
        }
        if (details.comment) {
          var tooLong = /at most/.test(String(details.comment));
          showFieldError(sel.cancelCommentError, tooLong ? labelOf('subscriptions.error.comment_too_long', [String(COMMENT_MAX)])
            : label('subscriptions.error.invalid'));
          sel.cancelComment.setAttribute('aria-invalid', 'true');
        }
        showPanelError(sel.cancelError, label('subscriptions.error.summary'));
        return;
      }
      handleSubscriptionFailure(result, sel.cancelError);
    }, function () {
      showPanelError(sel.cancelError, label('subscriptions.error.failed'));
    }).then(function () {
      if (subs.busy) { setSubscriptionBusy(false, sel.cancelSubmit, 'subscriptions.confirm_cancel'); }
    });
  }

  function resumeSubscription(id, button) {
    if (subs.busy) { return; }
    sel.status.textContent = '';
    sel.message.textContent = '';
    var action = writeAction(subscriptionPath(id, '/resume'), {}, false);
    setSubscriptionBusy(true, button, 'subscriptions.resuming');
    sendSubscriptionWrite(action, 0).then(function (result) {
      if (result.ok && result.answer.subscription) {
        subs.pending = null;
        replaceSubscription(result.answer.subscription);
        sel.status.textContent = label('subscriptions.resumed');
        focusSubscriptionAction(id, 'cancel');
        return;
      }
      if (result.status === 401) { showError({ status: 401, code: result.answer.code }); return; }
      if (result.status !== 503 && result.status !== 0) { subs.pending = null; }
      sel.message.textContent = label(errorLabel(result.answer.code, result.status));
      sel.message.classList.add('is-error');
      if (result.status === 409 || result.status === 404) { refreshSubscriptions(); }
    }, function () {
      sel.message.textContent = label('subscriptions.error.failed');
      sel.message.classList.add('is-error');
    }).then(function () {
      setSubscriptionBusy(false, null, null);
      if (document.body.contains(button)) {
        button.disabled = false;
        button.textContent = label('subscriptions.resume');
      }
    });
  }

  /** A change or cancellation is done: the flow ends by its after_completion, else focus stays in the list. */
  function finishSubscriptionAction(id, focusAction, text) {
    if (subs.flow) {
      completeFlow(text, function () { focusSubscriptionAction(id, focusAction); });
      return;
    }
    focusSubscriptionAction(id, focusAction);
  }

  /** A refused or failed write, in the customer's language; what the server's state made impossible reloads the list. */
  function handleSubscriptionFailure(result, errorNode) {
    var code = result.answer && result.answer.code;
    if (result.status === 401) {
      showError({ status: 401, code: code });
      return;
    }
    if (result.status !== 503 && result.status !== 0) {
      subs.pending = null; // refused before acting: trying again is a new action
    }
    if (result.status === 422 && result.answer.error_details && result.answer.error_details.plan_code) {
      showPanelError(errorNode, label('subscriptions.error.not_offered'));
      return;
    }
    showPanelError(errorNode, label(errorLabel(code, result.status)));
    if (result.status === 409 || result.status === 404) {
      refreshSubscriptions();
    }
  }

  function errorLabel(code, status) {
    var known = {
      subscription_not_changeable: 'subscriptions.error.not_changeable',
      subscription_not_cancelable: 'subscriptions.error.not_cancelable',
      subscription_not_resumable: 'subscriptions.error.not_resumable',
      subscription_not_found: 'subscriptions.error.not_found',
      feature_disabled: 'subscriptions.error.not_available',
      validation_errors: 'subscriptions.error.invalid'
    };
    if (known[code]) { return known[code]; }
    if (status === 404) { return 'subscriptions.error.not_found'; }
    if (status === 403) { return 'subscriptions.error.not_available'; }
    return 'subscriptions.error.failed';
  }

  /** The list again from the server (its state changed under the customer), without closing an open error. */
  function refreshSubscriptions() {
    return call('/subscriptions').then(function (body) {
      subs.list = body.subscriptions;
      renderSubscriptions();
    }).catch(function () { /* the error shown stays */ });
  }

  // -------------------------------------------------- writes

  function subscriptionPath(id, tail) {
    return '/subscriptions/' + encodeURIComponent(id) + (tail || '');
  }

  /**
   * One customer action: a fresh Idempotency-Key, unless it is the same action again (same path and body) after an
   * answer we could not judge, which keeps its key. {@code alwaysNew}: previews, which change nothing.
   */
  function writeAction(path, body, alwaysNew) {
    var text = JSON.stringify(body);
    if (alwaysNew || !subs.pending || subs.pending.path !== path || subs.pending.body !== text) {
      subs.pending = { path: path, body: text, key: newIdempotencyKey() };
    }
    return subs.pending;
  }

  /**
   * POST {@code action}; a lost connection or a request still in progress is retried with the same key. Resolves
   * {ok, status, answer}; rejects only when every attempt lost the connection.
   */
  function sendSubscriptionWrite(action, attempt) {
    return sendWrite('POST', action.path, action.body, action.key, attempt);
  }

  /**
   * One write with its Idempotency-Key ({@code body}: JSON text, or null for none); a lost connection or a request
   * still in progress is retried with the same key. Resolves {ok, status, answer}; rejects only when every attempt
   * lost the connection. Feature scripts write through this (portalApi.send): they never hold the token.
   */
  function sendWrite(method, path, body, key, attempt) {
    attempt = attempt || 0;
    var retry = function () {
      return new Promise(function (resolve) { setTimeout(resolve, 300 * Math.pow(2, attempt)); })
        .then(function () { return sendWrite(method, path, body, key, attempt + 1); });
    };
    var headers = {
      Accept: 'application/json',
      Authorization: 'Bearer ' + token,
      'Idempotency-Key': key
    };
    if (body !== null && body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    return fetch(API + path + query({}), {
      method: method,
      headers: headers,
      body: body === null || body === undefined ? undefined : body,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer'
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 409 && answer.code === 'request_in_progress' && attempt < 3) {
          return retry();
        }
        return { ok: response.ok, status: response.status, answer: answer || {} };
      });
    }, function (networkFailure) {
      if (attempt < 2) { return retry(); }
      throw networkFailure;
    });
  }

  function setSubscriptionBusy(busy, button, textKey) {
    subs.busy = busy;
    [sel.planContinue, sel.planClose, sel.confirmButton, sel.confirmBack, sel.confirmClose, sel.cancelSubmit,
      sel.cancelKeep].forEach(function (b) { b.disabled = busy; });
    [sel.planForm, sel.confirm, sel.cancelForm].forEach(function (p) { p.setAttribute('aria-busy', busy ? 'true' : 'false'); });
    if (button) {
      button.disabled = busy;
      button.textContent = label(textKey);
    }
  }

  // -------------------------------------------------- flows

  /** Opens the step a subscription flow names; a subscription it cannot act on shows the portal and why. */
  function openSubscriptionFlow(flow) {
    var s = findSubscription(flow.subscription_id);
    var feature = subscriptionFeature();
    var can = s && feature && (flow.type === 'subscription_cancel' ? s.actions.cancel && feature.cancel
      : s.actions.change && feature.change);
    if (!can) {
      sel.message.textContent = label(flow.type === 'subscription_cancel' ? 'subscriptions.error.not_cancelable'
        : 'subscriptions.error.not_changeable');
      sel.message.classList.add('is-error');
      return;
    }
    subs.flow = true;
    el.portal.classList.add('in-subscription-flow');
    if (flow.type === 'subscription_cancel') {
      openCancelForm(s.id, null);
    } else if (flow.type === 'subscription_update_confirm' && flow.plan_code) {
      // the picker's list first (it names the plan), then straight to the confirmation
      openPlanPicker(s.id, flow.plan_code).then(function () {
        if (subs.panel && subs.panel.kind === 'picker' && selectedPlan() === flow.plan_code) {
          return previewChange(s.id, flow.plan_code, false);
        }
      });
    } else {
      openPlanPicker(s.id, null);
    }
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
