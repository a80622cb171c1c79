import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { resolveConfig } from '../../src/schemas/resolve-config.js';
import type { PipelineEvents } from '../../src/pipeline/pipeline-events.js';
import type { OhlcvRequest, Source } from '../../src/pipeline/source.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';
import { flat } from './support.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 30);

type QualityEvent = Parameters<PipelineEvents['quality']>[0];
type RejectedEvent = Parameters<PipelineEvents['rejected']>[0];

/** The specification's weights: completeness 0.3, validity 0.3, freshness 0.25, consistency 0.15. */
function weighed(m: QualityEvent['metrics']): number {
  return 0.3 * m.completeness + 0.3 * m.validity + 0.25 * m.freshness + 0.15 * m.consistency;
}

/** One cycle of a pipeline over `source` for BTCUSD 1m from `start`, with the quality and rejected events it emitted. */
async function oneCycle(
  source: Source,
  clock: ManualClock,
  start: number,
): Promise<{ sink: MemorySink; quality: QualityEvent[]; rejected: RejectedEvent[]; pipeline: Pipeline }> {
  const sink = new MemorySink();
  const pipeline = new Pipeline({ primary: source, sinks: [sink], clock, start, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
  const quality: QualityEvent[] = [];
  const rejected: RejectedEvent[] = [];
  pipeline.on('quality', (e) => quality.push(e));
  pipeline.on('rejected', (e) => rejected.push(e));
  await pipeline.runOnce();
  await pipeline.flush();
  return { sink, quality, rejected, pipeline };
}

describe('Pipeline ingest: quality sees everything', () => {
  it('counts refused rows in validity, misaligned rows and conflicting duplicates in consistency', async () => {
    // 60 flat 1m bars; the source spoils three rows: bar 20 has high < low, bar 30 opens 30 s
    // off the grid, and bar 40 comes twice, the second time with another close.
    const bars: Ohlcv[] = Array.from({ length: 60 }, (_, i) => flat(T0 + i * MIN, 100));
    bars[20] = { ...bars[20], high: 99 } as Ohlcv;
    bars[30] = { ...bars[30], timestamp: T0 + 30 * MIN + 30_000 } as Ohlcv;
    const duplicate = { ...flat(T0 + 40 * MIN, 100), high: 100.5, close: 100.5 };
    const clock = new ManualClock(T0 + 60 * MIN + 1000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: [...bars, duplicate] }, includeForming: false });
    const { quality, rejected } = await oneCycle(source, clock, T0);
    expect(rejected.flatMap((e) => e.issues.map((i) => i.code)).sort()).toEqual(['high_gte_low', 'timestamp_aligned']);
    // Stored: 60 bars (bars 20 and 30 interpolated, bar 40 once). As scoreQuality counts the
    // rows as they came, over the stored bars and the rows that never became bars:
    // - validity: 60 bars + 3 rows (bar 20, bar 30, the duplicate); bad: bar 20 (a broken rule)
    //   and the duplicate (timestamp_ascending); bar 30 breaks only alignment → 61 / 63;
    // - consistency: 63 alignment checks + 1 duplicate check; failed: bar 30 off the grid and
    //   the duplicate that differs → 62 / 64;
    // - completeness: 60 of 60 slots hold a bar; freshness 1 (the newest bar closed 1 s ago).
    const q = quality.filter((e) => e.timeframe === '1m').at(-1);
    expect(q?.bars).toBe(60);
    expect(q?.metrics.validity).toBeCloseTo(61 / 63, 12);
    expect(q?.metrics.consistency).toBeCloseTo(62 / 64, 12);
    expect(q?.metrics.completeness).toBe(1);
    expect(q?.metrics.freshness).toBe(1);
    expect(q?.score).toBeCloseTo(weighed({ completeness: 1, validity: 61 / 63, freshness: 1, consistency: 62 / 64 }), 12);
  });

  it('counts each re-fetched real bar compared with the stored one in consistency, failed when they differ', async () => {
    // Bar 10 is missing at first (interpolated). Then the source has it, and bar 15 has changed.
    const all = Array.from({ length: 30 }, (_, i) => flat(T0 + i * MIN, 100 + i));
    const clock = new ManualClock(T0 + 20 * MIN + 1000);
    const bars = all.filter((_, i) => i !== 10);
    const requests: OhlcvRequest[] = [];
    const source: Source = {
      name: 'exchange_api',
      fetchOhlcv(request) {
        requests.push(request);
        const closedEnd = Math.floor(clock.now() / MIN) * MIN;
        return Promise.resolve(bars.filter((b) => b.timestamp >= (request.since ?? 0) && b.timestamp < closedEnd));
      },
    };
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: source,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'] },
    });
    const quality: QualityEvent[] = [];
    pipeline.on('quality', (e) => quality.push(e));
    await pipeline.runOnce();
    bars.splice(0, bars.length, ...all.map((b, i) => (i === 15 ? { ...b, close: 114.5, low: 114.5 } : b)));
    await clock.advance(MIN);
    await pipeline.runOnce();
    // The second fetch starts at the filled bar (10): bar 10 replaces it, bars 11..19 are compared
    // with the stored real bars (8 agree, bar 15 does not; the stored one is kept), bar 20 is new.
    expect(requests[1]?.since).toBe(T0 + 10 * MIN);
    // Consistency: 21 bars on the grid + 9 comparisons, 1 failed → 29 / 30.
    const q = quality.filter((e) => e.timeframe === '1m').at(-1);
    expect(q?.bars).toBe(21);
    expect(q?.metrics.consistency).toBeCloseTo(29 / 30, 12);
    await pipeline.stop();
  });

  it('counts an unparseable row once in validity, however many of its fields are wrong', async () => {
    // 10 good bars and one row whose high and close are not numbers: 10 bars + 1 refused row → 10 / 11.
    const bars: unknown[] = Array.from({ length: 10 }, (_, i) => flat(T0 + i * MIN, 100));
    bars.push({ ...flat(T0 + 10 * MIN, 100), high: '#N/A', close: 'x' });
    const source: Source = { name: 'garbled', fetchOhlcv: () => Promise.resolve(bars) };
    const clock = new ManualClock(T0 + 11 * MIN + 1000);
    const { quality, rejected } = await oneCycle(source, clock, T0);
    expect(rejected.flatMap((e) => e.issues).length).toBeGreaterThanOrEqual(2);
    expect(quality.filter((e) => e.timeframe === '1m').at(-1)?.metrics.validity).toBeCloseTo(10 / 11, 12);
  });

  it('counts the slots missing before the first bar from the start asked for', async () => {
    // Asked from 00:00; the source has nothing before 00:15: 45 of the 60 slots up to the
    // newest bar's close hold a bar (completeness = present / expected).
    const bars = Array.from({ length: 45 }, (_, i) => flat(T0 + (15 + i) * MIN, 100));
    const clock = new ManualClock(T0 + 60 * MIN + 1000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: bars }, includeForming: false });
    const { quality, sink } = await oneCycle(source, clock, T0);
    const q = quality.filter((e) => e.timeframe === '1m').at(-1);
    expect(q?.metrics.completeness).toBeCloseTo(45 / 60, 12);
    const status = sink.document('data_status');
    expect(status?.symbols.BTCUSD?.timeframes['1m']?.quality_score).toBeCloseTo(0.3 * (45 / 60) + 0.3 + 0.25 + 0.15, 3);
  });
});

