import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTimeframe, type Timeframe } from 'market-data-pipeline';

/** How a file in an archive folder is laid out. */
export type ArchiveFormat = 'binance-zip' | 'binance-csv' | 'freqtrade-json' | 'freqtrade-feather' | 'freqtrade-parquet';

/** One data file found in an archive folder, described by its name alone (nothing is read). */
export interface ArchiveFile {
  /** Full path. */
  readonly path: string;
  /** How it is laid out. */
  readonly format: ArchiveFormat;
  /** The symbol as the file spells it, upper case with separators removed: `BTCUSDT` (Binance) or `BTC_USDT` → `BTCUSDT` (freqtrade). */
  readonly symbol: string;
  /** The bars' timeframe, or `'trades'` for a Binance trades dump (`BTCUSDT-trades-2024-01.zip`). */
  readonly timeframe: Timeframe | 'trades';
  /**
   * The period the file's name says it holds, epoch ms `[from, to)`: a UTC month or day for a
   * Binance dump; absent for a freqtrade file (one file per pair and timeframe, any span).
   */
  readonly period?: { readonly from: number; readonly to: number };
}

// data.binance.vision: BTCUSDT-1m-2024-01.zip (monthly), BTCUSDT-1m-2024-01-15.zip (daily), or the CSV inside;
// trades dumps alike: BTCUSDT-trades-2024-01.zip.
const BINANCE = /^([A-Z0-9]+)-(\w+?)-(\d{4})-(\d{2})(?:-(\d{2}))?\.(zip|csv)$/;
// freqtrade: BTC_USDT-1m.json, .feather, .parquet; futures candles carry a candle type (-futures, -mark, ...).
const FREQTRADE = /^([A-Za-z0-9]+(?:_[A-Za-z0-9]+)+)-(\w+?)(-[a-z_A-Z]+)?\.(json|feather|parquet)$/;

function binanceFile(path: string, match: RegExpExecArray): ArchiveFile | undefined {
  const [, symbol, interval, year, month, day, ext] = match as unknown as readonly string[];
  const timeframe = interval === 'trades' ? { ok: true as const, value: 'trades' as const } : parseTimeframe(interval as string);
  if (!timeframe.ok) return undefined;
  const y = Number(year);
  const m = Number(month) - 1;
  const from = day === undefined ? Date.UTC(y, m, 1) : Date.UTC(y, m, Number(day));
  const to = day === undefined ? Date.UTC(y, m + 1, 1) : Date.UTC(y, m, Number(day) + 1);
  return {
    path,
    format: ext === 'zip' ? 'binance-zip' : 'binance-csv',
    symbol: symbol as string,
    timeframe: timeframe.value,
    period: { from, to },
  };
}

function freqtradeFile(path: string, match: RegExpExecArray): ArchiveFile | undefined {
  const [, pair, interval, candleType, ext] = match as unknown as readonly (string | undefined)[];
  // Spot candles only: futures, mark, index and funding-rate candles are other series.
  if (candleType !== undefined) return undefined;
  const timeframe = parseTimeframe(interval as string);
  if (!timeframe.ok) return undefined;
  const format = ext === 'json' ? 'freqtrade-json' : ext === 'feather' ? 'freqtrade-feather' : 'freqtrade-parquet';
  return { path, format, symbol: (pair as string).replaceAll('_', '').toUpperCase(), timeframe: timeframe.value };
}

/**
 * Lists the data files of an archive folder and its subfolders (data.binance.vision's tree
 * `spot/monthly/klines/BTCUSDT/1m/` or freqtrade's `user_data/data/binance/` alike), from
 * their names: Binance kline dumps `<SYMBOL>-<interval>-<YYYY>-<MM>[-<DD>].zip|.csv`, Binance
 * trades dumps `<SYMBOL>-trades-<YYYY>-<MM>[-<DD>].zip|.csv` and freqtrade spot candles
 * `<BASE>_<QUOTE>-<timeframe>.json|.feather|.parquet`. Other files (aggTrades dumps, checksums,
 * futures/mark/funding candles, unknown timeframes) are left out.
 *
 * @param folder - The folder to scan.
 * @returns The files, in no particular order.
 */
export async function listArchiveFiles(folder: string): Promise<ArchiveFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: ArchiveFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const binance = BINANCE.exec(entry.name);
    const freqtrade = binance === null ? FREQTRADE.exec(entry.name) : null;
    const file = binance !== null ? binanceFile(path, binance) : freqtrade !== null ? freqtradeFile(path, freqtrade) : undefined;
    if (file !== undefined) files.push(file);
  }
  return files;
}
