import { isFixedTimeframe, timeframeMs, type FeedStateKind, type RevisedBar, type Timeframe } from 'market-data-pipeline';
import type { ReportInput } from './report-input.js';

const DAY_MS = 86_400_000;

/** What a marker says about a bar; the page's legend names each. */
export const MarkerKind = {
  /** An interpolated or forward-filled bar (flag `interpolated` / `forward_filled`). */
  Synthetic: 'synthetic',
  /** A missing bar: a slot of a `marked_missing` gap that still has no bar. */
  Missing: 'missing',
  /** A real bar whose prices were clipped as an outlier (flag `clipped`). */
  Clipped: 'clipped',
  /** A bar delivered again with a higher `revision` (a filled bar replaced, an aggregate recomputed). */
  Revised: 'revised',
} as const;

/** One of the values of {@link MarkerKind}. */
export type MarkerKind = (typeof MarkerKind)[keyof typeof MarkerKind];

/** A marker: its kind, the bar's open time (epoch ms) and the price it is drawn at (missing bars: the close before). */
export interface ModelMarker {
  readonly kind: MarkerKind;
  readonly at: number;
  readonly price: number;
}

/** One chart: a symbol at a timeframe. Times are epoch ms, ascending. */
export interface ModelSeries {
  /** `"<symbol> <timeframe>"`, unique. */
  readonly key: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** `[open time, open, high, low, close]` per bar. */
  readonly candles: readonly (readonly [number, number, number, number, number])[];
  /** Open times of missing bars (drawn as empty slots). */
  readonly missing: readonly number[];
  /** Markers, ascending by time. */
  readonly markers: readonly ModelMarker[];
  /** `[open time, feed state]` of each bar that overlaps a period in which the symbol's feed was not healthy. */
  readonly shaded: readonly (readonly [number, FeedStateKind])[];
  /** `[bar open time, score]`: the last quality score at or after each bar's open (before the next bar's). */
  readonly quality: readonly (readonly [number, number])[];
}

/** A row of the alerts table. */
export interface ModelAlert {
  /** When it was raised, epoch ms. */
  readonly at: number;
  readonly id: string;
  readonly severity: string;
  readonly type: string;
  /** The affected symbol, if one is. */
  readonly symbol: string | null;
  readonly message: string;
  readonly action: string;
}

/** A row of the feed timeline: one move, of every symbol that moved alike at that time. */
export interface ModelFeedMove {
  readonly at: number;
  readonly symbols: readonly string[];
  readonly from: FeedStateKind;
  readonly to: FeedStateKind;
  readonly actions: readonly string[];
}

/** Everything the page draws, computed from a {@link ReportInput}. */
export interface ReportModel {
  readonly title: string;
  /** Symbols in order of first appearance. */
  readonly symbols: readonly string[];
  /** Timeframes in order of first appearance. */
  readonly timeframes: readonly Timeframe[];
  readonly series: readonly ModelSeries[];
  /** Ascending by time. */
  readonly alerts: readonly ModelAlert[];
  readonly feedMoves: readonly ModelFeedMove[];
}

/** Width of a bar (ms): the fixed width, or 31 days for `1M` (an upper bound, used only to find overlaps). */
const barWidth = (tf: Timeframe): number => (isFixedTimeframe(tf) ? timeframeMs(tf) : 31 * DAY_MS);

/** Index of the last bar opening at or before `t`, or -1. */
function lastAtOrBefore(bars: readonly RevisedBar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bars[mid] as RevisedBar).timestamp <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The periods (`[from, to)`, epoch ms) each symbol's feed spent in a state other than `healthy`. */
function unhealthyPeriods(input: ReportInput): Map<string, { from: number; to: number; state: FeedStateKind }[]> {
  const bySymbol = new Map<string, { from: number; to: number; state: FeedStateKind }[]>();
  const moves = [...input.failovers].sort((a, b) => a.at - b.at);
  for (const [i, move] of moves.entries()) {
    if (move.to === 'healthy') continue;
    const next = moves.slice(i + 1).find((m) => m.symbol === move.symbol);
    const periods = bySymbol.get(move.symbol) ?? [];
    periods.push({ from: move.at, to: next?.at ?? Number.POSITIVE_INFINITY, state: move.to });
    bySymbol.set(move.symbol, periods);
  }
  return bySymbol;
}

