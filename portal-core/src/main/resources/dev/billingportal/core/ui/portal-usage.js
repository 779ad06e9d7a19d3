/*
 * Billing portal page, current usage and past periods: plain JavaScript, no framework, no build step. Registers with portal.js (see the
 * "features" block there for the hooks); keeps its rules: texts from billing data only as textContent, no storage, no
 * token (writes go through portal.send), messages to the host's page only through portal.notifyParent.
 *
 * Per subscription: the current period, its total so far, the projection when the provider knows one, the charges per
 * billable metric, and a bar chart of this period against the past ones (GET /usage/history, asked after the first
 * render, never blocking it). The chart is inline SVG drawn here: no library, no request of its own. Bar heights come
 * from the integer minor units (total_cents) with integer arithmetic only; every text on it is the server's formatted
 * one. A real table with the same values stands beside it for screen readers (and on request for everyone); the SVG
 * itself is aria-hidden. Units and amounts are never read as numbers: the page shows what the server formatted.
 */
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var PAST_PERIODS = 6;
  // Chart geometry, in SVG user units (the SVG scales to its box).
  var BAR_WIDTH = 56;
  var BAR_GAP = 28;
  var PLOT_HEIGHT = 160;
  var TOP = 24;        // room for the amount above the tallest bar
  var BOTTOM = 40;     // room for the period below the bars
  var SIDE = 12;

  (window.BillingPortalFeatures = window.BillingPortalFeatures || []).push(function (portal) {
    var section = portal.byId('usage-section');
    var list = portal.byId('usage-list');
    var message = portal.byId('usage-message');
    var generation = 0; // a render started later makes older history answers stale

    function render(data) {
      generation += 1;
      list.textContent = '';
      message.textContent = '';
      message.classList.remove('is-error');
      if (!data) {
        section.hidden = true;
        return;
      }
      section.hidden = false;
      if (data.failed) {
        message.textContent = portal.label('usage.load_failed');
        message.classList.add('is-error');
        return;
      }
      if (!data.length) {
        message.textContent = portal.label('usage.empty');
        return;
      }
      var mine = generation;
      data.forEach(function (summary) {
        var node = summaryNode(summary);
        list.appendChild(node.element);
        loadHistory(summary, node.chart, mine);
      });
    }

    /** The subscription's name as the subscriptions section shows it, else its id. */
    function subscriptionName(id) {
      var cards = document.querySelectorAll('#subscription-list [data-subscription-id]');
      for (var i = 0; i < cards.length; i++) {
        if (cards[i].getAttribute('data-subscription-id') === id) {
          var heading = cards[i].querySelector('h3');
          if (heading && heading.textContent) { return heading.textContent; }
        }
      }
      return portal.labelOf('usage.subscription', [id]);
    }

    function summaryNode(s) {
      var article = document.createElement('article');
      article.className = 'usage-subscription';
      article.setAttribute('data-usage-subscription-id', s.subscription_id);
      var titleId = 'usage-title-' + cssSafe(s.subscription_id);
      var heading = portal.text('h3', subscriptionName(s.subscription_id));
      heading.id = titleId;
      article.setAttribute('aria-labelledby', titleId);
      article.appendChild(heading);
      article.appendChild(portal.text('p', portal.labelOf('usage.period', [s.formatted.from, s.formatted.to]),
        'hint', 'current_period'));

      var figures = document.createElement('dl');
      figures.className = 'usage-figures';
      figure(figures, 'usage.total', s.formatted.total, 'total');
      if (s.projected_total_cents !== null && s.projected_total_cents !== undefined && s.formatted.projected_total) {
        figure(figures, 'usage.projected', s.formatted.projected_total, 'projected_total');
      }
      article.appendChild(figures);

      if (s.charges && s.charges.length) {
        article.appendChild(chargesTable(s));
      } else {
        article.appendChild(portal.text('p', portal.label('usage.no_charges'), 'hint', 'no_charges'));
      }

      var chart = document.createElement('div');
      chart.className = 'usage-chart';
      var chartTitle = portal.text('h4', portal.label('usage.chart_title'));
      chartTitle.id = titleId + '-chart';
      chart.appendChild(chartTitle);
      var status = portal.text('p', portal.label('usage.history_loading'), 'hint', 'chart_status');
      status.setAttribute('role', 'status');
      chart.appendChild(status);
      article.appendChild(chart);
      return { element: article, chart: chart };
    }

    function figure(parent, labelKey, value, field) {
      var box = document.createElement('div');
      box.className = 'usage-figure';
      box.appendChild(portal.text('dt', portal.label(labelKey)));
      box.appendChild(portal.text('dd', value, null, field));
      parent.appendChild(box);
    }

    function chargesTable(s) {
      var wrap = document.createElement('div');
      wrap.className = 'table-wrap';
      var table = document.createElement('table');
      table.className = 'usage-charges';
      table.appendChild(portal.text('caption', portal.label('usage.charges')));
      var head = document.createElement('thead');
      var row = document.createElement('tr');
      [['usage.metric', ''], ['usage.units', 'number'], ['invoices.amount', 'amount']].forEach(function (column) {
        var th = portal.text('th', portal.label(column[0]), column[1] || null);
        th.setAttribute('scope', 'col');
        row.appendChild(th);
      });
      head.appendChild(row);
      table.appendChild(head);
      var body = document.createElement('tbody');
      s.charges.forEach(function (c) {
        var tr = document.createElement('tr');
        tr.setAttribute('data-metric-code', c.metric_code);
        var name = portal.text('th', c.metric_name || c.metric_code, null, 'metric');
        name.setAttribute('scope', 'row');
        tr.appendChild(name);
        var units = portal.text('td', c.formatted.units, 'number', 'units');
        units.setAttribute('data-units', c.units); // the exact decimal string, for tests and tools
        tr.appendChild(units);
        var amount = portal.text('td', c.formatted.amount, 'amount', 'amount');
        amount.setAttribute('data-amount', String(c.amount_cents));
        tr.appendChild(amount);
        body.appendChild(tr);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      return wrap;
    }

    function loadHistory(s, chart, mine) {
      var status = chart.querySelector('[data-field=chart_status]');
      portal.call('/usage/history', { subscription_id: s.subscription_id, periods: String(PAST_PERIODS) })
        .then(function (body) {
          if (mine !== generation) { return; }
          var past = (body.periods || []).slice(0, PAST_PERIODS).reverse(); // oldest first, left to right
          var bars = past.map(function (p) {
            return { from: p.from, to: p.to, cents: p.total_cents, total: p.formatted.total, period: p.formatted.from,
              current: false };
          });
          bars.push({ from: s.from, to: s.to, cents: s.total_cents, total: s.formatted.total,
            period: s.formatted.from, current: true });
          status.remove();
          drawChart(chart, bars);
        }, function (error) {
          if (mine !== generation) { return; }
          if (error && error.status === 401) {
            portal.showError(error);
            return;
          }
          status.textContent = portal.label('usage.history_failed');
          status.classList.add('is-error');
        });
    }

    /** Integer height in 0..PLOT_HEIGHT of {@code cents} against {@code max}: integer steps only, no fractions. */
    function heightOf(cents, max) {
      if (!(cents > 0) || !(max > 0)) { return 0; }
      var c = cents;
      var m = max;
      // keep c × PLOT_HEIGHT exact (below 2^53) for amounts of any size
      while (m > Math.floor(Number.MAX_SAFE_INTEGER / PLOT_HEIGHT)) {
        c = Math.floor(c / 2);
        m = Math.floor(m / 2);
      }
      var h = Math.floor(c * PLOT_HEIGHT / m);
      return Math.max(h, 2); // a positive total stays visible
    }

    function drawChart(chart, bars) {
      var max = 0;
      bars.forEach(function (b) {
        if (Number.isSafeInteger(b.cents) && b.cents > max) { max = b.cents; }
      });
      var width = SIDE * 2 + bars.length * BAR_WIDTH + (bars.length - 1) * BAR_GAP;
      var height = TOP + PLOT_HEIGHT + BOTTOM;
      var svg = document.createElementNS(SVG, 'svg');
      svg.setAttribute('class', 'usage-bars');
      svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
      svg.setAttribute('width', String(width));
      svg.setAttribute('height', String(height));
      svg.setAttribute('aria-hidden', 'true'); // the table below says the same to screen readers
      svg.setAttribute('focusable', 'false');
      var axis = document.createElementNS(SVG, 'line');
      axis.setAttribute('class', 'usage-axis');
      axis.setAttribute('x1', String(SIDE / 2));
      axis.setAttribute('x2', String(width - SIDE / 2));
      axis.setAttribute('y1', String(TOP + PLOT_HEIGHT));
      axis.setAttribute('y2', String(TOP + PLOT_HEIGHT));
      svg.appendChild(axis);
      bars.forEach(function (b, i) {
        var h = Number.isSafeInteger(b.cents) ? heightOf(b.cents, max) : 0;
        var x = SIDE + i * (BAR_WIDTH + BAR_GAP);
        var group = document.createElementNS(SVG, 'g');
        group.setAttribute('class', b.current ? 'usage-bar is-current' : 'usage-bar');
        var rect = document.createElementNS(SVG, 'rect');
        rect.setAttribute('x', String(x));
        rect.setAttribute('y', String(TOP + PLOT_HEIGHT - h));
        rect.setAttribute('width', String(BAR_WIDTH));
        rect.setAttribute('height', String(h));
        rect.setAttribute('data-period', b.from);
        rect.setAttribute('data-period-end', b.to);
        rect.setAttribute('data-amount', String(b.cents));
        rect.setAttribute('data-height', String(h));
        if (b.current) { rect.setAttribute('data-current', 'true'); }
        group.appendChild(rect);
        group.appendChild(svgText(b.total, x + BAR_WIDTH / 2, TOP + PLOT_HEIGHT - h - 6, 'usage-value'));
        group.appendChild(svgText(b.current ? portal.label('usage.current') : b.period, x + BAR_WIDTH / 2,
          TOP + PLOT_HEIGHT + 18, 'usage-period'));
        svg.appendChild(group);
      });
      var frame = document.createElement('div');
      frame.className = 'usage-svg';
      frame.appendChild(svg);
      chart.appendChild(frame);

      var table = historyTable(chart, bars);
      var toggle = portal.text('button', portal.label('usage.show_table'), 'link usage-toggle');
      toggle.type = 'button';
      toggle.setAttribute('aria-expanded', 'false');
      toggle.addEventListener('click', function () {
        var showing = table.classList.toggle('visually-hidden') === false;
        frame.hidden = showing;
        toggle.setAttribute('aria-expanded', showing ? 'true' : 'false');
        toggle.textContent = portal.label(showing ? 'usage.show_chart' : 'usage.show_table');
      });
      chart.appendChild(toggle);
      chart.appendChild(table);
    }

    function svgText(text, x, y, className) {
      var node = document.createElementNS(SVG, 'text');
      node.setAttribute('x', String(x));
      node.setAttribute('y', String(y));
      node.setAttribute('text-anchor', 'middle');
      node.setAttribute('class', className);
      node.textContent = text === null || text === undefined ? '' : String(text);
      return node;
    }

    function historyTable(chart, bars) {
      var wrap = document.createElement('div');
      wrap.className = 'table-wrap usage-history visually-hidden';
      var table = document.createElement('table');
      table.className = 'usage-history-table';
      var caption = portal.text('caption', chart.querySelector('h4').textContent);
      table.appendChild(caption);
      var head = document.createElement('thead');
      var row = document.createElement('tr');
      [['usage.chart_period', ''], ['usage.chart_total', 'amount']].forEach(function (column) {
        var th = portal.text('th', portal.label(column[0]), column[1] || null);
        th.setAttribute('scope', 'col');
        row.appendChild(th);
      });
      head.appendChild(row);
      table.appendChild(head);
      var body = document.createElement('tbody');
      bars.forEach(function (b) {
        var tr = document.createElement('tr');
        tr.setAttribute('data-period', b.from);
        if (b.current) { tr.setAttribute('data-current', 'true'); }
        var period = portal.text('th', b.current ? portal.label('usage.current') + ' (' + b.period + ')' : b.period,
          null, 'period');
        period.setAttribute('scope', 'row');
        tr.appendChild(period);
        var total = portal.text('td', b.total, 'amount', 'period_total');
        total.setAttribute('data-amount', String(b.cents));
        tr.appendChild(total);
        body.appendChild(tr);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      return wrap;
    }

    function cssSafe(id) {
      return String(id).replace(/[^A-Za-z0-9_-]/g, '_');
    }

    return {
      key: 'usage',
      load: function (part) {
        return part !== undefined ? part : portal.call('/usage').then(function (body) { return body['usage']; });
      },
      render: render
    };
  });
}());
