/**
 * The report page's own script (plain ES2020, run after the inlined `lightweight-charts`
 * standalone build, which defines the global `LightweightCharts`). It reads the model from
 * `<script id="report-data">`, draws one chart per series (candles with markers and failover
 * shading in the top pane, the quality line in a pane under it), wires the timeframe switcher
 * and the alert links, and sets `window.report`: per series the candles, markers (by kind),
 * shaded bars and quality points the charts hold, read back from the charts themselves.
 */
export const REPORT_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var LC = window.LightweightCharts;
  var model = JSON.parse(document.getElementById('report-data').textContent);
  var SHADE = { detected: 'rgba(245, 158, 11, 0.22)', retrying: 'rgba(245, 158, 11, 0.22)', on_backup: 'rgba(59, 130, 246, 0.2)', cached: 'rgba(220, 38, 38, 0.2)', halted: 'rgba(220, 38, 38, 0.2)' };
  var MARKER = {
    synthetic: { position: 'belowBar', shape: 'circle', color: '#d97706' },
    missing: { position: 'atPriceMiddle', shape: 'square', color: '#6b7280' },
    clipped: { position: 'aboveBar', shape: 'square', color: '#dc2626' },
    revised: { position: 'aboveBar', shape: 'arrowDown', color: '#7c3aed' }
  };
  var sec = function (ms) { return Math.floor(ms / 1000); };
  var charts = [];
  var summary = { series: {}, ready: false };

  model.series.forEach(function (s) {
    var box = document.querySelector('[data-series="' + s.key + '"] .chart');
    var chart = LC.createChart(box, {
      autoSize: true,
      layout: { background: { color: '#ffffff' }, textColor: '#1f2937', attributionLogo: false, panes: { separatorColor: '#d1d5db' } },
      grid: { vertLines: { color: '#f3f4f6' }, horzLines: { color: '#f3f4f6' } },
      timeScale: { timeVisible: true, secondsVisible: false },
      localization: { timeFormatter: function (t) { return new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' '); } }
    });
    var shade = chart.addSeries(LC.HistogramSeries, { priceScaleId: 'failover', lastValueVisible: false, priceLineVisible: false, priceFormat: { type: 'volume' } });
    chart.priceScale('failover').applyOptions({ visible: false, scaleMargins: { top: 0, bottom: 0 } });
    shade.setData(s.shaded.map(function (x) { return { time: sec(x[0]), value: 1, color: SHADE[x[1]] || SHADE.detected }; }));
    var candles = chart.addSeries(LC.CandlestickSeries, { upColor: '#16a34a', downColor: '#1f2937', borderVisible: false, wickUpColor: '#16a34a', wickDownColor: '#1f2937' });
    var data = s.candles.map(function (c) { return { time: sec(c[0]), open: c[1], high: c[2], low: c[3], close: c[4] }; });
    s.missing.forEach(function (t) { data.push({ time: sec(t) }); });
    data.sort(function (a, b) { return a.time - b.time; });
    candles.setData(data);
    var markers = LC.createSeriesMarkers(candles, s.markers.map(function (m, i) {
      var look = MARKER[m.kind];
      return { id: m.kind + ':' + i, time: sec(m.at), position: look.position, shape: look.shape, color: look.color, price: m.price, size: 1 };
    }));
    var quality = chart.addSeries(LC.LineSeries, {
      color: '#0891b2', lineWidth: 2, lastValueVisible: true, priceLineVisible: false,
      priceFormat: { type: 'custom', minMove: 0.01, formatter: function (v) { return v.toFixed(2); } },
      autoscaleInfoProvider: function () { return { priceRange: { minValue: 0, maxValue: 1 } }; }
    }, 1);
    quality.setData(s.quality.map(function (q) { return { time: sec(q[0]), value: q[1] }; }));
    var panes = chart.panes();
    panes[0].setStretchFactor(4);
    if (panes[1]) panes[1].setStretchFactor(1);

    var byKind = { synthetic: 0, missing: 0, clipped: 0, revised: 0 };
    var drawn = markers.markers();
    drawn.forEach(function (m) { byKind[String(m.id).split(':')[0]] += 1; });
    summary.series[s.key] = {
      candles: candles.data().filter(function (d) { return d.open !== undefined; }).length,
      markers: drawn.length,
      markersByKind: byKind,
      shaded: shade.data().length,
      quality: quality.data().length
    };
    charts.push({ series: s, chart: chart, fitted: false });
  });

  var current = null;
  function show(tf) {
    current = tf;
    document.querySelectorAll('[data-series]').forEach(function (el) { el.hidden = el.getAttribute('data-timeframe') !== tf; });
    document.querySelectorAll('#timeframes button').forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-timeframe') === tf)); });
    charts.forEach(function (c) {
      if (c.series.timeframe !== tf || c.fitted) return;
      c.fitted = true;
      requestAnimationFrame(function () { c.chart.timeScale().fitContent(); });
    });
  }
  document.querySelectorAll('#timeframes button').forEach(function (b) {
    b.addEventListener('click', function () { show(b.getAttribute('data-timeframe')); });
  });
  document.querySelectorAll('a[data-at]').forEach(function (a) {
    a.addEventListener('click', function (event) {
      event.preventDefault();
      var at = Number(a.getAttribute('data-at'));
      var symbol = a.getAttribute('data-symbol');
      var target = null;
      charts.forEach(function (c) {
        if (c.series.timeframe !== current || (symbol && c.series.symbol !== symbol)) return;
        var n = c.series.candles.length;
        if (n === 0) return;
        var width = n > 1 ? (c.series.candles[n - 1][0] - c.series.candles[0][0]) / (n - 1) : 60000;
        c.fitted = true;
        c.chart.timeScale().setVisibleRange({ from: sec(at - 45 * width), to: sec(at + 45 * width) });
        if (target === null) target = document.querySelector('[data-series="' + c.series.key + '"]');
      });
      if (target !== null) target.scrollIntoView({ block: 'start' });
    });
  });
  if (model.timeframes.length > 0) show(model.timeframes[0]);
  summary.ready = true;
  window.report = summary;
})();
`;
