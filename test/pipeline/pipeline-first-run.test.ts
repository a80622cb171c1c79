import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { DataStatus } from '../../src/schemas/data-status-schema.js';
import type { LatestOhlcv } from '../../src/schemas/latest-ohlcv-schema.js';
import type { MarketContext } from '../../src/schemas/market-context-schema.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';

const MIN = 60_000;
// Thursday 2025-01-30 10:30:01 UTC, the specification's example time.
const NOW = Date.UTC(2025, 0, 30, 10, 30, 1);
const HISTORY = Date.UTC(2025, 0, 10);

/** High, low, close and volume of `bars` opening in [from, to), computed here from the source's own bars. */
function span(
  bars: readonly Ohlcv[],
  from: number,
  to: number,
): { high: number; low: number; close: number; volume: number; count: number } {
  const inside = bars.filter((b) => b.timestamp >= from && b.timestamp < to);
  return {
    high: Math.max(...inside.map((b) => b.high)),
    low: Math.min(...inside.map((b) => b.low)),
    close: inside.at(-1)?.close ?? Number.NaN,
    volume: inside.reduce((sum, b) => sum + b.volume, 0),
    count: inside.length,
  };
}

function documents(sink: MemorySink) {
  const last = <T>(name: string): T => {
    const record = sink.records.filter((r) => r.kind === 'document' && r.name === name).at(-1);
    return (record?.kind === 'document' ? record.body : undefined) as T;
  };
  return {
    status: last<DataStatus>('data_status'),
    latest: last<LatestOhlcv>('latest_ohlcv'),
    context: last<MarketContext>('market_context'),
  };
}

describe('Pipeline first run (specification: documents claim only what is known)', () => {
  const { bars } = generateOhlcv({ seed: 21, start: HISTORY, count: Math.floor((NOW - HISTORY) / MIN) + 60, timeframe: '1m' });

  it('fetches the history its documents read, through the limiter, with progress, and fills every level', async () => {
    const clock = new ManualClock(NOW);
    const source = new SimulatedSource({ clock, name: 'exchange', bars: { BTCUSD: bars } });
    const sink = new MemorySink();
    const pipeline = new Pipeline({ primary: source, sinks: [sink], clock, config: { symbols: ['BTCUSD'] } });
    const progress: { done: number; total: number }[] = [];
    pipeline.on('progress', ({ done, total }) => progress.push({ done, total }));
    await pipeline.runOnce();
    await pipeline.flush();
    // The earliest need is the previous Monday-anchored week (weekly levels): from Monday 2025-01-20.
    const from = Date.UTC(2025, 0, 20);
    const closedEnd = Date.UTC(2025, 0, 30, 10, 30);
    expect(source.requests[0]?.since).toBe(from);
    expect(progress.at(-1)).toEqual({ done: (closedEnd - from) / MIN, total: (closedEnd - from) / MIN });
    const { status, latest, context } = documents(sink);
    // The day so far: 00:00 to 10:29, 630 bars.
    const today = span(bars, Date.UTC(2025, 0, 30), closedEnd);
    expect(status.symbols['BTCUSD']?.timeframes['1m']).toMatchObject({ bars_today: today.count, gaps_today: 0, quality_score: 1 });
    expect(latest.derived).toMatchObject({ daily_high: today.high, daily_low: today.low });
    expect(latest.derived.daily_volume).toBeCloseTo(today.volume, 6);
    expect(latest.derived.atr_14_1H).not.toBeNull();
    expect(latest.missing).toBeUndefined();
    // Floor pivots of the previous UTC day: P = (H + L + C) / 3, R1 = 2P − L, S1 = 2P − H.
    const yesterday = span(bars, Date.UTC(2025, 0, 29), Date.UTC(2025, 0, 30));
    const pivot = (yesterday.high + yesterday.low + yesterday.close) / 3;
    expect(context.key_levels.daily_pivot).toBeCloseTo(pivot, 6);
    expect(context.key_levels.daily_r1).toBeCloseTo(2 * pivot - yesterday.low, 6);
    expect(context.key_levels.daily_s1).toBeCloseTo(2 * pivot - yesterday.high, 6);
    // The previous week, Monday 2025-01-20 to Sunday 2025-01-26.
    const week = span(bars, from, Date.UTC(2025, 0, 27));
    expect(context.key_levels).toMatchObject({ weekly_high: week.high, weekly_low: week.low });
    expect(context.trend_4H).not.toBeNull();
  });

  it('what a bounded first run could not get shows as missing, never as perfect', async () => {
    const clock = new ManualClock(NOW);
    const source = new SimulatedSource({ clock, name: 'exchange', bars: { BTCUSD: bars } });
    const sink = new MemorySink();
    const pipeline = new Pipeline({ primary: source, sinks: [sink], clock, warmUpBars: 100, config: { symbols: ['BTCUSD'] } });
    await pipeline.runOnce();
    await pipeline.flush();
    const { status, latest, context } = documents(sink);
    // 100 of the day's 630 bars are held, and 100 of the quality window's 1440 1m slots (a day):
    // completeness 100/1440, the other three metrics 1, weighed 0.3/0.3/0.25/0.15.
    expect(status.symbols['BTCUSD']?.timeframes['1m']?.bars_today).toBe(100);
    expect(status.symbols['BTCUSD']?.timeframes['1m']?.quality_score).toBeCloseTo(0.3 * (100 / 1440) + 0.3 + 0.25 + 0.15, 4);
    expect(latest.derived).toMatchObject({ daily_high: null, daily_low: null, daily_volume: null, atr_14_1H: null });
    expect(latest.missing).toContainEqual({ field: 'derived.daily_high', reason: '100 of the 630 1m bars since 00:00 UTC are held' });
    expect(latest.missing?.map((m) => m.field)).toContain('derived.atr_14_1H');
    expect(context.key_levels.daily_pivot).toBeNull();
    expect(context.missing?.map((m) => m.field)).toContain('key_levels.daily_pivot');
  });

  it('rejects a warm-up bound that is not a positive integer', () => {
    const clock = new ManualClock(NOW);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: bars.slice(0, 10) } });
    expect(() => new Pipeline({ primary: source, clock, warmUpBars: 0 })).toThrow(/warmUpBars/);
  });
});
