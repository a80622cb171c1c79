import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/pipeline/memory-store.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { PipelineEvents } from '../../src/pipeline/pipeline-events.js';
import { atr } from '../../src/indicators/atr.js';
import { checkValidity } from '../../src/quality/check-validity.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { fakeSource, flat, latestView, recordingSink } from './support.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 0, 30);

type QualityEvent = Parameters<PipelineEvents['quality']>[0];

/**
 * Flat 1m bars (price 100, volume 1) from T0: bar `spike` trades 1000, twenty times the mean
 * of the twenty bars before it (the validity rule `volumeSpikeThreshold: 20`,
 * `volumeWindow: 20`), so it is the one bad bar; the bars in `missing` are left out.
 */
function series(count: number, spike: number, missing: ReadonlySet<number>): Ohlcv[] {
  const bars: Ohlcv[] = [];
  for (let i = 0; i < count; i++) if (!missing.has(i)) bars.push(flat(T0 + i * MIN, 100, i === spike ? 1000 : 1));
  return bars;
}

/** A 1m pipeline over `bars` into a `MemoryStore` that keeps two hours of 1m bars. */
function withTwoHourRetention(bars: readonly Ohlcv[], clock: ManualClock): { pipeline: Pipeline; store: MemoryStore } {
  const store = new MemoryStore();
  const pipeline = new Pipeline({
    primary: fakeSource('exchange_api', bars, clock),
    sinks: [],
    store,
    clock,
    start: T0,
    config: { symbols: ['BTCUSD'], timeframes: ['1m'], retention: { '1m': 2 * HOUR } },
  });
  return { pipeline, store };
}

function lastQuality(events: readonly QualityEvent[]): QualityEvent {
  const event = events.filter((e) => e.timeframe === '1m').at(-1);
  if (event === undefined) throw new Error('no quality event for 1m');
  return event;
}

describe('Pipeline documents', () => {
  it('updates the 1H ATR of latest_ohlcv as 1H bars close', async () => {
    // 30 hours of 1m bars; the documents after hour 20 and after hour 30 must each carry the
    // ATR(14) of the 1H bars delivered so far (Wilder, as `atr` computes it).
    const bars = generateOhlcv({ seed: 3, start: T0, count: 30 * 60, timeframe: '1m' }).bars;
    const clock = new ManualClock(T0 + 20 * HOUR + 1000);
    const sink = recordingSink();
    const pipeline = new Pipeline({
      primary: fakeSource('exchange_api', bars, clock),
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m', '1H'] },
    });
    const atrOfDocument = (): number | null => {
      const doc = sink.records.filter((r) => r.kind === 'document' && r.name === 'latest_ohlcv').at(-1);
      return doc?.kind === 'document' && doc.name === 'latest_ohlcv' ? doc.body.derived.atr_14_1H : null;
    };
    const expected = (): number => atr(latestView(sink.records, '1H'), { period: 14 }).at(-1) as number;
    await pipeline.runOnce();
    await pipeline.flush();
    expect(latestView(sink.records, '1H')).toHaveLength(20);
    const first = atrOfDocument();
    expect(first).toBeCloseTo(expected(), 8);
    // Ten hours in cycles of 100 minutes (a cycle fetches at most `maxBackfillBars` = 100 bars back).
    for (let k = 0; k < 6; k++) {
      await clock.advance(100 * MIN);
      await pipeline.runOnce();
    }
    await pipeline.flush();
    expect(latestView(sink.records, '1H')).toHaveLength(30);
    expect(atrOfDocument()).toBeCloseTo(expected(), 8);
    expect(atrOfDocument()).not.toBe(first);
    await pipeline.stop();
  });
});

