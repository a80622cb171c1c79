/**
 * The whole pipeline, end to end, into a `MemorySink` (issue 8's targets):
 * - steady state: one new 1m bar for each of 100 symbols with 6 timeframes, per cycle
 *   (target: under 50 µs per bar, i.e. under 5 ms per cycle), polled with `runOnce` — every
 *   bar goes through a source request, so this is the dearer of the two ways in;
 * - a backfill of one year of 1m bars for one symbol (target: under 2 s);
 * - memory held by `MemoryStore` per stored 1m bar (target: at most 64 bytes), printed at setup.
 * The pipeline has no peer library; the reference case is the sink-less ingestion of the same
 * bars (`runOnce` without sinks), so the ratio shows what delivery costs.
 */
import { MemoryStore, Pipeline, type Clock, type Ohlcv, type Source } from '../../src/index.js';
import { generateOhlcv, MemorySink } from '../../src/testing/index.js';
import type { BenchGroup, Suite } from '../harness.js';

const MIN = 60_000;
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);

/**
 * A clock the bench moves by hand, at once. `ManualClock.advance` waits one real
 * `setTimeout(0)` per call (at least 1 ms in Node) so that a test's continuations run; timed
 * here, that wait would count as the pipeline's. Nothing times out in these runs, so a sleep
 * ends only when its signal aborts.
 */
class BenchClock implements Clock {
  time: number;
  constructor(time: number) {
    this.time = time;
  }
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
  }
}

function source(bars: ReadonlyMap<string, readonly Ohlcv[]>, clock: Clock): Source {
  return {
    name: 'bench',
    maxLimit: 1000,
    fetchOhlcv({ symbol, since = 0, limit = 1000 }) {
      const all = bars.get(symbol) ?? [];
      const closedEnd = Math.floor(clock.now() / MIN) * MIN;
      // Bars are one a minute from START: index arithmetic instead of a scan.
      const from = Math.max(0, Math.ceil((since - START) / MIN));
      const to = Math.min(all.length, Math.floor((closedEnd - START) / MIN), from + limit);
      return Promise.resolve(all.slice(from, Math.max(from, to)));
    },
  };
}

const suite: Suite = async () => {
  const symbols = Array.from({ length: 100 }, (_, i) => `SYM${i}`);
  const history = 2 * 1440;
  const future = 2 * 1440;
  const bars = new Map<string, readonly Ohlcv[]>();
  for (const [i, symbol] of symbols.entries()) {
    bars.set(symbol, generateOhlcv({ seed: i + 1, start: START, count: history + future, timeframe: '1m' }).bars);
  }
  const steady = async (withSink: boolean) => {
    const clock = new BenchClock(START + history * MIN + 1000);
    const pipeline = new Pipeline({
      primary: source(bars, clock),
      sinks: withSink ? [new MemorySink({ keepLog: false })] : [],
      clock,
      start: START,
      config: { symbols, delivery: { bufferSize: 10_000 } },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    return async () => {
      clock.time += MIN;
      await pipeline.runOnce();
      await pipeline.flush();
    };
  };
  const withSink = await steady(true);
  const withoutSink = await steady(false);

  const year = generateOhlcv({ seed: 7, start: START, count: 365 * 1440, timeframe: '1m' }).bars;
  const yearBars = new Map([['BTCUSD', year]]);
  const backfill = async () => {
    const clock = new BenchClock(START + 365 * DAY + 1000);
    const pipeline = new Pipeline({
      primary: source(yearBars, clock),
      sinks: [new MemorySink({ keepLog: false })],
      clock,
      start: START,
      config: { symbols: ['BTCUSD'], delivery: { bufferSize: 10_000 } },
    });
    await pipeline.runOnce();
    await pipeline.flush();
  };

  const store = new MemoryStore();
  store.upsert('BTCUSD', '1m', year.map((bar) => ({ ...bar, revision: 0 })));
  const perBar = store.byteLength / store.size('BTCUSD', '1m');
  console.log(`MemoryStore: ${store.size('BTCUSD', '1m')} 1m bars in ${store.byteLength} bytes = ${perBar.toFixed(1)} bytes per bar (target ≤ 64)`);

  const groups: BenchGroup[] = [
    {
      title: 'pipeline: one 1m bar for each of 100 symbols, 6 timeframes (divide by 100 for per-bar cost; target < 5 ms)',
      cases: [
        { name: 'runOnce + delivery to a sink', role: 'ours', fn: withSink },
        { name: 'runOnce without sinks', role: 'limit', fn: withoutSink },
      ],
      targets: [{ ours: 'runOnce + delivery to a sink', maxMs: 5, per: { count: 100, unit: 'bar' } }],
    },
    {
      title: 'pipeline: backfill one year of 1m bars for one symbol, end to end (target < 2000 ms)',
      cases: [{ name: 'new Pipeline + runOnce + flush', role: 'ours', fn: backfill }],
      targets: [{ ours: 'new Pipeline + runOnce + flush', maxMs: 2000 }],
    },
  ];
  return groups;
};

export default suite;
