import { z } from 'zod';
import { CountSchema, FractionSchema } from './internal/wire-fields.js';
import { IsoTimestampSchema } from './iso-timestamp-schema.js';

/**
 * Outcome of a data request.
 *
 * - `completed`: every requested bar delivered;
 * - `partial`: delivered, but not all of the range could be served (`reason` says why);
 * - `failed`: nothing delivered (`reason` says why, `error` may carry a machine code).
 */
export const DataResponseStatus = {
  Completed: 'completed',
  Partial: 'partial',
  Failed: 'failed',
} as const;

/** One of the values of {@link DataResponseStatus}. */
export type DataResponseStatus = (typeof DataResponseStatus)[keyof typeof DataResponseStatus];

/** The fields of a response that delivered data, in the specification's key order. */
function deliveredShape<S extends z.ZodType>(status: S) {
  return {
    request_id: z.string().min(1),
    status,
    output_path: z.string().min(1).nullable(),
    rows: CountSchema,
    quality_score: FractionSchema.nullable(),
    metadata: z.object({
      first_timestamp: IsoTimestampSchema.nullable(),
      last_timestamp: IsoTimestampSchema.nullable(),
      gaps_filled: CountSchema,
    }),
  };
}

/**
 * The answer to a {@link DataRequestSchema | data request}, discriminated by `status`.
 *
 * - `completed` (the specification's example) and `partial`: `output_path` (`null` when the
 *   sink keeps the dataset without a path), `rows`, `quality_score` (`null` with no rows),
 *   `metadata.first_timestamp` / `last_timestamp` (open times, ISO-8601 UTC; `null` with no
 *   rows) and `gaps_filled` (filled base-timeframe bars behind the rows: a 1H row built from 5
 *   forward-filled minutes counts 5); `partial` also carries a `reason`;
 * - `failed`: a `reason` for humans and an optional machine-readable `error` code such as
 *   `unknown_symbol`, `invalid_range` or `unsupported_format`.
 *
 * @example
 * ```ts
 * const response = DataResponseSchema.parse(JSON.parse(text))
 * if (response.status !== 'failed') console.log(response.rows) // 8760
 * ```
 */
export const DataResponseSchema = z.discriminatedUnion('status', [
  z.object(deliveredShape(z.literal(DataResponseStatus.Completed))),
  z.object({ ...deliveredShape(z.literal(DataResponseStatus.Partial)), reason: z.string().min(1) }),
  z.object({
    request_id: z.string().min(1),
    status: z.literal(DataResponseStatus.Failed),
    reason: z.string().min(1),
    error: z.string().min(1).optional(),
  }),
]);

/** The answer to a data request; see {@link DataResponseSchema}. */
export type DataResponse = z.output<typeof DataResponseSchema>;
