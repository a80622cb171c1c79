/**
 * The rules `validateOhlcv` checks. The first five ids are the specification's
 * (`validations` of its OHLCV schema); the others are this library's.
 *
 * - `high_gte_low`: `high >= low`;
 * - `high_gte_open_close`: `high >= max(open, close)`;
 * - `low_lte_open_close`: `low <= min(open, close)`;
 * - `volume_non_negative`: `volume >= 0`;
 * - `timestamp_ascending`: each timestamp is strictly greater than the previous bar's
 *   (duplicates and out-of-order bars break it, at the later bar);
 * - `finite_values`: timestamp, open, high, low, close and volume are finite numbers
 *   (`null`, missing, NaN and ±Infinity break it; the price and volume rules are then not
 *   judged for that bar);
 * - `timestamp_plausible`: the timestamp is an integer number of epoch milliseconds in
 *   1990–2100 (a timestamp in seconds or microseconds breaks it);
 * - `timestamp_aligned` (only when a timeframe is given): the timestamp is the open time of a
 *   bucket of the timeframe;
 * - `malformed_columns` (columns only, at index -1): `length` is a count of bars and every column
 *   is a `Float64Array` (`flags` a `Uint8Array`) holding at least `length` values. Columns that
 *   break it are not read at all: `length` is never believed over the arrays.
 */
export const OhlcvRule = {
  HighGteLow: 'high_gte_low',
  HighGteOpenClose: 'high_gte_open_close',
  LowLteOpenClose: 'low_lte_open_close',
  VolumeNonNegative: 'volume_non_negative',
  TimestampAscending: 'timestamp_ascending',
  FiniteValues: 'finite_values',
  TimestampPlausible: 'timestamp_plausible',
  TimestampAligned: 'timestamp_aligned',
  MalformedColumns: 'malformed_columns',
} as const;

/** One of the values of {@link OhlcvRule}. */
export type OhlcvRule = (typeof OhlcvRule)[keyof typeof OhlcvRule];
