/**
 * The one boundary every batch function reads its series through, once per call: rows that are
 * not objects (`null`, holes of a sparse array) or hold a non-number where a number belongs
 * are replaced by a copy holding `NaN` there, and columns whose `length` the arrays do not back
 * are refused whole. Kernels behind it may then trust what they read: every row is an object
 * whose fields are numbers, every column holds at least `length` numbers. Never exported from
 * the package.
 *
 * Cost: for columns a few checks per call, no pass over the data (a `Float64Array` holds only
 * numbers); for rows one pass of `typeof` checks, allocating only for a row it replaces.
 */
import { BarFlag } from '../schemas/bar-flag.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OhlcvColumns, OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { showValue } from './options.js';

/** What the boundary found wrong in a series: one per replaced row, or one for refused columns. */
export interface SeriesDefect {
  /** The row's index; -1 when the columns as a whole are refused. */
  readonly index: number;
  /** What was wrong and how it was read, for an issue's message. */
  readonly message: string;
}

/** A series as the kernels may read it, and what the boundary changed to make it so. */
export interface ReadSeries<S> {
  /** The input itself when nothing was wrong; otherwise a copy (rows) or an empty series (columns). */
  readonly series: S;
  /** Empty when the input was read as it is. */
  readonly defects: readonly SeriesDefect[];
}

const NO_DEFECTS: readonly SeriesDefect[] = Object.freeze([]);

/** The required number fields of a bar, in the order of `OhlcvColumns`. */
export const BAR_FIELDS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
/** The optional number fields of a bar. */
const OPTIONAL_BAR_FIELDS = ['quoteVolume', 'trades', 'takerBuyVolume', 'count', 'synthetic', 'missing'] as const;
const FLAGS: ReadonlySet<unknown> = new Set<unknown>([BarFlag.Interpolated, BarFlag.ForwardFilled, BarFlag.Clipped]);

/** A series with no bars, what refused columns are read as. */
export const EMPTY_SERIES: OhlcvColumns = Object.freeze({
  length: 0,
  timestamp: new Float64Array(0),
  open: new Float64Array(0),
  high: new Float64Array(0),
  low: new Float64Array(0),
  close: new Float64Array(0),
  volume: new Float64Array(0),
});

/**
 * Which fields a row must hold as numbers, which it may, whether it may carry a bar flag, and
 * which string fields a replacement copy keeps (a trade's `side`).
 */
interface RowShape {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly flag: boolean;
  readonly text: readonly string[];
}

const BAR_SHAPE: RowShape = { required: BAR_FIELDS, optional: OPTIONAL_BAR_FIELDS, flag: true, text: [] };

/**
 * {@link rowDefect} for a bar, written out with named reads: the check every row of a batch call
 * goes through, so it stays as cheap as the kernels' own reads (a loop over field names makes
 * every read a keyed lookup).
 */
function isCleanBar(row: unknown): boolean {
  if (typeof row !== 'object' || row === null) return false;
  const bar = row as Readonly<Record<string, unknown>>;
  const flag = bar.flag;
  return (
    typeof bar.timestamp === 'number' &&
    typeof bar.open === 'number' &&
    typeof bar.high === 'number' &&
    typeof bar.low === 'number' &&
    typeof bar.close === 'number' &&
    typeof bar.volume === 'number' &&
    isOptionalNumber(bar.quoteVolume) &&
    isOptionalNumber(bar.trades) &&
    isOptionalNumber(bar.takerBuyVolume) &&
    isOptionalNumber(bar.count) &&
    isOptionalNumber(bar.synthetic) &&
    isOptionalNumber(bar.missing) &&
    (flag === undefined || FLAGS.has(flag))
  );
}

/** Whether `value` is a field a number may be read from: a number, or absent (`undefined`). */
function isOptionalNumber(value: unknown): boolean {
  return value === undefined || typeof value === 'number';
}