function seriesModel(
  input: ReportInput,
  symbol: string,
  timeframe: Timeframe,
  bars: readonly RevisedBar[],
  periods: ReturnType<typeof unhealthyPeriods>,
): ModelSeries {
  const width = barWidth(timeframe);
  const present = new Set(bars.map((bar) => bar.timestamp));
  const markers: ModelMarker[] = [];
  for (const bar of bars) {
    if (bar.flag === 'interpolated' || bar.flag === 'forward_filled')
      markers.push({ kind: MarkerKind.Synthetic, at: bar.timestamp, price: bar.low });
    if (bar.flag === 'clipped') markers.push({ kind: MarkerKind.Clipped, at: bar.timestamp, price: bar.high });
    if (bar.revision > 0) markers.push({ kind: MarkerKind.Revised, at: bar.timestamp, price: bar.high });
  }
  const missing = new Set<number>();
  for (const { report } of input.gaps.filter(
    (g) => g.symbol === symbol && g.timeframe === timeframe && g.report.resolution === 'marked_missing',
  )) {
    // Fixed timeframes: every slot of the gap; `1M`: its first slot only.
    const slots = isFixedTimeframe(timeframe) ? report.missingBars : 1;
    for (let i = 0; i < slots; i++) {
      const at = report.gap.start + i * width;
      if (at < report.gap.end && !present.has(at)) missing.add(at);
    }
  }
  for (const at of missing) {
    const before = bars[lastAtOrBefore(bars, at)];
    if (before !== undefined) markers.push({ kind: MarkerKind.Missing, at, price: before.close });
  }
  markers.sort((a, b) => a.at - b.at);

  const own = periods.get(symbol) ?? [];
  const shaded: [number, FeedStateKind][] = [];
  for (const bar of bars) {
    // The state of the last unhealthy period that overlaps the bar's interval [open, open + width).
    const hit = own.filter((p) => p.from < bar.timestamp + width && p.to > bar.timestamp).at(-1);
    if (hit !== undefined) shaded.push([bar.timestamp, hit.state]);
  }

  const quality = new Map<number, number>();
  for (const q of input.quality) {
    if (q.symbol !== symbol || q.timeframe !== timeframe) continue;
    const bar = bars[lastAtOrBefore(bars, q.at)];
    if (bar !== undefined) quality.set(bar.timestamp, q.score);
  }

  return {
    key: `${symbol} ${timeframe}`,
    symbol,
    timeframe,
    candles: bars.map((b) => [b.timestamp, b.open, b.high, b.low, b.close] as const),
    missing: [...missing].sort((a, b) => a - b),
    markers,
    shaded,
    quality: [...quality].sort(([a], [b]) => a - b),
  };
}

/** Feed moves grouped by time and transition (two symbols failing over together make one row). */
function feedMoves(input: ReportInput): ModelFeedMove[] {
  const rows: ModelFeedMove[] = [];
  for (const move of [...input.failovers].sort((a, b) => a.at - b.at)) {
    const actions = move.actions.map((a) => a.kind);
    const same = rows.find((r) => r.at === move.at && r.from === move.from && r.to === move.to && r.actions.join() === actions.join());
    if (same === undefined) rows.push({ at: move.at, symbols: [move.symbol], from: move.from, to: move.to, actions });
    else rows[rows.indexOf(same)] = { ...same, symbols: [...same.symbols, move.symbol] };
  }
  return rows;
}

/**
 * Computes what the report page draws: per series its candles, markers (synthetic, missing,
 * clipped, revised), shaded failover bars and quality line; the alerts and the feed timeline.
 * Pure: reads nothing but `input`, which it does not change. Series with the same symbol and
 * timeframe are merged (a later bar at the same open time wins).
 *
 * @param input - What a pipeline run delivered.
 * @returns The page's data; every time is epoch ms.
 */
export function buildReportModel(input: ReportInput): ReportModel {
  const merged = new Map<string, { symbol: string; timeframe: Timeframe; bars: Map<number, RevisedBar> }>();
  for (const s of input.series) {
    const key = `${s.symbol} ${s.timeframe}`;
    const entry = merged.get(key) ?? { symbol: s.symbol, timeframe: s.timeframe, bars: new Map<number, RevisedBar>() };
    for (const bar of s.bars) entry.bars.set(bar.timestamp, bar);
    merged.set(key, entry);
  }
  const periods = unhealthyPeriods(input);
  const series = [...merged.values()].map(({ symbol, timeframe, bars }) =>
    seriesModel(
      input,
      symbol,
      timeframe,
      [...bars.values()].sort((a, b) => a.timestamp - b.timestamp),
      periods,
    ),
  );
  const alerts = input.alerts
    .map((a) => ({
      at: Date.parse(a.timestamp),
      id: a.alert_id,
      severity: a.severity,
      type: a.type,
      symbol: a.affected.symbol ?? null,
      message: a.message,
      action: a.action_taken,
    }))
    .sort((a, b) => a.at - b.at);
  return {
    title: input.title,
    symbols: [...new Set(series.map((s) => s.symbol))],
    timeframes: [...new Set(series.map((s) => s.timeframe))],
    series,
    alerts,
    feedMoves: feedMoves(input),
  };
}
