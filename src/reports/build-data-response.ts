import { isoUtc } from '../internal/iso-utc.js';
import type { DataResponse } from '../schemas/data-response-schema.js';

/** A request that produced data, for {@link buildDataResponse}. */
export interface DeliveredDataInput {
  readonly requestId: string;
  /** Rows in the dataset. */
  readonly rows: number;
  /** Where the sink wrote the dataset; `null` when no sink reported a path. */
  readonly outputPath: string | null;
  /** Quality score of the dataset in [0, 1]; `null` when not scored. */
  readonly qualityScore: number | null;
  /** Open time of the first and last row, epoch ms; `null` when there are no rows. */
  readonly firstTimestamp: number | null;
  readonly lastTimestamp: number | null;
  /**
   * Base bars behind the dataset that were interpolated or forward-filled: on base bars the
   * flagged ones, on aggregated bars the sum of their `synthetic`.
   */
  readonly gapsFilled: number;
  /** Set when only part of the request could be served; the response is then `partial`. */
  readonly partialReason?: string;
}

/** A request that could not be served, for {@link buildDataResponse}. */
export interface FailedDataInput {
  readonly requestId: string;
  /** Why, for a person (unknown symbol, impossible dates, unsupported format…). */
  readonly reason: string;
  /** A short machine-readable code, e.g. `unknown_symbol`. */
  readonly error?: string;
}

/**
 * The specification's data-request response: `completed` (or `partial`, with a reason) with
 * rows, quality score, first and last timestamps and `gaps_filled`; or `failed` with a reason.
 *
 * @example
 * ```ts
 * buildDataResponse({ requestId: 'DATA-001', reason: 'Unknown symbol `XYZ`', error: 'unknown_symbol' })
 * // { request_id: 'DATA-001', status: 'failed', reason: 'Unknown symbol `XYZ`', error: 'unknown_symbol' }
 * ```
 */
export function buildDataResponse(input: DeliveredDataInput | FailedDataInput): DataResponse {
  if ('reason' in input) {
    return {
      request_id: input.requestId,
      status: 'failed',
      reason: input.reason,
      ...(input.error === undefined ? {} : { error: input.error }),
    };
  }
  const delivered = {
    output_path: input.outputPath,
    rows: input.rows,
    quality_score: input.qualityScore === null ? null : Math.round(input.qualityScore * 10_000) / 10_000,
    metadata: {
      first_timestamp: input.firstTimestamp === null ? null : isoUtc(input.firstTimestamp),
      last_timestamp: input.lastTimestamp === null ? null : isoUtc(input.lastTimestamp),
      gaps_filled: input.gapsFilled,
    },
  };
  // Key order follows the specification's example.
  return input.partialReason === undefined
    ? { request_id: input.requestId, status: 'completed', ...delivered }
    : { request_id: input.requestId, status: 'partial', ...delivered, reason: input.partialReason };
}