/** The first thing wrong with `row` for `shape`, or `undefined` when a kernel may read it as it is. */
function rowDefect(row: unknown, shape: RowShape): string | undefined {
  if (typeof row !== 'object' || row === null) return `is ${row === undefined ? 'missing (a hole)' : showValue(row)}, not a row`;
  const record = row as Readonly<Record<string, unknown>>;
  for (const field of shape.required) {
    const value = record[field];
    if (typeof value !== 'number') return `\`${field}\` is ${showValue(value)}, not a number`;
  }
  for (const field of shape.optional) {
    const value = record[field];
    if (!isOptionalNumber(value)) return `\`${field}\` is ${showValue(value)}, not a number`;
  }
  if (shape.flag && record.flag !== undefined && !FLAGS.has(record.flag)) return `\`flag\` is ${showValue(record.flag)}, not a bar flag`;
  return undefined;
}

/** A plain copy of `row` with every required field a number (`NaN` where it was not) and only the valid optional fields. */
function repairRow(row: unknown, shape: RowShape): Record<string, unknown> {
  const record: Readonly<Record<string, unknown>> = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {};
  const copy: Record<string, unknown> = {};
  for (const field of shape.required) {
    const value = record[field];
    copy[field] = typeof value === 'number' ? value : Number.NaN;
  }
  for (const field of shape.optional) {
    const value = record[field];
    if (typeof value === 'number') copy[field] = value;
  }
  if (shape.flag && FLAGS.has(record.flag)) copy.flag = record.flag;
  for (const field of shape.text) {
    const value = record[field];
    if (typeof value === 'string') copy[field] = value;
  }
  return copy;
}

/**
 * Rows checked against `shape` in one pass: the input array itself when every row is clean,
 * otherwise a copy in which each bad row is replaced by {@link repairRow}'s copy, with one
 * defect per replaced row.
 */
function readRows<R>(rows: readonly R[], shape: RowShape, what: string): ReadSeries<readonly R[]> {
  const n = rows.length;
  let out: R[] | undefined;
  let defects: SeriesDefect[] | undefined;
  const bars = shape === BAR_SHAPE;
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const defect = bars && isCleanBar(row) ? undefined : rowDefect(row, shape);
    if (defect === undefined) {
      if (out !== undefined) out[i] = row as R;
      continue;
    }
    if (out === undefined) {
      out = new Array<R>(n);
      for (let k = 0; k < i; k++) out[k] = rows[k] as R;
    }
    out[i] = repairRow(row, shape) as R;
    (defects ??= []).push({ index: i, message: `${what} ${i} ${defect}; it is read with NaN there` });
  }
  return out === undefined ? { series: rows, defects: NO_DEFECTS } : { series: out, defects: defects ?? NO_DEFECTS };
}

/** Whether `value` is a `Float64Array` (of any realm). */
function isFloat64Array(value: unknown): value is Float64Array {
  return value instanceof Float64Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Float64Array]');
}

/** Whether `value` is a `Uint8Array` (of any realm). */
function isUint8Array(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]');
}

/** Why `length` is not a count of bars, or `undefined` when it is one. */
function lengthDefect(length: unknown): string | undefined {
  return typeof length === 'number' && Number.isSafeInteger(length) && length >= 0
    ? undefined
    : `\`length\` is ${showValue(length)}, not a count of bars`;
}

/** Why an `OhlcvColumns` cannot be read, or `undefined` when its arrays back its `length`. */
function columnsDefect(columns: unknown): string | undefined {
  if (typeof columns !== 'object' || columns === null) return `expected rows or columns, got ${showValue(columns)}`;
  const record = columns as Readonly<Record<string, unknown>>;
  const n = record.length;
  const bad = lengthDefect(n);
  if (bad !== undefined) return bad;
  const length = n as number;
  const check = (key: string, required: boolean, isKind: (v: unknown) => boolean, kind: string): string | undefined => {
    const column = record[key];
    if (column === undefined && !required) return undefined;
    if (!isKind(column)) return `\`${key}\` is ${showValue(column)}, not a ${kind}`;
    const held = (column as ArrayLike<number>).length;
    return held < length ? `\`${key}\` holds ${held} values, fewer than \`length\` (${length})` : undefined;
  };
  for (const key of BAR_FIELDS) {
    const defect = check(key, true, isFloat64Array, 'Float64Array');
    if (defect !== undefined) return defect;
  }
  for (const key of OPTIONAL_BAR_FIELDS) {
    const defect = check(key, false, isFloat64Array, 'Float64Array');
    if (defect !== undefined) return defect;
  }
  return check('flags', false, isUint8Array, 'Uint8Array');
}

