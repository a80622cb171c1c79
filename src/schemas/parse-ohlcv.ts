import type { DataIssue } from '../errors/result.js';
import { isRecord, pushIssue, readCount, readNumber, readTimestamp, showValue, type FieldContext } from '../internal/parse-fields.js';
import { MAX_PLAUSIBLE_MS, MIN_PLAUSIBLE_MS } from '../time/to-epoch-ms.js';
import { BarFlag } from './bar-flag.js';
import type { Ohlcv } from './ohlcv.js';
import type { ParseOptions, ParseResult } from './parse-result.js';

const FLAGS: ReadonlySet<unknown> = new Set<unknown>([BarFlag.Interpolated, BarFlag.ForwardFilled, BarFlag.Clipped]);

/** Reads a row that failed the fast check, field by field, collecting every issue. */
function parseRowSlowly(row: Readonly<Record<string, unknown>>, index: number, ctx: FieldContext): Ohlcv | undefined {
  const before = ctx.issues.length;
  const timestamp = readTimestamp(row.timestamp, ctx, [index, 'timestamp']);
  const open = readNumber(row.open, ctx, [index, 'open']);
  const high = readNumber(row.high, ctx, [index, 'high']);
  const low = readNumber(row.low, ctx, [index, 'low']);
  const close = readNumber(row.close, ctx, [index, 'close']);
  const volume = readNumber(row.volume, ctx, [index, 'volume']);
  // Optional fields: `undefined` and `null` both mean "not given".
  const quoteVolume = row.quoteVolume == null ? undefined : readNumber(row.quoteVolume, ctx, [index, 'quoteVolume']);
  const trades = row.trades == null ? undefined : readCount(row.trades, ctx, [index, 'trades']);
  const takerBuyVolume =
    row.takerBuyVolume == null ? undefined : readNumber(row.takerBuyVolume, ctx, [index, 'takerBuyVolume']);
  const count = row.count == null ? undefined : readCount(row.count, ctx, [index, 'count']);
  const flag = row.flag;
  if (flag != null && !FLAGS.has(flag)) {
    pushIssue(ctx, [index, 'flag'], 'invalid_value', `expected one of interpolated, forward_filled, clipped, got ${showValue(flag)}`);
  }
  if (
    ctx.issues.length !== before ||
    timestamp === undefined ||
    open === undefined ||
    high === undefined ||
    low === undefined ||
    close === undefined ||
    volume === undefined
  ) {
    return undefined;
  }
  return {
    timestamp,
    open,
    high,
    low,
    close,
    volume,
    ...(quoteVolume === undefined ? {} : { quoteVolume }),
    ...(trades === undefined ? {} : { trades }),
    ...(takerBuyVolume === undefined ? {} : { takerBuyVolume }),
    ...(flag == null ? {} : { flag: flag as BarFlag }),
    ...(count === undefined ? {} : { count }),
  };
}

/**
 * Reads untrusted OHLCV rows (objects with `timestamp, open, high, low, close, volume` and
 * the optional `quoteVolume`, `trades`, `takerBuyVolume`, `flag`, `count`) into {@link Ohlcv}
 * bars. Never throws on data: every refused row leaves issues located at
 * `[rowIndex, field]` (see {@link ParseResult}).
 *
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
 *   count as absent. Extra fields (including `__proto__`, `constructor`, `prototype`) are
 *   not copied: each bar is a new object holding only the known fields, so nothing in the
 *   input can reach `Object.prototype`.
 *
 * Rows that are plain numbers in the usual ranges take a fast path without zod or any
 * allocation but the bar itself.
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
 * // { rows: [{ timestamp: 1738233000000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }],
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
  const ctx: FieldContext = {
    issues,
    coerce: options.coerce ?? false,
    unit: options.timestampUnit,
    truncate: options.truncate ?? false,
  };
  // A numeric timestamp in range is already epoch ms unless another unit is stated.
  const fastTimestamps = options.timestampUnit === undefined || options.timestampUnit === 'ms';
  const list: readonly unknown[] = input;
  const length = list.length;
  let rejected = 0;
  for (let i = 0; i < length; i++) {
    const row = list[i];
    if (!isRecord(row)) {
      issues.push({ code: 'invalid_type', path: [i], message: `\`${i}\`: expected an OHLCV object, got ${showValue(row)}` });
      rejected++;
      continue;
    }
    const t = row.timestamp;
    const o = row.open;
    const h = row.high;
    const l = row.low;
    const c = row.close;
    const v = row.volume;
    if (
      fastTimestamps &&
      typeof t === 'number' &&
      typeof o === 'number' &&
      typeof h === 'number' &&
      typeof l === 'number' &&
      typeof c === 'number' &&
      typeof v === 'number' &&
      Number.isInteger(t) &&
      t >= MIN_PLAUSIBLE_MS &&
      t < MAX_PLAUSIBLE_MS &&
      o - o === 0 &&
      h - h === 0 &&
      l - l === 0 &&
      c - c === 0 &&
      v - v === 0 &&
      row.quoteVolume === undefined &&
      row.trades === undefined &&
      row.takerBuyVolume === undefined &&
      row.flag === undefined &&
      row.count === undefined
    ) {
      // `x + 0` turns -0 into 0 and leaves every other number unchanged.
      rows.push({ timestamp: t, open: o + 0, high: h + 0, low: l + 0, close: c + 0, volume: v + 0 });
      continue;
    }
    const bar = parseRowSlowly(row, i, ctx);
    if (bar === undefined) rejected++;
    else rows.push(bar);
  }
  return { rows, issues, rejected };
}
