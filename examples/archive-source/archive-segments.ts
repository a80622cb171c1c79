import { open } from 'node:fs/promises';
import { compressionRegistry, CompressionType, RecordBatchReader, TimeUnit, type AsyncRecordBatchFileReader } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { decompress } from 'lz4js';
import { fromCcxtOhlcv, type Ohlcv } from 'market-data-pipeline';
import { badArchiveData } from './bad-archive-data.js';
import { checkBars } from './check-bars.js';
import type { ArchiveFile } from './list-archive-files.js';
import { readBinanceDump } from './read-binance-dump.js';
import { readFreqtradeJson } from './read-freqtrade-json.js';
import { toEpochMsValue, type TableTimeUnit } from './to-epoch-ms-value.js';

// freqtrade writes feather with pandas' default, LZ4-frame compression; apache-arrow leaves codecs to the user.
compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (data) => decompress(data) });

/**
 * A file as the pieces it is read in, each read and checked whole: a Binance dump or a
 * freqtrade JSON file is one piece; a feather file is its record batches (pandas writes 64K
 * rows each), a Parquet file its row groups.
 */
export interface ArchiveSegments {
  /** How many pieces. */
  readonly count: number;
  /**
   * The bars of piece `index`, oldest first.
   * @throws SourceError of kind `bad_data` naming the file and the row.
   */
  read(index: number): Promise<Ohlcv[]>;
}

const COLUMNS = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;
const ARROW_UNITS: Readonly<Record<number, TableTimeUnit>> = {
  [TimeUnit.SECOND]: 's',
  [TimeUnit.MILLISECOND]: 'ms',
  [TimeUnit.MICROSECOND]: 'us',
  [TimeUnit.NANOSECOND]: 'ns',
};

function fail(file: ArchiveFile, error: unknown): never {
  if ((error as { code?: unknown }).code === 'ERR_SOURCE') throw error;
  throw badArchiveData(file.path, undefined, `cannot be read (${(error as Error).message})`, error);
}

/** freqtrade's table columns as ccxt rows, through `fromCcxtOhlcv`, checked. */
function tableBars(file: ArchiveFile, rows: unknown[][], unit: string, firstRow: number): Ohlcv[] {
  const out: Ohlcv[] = [];
  checkBars(fromCcxtOhlcv(rows), { path: file.path, unit, first: firstRow }, out);
  return out;
}

/** Runs `use` on the feather file's Arrow IPC reader, closing the file after. */
async function withFeather<T>(file: ArchiveFile, use: (reader: AsyncRecordBatchFileReader) => Promise<T>): Promise<T> {
  const handle = await open(file.path);
  try {
    const reader = await RecordBatchReader.from(handle);
    if (!reader.isFile() || !reader.isAsync()) throw badArchiveData(file.path, undefined, 'not an Arrow IPC file (feather v2)');
    await reader.open();
    return await use(reader);
  } catch (error) {
    fail(file, error);
  } finally {
    await handle.close();
  }
}

async function featherSegments(file: ArchiveFile): Promise<ArchiveSegments> {
  const count = await withFeather(file, (reader) => Promise.resolve(reader.numRecordBatches));
  return {
    count,
    read: (index) =>
      withFeather(file, async (reader) => {
        const batch = await reader.readRecordBatch(index);
        if (batch === null) throw badArchiveData(file.path, undefined, `record batch ${index + 1} of ${count} is missing`);
        const columns = COLUMNS.map((name) => batch.getChild(name));
        const missing = COLUMNS.filter((_, k) => columns[k] === null);
        if (missing.length > 0) throw badArchiveData(file.path, undefined, `no column ${missing.join(', ')}`);
        const dateType = batch.schema.fields.find((f) => f.name === 'date')?.type as { unit?: number } | undefined;
        const unit = ARROW_UNITS[dateType?.unit ?? TimeUnit.MILLISECOND] ?? 'ms';
        const rows: unknown[][] = [];
        for (let i = 0; i < batch.numRows; i++) {
          rows.push(columns.map((column, k) => (k === 0 ? toEpochMsValue(column?.get(i), unit) : (column?.get(i) as unknown))));
        }
        return tableBars(file, rows, count === 1 ? 'row' : `record batch ${index + 1}, row`, 1);
      }),
  };
}

async function parquetSegments(file: ArchiveFile): Promise<ArchiveSegments> {
  try {
    const buffer = await asyncBufferFromFile(file.path);
    const metadata = await parquetMetadataAsync(buffer);
    const date = metadata.schema.find((element) => element.name === 'date');
    const logical = date?.logical_type;
    const unit: TableTimeUnit = logical?.type === 'TIMESTAMP' ? ({ MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' } as const)[logical.unit] : 'ms';
    const starts = [0];
    for (const group of metadata.row_groups) starts.push((starts[starts.length - 1] as number) + Number(group.num_rows));
    return {
      count: metadata.row_groups.length,
      read: async (index) => {
        const rowStart = starts[index] as number;
        try {
          const objects = await parquetReadObjects({
            file: buffer,
            metadata,
            columns: [...COLUMNS],
            rowStart,
            rowEnd: starts[index + 1] as number,
          });
          const rows = objects.map((o) => COLUMNS.map((name) => (name === 'date' ? toEpochMsValue(o[name], unit) : (o[name] as unknown))));
          return tableBars(file, rows, 'row', rowStart + 1);
        } catch (error) {
          fail(file, error);
        }
      },
    };
  } catch (error) {
    fail(file, error);
  }
}

/**
 * Opens a file of an archive folder as the pieces it is read in (nothing but a feather
 * footer or Parquet metadata is read here).
 *
 * @param file - The file.
 * @returns Its pieces.
 * @throws SourceError of kind `bad_data` naming the file when it cannot be opened as its format.
 */
export async function openSegments(file: ArchiveFile): Promise<ArchiveSegments> {
  switch (file.format) {
    case 'binance-zip':
    case 'binance-csv':
      return { count: 1, read: () => readBinanceDump(file) };
    case 'freqtrade-json':
      return { count: 1, read: () => readFreqtradeJson(file) };
    case 'freqtrade-feather':
      return featherSegments(file);
    case 'freqtrade-parquet':
      return parquetSegments(file);
  }
}
