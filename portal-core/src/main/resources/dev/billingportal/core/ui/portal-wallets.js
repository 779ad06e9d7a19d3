/*
 * Billing portal page, prepaid wallets and top-ups: plain JavaScript, no framework, no build step. Registers with portal.js (see the
 * "features" block there for the hooks); keeps its rules: texts from billing data only as textContent, no storage, no
 * token (writes go through portal.send), messages to the host's page only through portal.notifyParent.
 */
(function () {
  'use strict';

  (window.BillingPortalFeatures = window.BillingPortalFeatures || []).push(function (portal) {
    var section = portal.byId('wallets-section');

    return {
      key: 'wallets',
      load: function (part) {
        return part !== undefined ? part : portal.call('/wallets').then(function (body) { return body['wallets']; });
      },
      render: function (data) {
        section.hidden = !data || Boolean(data.failed);
      }
    };
  });
}());
