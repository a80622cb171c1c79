import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { Ohlcv } from 'market-data-pipeline';

/** How {@link writeBinanceDump} lays the file out. */
export interface BinanceDumpLayout {
  /** Open and close times in ms (Binance before 2025) or µs (spot files from 2025-01-01 on). */
  readonly unit: 'ms' | 'us';
  /** Zip the CSV, as data.binance.vision serves it. */
  readonly zip: boolean;
  /** Start with the header line some newer files carry. @defaultValue false */
  readonly header?: boolean;
}

const HEADER = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';

/**
 * One Binance kline CSV line, as data.binance.vision writes it: 12 columns, prices and
 * volumes with 8 decimals, `close_time = open_time + interval − 1 ms`.
 */
function klineLine(bar: Ohlcv, intervalMs: number, unit: 'ms' | 'us'): string {
  const time = (ms: number): string => (unit === 'us' ? `${ms}000` : String(ms));
  const closeTime = unit === 'us' ? `${bar.timestamp + intervalMs - 1}999` : String(bar.timestamp + intervalMs - 1);
  const d = (x: number): string => x.toFixed(8);
  const quote = bar.quoteVolume ?? bar.volume * bar.close;
  const taker = bar.takerBuyVolume ?? bar.volume / 2;
  return [
    time(bar.timestamp),
    d(bar.open),
    d(bar.high),
    d(bar.low),
    d(bar.close),
    d(bar.volume),
    closeTime,
    d(quote),
    String(bar.trades ?? 1),
    d(taker),
    d(taker * bar.close),
    '0',
  ].join(',');
}

/**
 * Writes bars as one data.binance.vision kline dump, `<SYMBOL>-<interval>-<name>.zip` (or
 * `.csv`), for tests and the benchmark.
 *
 * @param folder - Where to write it.
 * @param fileName - The name without extension, e.g. `BTCUSDT-1m-2024-01` (monthly) or `BTCUSDT-1m-2024-01-15` (daily).
 * @param bars - The bars, oldest first.
 * @param intervalMs - The bars' width in ms (close times).
 * @param layout - Units, zip, header.
 * @returns The file's path.
 */
export async function writeBinanceDump(
  folder: string,
  fileName: string,
  bars: readonly Ohlcv[],
  intervalMs: number,
  layout: BinanceDumpLayout,
): Promise<string> {
  const lines = bars.map((bar) => klineLine(bar, intervalMs, layout.unit));
  const csv = `${layout.header === true ? `${HEADER}\n` : ''}${lines.join('\n')}\n`;
  const path = join(folder, `${fileName}.${layout.zip ? 'zip' : 'csv'}`);
  await writeFile(path, layout.zip ? zipSync({ [`${fileName}.csv`]: strToU8(csv) }) : csv);
  return path;
}
