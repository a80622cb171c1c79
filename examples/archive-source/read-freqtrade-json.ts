import { readFile } from 'node:fs/promises';
import { fromCcxtOhlcv, type Ohlcv } from 'market-data-pipeline';
import { badArchiveData } from './bad-archive-data.js';
import { checkBars } from './check-bars.js';
import type { ArchiveFile } from './list-archive-files.js';

/** The 1-based line of character `position` in `text`. */
function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Reads a freqtrade JSON data file, `[[open_time_ms, open, high, low, close, volume], ...]`,
 * with `fromCcxtOhlcv`. JSON has no index and a cut file is only seen at its end, so the file
 * is read and parsed whole (freqtrade's default format, feather, is read a record batch at a time).
 *
 * @param file - A `freqtrade-json` file.
 * @returns Its bars, oldest first.
 * @throws SourceError of kind `bad_data` naming the file and the line (JSON syntax: a cut
 *   file, a stray character) or the row (a value that is no number, open times not increasing).
 */
export async function readFreqtradeJson(file: ArchiveFile): Promise<Ohlcv[]> {
  const text = await readFile(file.path, 'utf8');
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position === null ? lineOf(text, text.length) : lineOf(text, Number(position[1]));
    throw badArchiveData(file.path, `line ${line}`, `not JSON (${(error as Error).message})`, error);
  }
  if (!Array.isArray(rows)) throw badArchiveData(file.path, 'line 1', 'expected an array of [time, open, high, low, close, volume] rows');
  const out: Ohlcv[] = [];
  checkBars(fromCcxtOhlcv(rows as unknown[]), { path: file.path, unit: 'row', first: 1 }, out);
  if (out.length === 0) throw badArchiveData(file.path, undefined, 'holds no bar');
  return out;
}
