import { ConfigError } from '../errors/config-error.js';
import { readSeries } from '../internal/series-input.js';
import { isoUtc } from '../internal/iso-utc.js';
import { atr } from '../indicators/atr.js';
import type { Alert } from '../schemas/alert-schema.js';
import type { MarketContext, MarketEvent } from '../schemas/market-context-schema.js';
import { isOhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { bucketStart } from '../time/bucket-start.js';
import { DAY_MS, FIXED_WIDTH_MS } from '../time/timeframe.js';
import { currentSession } from './current-session.js';
import { floorPivots, type PivotInput } from './floor-pivots.js';
import { DEFAULT_MARKET_CONTEXT_OPTIONS, type MarketContextOptions } from './market-context-options.js';
import { DEFAULT_TREND_OPTIONS, trendDirection } from './trend-direction.js';
import { volatilityRegime } from './volatility-regime.js';
import { weeklyHighLow } from './weekly-high-low.js';

/** What {@link buildMarketContext} reads. Every series is oldest first. */
export interface MarketContextInputs {
  /** The instrument, e.g. `'BTCUSD'`; non-empty. */
  readonly symbol: string;
  /** The instant the document describes, epoch ms (UTC); it becomes `updated_at`. */
  readonly now: number;
  /**
   * Daily (`1D`) bars opening at 00:00 UTC. Only bars complete at `now` (open time + 1 day ≤
   * `now`) are read, from the first bar up to the first incomplete one, so a backtest that
   * hands over the whole day's bar does not see the future. They give the previous UTC day's
   * floor pivots, the weekly high and low, `trend_1D` and, unless `atr` is given, the ATR.
   */
  readonly daily?: OhlcvSeries;
  /** `4H` bars; only complete ones are read (as for `daily`). They give `trend_4H`. */
  readonly fourHour?: OhlcvSeries;
  /**
   * ATR values (price units), oldest first, none later than `now` — for example `atr(bars)` of
   * the timeframe whose volatility matters. The last finite value is the current ATR; the
   * `lookback` values before it are its history (`NaN` warm-up values are skipped).
   *
   * @defaultValue `atr(completed daily bars)` with the `volatility.atr` options
   */
  readonly atr?: ArrayLike<number>;
  /**
   * Alerts already raised (`AlertSchema` documents). Those for this symbol (or naming no
   * symbol) raised within the recent-events window become `recent_events`.
   */
  readonly alerts?: readonly Alert[];
}

/** A field of the document left `null`, and why. */
export interface MissingContextField {
  /** The field's path in the document, dotted: `'trend_4H'`, `'key_levels.daily_pivot'`. */
  readonly field: string;
  /** Why it could not be computed, naming what was missing. */
  readonly reason: string;
}

/** The document and what it could not fill. */
export interface MarketContextResult {
  /** The `market_context` document, valid under `MarketContextSchema`. */
  readonly document: MarketContext;
  /** Every `null` field of the document with its reason; empty when all were computed. */
  readonly missing: readonly MissingContextField[];
}

function integerIn(value: unknown, path: readonly string[], min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `Expected \`${path.join('.')}\` to be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}, got \`${String(value)}\``,
      { path, value },
    );
  }
  return value;
}

/** The leading bars that are complete at `now` (a view, not a copy, for columns). */
function completed(bars: OhlcvSeries, now: number, width: number): OhlcvSeries {
  let k = 0;
  if (isOhlcvColumns(bars)) {
    while (k < bars.length && (bars.timestamp[k] as number) + width <= now) k++;
    return k === bars.length ? bars : { ...bars, length: k };
  }
  while (k < bars.length && (bars[k]?.timestamp ?? NaN) + width <= now) k++;
  return k === bars.length ? bars : bars.slice(0, k);
}

function barAt(bars: OhlcvSeries, timestamp: number): PivotInput | undefined {
  if (isOhlcvColumns(bars)) {
    for (let i = bars.length - 1; i >= 0; i--) {
      if (bars.timestamp[i] === timestamp) {
        return { high: bars.high[i] as number, low: bars.low[i] as number, close: bars.close[i] as number };
      }
    }
    return undefined;
  }
  for (let i = bars.length - 1; i >= 0; i--) if (bars[i]?.timestamp === timestamp) return bars[i];
  return undefined;
}

