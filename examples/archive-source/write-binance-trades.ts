import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { Tick } from 'market-data-pipeline';

/** How {@link writeBinanceTrades} lays the file out. */
export interface BinanceTradesLayout {
  /** Trade times in ms (Binance before 2025) or µs (spot files from 2025-01-01 on). */
  readonly unit: 'ms' | 'us';
  /** Zip the CSV, as data.binance.vision serves it. */
  readonly zip: boolean;
  /**
   * `spot`: seven columns, no header, `True`/`False`; `futures` (USD-M): a header line, six
   * columns, `true`/`false`.
   * @defaultValue 'spot'
   */
  readonly market?: 'spot' | 'futures';
}

/**
 * Writes trades as one data.binance.vision trades dump, `<SYMBOL>-trades-<period>.zip` (or
 * `.csv`), for tests: `id,price,qty,quoteQty,time,isBuyerMaker[,isBestMatch]`, prices and
 * quantities with 8 decimals, `isBuyerMaker` true when the taker sold.
 *
 * @param folder - Where to write it.
 * @param fileName - The name without extension, e.g. `BTCUSDT-trades-2024-01-15`.
 * @param ticks - The trades, oldest first.
 * @param layout - Units, zip, market.
 * @returns The file's path.
 */
export async function writeBinanceTrades(
  folder: string,
  fileName: string,
  ticks: readonly Tick[],
  layout: BinanceTradesLayout,
): Promise<string> {
  const spot = (layout.market ?? 'spot') === 'spot';
  const bool = (b: boolean): string => (spot ? (b ? 'True' : 'False') : String(b));
  const lines = ticks.map((t) => {
    const time = layout.unit === 'us' ? `${t.timestamp}000` : String(t.timestamp);
    const row = [
      String(t.tradeId),
      t.price.toFixed(8),
      t.quantity.toFixed(8),
      (t.price * t.quantity).toFixed(8),
      time,
      bool(t.side === 'sell'),
    ];
    return (spot ? [...row, bool(true)] : row).join(',');
  });
  const header = spot ? '' : 'id,price,qty,quote_qty,time,is_buyer_maker\n';
  const csv = `${header}${lines.join('\n')}\n`;
  const path = join(folder, `${fileName}.${layout.zip ? 'zip' : 'csv'}`);
  await writeFile(path, layout.zip ? zipSync({ [`${fileName}.csv`]: strToU8(csv) }) : csv);
  return path;
}