describe('Pipeline market context', () => {
  it('moves the daily pivot to the day that just closed', async () => {
    // Floor pivot of the previous UTC day: P = (high + low + close) / 3 of its 1D bar.
    const bars = generateOhlcv({ seed: 5, start: T0, count: 3 * 24 * 60, timeframe: '1m' }).bars;
    const clock = new ManualClock(T0 + DAY + 2 * HOUR + 1000);
    const sink = recordingSink();
    const pipeline = new Pipeline({
      primary: fakeSource('exchange_api', bars, clock),
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m', '1D'] },
    });
    const pivot = (): number | null => {
      const doc = sink.records.filter((r) => r.kind === 'document' && r.name === 'market_context').at(-1);
      return doc?.kind === 'document' && doc.name === 'market_context' ? doc.body.key_levels.daily_pivot : null;
    };
    const floorPivot = (day: number): number => {
      const bar = latestView(sink.records, '1D').find((b) => b.timestamp === T0 + day * DAY);
      if (bar === undefined) throw new Error(`no 1D bar for day ${day}`);
      return (bar.high + bar.low + bar.close) / 3;
    };
    await pipeline.runOnce();
    await pipeline.flush();
    expect(pivot()).toBeCloseTo(floorPivot(0), 6);
    // One more day in cycles of 90 minutes.
    for (let k = 0; k < 16; k++) {
      await clock.advance(90 * MIN);
      await pipeline.runOnce();
    }
    await pipeline.flush();
    expect(clock.now()).toBeGreaterThan(T0 + 2 * DAY);
    expect(pivot()).toBeCloseTo(floorPivot(1), 6);
    await pipeline.stop();
  });
});

describe('Pipeline quality', () => {
  it('scores the base series over the last day, each bar judged once when it arrives', async () => {
    // Bar 1500 is the volume spike; 2000..2019 are missing (a large gap: marked missing, not filled).
    const missing = new Set(Array.from({ length: 20 }, (_, i) => 2000 + i));
    const bars = series(3200, 1500, missing);
    const clock = new ManualClock(T0 + 2600 * MIN + 1000);
    const source = fakeSource('exchange_api', bars, clock);
    const store = new MemoryStore();
    const pipeline = new Pipeline({
      primary: source,
      sinks: [recordingSink()],
      store,
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'] },
    });
    const events: QualityEvent[] = [];
    pipeline.on('quality', (e) => events.push(e));
    await pipeline.runOnce();

    // Window [now − 1 day, now): bars 1161..2599 open in it, 20 of them missing. Completeness
    // counts the slots from the window's first bar to the newest: 1439, of which 1419 hold a bar.
    let q = lastQuality(events);
    expect(q.bars).toBe(1419);
    expect(q.metrics.completeness).toBeCloseTo(1419 / 1439, 12);
    expect(q.metrics.validity).toBeCloseTo(1418 / 1419, 12);
    expect(q.metrics.consistency).toBe(1);
    expect(q.metrics.freshness).toBe(1);
    expect(q.score).toBeCloseTo(0.3 * (1419 / 1439) + 0.3 * (1418 / 1419) + 0.25 + 0.15, 12);
    // The spike sits far from the window's start, so the public check on the window agrees.
    const window = store.range('BTCUSD', '1m', clock.now() - DAY, clock.now());
    expect(checkValidity(window, { timeframe: '1m' }).badBars).toBe(1);

    // Four more cycles of 100 minutes: the window slides past the spike; the gap stays in it.
    for (let k = 0; k < 4; k++) {
      await clock.advance(100 * MIN);
      await pipeline.runOnce();
    }
    q = lastQuality(events);
    expect(q.bars).toBe(1419);
    expect(q.metrics.completeness).toBeCloseTo(1419 / 1439, 12);
    expect(q.metrics.validity).toBe(1);
    await pipeline.stop();
  });

  it('judges the window again when real bars replace filled ones', async () => {
    // Bars 1450..1454 are missing at first (a medium gap: forward-filled, valid); the backfill
    // then brings them, bar 1452 with the volume spike.
    const all = series(1500, 1452, new Set());
    const gap = new Set([1450, 1451, 1452, 1453, 1454]);
    const clock = new ManualClock(T0 + 1500 * MIN + 1000);
    const source = fakeSource(
      'exchange_api',
      all.filter((b) => !gap.has((b.timestamp - T0) / MIN)),
      clock,
    );
    const pipeline = new Pipeline({
      primary: source,
      sinks: [recordingSink()],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'] },
    });
    const events: QualityEvent[] = [];
    pipeline.on('quality', (e) => events.push(e));
    await pipeline.runOnce();
    // Window [now − 1 day, now) opens 1 s after bar 60: bars 61..1499, five of them filled, none bad.
    expect(lastQuality(events).bars).toBe(1439);
    expect(lastQuality(events).metrics.validity).toBe(1);

    source.bars.splice(0, source.bars.length, ...all);
    await clock.advance(MIN);
    await pipeline.runOnce();
    // A minute later: bars 62..1499 (the source has nothing newer), the spike among them.
    const q = lastQuality(events);
    expect(q.bars).toBe(1438);
    expect(q.metrics.validity).toBeCloseTo(1437 / 1438, 12);
    await pipeline.stop();
  });

  it('scores only the bars the store keeps when retention is shorter than the window', async () => {
    const bars = series(10 * 60, -1, new Set());
    const clock = new ManualClock(T0 + 7 * HOUR + 1000);
    const { pipeline, store } = withTwoHourRetention(bars, clock);
    const events: QualityEvent[] = [];
    pipeline.on('quality', (e) => events.push(e));
    await pipeline.runOnce();
    // Closed bars 0..419; retention keeps those from 7 h − 2 h = bar 300 on: 120 bars.
    expect(lastQuality(events).bars).toBe(120);
    await clock.advance(90 * MIN);
    await pipeline.runOnce();
    // The hourly prune is due again: closed bars up to 509, kept from 8 h 30 − 2 h = bar 390 on.
    expect(store.range('BTCUSD', '1m', 0, Number.POSITIVE_INFINITY)).toHaveLength(120);
    expect(lastQuality(events).bars).toBe(120);
    await pipeline.stop();
  });

  it('keeps the store within retention, pruning each series at most once an hour', async () => {
    const bars = series(8 * 60, -1, new Set());
    const clock = new ManualClock(T0 + 60 * MIN + 1000);
    const { pipeline, store } = withTwoHourRetention(bars, clock);
    for (let k = 0; k < 14; k++) {
      await pipeline.runOnce();
      // Pruned to the last 2 hours at most an hour ago: never more than 3 hours of bars, and
      // never a bar within the last 2 hours lost.
      const now = clock.now();
      const kept = store.range('BTCUSD', '1m', 0, Number.POSITIVE_INFINITY);
      expect(kept.length).toBeLessThanOrEqual(3 * 60);
      expect(kept.length).toBeGreaterThanOrEqual(Math.min(2 * 60, Math.floor((now - T0) / MIN)));
      await clock.advance(30 * MIN);
    }
    await pipeline.stop();
  });
});

