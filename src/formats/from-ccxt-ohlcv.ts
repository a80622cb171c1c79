import type { DataIssue } from '../errors/result.js';
import { unreadableRow } from '../internal/unreadable-row.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { pushIssue, readFinite, readTimestamp } from './internal/read-fields.js';
import type { ParseResult } from '../schemas/parse-result.js';
import { showValue } from '../internal/options.js';

const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Reads ccxt's OHLCV arrays (`fetchOHLCV`, and freqtrade's JSON data files):
 * `[timestamp, open, high, low, close, volume]` with the timestamp in epoch ms (the bar's
 * open time) and JSON numbers. Extra trailing entries are ignored.
 *
 * Only types are checked here (numbers, finite, a plausible integer ms timestamp, see
 * `toEpochMs`); market rules such as `high >= low` are `validateOhlcv`'s job. Numeric
 * strings are refused (ccxt returns numbers); a `null` volume (mark-price candles) is an
 * issue. Never throws on data.
 *
 * @param rows - untrusted ccxt OHLCV arrays.
 * @returns A `ParseResult`, as the `parse*` functions return: the bars that read cleanly,
 *   one issue per bad value located at `[index]` or `[index, field]`, and the number of
 *   rows left out (a bad row is left out whole).
 *
 * @example
 * ```ts
 * fromCcxtOhlcv([
 *   [1570752000000, 0.00141342, 0.00141557, 0.00141266, 0.00141418, 1482],
 *   [1570752060000, 0.00141597, null, 0.00141597, 0.00141658, 522],
 * ])
 * // {
 * //   rows: [{ timestamp: 1570752000000, open: 0.00141342, high: 0.00141557,
 * //            low: 0.00141266, close: 0.00141418, volume: 1482 }],
 * //   issues: [{ code: 'invalid_type', path: [1, 'high'], message: 'Row 1: expected `high` to be a number, got null' }],
 * //   rejected: 1,
 * // }
 * ```
 */
export function fromCcxtOhlcv(rows: readonly unknown[]): ParseResult<Ohlcv> {
  const out: Ohlcv[] = [];
  const issues: DataIssue[] = [];
  if (!Array.isArray(rows)) {
    issues.push({ code: 'invalid_type', path: [], message: `Expected an array of OHLCV arrays, got ${showValue(rows)}` });
    return { rows: out, issues, rejected: 0 };
  }
  let rejected = 0;
  let length = 0;
  try {
    length = rows.length;
  } catch (error) {
    issues.push(unreadableRow(undefined, error));
  }
  for (let i = 0; i < length; i++) {
    // A read that throws (a getter, a Proxy trap) refuses the row: it never leaves the parser.
    try {
      const row: unknown = rows[i];
      if (!Array.isArray(row)) {
        pushIssue(
          issues,
          i,
          undefined,
          'invalid_type',
          `Row ${i}: expected an array [timestamp, open, high, low, close, volume], got ${showValue(row)}`,
        );
        rejected++;
        continue;
      }
      if (row.length < 6) {
        pushIssue(
          issues,
          i,
          undefined,
          'too_small',
          `Row ${i}: expected 6 entries [timestamp, open, high, low, close, volume], got ${row.length}`,
        );
        rejected++;
        continue;
      }
      const values = row as readonly unknown[];
      const before = issues.length;
      const timestamp = readTimestamp(values[0], false, 'ms', i, 'timestamp', issues);
      const [open, high, low, close, volume] = PRICE_FIELDS.map((field, k) => readFinite(values[k + 1], false, i, field, issues));
      if (issues.length !== before) {
        rejected++;
        continue;
      }
      out.push({
        timestamp: timestamp as number,
        open: open as number,
        high: high as number,
        low: low as number,
        close: close as number,
        volume: volume as number,
      });
    } catch (error) {
      issues.push(unreadableRow(i, error));
      rejected++;
    }
  }
  return { rows: out, issues, rejected };
}
