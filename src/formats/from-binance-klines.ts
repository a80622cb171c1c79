import type { DataIssue } from '../errors/result.js';
import { unreadableRow } from '../internal/unreadable-row.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isBlank, pushIssue, readCount, readFinite, readTimestamp } from './internal/read-fields.js';
import type { ParseResult } from '../schemas/parse-result.js';
import { showValue } from '../internal/options.js';

const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Reads Binance klines: the arrays of `GET /api/v3/klines` and the rows of the
 * data.binance.vision CSV files, 12 columns with numbers as strings:
 * `[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades,
 * takerBuyBaseVolume, takerBuyQuoteVolume, ignore]`.
 *
 * - `openTime` becomes `timestamp`. Its unit is detected per row by magnitude with
 *   `toEpochMs`: milliseconds, or microseconds as in Binance's spot files from 2025-01-01
 *   on. A sub-millisecond remainder is an issue, not truncated.
 * - Columns 8–10 become `quoteVolume`, `trades` and `takerBuyVolume` when present; a row
 *   with only the first six columns is accepted without them, and a blank (`''`, `null`)
 *   optional value is left out. `closeTime`, `takerBuyQuoteVolume` and `ignore` are not kept.
 * - Numbers may be decimal strings or JSON numbers; anything else is an issue.
 *
 * Market rules are not checked here (see `validateOhlcv`). Never throws on data.
 *
 * @param rows - untrusted kline arrays (for a CSV, each line split on commas).
 * @returns A `ParseResult`, as the `parse*` functions return: the bars that read cleanly,
 *   one issue per bad value located at `[index]` or `[index, field]`, and the number of
 *   rows left out (a bad row is left out whole).
 *
 * @example
 * ```ts
 * fromBinanceKlines([[
 *   '1637971200000', '0.00002853', '0.00002854', '0.00002851', '0.00002854', '36304.20000000',
 *   '1637971259999', '1.03547608', '79', '19523.00000000', '0.55694227', '0',
 * ]]).rows
 * // [{ timestamp: 1637971200000, open: 0.00002853, high: 0.00002854, low: 0.00002851,
 * //    close: 0.00002854, volume: 36304.2, quoteVolume: 1.03547608, trades: 79,
 * //    takerBuyVolume: 19523 }]
 * ```
 */
export function fromBinanceKlines(rows: readonly unknown[]): ParseResult<Ohlcv> {
  const out: Ohlcv[] = [];
  const issues: DataIssue[] = [];
  if (!Array.isArray(rows)) {
    issues.push({ code: 'invalid_type', path: [], message: `Expected an array of kline arrays, got ${showValue(rows)}` });
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
        pushIssue(issues, i, undefined, 'invalid_type', `Row ${i}: expected a kline array, got ${showValue(row)}`);
        rejected++;
        continue;
      }
      if (row.length < 6) {
        pushIssue(issues, i, undefined, 'too_small', `Row ${i}: expected at least 6 kline columns, got ${row.length}`);
        rejected++;
        continue;
      }
      const values = row as readonly unknown[];
      const before = issues.length;
      const timestamp = readTimestamp(values[0], true, undefined, i, 'timestamp', issues);
      const [open, high, low, close, volume] = PRICE_FIELDS.map((field, k) => readFinite(values[k + 1], true, i, field, issues));
      // Each optional column is read once (the row may be a Proxy or hold getters).
      const column7 = values[7];
      const column8 = values[8];
      const column9 = values[9];
      const quoteVolume = isBlank(column7) ? undefined : readFinite(column7, true, i, 'quoteVolume', issues);
      const trades = isBlank(column8) ? undefined : readCount(column8, true, i, 'trades', issues);
      const takerBuyVolume = isBlank(column9) ? undefined : readFinite(column9, true, i, 'takerBuyVolume', issues);
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
        ...(quoteVolume !== undefined ? { quoteVolume } : {}),
        ...(trades !== undefined ? { trades } : {}),
        ...(takerBuyVolume !== undefined ? { takerBuyVolume } : {}),
      });
    } catch (error) {
      issues.push(unreadableRow(i, error));
      rejected++;
    }
  }
  return { rows: out, issues, rejected };
}