/** The message of refused columns. */
function refusedColumns(defect: string): SeriesDefect {
  return { index: -1, message: `The columns cannot be read: ${defect}; they are read as an empty series` };
}

/**
 * An OHLCV series (rows or columns) as every batch function reads it; see the file's summary.
 * Refused columns are read as {@link EMPTY_SERIES}; something that is neither rows nor
 * columns (`null`, a number) too.
 *
 * @example
 * ```ts
 * readSeries([bar, null]).defects         // [{ index: 1, message: 'Bar 1 is null, not a row; it is read with NaN there' }]
 * readSeries({ ...columns, length: 1e7 }) // { series: EMPTY_SERIES, defects: [{ index: -1, … }] } when the arrays are shorter
 * ```
 */
export function readSeries(series: readonly Ohlcv[]): ReadSeries<readonly Ohlcv[]>;
export function readSeries(series: OhlcvColumns): ReadSeries<OhlcvColumns>;
export function readSeries(series: OhlcvSeries): ReadSeries<OhlcvSeries>;
export function readSeries(series: OhlcvSeries): ReadSeries<OhlcvSeries> {
  if (Array.isArray(series)) return readRows(series as readonly Ohlcv[], BAR_SHAPE, 'Bar');
  const defect = columnsDefect(series);
  return defect === undefined ? { series, defects: NO_DEFECTS } : { series: EMPTY_SERIES, defects: [refusedColumns(defect)] };
}

/**
 * Rows or columns holding some number fields (the narrow inputs of the indicators, ticks), read
 * at the same boundary: rows as {@link readSeries} reads them, for `fields` (and a bar flag when
 * `flag`); columns need a count `length` and, for each field, an array-like holding at least that
 * many entries (a `Float64Array` is used as it is; any other array is copied into one, `NaN`
 * for a non-number). Refused columns are read as `empty`. A replaced row keeps the `text` fields
 * that are strings (a trade's `side`).
 */
export function readFieldSeries<R extends object, C extends { readonly length: number }>(
  series: readonly R[] | C,
  fields: readonly string[],
  flag: boolean,
  empty: C,
  what = 'Row',
  text: readonly string[] = [],
): ReadSeries<readonly R[] | C> {
  if (Array.isArray(series)) return readRows(series as readonly R[], { required: fields, optional: [], flag, text }, what);
  if (typeof series !== 'object' || series === null) {
    return { series: empty, defects: [refusedColumns(`expected rows or columns, got ${showValue(series)}`)] };
  }
  const record = series as unknown as Readonly<Record<string, unknown>>;
  const lengthBad = lengthDefect(record.length);
  if (lengthBad !== undefined) return { series: empty, defects: [refusedColumns(lengthBad)] };
  const n = record.length as number;
  let copy: Record<string, unknown> | undefined;
  for (const field of fields) {
    const column = record[field];
    if (typeof column !== 'object' || column === null || typeof (column as ArrayLike<unknown>).length !== 'number') {
      return { series: empty, defects: [refusedColumns(`\`${field}\` is ${showValue(column)}, not an array`)] };
    }
    const values = column as ArrayLike<unknown>;
    if (values.length < n) {
      return { series: empty, defects: [refusedColumns(`\`${field}\` holds ${values.length} values, fewer than \`length\` (${n})`)] };
    }
    if (isFloat64Array(values)) continue;
    let clean = true;
    for (let i = 0; i < n && clean; i++) clean = typeof values[i] === 'number';
    if (clean) continue;
    const numbers = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const value = values[i];
      numbers[i] = typeof value === 'number' ? value : Number.NaN;
    }
    (copy ??= { ...record })[field] = numbers;
  }
  if (copy === undefined) return { series, defects: NO_DEFECTS };
  return {
    series: copy as unknown as C,
    defects: [{ index: -1, message: 'Some column entries are not numbers; they are read as NaN' }],
  };
}
