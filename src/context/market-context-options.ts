import type { AtrCalculatorOptions } from '../indicators/atr-options.js';
import { DAY_MS } from '../time/timeframe.js';
import type { SessionOptions } from './current-session.js';
import type { TrendOptions } from './trend-direction.js';
import type { VolatilityThresholds } from './volatility-regime.js';
import type { WeekChoice } from './weekly-high-low.js';

/** How {@link buildMarketContext} measures the volatility regime. */
export interface VolatilityContextOptions {
  /** Percentile bounds; merged over `DEFAULT_VOLATILITY_THRESHOLDS` (25 / 75 / 95). */
  readonly thresholds?: Partial<VolatilityThresholds>;
  /**
   * ATR values before the current one that it is ranked against; a positive integer.
   *
   * @defaultValue 100
   */
  readonly lookback?: number;
  /**
   * Fewest finite ATR values in the lookback for a regime; fewer gives `null`. An integer from
   * 1 to `lookback`.
   *
   * @defaultValue 20
   */
  readonly minHistory?: number;
  /**
   * ATR settings used when the inputs carry no `atr` series and it is computed from the
   * completed daily bars.
   *
   * @defaultValue `{ period: 14, seed: 'first-range' }` (the specification's ATR(14), Wilder)
   */
  readonly atr?: AtrCalculatorOptions;
}

/** How {@link buildMarketContext} picks the weekly high and low. */
export interface WeeklyContextOptions {
  /**
   * `previous`: the last complete Monday-anchored UTC week; `current`: the completed days of the
   * week in progress.
   *
   * @defaultValue `'previous'`
   */
  readonly week?: WeekChoice;
  /**
   * Fewest daily bars the previous week must have for its high and low to be reported (5 covers
   * a currency-market week; a crypto week has 7). An integer from 1 to 7. Not applied to
   * `current`, which needs one completed day.
   *
   * @defaultValue 5
   */
  readonly minBars?: number;
}

/** Which alerts become the document's `recent_events`. */
export interface RecentEventsOptions {
  /**
   * How far back an alert still counts as recent, in ms: alerts with a timestamp in
   * `(now − windowMs, now]` are kept. Positive.
   *
   * @defaultValue 86_400_000 (24 hours)
   */
  readonly windowMs?: number;
  /**
   * Most events kept (the newest); a non-negative integer.
   *
   * @defaultValue 20
   */
  readonly max?: number;
}

/** Options of {@link buildMarketContext}. */
export interface MarketContextOptions {
  /** Sessions and killzones; see `DEFAULT_SESSIONS` and `DEFAULT_KILLZONES`. */
  readonly session?: SessionOptions;
  /** Trend window and threshold, applied to both the 1D and the 4H bars; see `DEFAULT_TREND_OPTIONS`. */
  readonly trend?: TrendOptions;
  /** Volatility regime settings. */
  readonly volatility?: VolatilityContextOptions;
  /** Weekly level settings. */
  readonly weekly?: WeeklyContextOptions;
  /** Recent-event settings. */
  readonly events?: RecentEventsOptions;
}

/**
 * Defaults of {@link buildMarketContext} that are its own (sessions, trend and thresholds have
 * their own defaults).
 *
 * @defaultValue
 * `{ volatility: { lookback: 100, minHistory: 20 }, weekly: { week: 'previous', minBars: 5 },
 * events: { windowMs: 86_400_000, max: 20 } }`
 */
export const DEFAULT_MARKET_CONTEXT_OPTIONS: {
  readonly volatility: Readonly<Required<Pick<VolatilityContextOptions, 'lookback' | 'minHistory'>>>;
  readonly weekly: Readonly<Required<WeeklyContextOptions>>;
  readonly events: Readonly<Required<RecentEventsOptions>>;
} = {
  volatility: { lookback: 100, minHistory: 20 },
  weekly: { week: 'previous', minBars: 5 },
  events: { windowMs: DAY_MS, max: 20 },
};
