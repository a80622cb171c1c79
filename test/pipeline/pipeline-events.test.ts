import { describe, expect, it } from 'vitest';
import { Pipeline, type Ohlcv, type PipelineEvents } from '../../src/index.js';
import { ManualClock, MemorySink, SimulatedSource } from '../../src/testing/index.js';

// Through the public entry points only (src/index.ts, src/testing/index.ts), as a user drives a pipeline.

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

/** Twenty 1m bars from T0, each with its own prices, so a wrong bar cannot pass for the right one. */
const BARS: readonly Ohlcv[] = Array.from({ length: 20 }, (_, i) => ({
  timestamp: T0 + i * MIN,
  open: 100 + i,
  high: 101 + i,
  low: 99 + i,
  close: 100.5 + i,
  volume: 10 + i,
}));

type UpdateEvent = Parameters<PipelineEvents['update']>[0];

describe('PipelineEvents update', () => {
  it('carries the bar still forming at the source, once per cycle, and never a closed bar', async () => {
    // Mid-way through minute 10: minutes 0–9 are closed, and the simulated exchange also
    // serves minute 10, forming (includeForming, its default).
    const clock = new ManualClock(T0 + 10 * MIN + 30_000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: BARS } });
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: source,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'] },
    });
    const updates: UpdateEvent[] = [];
    pipeline.on('update', (event) => updates.push(event));

    await pipeline.runOnce();
    expect(updates).toEqual([{ symbol: 'BTCUSD', timeframe: '1m', bar: BARS[10] }]);

    await clock.advance(MIN);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(updates).toEqual([
      { symbol: 'BTCUSD', timeframe: '1m', bar: BARS[10] },
      { symbol: 'BTCUSD', timeframe: '1m', bar: BARS[11] },
    ]);
    // The forming bar is an update, not a bar: what was delivered as closed is minutes 0–10.
    expect(sink.bars('BTCUSD', '1m').map((b) => b.timestamp)).toEqual(BARS.slice(0, 11).map((b) => b.timestamp));
    await pipeline.stop();
  });

  it('is not emitted when the source serves closed bars only', async () => {
    const clock = new ManualClock(T0 + 10 * MIN + 30_000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: BARS }, includeForming: false });
    const pipeline = new Pipeline({ primary: source, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
    const updates: UpdateEvent[] = [];
    pipeline.on('update', (event) => updates.push(event));
    await pipeline.runOnce();
    expect(updates).toEqual([]);
    await pipeline.stop();
  });
});
