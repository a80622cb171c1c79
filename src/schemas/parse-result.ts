import type { DataIssue } from '../errors/result.js';
import type { TimeUnit } from '../time/to-epoch-ms.js';

/** Options of `parseOhlcv`, `parseTicks` and `parseOrderBook`. */
export interface ParseOptions {
  /**
   * Accept decimal strings (`"45050.5"`, as Binance sends) and bigints for numeric fields,
   * and numeric strings for timestamps. Hex, blank and non-decimal strings are still issues.
   * @defaultValue false
   */
  readonly coerce?: boolean;
  /** Unit of numeric timestamps; omitted: detected by magnitude per row (see `toEpochMs`). */
  readonly timestampUnit?: TimeUnit;
  /**
   * Drop a sub-millisecond part of timestamps instead of refusing the row.
   * @defaultValue false
   */
  readonly truncate?: boolean;
}

/**
 * What a parser returns: the rows that read cleanly, in input order, and one issue per
 * problem in the rows that did not. A refused row is left out whole (no partial rows), so
 * `rows.length + rejected` is the number of input rows.
 *
 * Each issue's `path` starts with the row's index in the input, then the field (and, for
 * order books, the level): `[7, 'close']`, `[2, 'bids', 0, 'price']`; `[7]` for a row that
 * is not an object or whose reading threw (`unreadable_row`: a throwing getter, a Proxy trap);
 * `[]` when the input itself is not an array. No parser throws on data.
 *
 * @typeParam T - the row type (`Ohlcv`, `Tick` or `OrderBook`).
 */
export interface ParseResult<T> {
  /**
   * The rows that parsed, in input order, holding only the known fields (a row that needed no
   * change may be the input object itself; see each parser).
   */
  readonly rows: T[];
  /** Why the other rows were refused; empty when every row parsed. */
  readonly issues: DataIssue[];
  /** How many input rows were refused. */
  readonly rejected: number;
}
