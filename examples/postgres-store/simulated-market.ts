import type { Timeframe } from 'market-data-pipeline';
import { SimulatedSource, type ManualClock } from 'market-data-pipeline/testing';

/** Where the simulated market starts (epoch ms): 2025-01-30 00:00 UTC. */
export const MARKET_START: number = Date.UTC(2025, 0, 30);
/** The market's symbols. */
export const MARKET_SYMBOLS: readonly string[] = ['BTCUSD', 'ETHUSD'];
/** The timeframes `main.ts` keeps. */
export const MARKET_TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '1H'];

/**
 * The seeded two-symbol market of `main.ts` and its kill test, the same in every process: four
 * hours of 1m bars whose primary sends bad rows from minute 40 to 60 (the pipeline removes them
 * and fills the holes, then replaces the fills with real bars: revisions) and is down from minute
 * 80 for 15 minutes (failover to the backup, backfill on recovery).
 *
 * @param clock - The clock both sources answer by.
 * @returns The primary (`exchange_api`) and backup (`data_provider`) sources.
 */
export function simulatedMarket(clock: ManualClock): { primary: SimulatedSource; backup: SimulatedSource } {
  const generate = { start: MARKET_START, count: 4 * 60 };
  const symbols = [...MARKET_SYMBOLS];
  const MIN = 60_000;
  return {
    primary: new SimulatedSource({
      clock,
      name: 'exchange_api',
      symbols,
      generate,
      faults: [
        { kind: 'bad_rows', rate: 0.2, from: MARKET_START + 40 * MIN, to: MARKET_START + 60 * MIN, seed: 7 },
        { kind: 'outage', from: MARKET_START + 80 * MIN, durationMs: 15 * MIN },
      ],
    }),
    backup: new SimulatedSource({ clock, name: 'data_provider', symbols, generate }),
  };
}