/**
 * Builds the specification's `market_context` document for one symbol at `now`.
 *
 * - `session`: {@link currentSession} at `now`;
 * - `key_levels.daily_*`: {@link floorPivots} of the previous UTC day's `1D` bar;
 * - `key_levels.weekly_*`: {@link weeklyHighLow} of the completed daily bars — by default the
 *   previous complete Monday-anchored week, with at least 5 daily bars;
 * - `trend_1D`, `trend_4H`: {@link trendDirection} of the completed `1D` and `4H` bars;
 * - `volatility_regime`, `volatility_percentile`: {@link volatilityRegime} of the current ATR
 *   against the `lookback` values before it (percentile in percent, rounded to 2 decimals);
 * - `recent_events`: recent alerts, oldest first (newest last), at most `max`.
 *
 * Any field without enough history is `null` and listed in `missing` with the reason — never a
 * made-up number. Pure: the clock is `inputs.now`; inputs are not modified.
 *
 * @param inputs - Symbol, instant, bars, ATR and alerts; see {@link MarketContextInputs}.
 * @param options - Settings; see {@link MarketContextOptions}.
 * @returns The document and its `missing` fields.
 * @throws ConfigError on an empty symbol, a non-finite `now`, or a bad option.
 *
 * @example
 * ```ts
 * const { document, missing } = buildMarketContext({ symbol: 'BTCUSD', now: Date.parse('2025-01-30T10:30:00Z'), daily, fourHour, alerts });
 * document.session      // { current: 'london', minutes_into_session: 150, killzone_active: true }
 * document.key_levels   // { daily_pivot: 44950, daily_r1: 45300, daily_s1: 44600, weekly_high: 46000, weekly_low: 43500 }
 * missing               // []
 * ```
 */
