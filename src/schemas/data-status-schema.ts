import { z } from 'zod';
import { CountSchema, FractionSchema } from './internal/wire-fields.js';
import { IsoTimestampSchema } from './iso-timestamp-schema.js';
import { TimeframeSchema } from './timeframe-schema.js';

/**
 * Health of a source or of the whole pipeline in the `data_status` document.
 *
 * - `healthy`: responding within its timeout, no recent errors;
 * - `degraded`: responding, but slow, erroring below the failover threshold, or served
 *   from a backup or the cache;
 * - `down`: not responding (failed over, halted or escalated).
 */
export const HealthStatus = {
  Healthy: 'healthy',
  Degraded: 'degraded',
  Down: 'down',
} as const;

/** One of the values of {@link HealthStatus}. */
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

/** zod schema of {@link HealthStatus}. */
export const HealthStatusSchema = z.enum([HealthStatus.Healthy, HealthStatus.Degraded, HealthStatus.Down]);

/**
 * The `data_status` document (the specification's `/state/data/data_status.json`).
 * Keys are snake_case, times ISO-8601 UTC strings ending in `Z`; fractions are in `[0, 1]`.
 *
 * - `sources[name]`: `status`, `last_response` (`null` before the first response) and
 *   `latency_ms` (milliseconds of the last response; `null` before the first response);
 * - `symbols[symbol].timeframes[tf]` (canonical timeframe names): `last_bar` (open time of
 *   the last closed bar, `null` when there is none yet), `quality_score` (`null` when there
 *   is not enough data to score), `bars_today` and `gaps_today` (counts since 00:00 UTC);
 * - `overall_health` and `quality_score` (`null` when no series has been scored yet).
 *
 * Unknown keys are stripped, so newer producers do not break older consumers.
 *
 * @example
 * ```ts
 * DataStatusSchema.parse(JSON.parse(text)).overall_health // 'healthy'
 * ```
 */
export const DataStatusSchema = z.object({
  updated_at: IsoTimestampSchema,
  sources: z.record(
    z.string().min(1),
    z.object({
      status: HealthStatusSchema,
      last_response: IsoTimestampSchema.nullable(),
      latency_ms: z.number().nonnegative().nullable(),
    }),
  ),
  symbols: z.record(
    z.string().min(1),
    z.object({
      timeframes: z.partialRecord(
        TimeframeSchema,
        z.object({
          last_bar: IsoTimestampSchema.nullable(),
          quality_score: FractionSchema.nullable(),
          bars_today: CountSchema,
          gaps_today: CountSchema,
        }),
      ),
    }),
  ),
  overall_health: HealthStatusSchema,
  quality_score: FractionSchema.nullable(),
});

/** The `data_status` document; see {@link DataStatusSchema}. */
export type DataStatus = z.output<typeof DataStatusSchema>;