describe('Pipeline data_status gaps per timeframe', () => {
  it('counts today’s gaps in every timeframe, not only the base one', async () => {
    // Two hours of 1m bars with a 30-minute hole 01:00–01:29: more than 10 bars, so marked
    // missing (the specification's large gap) — and the 5m bars 01:00–01:25 and the 15m bars
    // 01:00 and 01:15 are missing with them: one gap in each of 1m, 5m and 15m; none in 1H
    // (01:00 has its 30 bars 01:30–01:59).
    const missing = new Set(Array.from({ length: 30 }, (_, i) => 60 + i));
    const bars = Array.from({ length: 120 }, (_, i) => i)
      .filter((i) => !missing.has(i))
      .map((i) => flat(T0 + i * MIN, 100, 1));
    const clock = new ManualClock(T0 + 2 * HOUR + 1000);
    const sink = recordingSink();
    const pipeline = new Pipeline({
      primary: fakeSource('exchange_api', bars, clock),
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m', '5m', '15m', '1H'] },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    const status = sink.records.findLast((r) => r.kind === 'document' && r.name === 'data_status');
    if (status?.kind !== 'document' || status.name !== 'data_status') throw new Error('no data_status');
    const gaps = Object.fromEntries(Object.entries(status.body.symbols['BTCUSD']?.timeframes ?? {}).map(([tf, s]) => [tf, s.gaps_today]));
    expect(gaps).toEqual({ '1m': 1, '5m': 1, '15m': 1, '1H': 0 });
    await pipeline.stop();
  });
});
