/**
 * `npm run demo`: what the library can do so far, on generated data. Makes one UTC day of
 * 1m bars for BTCUSD and ETHUSD with a few gaps (the generator reports where it left them),
 * converts them to columns and prints a summary computed from the columns.
 */
import { pathToFileURL } from 'node:url';
import { expectedBarCount, toColumns, type OhlcvColumns } from '../../src/index.js';
import { generateOhlcv, type GeneratedGap } from '../../src/testing/index.js';

/** The day the demo covers, 2025-01-30 00:00 UTC, and the bars it asks for. */
export const DAY_START = Date.UTC(2025, 0, 30);
const DAY_END = DAY_START + 86_400_000;

/** The symbols of the demo with their generator settings. */
export const DEMO_SYMBOLS = [
  { symbol: 'BTCUSD', seed: 2025, startPrice: 45_000, volatility: 0.0008, baseVolume: 12 },
  { symbol: 'ETHUSD', seed: 7, startPrice: 3_200, volatility: 0.0011, baseVolume: 150 },
] as const;

/** What the demo reports for one symbol. */
export interface SymbolSummary {
  readonly symbol: string;
  readonly bars: number;
  readonly expected: number;
  readonly first: number;
  readonly last: number;
  readonly gaps: readonly GeneratedGap[];
  readonly low: number;
  readonly high: number;
  readonly close: number;
}

function summarise(symbol: string, columns: OhlcvColumns, gaps: readonly GeneratedGap[]): SymbolSummary {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < columns.length; i++) {
    low = Math.min(low, columns.low[i] as number);
    high = Math.max(high, columns.high[i] as number);
  }
  return {
    symbol,
    bars: columns.length,
    expected: expectedBarCount(DAY_START, DAY_END, '1m'),
    first: columns.timestamp[0] as number,
    last: columns.timestamp[columns.length - 1] as number,
    gaps,
    low,
    high,
    close: columns.close[columns.length - 1] as number,
  };
}

const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);

/**
 * Runs the demo and prints through `log`.
 *
 * @param log - where lines go (the test captures them).
 * @returns The summaries it printed.
 */
export function main(log: (line: string) => void = console.log): SymbolSummary[] {
  log('market-data-pipeline demo: one UTC day (2025-01-30) of generated 1m bars');
  const summaries: SymbolSummary[] = [];
  for (const s of DEMO_SYMBOLS) {
    const { bars, gaps } = generateOhlcv({
      seed: s.seed,
      start: DAY_START,
      count: 1440,
      timeframe: '1m',
      startPrice: s.startPrice,
      volatility: s.volatility,
      baseVolume: s.baseVolume,
      gapRate: 0.002,
      maxGapBars: 4,
    });
    const summary = summarise(s.symbol, toColumns(bars), gaps);
    summaries.push(summary);
    const missing = gaps.reduce((n, g) => n + g.missing, 0);
    log(
      `${s.symbol}  bars ${summary.bars}/${summary.expected}  ` +
        `first ${new Date(summary.first).toISOString()}  last ${new Date(summary.last).toISOString()}`,
    );
    log(
      `        gaps ${gaps.length} (${missing} bars missing)` +
        (gaps.length === 0 ? '' : `: ${gaps.map((g) => (g.missing === 1 ? hhmm(g.start) : `${hhmm(g.start)}–${hhmm(g.end - 60_000)}`)).join(', ')}`),
    );
    log(`        low ${summary.low.toFixed(2)}  high ${summary.high.toFixed(2)}  last close ${summary.close.toFixed(2)}`);
  }
  return summaries;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
