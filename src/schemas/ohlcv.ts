import { z } from 'zod';
import { BarFlag } from './bar-flag.js';

const finite = z.number().refine(Number.isFinite, { message: 'Expected a finite number' });

/**
 * One OHLCV bar. `timestamp` is the bar's **open time** in integer epoch milliseconds
 * (UTC); the bar covers `[timestamp, timestamp + duration)`. Prices are in the quote
 * currency, `volume` in the base asset.
 *
 * The schema checks types and finiteness only. The market rules (`high >= low`, …) are
 * checked by `validateOhlcv`, which reports them instead of refusing the row.
 */
export const OhlcvSchema = z.object({
  /** Open time, integer epoch milliseconds, UTC. */
  timestamp: z.number().int().refine(Number.isSafeInteger, { message: 'Expected a safe integer' }),
  open: finite,
  high: finite,
  low: finite,
  close: finite,
  /** Traded quantity in the base asset. */
  volume: finite,
  /** Traded value in the quote currency. */
  quoteVolume: finite.optional(),
  /** Number of trades. */
  trades: z.number().int().nonnegative().optional(),
  /** Base-asset volume bought by takers. */
  takerBuyVolume: finite.optional(),
  /** Provenance of a synthetic or changed bar; absent on real bars. */
  flag: z.enum([BarFlag.Interpolated, BarFlag.ForwardFilled, BarFlag.Clipped]).optional(),
  /** On an aggregated bar: how many source bars it was built from. */
  count: z.number().int().nonnegative().optional(),
  /**
   * On an aggregated bar (provenance): how many of the source bars it was built from were
   * synthetic (`interpolated` or `forward_filled`), in the units of `count`. Absent means 0.
   */
  synthetic: z.number().int().nonnegative().optional(),
  /**
   * On an aggregated bar (provenance): how many source bars of its bucket are missing (no
   * bar, real or synthetic), in the units of `count`; `count + missing` is the bucket's width
   * in source bars. Absent means 0.
   */
  missing: z.number().int().nonnegative().optional(),
});

/** One OHLCV bar; see {@link OhlcvSchema}. */
export type Ohlcv = z.output<typeof OhlcvSchema>;

/** The fields of a bar that hold numbers and exist in `OhlcvColumns`. */
export type OhlcvNumericField = 'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'quoteVolume' | 'trades' | 'takerBuyVolume';
