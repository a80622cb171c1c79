import type { DataIssue } from '../errors/result.js';

/**
 * What a converter returns: the rows it could read, and one issue per problem in the rows
 * it could not. Good rows are kept and bad rows are dropped, so
 * `rows.length + (number of distinct row indices in issues) === input.length`.
 *
 * Each issue's `path` is `[index]` for a row that is not the expected shape, or
 * `[index, field]` with `field` the name of the output field the value was meant for
 * (`'timestamp'`, `'high'`, `'quantity'`, `'tradeId'`, …). `index` is the row's position in
 * the input.
 *
 * @typeParam T - the row type produced (`Ohlcv` or `Tick`).
 */
export interface Converted<T> {
  /** The rows that converted cleanly, in input order. */
  readonly rows: T[];
  /** Why the other rows were dropped; empty when every row converted. */
  readonly issues: DataIssue[];
}
