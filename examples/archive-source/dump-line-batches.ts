import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { badArchiveData } from './bad-archive-data.js';
import type { ArchiveFile } from './list-archive-files.js';

/** Lines of a dump, in file order: `lines[k]` is line `first + k` of the CSV (counted from 1). */
export interface LineBatch {
  /** The lines, without their line ends; never empty, never a blank line. */
  readonly lines: string[];
  /** Line number (from 1) of `lines[0]`. */
  readonly first: number;
}

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
 * The lines of one Binance dump (data.binance.vision, zipped or not), streamed a batch at a
 * time: the CSV is inflated as it is read, so only one batch of its text is held. A first line
 * that does not start with a digit (the header some newer files carry) and blank lines are
 * skipped; a batch never spans a blank line, so every line keeps its number.
 *
 * The zip's CRC-32 and size are checked when the last line has been read: a consumer that must
 * not serve part of a damaged file reads the whole file before serving any of it. A consumer
 * that stops early (`break`, `return()`) closes the file.
 *
 * @param file - A `binance-zip` or `binance-csv` file.
 * @param size - Lines per batch.
 * @returns The batches, in file order.
 * @throws SourceError of kind `bad_data` naming the file (and the line reached): a zip that is
 *   not readable (truncated: no central directory), an inflate error, a CRC-32 or size that does
 *   not match the zip's directory.
 */
export async function* dumpLineBatches(file: ArchiveFile, size = 4096): AsyncGenerator<LineBatch, void, undefined> {
  const { path } = file;
  const zipped = file.format === 'binance-zip' ? await openZipEntry(path) : undefined;
  const stream = zipped?.stream ?? createReadStream(path);
  const decoder = new TextDecoder();
  let rest = '';
  let line = 0; // lines seen so far
  let batch: string[] = [];
  let batchFirst = 1;
  let crc = 0;
  let bytes = 0;
  /** The batch so far, emptied; `undefined` when empty. */
  const cut = (): LineBatch | undefined => {
    if (batch.length === 0) return undefined;
    const done = { lines: batch, first: batchFirst };
    batch = [];
    return done;
  };
  /** Takes one line; returns a batch to yield, if one is complete. */
  const take = (text: string): LineBatch | undefined => {
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    line++;
    // data.binance.vision's newer files may start with a header line.
    if (trimmed === '' || (line === 1 && !/^\d/.test(trimmed))) return cut();
    if (batch.length === 0) batchFirst = line;
    batch.push(trimmed);
    return batch.length === size ? cut() : undefined;
  };
  try {
    try {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        if (zipped !== undefined) {
          crc = crc32(chunk, crc);
          bytes += chunk.length;
        }
        const text = rest + decoder.decode(chunk, { stream: true });
        let start = 0;
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
          const done = take(text.slice(start, nl));
          start = nl + 1;
          if (done !== undefined) yield done;
        }
        rest = text.slice(start);
      }
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_SOURCE') throw error;
      throw badArchiveData(path, `line ${line + 1}`, `cannot be read (${(error as Error).message})`, error);
    }
    rest += decoder.decode();
    // The file's last lines are handed out only once the whole file is known to be intact.
    const tail = [rest === '' ? undefined : take(rest), cut()];
    if (zipped !== undefined && (crc >>> 0 !== zipped.crc >>> 0 || bytes !== zipped.size)) {
      throw badArchiveData(
        path,
        `line ${line}`,
        `the inflated CSV does not match the zip's CRC-32 and size (${bytes} bytes, ${zipped.size} expected)`,
      );
    }
    for (const done of tail) if (done !== undefined) yield done;
  } finally {
    stream.destroy();
    zipped?.close();
  }
}
