import { toColumns } from '../../formats/to-columns.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';

/**
 * Rows to columns for aggregation: `toColumns`, except that when some row has `count`, a row
 * without it counts 1 (one source bar) instead of `NaN`, so a bucket's count stays a sum of
 * source bars. Only the fresh `count` array `toColumns` built is written, in one pass.
 */
export function rowsToCountedColumns(rows: readonly Ohlcv[]): OhlcvColumns {
  const columns = toColumns(rows);
  const count = columns.count;
  if (count !== undefined) {
    for (let i = 0; i < count.length; i++)
      if (Number.isNaN(count[i]) && (rows[i] as Ohlcv | null | undefined)?.count === undefined) count[i] = 1;
  }
  return columns;
}
