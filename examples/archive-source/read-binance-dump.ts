import { fromBinanceKlines, type Ohlcv } from 'market-data-pipeline';
import { badArchiveData } from './bad-archive-data.js';
import { checkBars } from './check-bars.js';
import { dumpLineBatches } from './dump-line-batches.js';
import { fastBinanceKlines } from './fast-binance-klines.js';
import type { ArchiveFile } from './list-archive-files.js';

/**
 * Reads one Binance kline dump (data.binance.vision), zipped or not, streaming: the CSV is
 * inflated and parsed a batch of lines at a time (`fastBinanceKlines`, or `fromBinanceKlines`
 * for a batch with a line that is not plainly well formed; open times in ms, or µs as in spot
 * files from 2025 on; an optional header line is skipped), so only the
 * file's bars are held, never its text. The whole file is checked before any bar is returned.
 *
 * @param file - A `binance-zip` or `binance-csv` kline file.
 * @returns The file's bars, oldest first.
 * @throws SourceError of kind `bad_data` naming the file and the line: a zip that is not
 *   readable (truncated: no central directory), an inflate error, a CRC-32 or size that
 *   does not match the zip's directory, a row `fromBinanceKlines` refuses (a cut last line),
 *   open times not increasing or outside the month or day of the file's name, no bar at all.
 */
export async function readBinanceDump(file: ArchiveFile): Promise<Ohlcv[]> {
  const out: Ohlcv[] = [];
  for await (const { lines, first } of dumpLineBatches(file)) {
    const fast = fastBinanceKlines(lines);
    const parsed = fast === undefined ? fromBinanceKlines(lines.map((l) => l.split(','))) : { rows: fast, issues: [], rejected: 0 };
    checkBars(parsed, { path: file.path, unit: 'line', first, period: file.period }, out);
  }
  if (out.length === 0) throw badArchiveData(file.path, undefined, 'holds no bar');
  return out;
}