export function buildMarketContext(inputs: MarketContextInputs, options?: MarketContextOptions): MarketContextResult {
  const { symbol, now } = inputs;
  if (typeof symbol !== 'string' || symbol === '') {
    throw new ConfigError(`Expected \`symbol\` to be a non-empty string, got \`${String(symbol)}\``, {
      path: ['symbol'],
      value: symbol,
    });
  }
  if (!Number.isFinite(now)) {
    throw new ConfigError(`Expected \`now\` to be finite epoch milliseconds, got \`${String(now)}\``, {
      path: ['now'],
      value: now,
    });
  }
  const defaults = DEFAULT_MARKET_CONTEXT_OPTIONS;
  const lookback = integerIn(
    options?.volatility?.lookback ?? defaults.volatility.lookback,
    ['volatility', 'lookback'],
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const minHistory = integerIn(
    options?.volatility?.minHistory ?? Math.min(defaults.volatility.minHistory, lookback),
    ['volatility', 'minHistory'],
    1,
    lookback,
  );
  const week = options?.weekly?.week ?? defaults.weekly.week;
  const minWeekBars = integerIn(options?.weekly?.minBars ?? defaults.weekly.minBars, ['weekly', 'minBars'], 1, 7);
  const windowMs: unknown = options?.events?.windowMs ?? defaults.events.windowMs;
  if (typeof windowMs !== 'number' || !(windowMs > 0)) {
    throw new ConfigError(`Expected \`events.windowMs\` to be a positive number of ms, got \`${String(windowMs)}\``, {
      path: ['events', 'windowMs'],
      value: windowMs,
    });
  }
  const maxEvents = integerIn(options?.events?.max ?? defaults.events.max, ['events', 'max'], 0, Number.MAX_SAFE_INTEGER);
  const trendPeriod = options?.trend?.period ?? DEFAULT_TREND_OPTIONS.period;
  // Check the delegated options now, even when no bars reach the functions that own them.
  trendDirection([], options?.trend);
  weeklyHighLow([], now, { week });
  volatilityRegime([], 0, options?.volatility?.thresholds);

  const missing: MissingContextField[] = [];
  const lack = (reason: string, ...fields: string[]): null => {
    for (const field of fields) missing.push({ field, reason });
    return null;
  };

  const session = currentSession(now, options?.session);
  // The boundary: rows that are not objects or hold non-numbers, columns `length` does not fit.
  const daily = inputs.daily === undefined ? undefined : completed(readSeries(inputs.daily).series, now, DAY_MS);
  const fourHour = inputs.fourHour === undefined ? undefined : completed(readSeries(inputs.fourHour).series, now, FIXED_WIDTH_MS['4H']);

  // Trend on each timeframe.
  const trendOf = (bars: OhlcvSeries | undefined, tf: string, field: string): MarketContext['trend_1D'] => {
    if (bars === undefined) return lack(`no ${tf} bars were given`, field);
    if (bars.length < trendPeriod) {
      return lack(`${bars.length} completed ${tf} bars, the trend needs ${trendPeriod}`, field);
    }
    return (
      trendDirection(bars, options?.trend) ??
      lack(`the last ${trendPeriod} ${tf} bars have a non-finite close or no usable true range`, field)
    );
  };
  const trend1D = trendOf(daily, '1D', 'trend_1D');
  const trend4H = trendOf(fourHour, '4H', 'trend_4H');

  // Daily floor pivots of the previous UTC day.
  const pivotFields = ['key_levels.daily_pivot', 'key_levels.daily_r1', 'key_levels.daily_s1'];
  const previousDay = bucketStart(now, '1D') - DAY_MS;
  let pivots = null;
  if (daily === undefined) {
    lack('no 1D bars were given', ...pivotFields);
  } else {
    const bar = barAt(daily, previousDay);
    pivots =
      bar === undefined
        ? lack(`no 1D bar opens at ${isoUtc(previousDay)} (the previous UTC day)`, ...pivotFields)
        : (floorPivots(bar) ?? lack(`the 1D bar of ${isoUtc(previousDay)} has a non-finite price or high < low`, ...pivotFields));
  }

  // Weekly high and low.
  const weeklyFields = ['key_levels.weekly_high', 'key_levels.weekly_low'];
  let weekly = null;
  if (daily === undefined) {
    lack('no 1D bars were given', ...weeklyFields);
  } else {
    const range = weeklyHighLow(daily, now, { week });
    const needed = week === 'previous' ? minWeekBars : 1;
    const from = bucketStart(now, '1W') - (week === 'previous' ? 7 * DAY_MS : 0);
    weekly =
      range !== null && range.barCount >= needed
        ? range
        : lack(`${range?.barCount ?? 0} completed 1D bars in the ${week} week from ${isoUtc(from)}, ${needed} needed`, ...weeklyFields);
  }

  // Volatility regime of the current ATR within its lookback.
  const volatilityFields = ['volatility_regime', 'volatility_percentile'];
  let regime = null;
  const series = inputs.atr ?? (daily === undefined ? undefined : atr(daily, options?.volatility?.atr));
  if (series === undefined) {
    lack('no ATR series and no 1D bars to compute one were given', ...volatilityFields);
  } else {
    let last = series.length - 1;
    while (last >= 0 && !Number.isFinite(series[last])) last--;
    const history = Array.prototype.slice.call(series, Math.max(0, last - lookback), Math.max(0, last)) as number[];
    const finite = history.reduce((n, v) => (Number.isFinite(v) ? n + 1 : n), 0);
    regime =
      last < 0
        ? lack('the ATR series has no finite value yet', ...volatilityFields)
        : finite < minHistory
          ? lack(`${finite} finite ATR values before the current one, ${minHistory} needed`, ...volatilityFields)
          : volatilityRegime(history, series[last] as number, options?.volatility?.thresholds);
  }

  // Recent alerts for this symbol, oldest first.
  const recent: { at: number; event: MarketEvent }[] = [];
  for (const alert of inputs.alerts ?? []) {
    const at = Date.parse(alert.timestamp);
    if (!(at > now - windowMs && at <= now)) continue;
    if (alert.affected.symbol !== undefined && alert.affected.symbol !== symbol) continue;
    recent.push({
      at,
      event: { timestamp: alert.timestamp, type: alert.type, severity: alert.severity, message: alert.message },
    });
  }
  recent.sort((a, b) => a.at - b.at);

  const document: MarketContext = {
    updated_at: isoUtc(now),
    symbol,
    volatility_regime: regime?.regime ?? null,
    volatility_percentile: regime === null ? null : Math.round(regime.percentile * 100) / 100,
    trend_1D: trend1D,
    trend_4H: trend4H,
    session: {
      current: session.current,
      minutes_into_session: session.minutesIntoSession,
      killzone_active: session.killzoneActive,
    },
    key_levels: {
      daily_pivot: pivots?.pivot ?? null,
      daily_r1: pivots?.r1 ?? null,
      daily_s1: pivots?.s1 ?? null,
      weekly_high: weekly?.high ?? null,
      weekly_low: weekly?.low ?? null,
    },
    recent_events: recent.slice(Math.max(0, recent.length - maxEvents)).map((r) => r.event),
  };
  return { document, missing };
}
