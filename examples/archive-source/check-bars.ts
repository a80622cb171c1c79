import type { Ohlcv, ParseResult } from 'market-data-pipeline';
import { badArchiveData } from './bad-archive-data.js';

/** Where a batch of rows sits in its file, to name the line or row of a bad one. */
export interface RowPlace {
  /** The file. */
  readonly path: string;
  /** `line` for text with one row a line (CSV), `row` for tables and JSON (`record batch 2, row` inside a feather batch). */
  readonly unit: string;
  /** Line or row number (from 1) of the batch's first row. */
  readonly first: number;
  /** The period `[from, to)` (epoch ms) the file's name promises, if any. */
  readonly period?: { readonly from: number; readonly to: number } | undefined;
}

/**
 * Appends a parsed batch to `out` after checking it, or throws: a row the parser refused, an
 * open time not after the previous one (a file is one series, oldest first), or one outside
 * the period the file's name promises.
 *
 * @param parsed - The batch as `fromBinanceKlines` / `fromCcxtOhlcv` read it (a clean batch has no issue, so rows map 1:1).
 * @param place - Where the batch sits.
 * @param out - The bars read so far from this file; appended to.
 * @throws SourceError of kind `bad_data` naming the file and the line or row.
 */
export function checkBars(parsed: ParseResult<Ohlcv>, place: RowPlace, out: Ohlcv[]): void {
  const issue = parsed.issues[0];
  if (issue !== undefined) {
    const index = typeof issue.path[0] === 'number' ? issue.path[0] : 0;
    throw badArchiveData(place.path, `${place.unit} ${place.first + index}`, issue.message.replace(/^Row \d+: /, ''));
  }
  let previous = out.length === 0 ? Number.NEGATIVE_INFINITY : (out[out.length - 1] as Ohlcv).timestamp;
  const { from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY } = place.period ?? {};
  for (let i = 0; i < parsed.rows.length; i++) {
    const bar = parsed.rows[i] as Ohlcv;
    const at = `${place.unit} ${place.first + i}`;
    if (bar.timestamp <= previous)
      throw badArchiveData(place.path, at, `open time ${new Date(bar.timestamp).toISOString()} is not after the previous row's`);
    if (bar.timestamp < from || bar.timestamp >= to) {
      throw badArchiveData(
        place.path,
        at,
        `open time ${new Date(bar.timestamp).toISOString()} is outside the period the file's name gives`,
      );
    }
    previous = bar.timestamp;
    out.push(bar);
  }
}
