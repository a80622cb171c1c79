/**
 * `npx tsx examples/backtest/main.ts`: a week of simulated BTCUSD cleaned by the pipeline,
 * a moving-average crossover on 5m bars with 1H context and no look-ahead, and the bars
 * exported in the shapes backtesters take.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { joinHigherTimeframe, toCcxtOhlcv, toColumns } from 'market-data-pipeline';
import { loadCleanBars } from './load-clean-bars.js';
import { runBacktest, type BacktestResult } from './run-backtest.js';
import { toDateBars } from './to-date-bars.js';

const iso = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
const percent = (x: number): string => `${(x * 100).toFixed(2)} %`;

/**
 * Loads the clean bars, runs the backtest, writes the 5m bars as ccxt arrays (freqtrade's JSON
 * data layout) under `<root>/data/backtest/` and prints a summary.
 *
 * @param root - directory to write `data/backtest/` under; the current directory by default.
 * @param log - where lines go.
 * @returns The backtest result and the file written.
 */
export async function main(root = '.', log: (line: string) => void = console.log): Promise<{ result: BacktestResult; file: string }> {
  const { symbol, bars5m, bars1h, rejected, filled } = await loadCleanBars();
  log(
    `${symbol}: ${bars5m.length} clean 5m bars and ${bars1h.length} 1H bars from the pipeline (${rejected} bad rows refused, ${filled} 1m bars filled)`,
  );

  // Each 5m bar sees the last 1H bar that had CLOSED when the 5m bar closed.
  const joined = joinHigherTimeframe(bars5m, '5m', bars1h, '1H');
  const result = runBacktest(joined, { fast: 12, slow: 48 });
  log(
    `MA 12/48 crossover, long only when the last closed hour went up: ${result.trades.length} trades, ` +
      `win rate ${percent(result.winRate)}, total return ${percent(result.totalReturn)}`,
  );
  for (const trade of result.trades.slice(0, 5)) {
    log(
      `  ${iso(trade.entryTime)} buy ${trade.entryPrice.toFixed(2)} → ${iso(trade.exitTime)} sell ${trade.exitPrice.toFixed(2)}  ${percent(trade.return)}`,
    );
  }
  if (result.trades.length > 5) log(`  … ${result.trades.length - 5} more`);

  // The same bars in the shapes backtesters take.
  const ccxt = toCcxtOhlcv(bars5m); // [[timestamp, open, high, low, close, volume], …]
  const dated = toDateBars(bars5m); // [{ date: Date, open, high, low, close, volume }, …]
  const columns = toColumns(bars5m); // { timestamp: Float64Array, open: Float64Array, … }
  const dir = resolve(root, 'data', 'backtest');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${symbol}-5m.json`);
  await writeFile(file, JSON.stringify(ccxt));
  log(`ccxt arrays: ${ccxt.length} rows written to ${relative(process.cwd(), file)}; first ${JSON.stringify(ccxt[0])}`);
  log(`Date bars: first ${dated[0]?.date.toISOString() ?? '—'}; columns: ${columns.length} rows of Float64Array`);
  return { result, file };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
