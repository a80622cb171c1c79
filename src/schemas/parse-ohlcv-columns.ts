import type { DataIssue } from '../errors/result.js';
import { fieldContext, isRecord, showValue } from './internal/read-fields.js';
import { isPlainBar, parseOhlcvRowSlowly } from './internal/read-ohlcv-row.js';
import { unreadableRow } from '../internal/unreadable-row.js';
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
  let n = 0;
  try {
    n = list.length;
  } catch (error) {
    issues.push(unreadableRow(undefined, error));
  }
  if (!Array.isArray(input)) {
    issues.push({ code: 'invalid_type', path: [], message: `Expected an array of OHLCV rows, got ${showValue(input)}` });
  }
  const ctx = fieldContext(issues, options);
  const fastTimestamps = options.timestampUnit === undefined || options.timestampUnit === 'ms';
  const timestamp = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let quoteVolumeColumn: Float64Array | undefined;
  let tradesColumn: Float64Array | undefined;
  let takerBuyVolumeColumn: Float64Array | undefined;
  let flags: Uint8Array | undefined;
  let countColumn: Float64Array | undefined;
  let syntheticColumn: Float64Array | undefined;
  let missingColumn: Float64Array | undefined;
  let k = 0;
  for (let i = 0; i < n; i++) {
    // A read that throws (a getter, a Proxy trap) refuses the row: it never leaves the parser.
    try {
      const row = list[i];
      if (!isRecord(row)) {
        issues.push({ code: 'invalid_type', path: [i], message: `\`${i}\`: expected an OHLCV object, got ${showValue(row)}` });
        continue;
      }
      // Each field is read once (this is the hot loop); everything below judges these values.
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
        // Typed arrays keep -0: `+ 0` normalises it as parseOhlcv does.
        timestamp[k] = t as number;
        open[k] = (o as number) + 0;
        high[k] = (h as number) + 0;
        low[k] = (l as number) + 0;
        close[k] = (c as number) + 0;
        volume[k] = (v as number) + 0;
        k++;
        continue;
      }
      const bar = parseOhlcvRowSlowly(
        {
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
        },
        i,
        ctx,
      );
      if (bar === undefined) continue;
      timestamp[k] = bar.timestamp;
      open[k] = bar.open;
      high[k] = bar.high;
      low[k] = bar.low;
      close[k] = bar.close;
      volume[k] = bar.volume;
      if (bar.quoteVolume !== undefined) (quoteVolumeColumn ??= nanColumn(n))[k] = bar.quoteVolume;
      if (bar.trades !== undefined) (tradesColumn ??= nanColumn(n))[k] = bar.trades;
      if (bar.takerBuyVolume !== undefined) (takerBuyVolumeColumn ??= nanColumn(n))[k] = bar.takerBuyVolume;
      if (bar.flag !== undefined) (flags ??= new Uint8Array(n))[k] = barFlagCode(bar.flag);
      if (bar.count !== undefined) (countColumn ??= nanColumn(n))[k] = bar.count;
      // Provenance counts: absent means 0.
      if (bar.synthetic !== undefined) (syntheticColumn ??= new Float64Array(n))[k] = bar.synthetic;
      if (bar.missing !== undefined) (missingColumn ??= new Float64Array(n))[k] = bar.missing;
      k++;
    } catch (error) {
      issues.push(unreadableRow(i, error));
    }
  }
  const columns: OhlcvColumns = {
    length: k,
    timestamp: fit(timestamp, k),
    open: fit(open, k),
    high: fit(high, k),
    low: fit(low, k),
    close: fit(close, k),
    volume: fit(volume, k),
    ...(quoteVolumeColumn === undefined ? {} : { quoteVolume: fit(quoteVolumeColumn, k) }),
    ...(tradesColumn === undefined ? {} : { trades: fit(tradesColumn, k) }),
    ...(takerBuyVolumeColumn === undefined ? {} : { takerBuyVolume: fit(takerBuyVolumeColumn, k) }),
    ...(flags === undefined ? {} : { flags: fit(flags, k) }),
    ...(countColumn === undefined ? {} : { count: fit(countColumn, k) }),
    ...(syntheticColumn === undefined ? {} : { synthetic: fit(syntheticColumn, k) }),
    ...(missingColumn === undefined ? {} : { missing: fit(missingColumn, k) }),
  };
  return { columns, issues, rejected: n - k };
}
