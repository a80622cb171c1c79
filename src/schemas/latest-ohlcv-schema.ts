import { z } from 'zod';
import { WireNumberSchema } from './internal/wire-fields.js';
import { IsoTimestampSchema } from './iso-timestamp-schema.js';
import { TimeframeSchema } from './timeframe-schema.js';
import { MissingFieldSchema } from './missing-field-schema.js';

/**
 * One bar as the wire documents write it: `timestamp` is the bar's open time as an ISO-8601
 * UTC string; prices in the quote currency, `volume` in the base asset. Finite numbers only.
 */
export const WireBarSchema = z.object({
  timestamp: IsoTimestampSchema,
  open: WireNumberSchema,
  high: WireNumberSchema,
  low: WireNumberSchema,
  close: WireNumberSchema,
  volume: WireNumberSchema,
});

/** One bar of a wire document; see {@link WireBarSchema}. */
export type WireBar = z.output<typeof WireBarSchema>;

/**
 * The `latest_ohlcv` document (the specification's `/state/data/latest_ohlcv.json`): the last
 * closed bar of each timeframe of one symbol, and derived values.
 *
 * `derived`:
 * - `atr_14_1H`: ATR(14, Wilder) on 1H bars, in price units;
 * - `daily_high`, `daily_low`, `daily_volume`: over the bars since 00:00 UTC.
 *
 * A derived value without enough history (fewer than 15 hourly bars for the ATR; not every
 * base bar of the day so far, for the daily fields) is `null`, never a made-up number, and
 * `missing` says why.
 *
 * @example
 * ```ts
 * LatestOhlcvSchema.parse(JSON.parse(text)).timeframes['1m']?.close // 45060
 * ```
 */
export const LatestOhlcvSchema = z.object({
  updated_at: IsoTimestampSchema,
  symbol: z.string().min(1),
  timeframes: z.partialRecord(TimeframeSchema, WireBarSchema),
  derived: z.object({
    atr_14_1H: z.number().nonnegative().nullable(),
    daily_high: WireNumberSchema.nullable(),
    daily_low: WireNumberSchema.nullable(),
    daily_volume: z.number().nonnegative().nullable(),
  }),
  /** Each derived value left `null` and why (absent when none is). */
  missing: z.array(MissingFieldSchema).optional(),
});

/** The `latest_ohlcv` document; see {@link LatestOhlcvSchema}. */
export type LatestOhlcv = z.output<typeof LatestOhlcvSchema>;
