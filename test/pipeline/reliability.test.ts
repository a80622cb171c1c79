/**
 * Reliability under seeded random fault schedules (issue 8): source faults on the primary
 * (errors, timeouts, hangs, empty answers, bad rows, duplicates, shuffled answers, 429s, 418s,
 * outages, latency), an intermittently failing sink, and graceful restarts from checkpoints.
 * Everything runs on a ManualClock: no real waiting.
 *
 * After recovery, every bar the simulated market produced must be at the sink — real values,
 * no synthetic bar left — exactly once per (symbol, timeframe, timestamp, revision), and the
 * higher timeframes must equal the batch aggregation of the market's bars.
 */
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { PipelineCheckpoint } from '../../src/pipeline/pipeline-options.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { Timeframe } from '../../src/time/timeframe.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { randomFaultScript } from '../../src/testing/random-fault-script.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';
import { mulberry32 } from '../../src/testing/internal/seeded-random.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);
const HOURS = 1;
const TIMEFRAMES: Timeframe[] = ['1m', '5m', '15m'];
const SEEDS = Number(process.env['RELIABILITY_SEEDS'] ?? 500);

/** Runs `task` while advancing the clock five seconds at a time, so sleeps and timeouts can fire. */
async function drive<T>(clock: ManualClock, task: Promise<T>): Promise<T> {
  let settled = false;
  const done = task.finally(() => {
    settled = true;
  });
  for (let i = 0; !settled && i < 100_000; i++) await clock.advance(5000);
  return done;
}

interface Outcome {
  readonly sink: MemorySink;
  readonly market: SimulatedSource;
  readonly end: number;
}

async function simulate(seed: number): Promise<Outcome> {
  const random = mulberry32(seed);
  const clock = new ManualClock(T0 + 20 * MIN);
  const symbols = ['BTCUSD'];
  const generate = { start: T0, count: (HOURS + 1) * 60, seed };
  const faultsEnd = T0 + HOURS * 60 * MIN;
  const primary = new SimulatedSource({
    clock,
    name: 'exchange_api',
    symbols,
    generate,
    faults: randomFaultScript({ seed, start: T0 + 20 * MIN, end: faultsEnd, steps: 8, maxOutageMs: 15 * MIN }),
  });
  const backup = new SimulatedSource({ clock, name: 'data_provider', symbols, generate });
  const sink = new MemorySink({ clock, fail: { rate: 0.2, seed } });
  const options = {
    primary,
    backup,
    sinks: [sink],
    clock,
    random,
    start: T0,
    sinkMaxAttempts: 30,
    config: { symbols, timeframes: TIMEFRAMES },
  };
  let checkpoint: PipelineCheckpoint | undefined;
  let pipeline = new Pipeline(options);
  const until = faultsEnd + 30 * MIN;
  while (clock.now() < until) {
    await drive(clock, pipeline.runOnce());
    if (random() < 0.03) {
      // A graceful restart: stop (in-flight writes are aborted and stay queued), save, resume.
      await pipeline.stop();
      checkpoint = JSON.parse(JSON.stringify(pipeline.checkpoint())) as PipelineCheckpoint;
      pipeline = new Pipeline({ ...options, checkpoint });
    }
    await clock.advance(MIN - (clock.now() % MIN) + 1000);
  }
  // Recovery: a few more cycles with every fault over. The market is judged up to the start of
  // the last cycle (delivery retries move the clock on, so later bars may not be fetched yet).
  let end = clock.now();
  for (let i = 0; i < 3; i++) {
    end = clock.now();
    await drive(clock, pipeline.runOnce());
    await drive(clock, pipeline.flush());
  }
  await pipeline.stop();
  return { sink, market: primary, end };
}

function expectedHigher(bars: readonly Ohlcv[], tf: Timeframe): Ohlcv[] {
  return aggregateOhlcv(bars, tf, { source: '1m' }).bars;
}

describe('Pipeline reliability', () => {
  it(`delivers every bar exactly once under ${SEEDS} seeded fault schedules`, async () => {
    const failures: string[] = [];
    for (let seed = Number(process.env['RELIABILITY_FROM'] ?? 1); seed <= SEEDS; seed++) {
      const { sink, market, end } = await simulate(seed);
      const truth = market.closedBars('BTCUSD', end);
      const got = sink.bars('BTCUSD', '1m').filter((bar) => bar.timestamp < end - (end % MIN));
      const same = (a: Ohlcv, b: Ohlcv) =>
        a.timestamp === b.timestamp &&
        a.open === b.open &&
        a.high === b.high &&
        a.low === b.low &&
        a.close === b.close &&
        a.volume === b.volume &&
        a.flag === undefined;
      if (got.length !== truth.length || got.some((bar, i) => !same(bar, truth[i] as Ohlcv))) {
        failures.push(
          `seed ${seed}: 1m has ${got.length} bars (${got.filter((b) => b.flag !== undefined).length} synthetic), market ${truth.length}`,
        );
        continue;
      }
      for (const tf of TIMEFRAMES.slice(1)) {
        const want = expectedHigher(truth, tf);
        const have = sink.bars('BTCUSD', tf).filter((bar) => bar.timestamp < (want.at(-1)?.timestamp ?? 0) + 1);
        const key = (b: Ohlcv) => `${b.timestamp}:${b.open}:${b.high}:${b.low}:${b.close}:${b.volume.toFixed(9)}`;
        if (have.map(key).join() !== want.map(key).join()) failures.push(`seed ${seed}: ${tf} differs (${have.length} vs ${want.length})`);
      }
      const duplicates = sink.duplicates();
      if (duplicates.length > 0) failures.push(`seed ${seed}: ${duplicates.length} duplicate deliveries`);
    }
    expect(failures).toEqual([]);
  }, 1_200_000);

  it('gives the same output for the same seed', async () => {
    const a = await simulate(42);
    const b = await simulate(42);
    expect(b.sink.deliveries()).toEqual(a.sink.deliveries());
    expect(b.sink.alerts).toEqual(a.sink.alerts);
  }, 120_000);
});
