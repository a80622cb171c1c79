import { Pipeline, type Ohlcv, type RevisedBar, type Timeframe } from 'market-data-pipeline';
import { ManualClock, MemorySink, SimulatedSource } from 'market-data-pipeline/testing';

// The pipeline run the browser test makes twice: bundled, in headless Chromium, and in Node.
// It imports only the published package (`market-data-pipeline`, `.../testing`), so the bundle
// holds exactly what a browser user gets.

/** What one run produced, as plain JSON (it crosses `page.evaluate`). */
export interface ScenarioFacts {
  /** Closed bars the sink holds per `symbol timeframe`, e.g. `{ 'BTCUSD 5m': 288 }`. */
  readonly bars: Record<string, number>;
  /** The documents written, as `name` or `name symbol`, sorted. */
  readonly documents: string[];
  /** Closed BTCUSD 5m bars the sink holds. */
  readonly fiveMinuteBars: number;
  /** Every bar the sink holds, per `symbol timeframe`, oldest first. */
  readonly series: Record<string, RevisedBar[]>;
  /** The last body of every document, by the same keys as `documents`. */
  readonly bodies: Record<string, unknown>;
}

/** Midnight UTC, 2025-01-30: the simulated day starts here. */
export const SCENARIO_START = Date.UTC(2025, 0, 30);
/** The symbols of the simulated market. */
export const SCENARIO_SYMBOLS: readonly string[] = ['BTCUSD', 'ETHUSD'];
/** The timeframes the pipeline aggregates (the specification's). */
export const SCENARIO_TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '1H', '4H', '1D'];
/** Generator options of the seeded market: one day of 1m bars from `SCENARIO_START`. */
export const SCENARIO_GENERATE = { seed: 7, start: SCENARIO_START, count: 1440 } as const;

const DAY = 86_400_000;

/**
 * One day of 1m bars for two symbols through a `Pipeline` with a `SimulatedSource`, a
 * `ManualClock` and a `MemorySink`, in one `runOnce()`.
 *
 * @param bars - The 1m bars to serve, per symbol; when omitted the source generates them from
 *   `SCENARIO_GENERATE` (seed 7 for BTCUSD, 8 for ETHUSD).
 * @returns What the sink received.
 */
export async function runScenario(bars?: Readonly<Record<string, readonly Ohlcv[]>>): Promise<ScenarioFacts> {
  // One second after the day's last 1m bar closes: every bar of the day is closed.
  const clock = new ManualClock(SCENARIO_START + DAY + 1000);
  const primary = new SimulatedSource({
    clock,
    name: 'exchange_api',
    ...(bars === undefined ? { symbols: SCENARIO_SYMBOLS, generate: SCENARIO_GENERATE } : { bars }),
  });
  const sink = new MemorySink();
  const pipeline = new Pipeline({
    primary,
    sinks: [sink],
    clock,
    start: SCENARIO_START,
    random: () => 0.5,
    config: { symbols: [...SCENARIO_SYMBOLS], timeframes: [...SCENARIO_TIMEFRAMES] },
  });
  await pipeline.runOnce();
  await pipeline.flush();
  await pipeline.stop();

  const counts: Record<string, number> = {};
  const series: Record<string, RevisedBar[]> = {};
  for (const symbol of SCENARIO_SYMBOLS) {
    for (const timeframe of SCENARIO_TIMEFRAMES) {
      const key = `${symbol} ${timeframe}`;
      series[key] = sink.bars(symbol, timeframe);
      counts[key] = series[key].length;
    }
  }
  const bodies: Record<string, unknown> = {};
  for (const record of sink.records) {
    if (record.kind !== 'document') continue;
    bodies[record.symbol === undefined ? record.name : `${record.name} ${record.symbol}`] = sink.document(record.name, record.symbol);
  }
  return {
    bars: counts,
    documents: Object.keys(bodies).sort(),
    fiveMinuteBars: sink.bars('BTCUSD', '5m').length,
    series,
    bodies,
  };
}
