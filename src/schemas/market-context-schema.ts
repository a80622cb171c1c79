import { z } from 'zod';
import { WireNumberSchema } from './internal/wire-fields.js';
import { AlertSeveritySchema, AlertTypeSchema } from './alert-schema.js';
import { IsoTimestampSchema } from './iso-timestamp-schema.js';
import { MissingFieldSchema } from './missing-field-schema.js';

/** The trading session in force (`off_session` outside every session). Lower case, as the specification writes `london`. */
export const TradingSession = {
  Asia: 'asia',
  London: 'london',
  NewYork: 'new_york',
  OffSession: 'off_session',
} as const;

/** One of the values of {@link TradingSession}. */
export type TradingSession = (typeof TradingSession)[keyof typeof TradingSession];

/** zod schema of {@link TradingSession}. */
export const TradingSessionSchema = z.enum([TradingSession.Asia, TradingSession.London, TradingSession.NewYork, TradingSession.OffSession]);

/** Direction of the trend of a timeframe. */
export const Trend = {
  Bullish: 'bullish',
  Bearish: 'bearish',
  Ranging: 'ranging',
} as const;

/** One of the values of {@link Trend}. */
export type Trend = (typeof Trend)[keyof typeof Trend];

/** zod schema of {@link Trend}. */
export const TrendSchema = z.enum([Trend.Bullish, Trend.Bearish, Trend.Ranging]);

/** Volatility regime: where the current ATR sits within its lookback. */
export const VolatilityRegime = {
  Low: 'low',
  Normal: 'normal',
  High: 'high',
  Extreme: 'extreme',
} as const;

/** One of the values of {@link VolatilityRegime}. */
export type VolatilityRegime = (typeof VolatilityRegime)[keyof typeof VolatilityRegime];

/** zod schema of {@link VolatilityRegime}. */
export const VolatilityRegimeSchema = z.enum([
  VolatilityRegime.Low,
  VolatilityRegime.Normal,
  VolatilityRegime.High,
  VolatilityRegime.Extreme,
]);

/**
 * One entry of `recent_events` in the market context: a recent alert, summarised
 * (`timestamp` ISO-8601 UTC, the alert's `type`, `severity` and `message`).
 */
export const MarketEventSchema = z.object({
  timestamp: IsoTimestampSchema,
  type: AlertTypeSchema,
  severity: AlertSeveritySchema,
  message: z.string(),
});

/** One recent event of the market context; see {@link MarketEventSchema}. */
export type MarketEvent = z.output<typeof MarketEventSchema>;

/**
 * The `market_context` document (the specification's `/state/market_context.json`).
 *
 * - `volatility_regime` and `volatility_percentile` (a **percent**, 0–100, of the current
 *   ATR within its lookback);
 * - `trend_1D`, `trend_4H`;
 * - `session`: `current`, `minutes_into_session` (whole minutes; `null` when `off_session`)
 *   and `killzone_active`;
 * - `key_levels`: floor pivot `daily_pivot`, `daily_r1`, `daily_s1` of the previous UTC day,
 *   and `weekly_high`, `weekly_low`;
 * - `recent_events`: recent alerts, newest last.
 *
 * Every field that needs history is `null` when there is not enough of it (no previous day,
 * too few bars for a trend or a percentile): never a made-up number.
 *
 * @example
 * ```ts
 * MarketContextSchema.parse(JSON.parse(text)).session.current // 'london'
 * ```
 */
export const MarketContextSchema = z.object({
  updated_at: IsoTimestampSchema,
  symbol: z.string().min(1),
  volatility_regime: VolatilityRegimeSchema.nullable(),
  volatility_percentile: z.number().min(0).max(100).nullable(),
  trend_1D: TrendSchema.nullable(),
  trend_4H: TrendSchema.nullable(),
  session: z.object({
    current: TradingSessionSchema,
    minutes_into_session: z.number().int().nonnegative().nullable(),
    killzone_active: z.boolean(),
  }),
  key_levels: z.object({
    daily_pivot: WireNumberSchema.nullable(),
    daily_r1: WireNumberSchema.nullable(),
    daily_s1: WireNumberSchema.nullable(),
    weekly_high: WireNumberSchema.nullable(),
    weekly_low: WireNumberSchema.nullable(),
  }),
  recent_events: z.array(MarketEventSchema),
  /** Each field left `null` for want of history, and why (absent when none is). */
  missing: z.array(MissingFieldSchema).optional(),
});

/** The `market_context` document; see {@link MarketContextSchema}. */
export type MarketContext = z.output<typeof MarketContextSchema>;
