import { buildReportModel, type ReportModel } from './build-report-model.js';
import { REPORT_PAGE_SCRIPT } from './report-page-script.js';
import type { ReportInput } from './report-input.js';

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /**
   * The text of `lightweight-charts`' standalone production build
   * (`dist/lightweight-charts.standalone.production.js`, which defines the global
   * `LightweightCharts`), inlined into the page. `writeReport` reads it from `node_modules`.
   */
  readonly chartScript: string;
}

/** Escapes text for HTML content and double-quoted attributes. */
const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Inline script text can end its element only with `</script`: break that sequence (`<\/` is `</` in JS strings and regexes). */
const inlineScript = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1');

const isoMinute = (t: number): string => new Date(t).toISOString().slice(0, 19).replace('T', ' ');

const STYLES = `
  :root { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; }
  body { margin: 0 auto; max-width: 1200px; padding: 16px 20px 40px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 18px 0 6px; }
  .sub { color: #6b7280; margin: 0 0 12px; }
  #timeframes { display: flex; gap: 4px; flex-wrap: wrap; margin: 8px 0; }
  #timeframes button { font: inherit; padding: 3px 10px; border: 1px solid #d1d5db; background: #fff; border-radius: 4px; cursor: pointer; }
  #timeframes button[aria-pressed="true"] { background: #1f2937; color: #fff; border-color: #1f2937; }
  .legend { display: flex; gap: 14px; flex-wrap: wrap; color: #374151; font-size: 13px; margin: 6px 0 8px; }
  .legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 5px; vertical-align: -1px; background: var(--c); }
  .legend .circle::before { border-radius: 50%; }
  .legend .arrow::before { clip-path: polygon(0 0, 100% 0, 50% 100%); }
  .legend .band::before { width: 16px; }
  .legend .line::before { height: 3px; vertical-align: 3px; width: 16px; }
  .series { margin-bottom: 10px; }
  .series h2 small { color: #6b7280; font-weight: normal; }
  .chart { height: 380px; border: 1px solid #e5e7eb; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  th { background: #f9fafb; }
  td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
  .sev-critical { color: #b91c1c; font-weight: 600; }
  .sev-warning { color: #b45309; }
`;

function seriesSection(model: ReportModel, symbol: string): string {
  return model.series
    .filter((s) => s.symbol === symbol)
    .map((s) => {
      const synthetic = s.markers.filter((m) => m.kind === 'synthetic').length;
      const facts = `${s.candles.length} bars, ${synthetic} synthetic, ${s.missing.length} missing`;
      return (
        `<section class="series" data-series="${escapeHtml(s.key)}" data-timeframe="${escapeHtml(s.timeframe)}" hidden>` +
        `<h2>${escapeHtml(s.symbol)} ${escapeHtml(s.timeframe)} <small>${facts}</small></h2><div class="chart"></div></section>`
      );
    })
    .join('\n');
}

function alertsTable(model: ReportModel): string {
  if (model.alerts.length === 0) return '<p class="sub">No alerts.</p>';
  const rows = model.alerts.map(
    (a) =>
      `<tr><td class="num"><a href="#" data-at="${a.at}"${a.symbol === null ? '' : ` data-symbol="${escapeHtml(a.symbol)}"`}>${isoMinute(a.at)}</a></td>` +
      `<td>${escapeHtml(a.symbol ?? '—')}</td><td class="sev-${escapeHtml(a.severity)}">${escapeHtml(a.severity)}</td><td>${escapeHtml(a.type)}</td>` +
      `<td>${escapeHtml(a.message)}</td><td>${escapeHtml(a.action)}</td></tr>`,
  );
  return `<table id="alerts"><thead><tr><th>time (UTC)</th><th>symbol</th><th>severity</th><th>type</th><th>message</th><th>action taken</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function feedTable(model: ReportModel): string {
  if (model.feedMoves.length === 0) return '<p class="sub">The feed stayed healthy.</p>';
  const rows = model.feedMoves.map(
    (m) =>
      `<tr><td class="num"><a href="#" data-at="${m.at}">${isoMinute(m.at)}</a></td><td>${escapeHtml(m.symbols.join(', '))}</td>` +
      `<td>${escapeHtml(m.from)} → ${escapeHtml(m.to)}</td><td>${escapeHtml(m.actions.join(', '))}</td></tr>`,
  );
  return `<table id="feed"><thead><tr><th>time (UTC)</th><th>symbols</th><th>state</th><th>actions</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * Renders a pipeline run as one self-contained HTML page: per symbol a candlestick chart
 * (TradingView `lightweight-charts`) for the timeframe picked in the switcher, with markers on
 * synthetic (interpolated or forward-filled), missing, clipped and revised bars and a legend,
 * the periods in which the feed was not healthy shaded, and the series' quality score (0–1) in a
 * pane under the candles; then the alerts table, whose times scroll the charts to the alert, and
 * the feed timeline. Scripts, styles and data are inlined and a Content-Security-Policy forbids
 * every fetch, so the page opens from disk with no network. Once drawn, it sets `window.report`
 * to `{ ready: true, series: { "<symbol> <timeframe>": { candles, markers, markersByKind, shaded, quality } } }`,
 * counted from what the charts hold.
 *
 * Pure: no I/O, the same string for the same arguments.
 *
 * @param input - What the run delivered; see {@link ReportInput}.
 * @param options - The chart library's script; see {@link RenderReportOptions}.
 * @returns The HTML document.
 *
 * @example
 * ```ts
 * const html = renderReport(recorder.input('BTCUSD, a day'), { chartScript });
 * html.startsWith('<!doctype html>') // true
 * ```
 */
export function renderReport(input: ReportInput, options: RenderReportOptions): string {
  const model = buildReportModel(input);
  const switcher = model.timeframes
    .map((tf) => `<button type="button" data-timeframe="${escapeHtml(tf)}">${escapeHtml(tf)}</button>`)
    .join('');
  const sections = model.symbols.map((symbol) => seriesSection(model, symbol)).join('\n');
  const data = JSON.stringify(model).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(model.title)}</title>
<link rel="icon" href="data:,">
<style>${STYLES}</style>
</head>
<body>
<h1>${escapeHtml(model.title)}</h1>
<p class="sub">${escapeHtml(model.symbols.join(', '))} · ${model.series.reduce((n, s) => n + s.candles.length, 0)} bars in ${model.series.length} series · ${model.alerts.length} alerts · times in UTC</p>
<nav id="timeframes" aria-label="timeframe">${switcher}</nav>
<div class="legend">
<span class="circle" style="--c:#d97706">synthetic (interpolated / forward-filled)</span>
<span style="--c:#6b7280">missing</span>
<span style="--c:#dc2626">clipped</span>
<span class="arrow" style="--c:#7c3aed">revised</span>
<span class="band" style="--c:rgba(245,158,11,0.35)">outage detected / retrying</span>
<span class="band" style="--c:rgba(59,130,246,0.35)">on backup</span>
<span class="band" style="--c:rgba(220,38,38,0.35)">cached / halted</span>
<span class="line" style="--c:#0891b2">quality score (lower pane, 0–1)</span>
</div>
${sections}
<h2>Alerts</h2>
${alertsTable(model)}
<h2>Feed timeline</h2>
${feedTable(model)}
<script type="application/json" id="report-data">${data}</script>
<script>${inlineScript(options.chartScript)}</script>
<script>${inlineScript(REPORT_PAGE_SCRIPT)}</script>
</body>
</html>
`;
}
