import { isoUtc } from '../internal/iso-utc.js';
import type { LatestOhlcv, WireBar } from '../schemas/latest-ohlcv-schema.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { Timeframe } from '../time/timeframe.js';
import type { MissingField } from '../schemas/missing-field-schema.js';

/** Inputs of {@link buildLatestOhlcv}. */
export interface LatestOhlcvInput {
  /** The document's time, epoch ms. */
  readonly now: number;
  /** The symbol. */
  readonly symbol: string;
  /** The newest closed bar of each timeframe; a timeframe without one is left out. */
  readonly latest: Partial<Record<Timeframe, Ohlcv>>;
  /** ATR(14) of the 1H bars at the newest closed 1H bar; `null` while it warms up (fewer than 14 bars). */
  readonly atr14h1: number | null;
  /** High, low and volume of the current UTC day so far (see `dailyStats`); `null` fields when the day has no bars. */
  readonly daily: { readonly high: number | null; readonly low: number | null; readonly volume: number | null };
  /** Why derived values are `null`; becomes the document's `missing` when not empty. */
  readonly missing?: readonly MissingField[];
}

function wireBar(bar: Ohlcv): WireBar {
  return { timestamp: isoUtc(bar.timestamp), open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
}

/**
 * The specification's `latest_ohlcv` document (`/state/data/latest_ohlcv.json`): the newest
 * closed bar of each timeframe and the derived block (`atr_14_1H`, `daily_high`, `daily_low`,
 * `daily_volume`). A value without enough history is `null`, never made up.
 *
 * @example
 * ```ts
 * buildLatestOhlcv({ now: Date.UTC(2025, 0, 30, 10, 30), symbol: 'BTCUSD', latest: {}, atr14h1: null, daily: { high: null, low: null, volume: null } })
 * // { updated_at: '2025-01-30T10:30:00Z', symbol: 'BTCUSD', timeframes: {}, derived: { atr_14_1H: null, daily_high: null, daily_low: null, daily_volume: null } }
 * ```
 */
export function buildLatestOhlcv(input: LatestOhlcvInput): LatestOhlcv {
  const timeframes: LatestOhlcv['timeframes'] = {};
  for (const tf in input.latest) {
    const bar = input.latest[tf as Timeframe];
    if (bar !== undefined) timeframes[tf as Timeframe] = wireBar(bar);
  }
  const finiteOrNull = (value: number | null): number | null => (value !== null && Number.isFinite(value) ? value : null);
  return {
    updated_at: isoUtc(input.now),
    symbol: input.symbol,
    timeframes,
    derived: {
      atr_14_1H: finiteOrNull(input.atr14h1),
      daily_high: finiteOrNull(input.daily.high),
      daily_low: finiteOrNull(input.daily.low),
      daily_volume: finiteOrNull(input.daily.volume),
    },
    ...(input.missing === undefined || input.missing.length === 0 ? {} : { missing: [...input.missing] }),
  };
}
