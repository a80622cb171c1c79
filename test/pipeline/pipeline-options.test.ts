import { describe, expect, it } from 'vitest';
import { type MarketCalendar, type Ohlcv, Pipeline, type PipelineOptions } from '../../src/index.js';
import { ManualClock, MemorySink, SimulatedSource } from '../../src/testing/index.js';

// Through the public entry points only (src/index.ts, src/testing/index.ts), as a user drives a pipeline.

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

/** A 1m bar with prices of its own (`i` is its minute from T0). */
const barAt = (i: number): Ohlcv => ({
  timestamp: T0 + i * MIN,
  open: 100 + i,
  high: 101 + i,
  low: 99 + i,
  close: 100.5 + i,
  volume: 10 + i,
});

/** A pipeline over one symbol and the 1m timeframe, fed by a simulated exchange serving `bars`. */
function pipelineOver(
  bars: readonly Ohlcv[],
  clock: ManualClock,
  options: Partial<PipelineOptions> = {},
): { pipeline: Pipeline; sink: MemorySink } {
  const sink = new MemorySink();
  const source = new SimulatedSource({ clock, bars: { BTCUSD: bars } });
  const pipeline = new Pipeline({
    primary: source,
    sinks: [sink],
    clock,
    start: T0,
    config: { symbols: ['BTCUSD'], timeframes: ['1m'] },
    ...options,
  });
  return { pipeline, sink };
}

describe('PipelineOptions deliverForming', () => {
  const bars = Array.from({ length: 20 }, (_, i) => barAt(i));
  // Mid-way through minute 10: the source serves minutes 0–9 closed and minute 10 forming.
  const now = T0 + 10 * MIN + 30_000;

  it('delivers the forming bar the source served to sinks as a forming record', async () => {
    const clock = new ManualClock(now);
    const { pipeline, sink } = pipelineOver(bars, clock, { deliverForming: true });
    await pipeline.runOnce();
    await pipeline.flush();
    expect(sink.forming('BTCUSD', '1m')).toEqual(bars[10]);
    expect(sink.records.filter((r) => r.kind === 'forming')).toEqual([
      { kind: 'forming', symbol: 'BTCUSD', timeframe: '1m', bar: bars[10] },
    ]);
    // The next minute's cycle replaces it with the next forming bar.
    await clock.advance(MIN);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(sink.forming('BTCUSD', '1m')).toEqual(bars[11]);
    await pipeline.stop();
  });

  it('delivers no forming record by default', async () => {
    const { pipeline, sink } = pipelineOver(bars, new ManualClock(now));
    await pipeline.runOnce();
    await pipeline.flush();
    expect(sink.forming('BTCUSD', '1m')).toBeUndefined();
    expect(sink.records.filter((r) => r.kind === 'forming')).toEqual([]);
    // The closed bars are delivered all the same.
    expect(sink.bars('BTCUSD', '1m').map((b) => b.timestamp)).toEqual(bars.slice(0, 10).map((b) => b.timestamp));
    await pipeline.stop();
  });
});

describe('PipelineOptions calendar', () => {
  // A market closed for minutes 5–9 (say a daily maintenance break): the exchange has bars for
  // minutes 0–4 and 10–19 and nothing in between, as it should.
  const closedFrom = T0 + 5 * MIN;
  const reopens = T0 + 10 * MIN;
  const calendar: MarketCalendar = (t) => t < closedFrom || t >= reopens;
  const bars = [...Array.from({ length: 5 }, (_, i) => barAt(i)), ...Array.from({ length: 10 }, (_, i) => barAt(10 + i))];
  const now = T0 + 20 * MIN + 1000;

  it('neither fills nor reports the closed period, and delivers exactly the bars the exchange has', async () => {
    const { pipeline, sink } = pipelineOver(bars, new ManualClock(now), { calendar });
    const gaps: number[] = [];
    pipeline.on('gap', ({ report }) => gaps.push(report.gap.start));
    await pipeline.runOnce();
    await pipeline.flush();
    const delivered = sink.bars('BTCUSD', '1m');
    expect(delivered.filter((b) => !calendar(b.timestamp)).map((b) => new Date(b.timestamp).toISOString())).toEqual([]);
    expect(delivered.map((b) => b.timestamp)).toEqual(bars.map((b) => b.timestamp));
    expect(delivered.filter((b) => b.flag !== undefined)).toEqual([]);
    expect(gaps).toEqual([]);
    await pipeline.stop();
  });

  it('without it, the same five closed minutes are a gap (so the calendar is what keeps them out)', async () => {
    const { pipeline, sink } = pipelineOver(bars, new ManualClock(now));
    const gaps: number[] = [];
    pipeline.on('gap', ({ report }) => gaps.push(report.gap.start));
    await pipeline.runOnce();
    await pipeline.flush();
    expect(gaps).toEqual([closedFrom]);
    expect(sink.bars('BTCUSD', '1m').filter((b) => !calendar(b.timestamp))).toHaveLength(5);
    await pipeline.stop();
  });
});