describe('Pipeline ingest: rows the request did not ask for', () => {
  it('rejects a 1995 bar, last week’s bars and rows of another symbol, and counts them in validity', async () => {
    // A source that ignores `since` and mixes in rows of another symbol.
    const current = Array.from({ length: 20 }, (_, i) => ({ ...flat(T0 + i * MIN, 100), symbol: 'BTCUSD' }));
    const stray = [
      flat(Date.UTC(1995, 5, 1), 50),
      ...[0, 1, 2].map((i) => flat(T0 - 7 * DAY + i * MIN, 90)),
      { ...flat(T0 + 5 * MIN + 30 * 1000, 3000), timestamp: T0 + 25 * MIN, symbol: 'ETHUSD' },
    ];
    const requests: OhlcvRequest[] = [];
    const source: Source = {
      name: 'sloppy',
      fetchOhlcv(request) {
        requests.push(request);
        return Promise.resolve([stray[0], ...stray.slice(1, 4), ...current, stray[4]]);
      },
    };
    const clock = new ManualClock(T0 + 20 * MIN + 1000);
    const { quality, rejected, sink } = await oneCycle(source, clock, T0);
    expect(requests[0]?.since).toBe(T0);
    // Stored and delivered: the 20 bars asked for, nothing else.
    expect(sink.bars('BTCUSD', '1m').map((b) => b.timestamp)).toEqual(current.map((b) => b.timestamp));
    const codes = rejected.flatMap((e) => e.issues.map((i) => i.code));
    expect(codes.sort()).toEqual(['not_requested', 'not_requested', 'not_requested', 'not_requested', 'other_symbol']);
    const report = sink.document('quality_report');
    const issue = report?.issues_24h.find((i) => i.type === 'invalid_bar');
    expect(issue).toMatchObject({ symbol: 'BTCUSD', duration_bars: 5, resolution: 'removed' });
    // Validity: 20 bars + 5 refused rows, the 5 bad → 20 / 25. Consistency: the 25 rows' times
    // are all on the 1m grid → 1.
    const q = quality.filter((e) => e.timeframe === '1m').at(-1);
    expect(q?.metrics.validity).toBeCloseTo(20 / 25, 12);
    expect(q?.metrics.consistency).toBe(1);
  });
});

