import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { fromBinanceKlines, type Ohlcv } from 'market-data-pipeline';
import { badArchiveData } from './bad-archive-data.js';
import { checkBars } from './check-bars.js';
import { fastBinanceKlines } from './fast-binance-klines.js';
import type { ArchiveFile } from './list-archive-files.js';

/** Lines parsed per `fromBinanceKlines` call. */
const BATCH = 4096;

/** The one CSV entry of a Binance zip, as a stream, with the CRC-32 and size its directory records. */
async function openZipEntry(path: string): Promise<{ stream: Readable; crc: number; size: number; close: () => void }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw badArchiveData(path, undefined, `not a readable zip (${(error as Error).message})`, error);
  }
  try {
    const entries: yauzl.Entry[] = [];
    for await (const entry of zip.eachEntry()) if (entry.fileName.endsWith('.csv')) entries.push(entry);
    const entry = entries[0];
    if (entry === undefined || entries.length > 1)
      throw badArchiveData(path, undefined, `expected one CSV file in the zip, found ${entries.length}`);
    return { stream: await zip.openReadStreamPromise(entry), crc: entry.crc32, size: entry.uncompressedSize, close: () => zip.close() };
  } catch (error) {
    zip.close();
    throw error;
  }
}

/**
 * Reads one Binance kline dump (data.binance.vision), zipped or not, streaming: the CSV is
 * inflated and parsed a batch of lines at a time (`fastBinanceKlines`, or `fromBinanceKlines`
 * for a batch with a line that is not plainly well formed; open times in ms, or µs as in spot
 * files from 2025 on; an optional header line is skipped), so only the
 * file's bars are held, never its text. The whole file is checked before any bar is returned.
 *
 * @param file - A `binance-zip` or `binance-csv` file.
 * @returns The file's bars, oldest first.
 * @throws SourceError of kind `bad_data` naming the file and the line: a zip that is not
 *   readable (truncated: no central directory), an inflate error, a CRC-32 or size that
 *   does not match the zip's directory, a row `fromBinanceKlines` refuses (a cut last line),
 *   open times not increasing or outside the month or day of the file's name, no bar at all.
 */
export async function readBinanceDump(file: ArchiveFile): Promise<Ohlcv[]> {
  const { path } = file;
  const zipped = file.format === 'binance-zip' ? await openZipEntry(path) : undefined;
  const stream = zipped?.stream ?? createReadStream(path);
  const out: Ohlcv[] = [];
  const decoder = new TextDecoder();
  let rest = '';
  let line = 0; // lines seen so far
  let batch: string[] = [];
  let batchFirst = 1;
  let crc = 0;
  let size = 0;
  const flush = (): void => {
    if (batch.length > 0) {
      const fast = fastBinanceKlines(batch);
      const parsed = fast === undefined ? fromBinanceKlines(batch.map((l) => l.split(','))) : { rows: fast, issues: [], rejected: 0 };
      checkBars(parsed, { path, unit: 'line', first: batchFirst, period: file.period }, out);
    }
    batch = [];
    batchFirst = line + 1;
  };
  const take = (text: string): void => {
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    line++;
    // data.binance.vision's newer files may start with a header line.
    if (line === 1 && !/^\d/.test(trimmed)) {
      batchFirst = 2;
      return;
    }
    if (trimmed === '') {
      batchFirst = batch.length === 0 ? line + 1 : batchFirst;
      return;
    }
    batch.push(trimmed);
    if (batch.length === BATCH) flush();
  };
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      if (zipped !== undefined) {
        crc = crc32(chunk, crc);
        size += chunk.length;
      }
      const text = rest + decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SOURCE') throw error;
    throw badArchiveData(path, `line ${line + 1}`, `cannot be read (${(error as Error).message})`, error);
  } finally {
    stream.destroy();
    zipped?.close();
  }
  rest += decoder.decode();
  if (rest !== '') take(rest);
  flush();
  if (zipped !== undefined && (crc >>> 0 !== zipped.crc >>> 0 || size !== zipped.size)) {
    throw badArchiveData(
      path,
      `line ${line}`,
      `the inflated CSV does not match the zip's CRC-32 and size (${size} bytes, ${zipped.size} expected)`,
    );
  }
  if (out.length === 0) throw badArchiveData(path, undefined, 'holds no bar');
  return out;
}
