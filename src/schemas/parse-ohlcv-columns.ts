import type { DataIssue } from '../errors/result.js';
import { fieldContext, isRecord, showValue } from './internal/read-fields.js';
import { parseOhlcvRowSlowly } from './internal/read-ohlcv-row.js';
import { MAX_PLAUSIBLE_MS, MIN_PLAUSIBLE_MS } from '../time/to-epoch-ms.js';
import { barFlagCode } from './bar-flag.js';
import type { OhlcvColumns } from './ohlcv-columns.js';
import type { ParseOptions } from './parse-result.js';

/**
 * What {@link parseOhlcvColumns} returns: the bars that parsed, as columns, and the issues of
 * the rows that did not (paths as in `ParseResult`). `columns.length + rejected` is the
 * number of input rows.
 */
export interface ParsedOhlcvColumns {
  /** The bars that parsed, in input order; every array is exactly `columns.length` long. */
  readonly columns: OhlcvColumns;
  /** Why the other rows were refused; empty when every row parsed. */
  readonly issues: DataIssue[];
  /** How many input rows were refused. */
  readonly rejected: number;
}

function nanColumn(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

function fit<A extends Float64Array | Uint8Array>(column: A, length: number): A {
  return column.length === length ? column : (column.slice(0, length) as A);
}

/**
 * Reads untrusted OHLCV rows straight into {@link OhlcvColumns}, with exactly the rules,
 * options and issues of `parseOhlcv`, but without allocating an object per bar: the form
 * to use when the next step is a batch kernel.
 *
 * Optional fields become columns as `toColumns` makes them: a column exists when at least one
 * accepted row has the field, and holds `NaN` for the rows that lack it; `flag` becomes the
 * `flags` column of `BarFlagCode`s.
 *
 * @param input - Anything; an array of rows is expected.
 * @param options - See `ParseOptions`.
 * @returns The accepted bars as columns, the issues of the others and how many were refused.
 *
 * @example
 * ```ts
 * const { columns, rejected } = parseOhlcvColumns([
 *   { timestamp: 1738233000000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
 *   { timestamp: 1738233060000, open: 1, high: 2, low: 0.5, close: null, volume: 10 },
 * ])
 * columns.close // Float64Array [1.5]
 * rejected      // 1
 * ```
 */
export function parseOhlcvColumns(input: unknown, options: ParseOptions = {}): ParsedOhlcvColumns {
  const issues: DataIssue[] = [];
  const list: readonly unknown[] = Array.isArray(input) ? input : [];
  if (!Array.isArray(input)) {
    issues.push({ code: 'invalid_type', path: [], message: `Expected an array of OHLCV rows, got ${showValue(input)}` });
  }
  const ctx = fieldContext(issues, options);
  const fastTimestamps = options.timestampUnit === undefined || options.timestampUnit === 'ms';
  const n = list.length;
  const timestamp = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let quoteVolume: Float64Array | undefined;
  let trades: Float64Array | undefined;
  let takerBuyVolume: Float64Array | undefined;
  let flags: Uint8Array | undefined;
  let count: Float64Array | undefined;
  let synthetic: Float64Array | undefined;
  let missing: Float64Array | undefined;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const row = list[i];
    if (!isRecord(row)) {
      issues.push({ code: 'invalid_type', path: [i], message: `\`${i}\`: expected an OHLCV object, got ${showValue(row)}` });
      continue;
    }
    // The check of `isPlainBar`, inlined so each field is read once (this is the hot loop).
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
      row.count === undefined &&
      row.synthetic === undefined &&
      row.missing === undefined &&
      row.quote_volume === undefined &&
      row.taker_buy_volume === undefined
    ) {
      // Typed arrays keep -0: `+ 0` normalises it as parseOhlcv does.
      timestamp[k] = t;
      open[k] = o + 0;
      high[k] = h + 0;
      low[k] = l + 0;
      close[k] = c + 0;
      volume[k] = v + 0;
      k++;
      continue;
    }
    const bar = parseOhlcvRowSlowly(row, i, ctx);
    if (bar === undefined) continue;
    timestamp[k] = bar.timestamp;
    open[k] = bar.open;
    high[k] = bar.high;
    low[k] = bar.low;
    close[k] = bar.close;
    volume[k] = bar.volume;
    if (bar.quoteVolume !== undefined) (quoteVolume ??= nanColumn(n))[k] = bar.quoteVolume;
    if (bar.trades !== undefined) (trades ??= nanColumn(n))[k] = bar.trades;
    if (bar.takerBuyVolume !== undefined) (takerBuyVolume ??= nanColumn(n))[k] = bar.takerBuyVolume;
    if (bar.flag !== undefined) (flags ??= new Uint8Array(n))[k] = barFlagCode(bar.flag);
    if (bar.count !== undefined) (count ??= nanColumn(n))[k] = bar.count;
    // Provenance counts: absent means 0.
    if (bar.synthetic !== undefined) (synthetic ??= new Float64Array(n))[k] = bar.synthetic;
    if (bar.missing !== undefined) (missing ??= new Float64Array(n))[k] = bar.missing;
    k++;
  }
  const columns: OhlcvColumns = {
    length: k,
    timestamp: fit(timestamp, k),
    open: fit(open, k),
    high: fit(high, k),
    low: fit(low, k),
    close: fit(close, k),
    volume: fit(volume, k),
    ...(quoteVolume === undefined ? {} : { quoteVolume: fit(quoteVolume, k) }),
    ...(trades === undefined ? {} : { trades: fit(trades, k) }),
    ...(takerBuyVolume === undefined ? {} : { takerBuyVolume: fit(takerBuyVolume, k) }),
    ...(flags === undefined ? {} : { flags: fit(flags, k) }),
    ...(count === undefined ? {} : { count: fit(count, k) }),
    ...(synthetic === undefined ? {} : { synthetic: fit(synthetic, k) }),
    ...(missing === undefined ? {} : { missing: fit(missing, k) }),
  };
  return { columns, issues, rejected: n - k };
}
