import type { DataIssue } from '../errors/result.js';

/**
 * Codes of the issues the aggregation functions report. Bad data never throws: a row that
 * cannot be used is skipped and leaves one of these behind.
 *
 * - `duplicate_timestamp`: a bar (or trade id) repeats the previous timestamp; the later one is skipped.
 * - `unsorted_timestamp`: a bar is older than the bar before it; it is skipped (sort with `preprocess` first).
 * - `misaligned_timestamp`: a bar does not open on the source timeframe's grid; it is skipped.
 * - `late_bar`: streaming only, a bar for a bucket that has already been closed; it is skipped.
 * - `source_timeframe_mismatch`: the data contradicts the stated (or inferred) source timeframe.
 * - `source_timeframe_unknown`: the source timeframe was not given and cannot be inferred.
 * - `partial_bucket_dropped`: a bucket the input does not fully cover was left out of the result.
 * - `duplicate_trade`: a trade id repeats at the same timestamp; the repeat is skipped.
 * - `malformed_columns`: columns whose `length` is not a count of bars, exceeds an array's
 *   length, or whose fields are not `Float64Array`s; they are read as an empty series.
 */
export const AggregateIssueCode = {
  DuplicateTimestamp: 'duplicate_timestamp',
  UnsortedTimestamp: 'unsorted_timestamp',
  MisalignedTimestamp: 'misaligned_timestamp',
  LateBar: 'late_bar',
  SourceTimeframeMismatch: 'source_timeframe_mismatch',
  SourceTimeframeUnknown: 'source_timeframe_unknown',
  PartialBucketDropped: 'partial_bucket_dropped',
  DuplicateTrade: 'duplicate_trade',
  MalformedColumns: 'malformed_columns',
} as const;

/** One of the values of {@link AggregateIssueCode}. */
export type AggregateIssueCode = (typeof AggregateIssueCode)[keyof typeof AggregateIssueCode];

/**
 * Something the aggregation functions noticed in their input and did about it, shaped like a
 * zod issue (`code`, `path`, `message`) with the row and time it concerns.
 */
export interface AggregateIssue extends DataIssue {
  /** What happened; see {@link AggregateIssueCode}. */
  readonly code: AggregateIssueCode;
  /**
   * Index of the offending element in the input (for streaming: the 0-based number of the
   * `add` call), or `-1` when the issue concerns the whole input or an output bucket.
   */
  readonly index: number;
  /** Epoch milliseconds of the offending bar, trade or dropped bucket; `NaN` when none applies. */
  readonly timestamp: number;
}

/** An {@link AggregateIssue} about one of several named inputs (`alignSources`, `mergeSources`). */
export interface SourceIssue extends AggregateIssue {
  /** Name of the input the issue concerns; `index` is a position in that input. */
  readonly source: string;
}
