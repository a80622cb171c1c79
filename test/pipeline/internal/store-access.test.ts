import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/pipeline/memory-store.js';
import { Pipeline } from '../../../src/pipeline/pipeline.js';
import type { Store } from '../../../src/pipeline/store.js';
import { generateOhlcv } from '../../../src/testing/generate-ohlcv.js';
import { ManualClock } from '../../../src/testing/manual-clock.js';
import { fakeSource, latestView, recordingSink } from '../support.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

/** A store that answers every call with a promise, as a database client does, and takes no snapshots. */
function asyncStore(inner = new MemoryStore()): Store {
  return {
    upsert: (symbol, tf, bars) => Promise.resolve(inner.upsert(symbol, tf, bars)),
    range: (symbol, tf, start, end) => Promise.resolve(inner.range(symbol, tf, start, end)),
    last: (symbol, tf) => Promise.resolve(inner.last(symbol, tf)),
    prune: (symbol, tf, before) => Promise.resolve(inner.prune(symbol, tf, before)),
  };
}

async function run(store: Store): Promise<{ pipeline: Pipeline; sink: ReturnType<typeof recordingSink> }> {
  const { bars } = generateOhlcv({ seed: 7, start: T0, count: 120, timeframe: '1m' });
  const clock = new ManualClock(T0 + 45 * MIN + 1000);
  const sink = recordingSink();
  const pipeline = new Pipeline({
    primary: fakeSource('x', bars, clock),
    sinks: [sink],
    store,
    clock,
    start: T0,
    config: { symbols: ['BTCUSD'], timeframes: ['1m', '5m', '15m'] },
  });
  await pipeline.runOnce();
  await pipeline.flush();
  return { pipeline, sink };
}

describe('StoreAccess', () => {
  it('lets the pipeline work the same whether the store answers at once or with promises', async () => {
    const { bars } = generateOhlcv({ seed: 7, start: T0, count: 120, timeframe: '1m' });
    const atOnce = await run(new MemoryStore());
    const promised = await run(asyncStore());
    // The 45 bars closed by 00:45 (the generator's own bars), and the 5m and 15m bars they complete.
    expect(latestView(promised.sink.records, '1m').map((b) => b.timestamp)).toEqual(bars.slice(0, 45).map((b) => b.timestamp));
    expect(latestView(promised.sink.records, '5m')).toHaveLength(9);
    expect(latestView(promised.sink.records, '15m')).toHaveLength(3);
    expect(promised.sink.records.filter((r) => r.kind === 'bars')).toEqual(atOnce.sink.records.filter((r) => r.kind === 'bars'));
  });

  it('puts the store’s snapshot in a checkpoint only when the store takes snapshots', async () => {
    const memory = await run(new MemoryStore());
    const saved = memory.pipeline.checkpoint();
    expect(saved.store?.find((s) => s.timeframe === '1m')?.bars).toHaveLength(45);
    const promised = await run(asyncStore());
    expect(promised.pipeline.checkpoint()).not.toHaveProperty('store');
    // Restoring the snapshot into a new MemoryStore gives the bars back.
    const restored = new MemoryStore();
    const clock = new ManualClock(T0 + 45 * MIN + 1000);
    new Pipeline({ primary: fakeSource('x', [], clock), store: restored, clock, checkpoint: saved, config: { symbols: ['BTCUSD'] } });
    expect(restored.range('BTCUSD', '1m', T0, T0 + 45 * MIN)).toHaveLength(45);
  });
});
