import type { DataIssue } from '../errors/result.js';
import { fieldContext, isRecord, showValue } from './internal/read-fields.js';
import { isPlainBar, isReusableBar, parseOhlcvRowSlowly, type RowFields } from './internal/read-ohlcv-row.js';
import { unreadableRow } from '../internal/unreadable-row.js';
import type { Ohlcv } from './ohlcv.js';
import type { ParseOptions, ParseResult } from './parse-result.js';

/**
 * Reads untrusted OHLCV rows (objects with `timestamp, open, high, low, close, volume` and
 * the optional `quoteVolume`, `trades`, `takerBuyVolume`, `flag`, `count`) into {@link Ohlcv}
 * bars. Never throws on data: every refused row leaves issues located at
 * `[rowIndex, field]` (see {@link ParseResult}).
 *
 * - The specification's optional fields are read in its spelling too: `quote_volume` becomes
 *   `quoteVolume`, `taker_buy_volume` becomes `takerBuyVolume` (`trades` is spelled alike),
 *   checked like the camelCase fields. A row giving both spellings with different values is
 *   refused with a `conflicting_values` issue at `[rowIndex, 'quote_volume']` (or
 *   `'taker_buy_volume'`).
 * - Numbers must be finite: NaN and ±Infinity are `not_finite`; `-0` becomes `0`; huge
 *   finite numbers are kept (the market rules of `validateOhlcv` judge them).
 * - Numeric strings are `invalid_type` unless `coerce` is set; then decimal strings
 *   (`"45050.5"`) and bigints are read, anything else is `invalid_number`.
 * - `timestamp` may be anything `toEpochMs` reads: epoch s, ms, µs or ns (stated by
 *   `timestampUnit` or detected by magnitude), bigint ns, an ISO-8601 string, a `Date`; the
 *   issues of `toEpochMs` (`implausible_timestamp`, `ambiguous_unit`, `fractional_ms`, …)
 *   are reported at `[rowIndex, 'timestamp']`. No other spelling (`time`, `date`) is read:
 *   convert exchange shapes with the `formats/` converters first.
 * - Missing or `null` required fields are `invalid_type`; optional fields that are `null`
 *   count as absent. Any other field is ignored without an issue (extra data, such as an
 *   exchange's `close_time`, is common and harmless) and not copied, including `__proto__`,
 *   `constructor`, `prototype`: such a row is rebuilt as a new object holding only the known
 *   fields, so nothing in the input can reach `Object.prototype`.
 * - Exotic rows never throw out of it: each row is read inside `try`, and a read that throws (a
 *   throwing getter, a Proxy trap) refuses the row with an `unreadable_row` issue at
 *   `[rowIndex]`. Each field is read once (a getter runs once); every check judges the values
 *   read, never the row again.
 * - A row that already is a clean bar — a plain object with exactly the six fields as data
 *   properties (no getter), finite numbers, an integer epoch-ms timestamp, no `-0` — is returned
 *   as it is (the same object, not a copy, as typia and ArkType do), so parsing clean data
 *   allocates nothing per row. Any other accepted row is a new plain object holding the values
 *   read. (JavaScript cannot tell a Proxy from the object it wraps: a Proxy whose traps answer
 *   like such a bar is returned as it is, and later reads of it run its traps.)
 *   Parsed rows are values: treat them, and the input rows behind them, as read-only (every
 *   function of this library does). Frozen rows stay frozen.
 *
 * No zod inside the loop: fields are checked by hand, zod-shaped issues built only for the
 * rows that fail.
 *
 * @param input - Anything; an array of rows is expected.
 * @param options - See {@link ParseOptions}.
 * @returns The bars that parsed, the issues of the others and how many were refused.
 *
 * @example
 * ```ts
 * parseOhlcv([
 *   { timestamp: 1738233000000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, extra: 'x' },
 *   { timestamp: 1738233060000, open: 1, high: NaN, low: 0.5, close: 1.5, volume: 10 },
 * ])
 * // { rows: [{ timestamp: 1738233000000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }], (extra dropped)
 * //   issues: [{ code: 'not_finite', path: [1, 'high'], message: '`1.high`: expected a finite number, got NaN' }],
 * //   rejected: 1 }
 * ```
 */
export function parseOhlcv(input: unknown, options: ParseOptions = {}): ParseResult<Ohlcv> {
  const issues: DataIssue[] = [];
  const rows: Ohlcv[] = [];
  if (!Array.isArray(input)) {
    issues.push({ code: 'invalid_type', path: [], message: `Expected an array of OHLCV rows, got ${showValue(input)}` });
    return { rows, issues, rejected: 0 };
  }
  const ctx = fieldContext(issues, options);
  // A numeric timestamp in range is already epoch ms unless another unit is stated.
  const fastTimestamps = options.timestampUnit === undefined || options.timestampUnit === 'ms';
  const list: readonly unknown[] = input;
  let length = 0;
  try {
    length = list.length;
  } catch (error) {
    issues.push(unreadableRow(undefined, error));
  }
  let rejected = 0;
  for (let i = 0; i < length; i++) {
    // A read that throws (a getter, a Proxy trap) refuses the row: it never leaves the parser.
    try {
      const row = list[i];
      if (!isRecord(row)) {
        issues.push({ code: 'invalid_type', path: [i], message: `\`${i}\`: expected an OHLCV object, got ${showValue(row)}` });
        rejected++;
        continue;
      }
      // Each field is read once; everything below judges these values, not the row.
      const t = row.timestamp;
      const o = row.open;
      const h = row.high;
      const l = row.low;
      const c = row.close;
      const v = row.volume;
      const quoteVolume = row.quoteVolume;
      const trades = row.trades;
      const takerBuyVolume = row.takerBuyVolume;
      const flag = row.flag;
      const count = row.count;
      const synthetic = row.synthetic;
      const missing = row.missing;
      const quote_volume = row.quote_volume;
      const taker_buy_volume = row.taker_buy_volume;
      if (
        fastTimestamps &&
        isPlainBar(t, o, h, l, c, v) &&
        quoteVolume === undefined &&
        trades === undefined &&
        takerBuyVolume === undefined &&
        flag === undefined &&
        count === undefined &&
        synthetic === undefined &&
        missing === undefined &&
        quote_volume === undefined &&
        taker_buy_volume === undefined
      ) {
        if (isReusableBar(row, o as number, h as number, l as number, c as number, v as number)) {
          rows.push(row as Ohlcv);
          continue;
        }
        // `x + 0` turns -0 into 0 and leaves every other number unchanged.
        rows.push({
          timestamp: t as number,
          open: (o as number) + 0,
          high: (h as number) + 0,
          low: (l as number) + 0,
          close: (c as number) + 0,
          volume: (v as number) + 0,
        });
        continue;
      }
      // The slow path reads a plain copy of the values already read.
      const fields: RowFields = {
        timestamp: t,
        open: o,
        high: h,
        low: l,
        close: c,
        volume: v,
        quoteVolume,
        trades,
        takerBuyVolume,
        flag,
        count,
        synthetic,
        missing,
        quote_volume,
        taker_buy_volume,
      };
      const bar = parseOhlcvRowSlowly(fields, i, ctx);
      if (bar === undefined) rejected++;
      else rows.push(bar);
    } catch (error) {
      issues.push(unreadableRow(i, error));
      rejected++;
    }
  }
  return { rows, issues, rejected };
}
