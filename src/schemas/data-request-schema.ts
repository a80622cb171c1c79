import { z } from 'zod';
import { IsoDateSchema, IsoTimestampSchema } from './iso-timestamp-schema.js';
import { TimeframeSchema } from './timeframe-schema.js';

/** Output formats of a batch data request (the specification's `formats: ['parquet', 'json']`). */
export const DataFormat = {
  Parquet: 'parquet',
  Json: 'json',
} as const;

/** One of the values of {@link DataFormat}. */
export type DataFormat = (typeof DataFormat)[keyof typeof DataFormat];

/** zod schema of {@link DataFormat}. */
export const DataFormatSchema = z.enum([DataFormat.Parquet, DataFormat.Json]);

/** Priority of a data request; requests are served highest first, then in arrival order. */
export const RequestPriority = {
  Low: 'low',
  Normal: 'normal',
  High: 'high',
  Urgent: 'urgent',
} as const;

/** One of the values of {@link RequestPriority}. */
export type RequestPriority = (typeof RequestPriority)[keyof typeof RequestPriority];

/** zod schema of {@link RequestPriority}. */
export const RequestPrioritySchema = z.enum([RequestPriority.Low, RequestPriority.Normal, RequestPriority.High, RequestPriority.Urgent]);

/** Kinds of data request. The specification defines one: `historical_data`. */
export const RequestType = {
  HistoricalData: 'historical_data',
} as const;

/** One of the values of {@link RequestType}. */
export type RequestType = (typeof RequestType)[keyof typeof RequestType];

/** A request bound: a UTC date `YYYY-MM-DD` (00:00 UTC that day) or an ISO-8601 UTC timestamp. */
const RequestBoundSchema = z.union([IsoDateSchema, IsoTimestampSchema]);

/**
 * A data request from an agent (the specification's "Data Request Handling").
 *
 * `parameters.timeframe` is a canonical name (read ccxt spellings with `parseTimeframe`
 * first); `start_date` and `end_date` are UTC dates `YYYY-MM-DD` or ISO-8601 UTC timestamps.
 * The schema checks shapes only: an unknown symbol or an end before the start is answered
 * with a `failed` {@link DataResponseSchema | data response}, not refused here.
 *
 * @example
 * ```ts
 * DataRequestSchema.parse(JSON.parse(text)).parameters.format // 'parquet'
 * ```
 */
export const DataRequestSchema = z.object({
  request_id: z.string().min(1),
  requester: z.string().min(1),
  request_type: z.enum([RequestType.HistoricalData]),
  parameters: z.object({
    symbol: z.string().min(1),
    timeframe: TimeframeSchema,
    start_date: RequestBoundSchema,
    end_date: RequestBoundSchema,
    format: DataFormatSchema,
  }),
  priority: RequestPrioritySchema,
});

/** A data request; see {@link DataRequestSchema}. */
export type DataRequest = z.output<typeof DataRequestSchema>;