describe('Pipeline ingest: outliers, as the preprocessing recipe says', () => {
  // 121 bars: closes alternate 100 and 101 (returns +1 % and −0.990 %), then bar 121 jumps
  // +30 % to 131.3, then bar 122 is back at 101.
  const closes = [...Array.from({ length: 121 }, (_, i) => (i % 2 === 0 ? 100 : 101)), 131.3, 101];
  const bars: Ohlcv[] = closes.map((close, i) => {
    const open = i === 0 ? close : (closes[i - 1] as number);
    return { timestamp: T0 + i * MIN, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 10 };
  });
  const spikeAt = T0 + 121 * MIN;

  /** The band of the spike by handleOutliers' documented rule: previous close · (1 + mean ± 5 · sd) of the 100 returns before it (sample sd). */
  function band(): { low: number; high: number } {
    const returns = closes
      .slice(20, 121)
      .map((c, k) => (k === 0 ? Number.NaN : c / (closes[20 + k - 1] as number) - 1))
      .slice(1);
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1));
    return { low: 100 * (1 + mean - 5 * sd), high: 100 * (1 + mean + 5 * sd) };
  }

  async function run(outliers: 'clip' | 'flag' | 'remove' | 'none') {
    const clock = new ManualClock(T0 + 123 * MIN + 1000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: bars }, includeForming: false });
    const sink = new MemorySink();
    const config = resolveConfig({ symbols: ['BTCUSD'], timeframes: ['1m'], preprocessing: { outliers } });
    const pipeline = new Pipeline({ primary: source, sinks: [sink], clock, start: T0, config });
    const events: Parameters<PipelineEvents['outlier']>[0][] = [];
    const quality: QualityEvent[] = [];
    pipeline.on('outlier', (e) => events.push(e));
    pipeline.on('quality', (e) => quality.push(e));
    await pipeline.runOnce();
    await pipeline.flush();
    const stored = sink.bars('BTCUSD', '1m');
    const issues = sink.document('quality_report')?.issues_24h.filter((i) => i.type === 'outlier') ?? [];
    return { stored, spike: stored.find((b) => b.timestamp === spikeAt), events, issues, quality: quality.at(-1) };
  }

  it('clips a +30 % spike into the band by default, flags it clipped, and reports it', async () => {
    const { spike, events, issues, stored } = await run('clip');
    const { high } = band();
    // The close (and the high) clipped to the band's top; the open (100) was inside the band.
    expect(spike).toMatchObject({ flag: 'clipped', open: 100, low: 100 });
    expect(spike?.close).toBeCloseTo(high, 9);
    expect(spike?.high).toBeCloseTo(high, 9);
    // ≈ 105.0: the returns' mean is ≈ 0 and their deviation ≈ 1 %, so the band's top is ≈ +5 %.
    expect(high).toBeCloseTo(105, 0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ symbol: 'BTCUSD', timeframe: '1m', method: 'clip', bars: [{ received: bars[121] }] });
    // The event's stored bar is the one delivered (which carries its revision).
    expect({ ...events[0]?.bars[0]?.stored, revision: 0 }).toEqual(spike);
    expect(issues).toMatchObject([{ symbol: 'BTCUSD', timeframe: '1m', duration_bars: 1, resolution: 'clipped' }]);
    // The bar after it is judged from the clipped close and kept as it came.
    expect(stored.find((b) => b.timestamp === spikeAt + MIN)).toEqual({ ...bars[122], revision: 0 });
  });

  it('clips the spike the same way when it arrives alone, judged after the stored bars', async () => {
    const clock = new ManualClock(T0 + 121 * MIN + 1000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: bars }, includeForming: false });
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: source,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'] },
    });
    await pipeline.runOnce();
    await clock.advance(MIN);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(source.requests.at(-1)?.since).toBe(spikeAt);
    const spike = sink.bars('BTCUSD', '1m').find((b) => b.timestamp === spikeAt);
    expect(spike?.flag).toBe('clipped');
    expect(spike?.close).toBeCloseTo(band().high, 9);
    await pipeline.stop();
  });

  it('leaves the spike unchanged with method flag, and reports it as flagged', async () => {
    const { spike, events, issues } = await run('flag');
    expect(spike).toEqual({ ...bars[121], revision: 0 });
    expect(events[0]?.bars).toEqual([{ received: bars[121], stored: bars[121] }]);
    expect(issues).toMatchObject([{ duration_bars: 1, resolution: 'flagged' }]);
  });

  it('removes the spike with method remove, reports it, and counts it as a refused row in validity', async () => {
    const { spike, events, issues, quality } = await run('remove');
    expect(spike).toBeUndefined();
    expect(events[0]?.bars).toEqual([{ received: bars[121], stored: undefined }]);
    expect(issues).toMatchObject([{ duration_bars: 1, resolution: 'removed' }]);
    // 122 bars stored + 1 row removed, that one bad: validity 122 / 123.
    expect(quality?.metrics.validity).toBeCloseTo(122 / 123, 12);
  });

  it('delivers the spike as it came with method none, without an issue or event', async () => {
    const { spike, events, issues } = await run('none');
    expect(spike).toEqual({ ...bars[121], revision: 0 });
    expect(events).toEqual([]);
    expect(issues).toEqual([]);
  });
});
