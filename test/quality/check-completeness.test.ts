import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { checkCompleteness } from '../../src/quality/check-completeness.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { describeFixtures, freqtradeBars } from '../support/fixtures.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const bar = (timestamp: number): Ohlcv => ({ timestamp, open: 1, high: 1, low: 1, close: 1, volume: 1 });
const minutes = (...ms: number[]): Ohlcv[] => ms.map((m) => bar(T0 + m * MIN));

describe('checkCompleteness', () => {
  it('counts expected and present bars and the runs of missing ones', () => {
    // Bars at minutes 0, 1 and 6: the window 10:00–10:07 expects 7 bars, 4 are missing (2..5).
    const result = checkCompleteness(minutes(0, 1, 6), { timeframe: '1m' });
    expect(result).toMatchObject({
      expected: 7,
      present: 3,
      missing: 4,
      longestGap: 4,
      maxGapBars: 5,
      withinMaxGap: true,
      start: T0,
      end: T0 + 7 * MIN,
    });
    expect(result.score).toBeCloseTo(3 / 7, 12);
    // 4 missing 1m bars is more than 3: critical, though within the 1m maximum of 5.
    expect(result.gaps).toEqual([{ timestamp: T0 + 2 * MIN, endTimestamp: T0 + 5 * MIN, count: 4, critical: true, overLimit: false }]);
    expect(result.issues[0]).toMatchObject({
      type: 'gap_detected',
      rule: 'critical_gap',
      severity: 'critical',
      timeframe: '1m',
      timestamp: T0 + 2 * MIN,
      count: 4,
    });
  });

  it('judges runs against the per-timeframe maximum: 1m 5, 5m 2, 1H 1', () => {
    const five = 5 * MIN;
    const r5 = checkCompleteness([bar(T0), bar(T0 + 4 * five)], { timeframe: '5m' }); // 3 missing
    expect(r5.gaps[0]).toMatchObject({ count: 3, overLimit: true, critical: false });
    expect(r5.issues[0]).toMatchObject({ rule: 'max_gap_bars', severity: 'warning' });
    expect(r5.withinMaxGap).toBe(false);
    const h = 3_600_000;
    expect(checkCompleteness([bar(T0), bar(T0 + 2 * h)], { timeframe: '1H' }).gaps[0]).toMatchObject({
      count: 1,
      overLimit: false,
      critical: false,
    });
    expect(checkCompleteness([bar(T0), bar(T0 + 3 * h)], { timeframe: '1H' }).gaps[0]).toMatchObject({
      count: 2,
      overLimit: true,
      critical: false,
    });
    // 15m has no maximum in the specification.
    expect(checkCompleteness([bar(T0), bar(T0 + 20 * 15 * MIN)], { timeframe: '15m' })).toMatchObject({ withinMaxGap: true });
  });

  it('counts leading and trailing runs inside an explicit window', () => {
    const result = checkCompleteness(minutes(2, 3), { timeframe: '1m', start: T0, end: T0 + 10 * MIN });
    expect(result).toMatchObject({ expected: 10, present: 2, missing: 8 });
    expect(result.gaps.map((g) => [g.timestamp, g.count])).toEqual([
      [T0, 2],
      [T0 + 4 * MIN, 6],
    ]);
  });

  it('ignores bars outside the window and before its first bucket', () => {
    // Window 10:00:30–10:05: buckets 10:01..10:04 are expected; the 10:00 bar is outside.
    const result = checkCompleteness(minutes(0, 1, 2, 3, 4, 5), { timeframe: '1m', start: T0 + 30_000, end: T0 + 5 * MIN });
    expect(result).toMatchObject({ expected: 4, present: 4, ignored: 2, score: 1 });
  });

  it('places a bar a few ms late in its bucket and counts duplicates once, in any order', () => {
    const rows = [bar(T0 + 2 * MIN), bar(T0 + 17), bar(T0 + MIN), bar(T0 + MIN), bar(Number.NaN)];
    expect(checkCompleteness(rows, { timeframe: '1m' })).toMatchObject({
      expected: 3,
      present: 3,
      missing: 0,
      ignored: 1,
      score: 1,
      gaps: [],
    });
  });

  it('applies the 1 %-a-day standard on intraday timeframes', () => {
    // 1440 bars a day; 15 missing bars in one run is 1.04 % of the day.
    const day = Date.UTC(2025, 0, 30);
    const rows = Array.from({ length: 1440 }, (_, m) => bar(day + m * MIN)).filter((_, m) => m < 100 || m >= 115);
    const result = checkCompleteness(rows, { timeframe: '1m' });
    expect(result.meetsDailyStandard).toBe(false);
    expect(result.daysOverLimit).toEqual([{ day, expected: 1440, missing: 15, share: 15 / 1440 }]);
    expect(result.issues.find((i) => i.rule === 'max_missing_share_daily')).toMatchObject({
      severity: 'warning',
      timestamp: day,
      count: 15,
    });
    const fewer = Array.from({ length: 1440 }, (_, m) => bar(day + m * MIN)).filter((_, m) => m < 100 || m >= 114);
    expect(checkCompleteness(fewer, { timeframe: '1m' }).meetsDailyStandard).toBe(true); // 14 / 1440 = 0.97 %
  });

  it('splits a run across UTC midnight between the two days', () => {
    const day = Date.UTC(2025, 0, 30);
    const result = checkCompleteness([bar(day - 3_600_000), bar(day + 3_600_000)], {
      timeframe: '1H',
      start: day - 86_400_000,
      end: day + 86_400_000,
    });
    const gap = result.gaps.find((g) => g.timestamp === day - 3_600_000 + 3_600_000);
    expect(gap?.count).toBe(1);
    expect(result.daysOverLimit.map((d) => [d.day, d.missing, d.expected])).toEqual([
      [day - 86_400_000, 23, 24],
      [day, 23, 24],
    ]);
  });

  it('works on calendar months', () => {
    const rows = [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 4, 1)].map(bar);
    const result = checkCompleteness(rows, { timeframe: '1M' });
    expect(result).toMatchObject({ expected: 5, present: 3, missing: 2 });
    expect(result.gaps).toEqual([
      { timestamp: Date.UTC(2024, 2, 1), endTimestamp: Date.UTC(2024, 3, 1), count: 2, critical: false, overLimit: false },
    ]);
  });

  it('scores an empty series 0 with a no_data finding', () => {
    const result = checkCompleteness([], { timeframe: '1m', symbol: 'BTCUSD' });
    expect(result.score).toBe(0);
    expect(result.issues).toEqual([
      {
        type: 'gap_detected',
        rule: 'no_data',
        severity: 'critical',
        symbol: 'BTCUSD',
        timeframe: '1m',
        count: 0,
        message: 'No 1m bar to score',
      },
    ]);
    expect(checkCompleteness([], { timeframe: '1m', start: T0, end: T0 + 5 * MIN })).toMatchObject({ score: 0, expected: 5, missing: 5 });
  });

  it('keeps the score finite and in [0, 1] for any timestamps (property)', () => {
    const anyTime = fc.oneof(fc.double(), fc.integer({ min: 1_500_000_000, max: 1_800_000_000 }), fc.integer({ min: 1.5e12, max: 1.8e12 }));
    fc.assert(
      fc.property(fc.array(anyTime, { maxLength: 40 }), (times) => {
        const result = checkCompleteness(times.map(bar), { timeframe: '5m' });
        expect(Number.isFinite(result.score)).toBe(true);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
        expect(result.present + result.missing).toBe(result.expected);
      }),
      { numRuns: 40 },
    );
  });

  it('finds exactly the gaps the generator left (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const generated = generateOhlcv({ seed, count: 400, timeframe: '1m', gapRate: 0.03, maxGapBars: 8 });
        const result = checkCompleteness(generated.bars, { timeframe: '1m' });
        expect(result.gaps.map((g) => [g.timestamp, g.count])).toEqual(generated.gaps.map((g) => [g.start, g.missing]));
        expect(result.expected).toBe(400);
      }),
      { numRuns: 25 },
    );
  });

  it('does not modify its input', () => {
    const rows = Object.freeze(minutes(3, 0, 1).map((r) => Object.freeze(r)));
    expect(checkCompleteness(rows, { timeframe: '1m' }).present).toBe(3);
  });

  it('throws ConfigError for bad options', () => {
    const bad: [string, () => unknown][] = [
      ['timeframe', () => checkCompleteness([], { timeframe: '2m' as never })],
      ['end', () => checkCompleteness([], { timeframe: '1m', start: T0, end: T0 })],
      ['start', () => checkCompleteness([], { timeframe: '1m', start: Number.NaN })],
      ['config.maxMissingShareDaily', () => checkCompleteness([], { timeframe: '1m', config: { maxMissingShareDaily: 2 } })],
      ['config.maxGapBars.1m', () => checkCompleteness([], { timeframe: '1m', config: { maxGapBars: { '1m': -1 } } })],
    ];
    for (const [path, run] of bad) {
      let error: unknown;
      try {
        run();
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error), path).toBe(true);
      expect((error as { path: PropertyKey[] }).path.join('.')).toBe(path);
    }
  });

  it('merges a per-timeframe override with the defaults', () => {
    const result = checkCompleteness([bar(T0), bar(T0 + 4 * MIN)], { timeframe: '1m', config: { maxGapBars: { '15m': 3 } } });
    expect(result.maxGapBars).toBe(5);
  });
});

describeFixtures('checkCompleteness on real data', () => {
  it('finds the 717 missing bars and 538 gaps of UNITTEST_BTC-1m, the longest 7 bars at 03:13 (README)', () => {
    const result = checkCompleteness(freqtradeBars('real/freqtrade/UNITTEST_BTC-1m.json'), { timeframe: '1m' });
    expect(result).toMatchObject({ expected: 13_681 + 717, present: 13_681, missing: 717, longestGap: 7, withinMaxGap: false });
    expect(result.gaps).toHaveLength(538);
    expect(result.gaps.filter((g) => g.count === 1)).toHaveLength(423);
    expect(result.gaps.filter((g) => g.count === 2)).toHaveLength(78);
    // "the longest is 7 bars (03:12→03:20 on 11-05)": the bars at 03:12 and 03:20 exist.
    expect(result.gaps.find((g) => g.count === 7)).toMatchObject({
      timestamp: Date.UTC(2017, 10, 5, 3, 13),
      endTimestamp: Date.UTC(2017, 10, 5, 3, 19),
    });
    expect(result.score).toBeCloseTo(13_681 / 14_398, 12);
  });

  it('finds the ADA_BTC-5m cluster: 40 missing bars and a 33-bar outage after 11:55 (README)', () => {
    const result = checkCompleteness(freqtradeBars('real/freqtrade/ADA_BTC-5m.json'), { timeframe: '5m' });
    expect(result.missing).toBe(40);
    expect(result.longestGap).toBe(33);
    expect(result.gaps.find((g) => g.count === 33)).toMatchObject({
      timestamp: Date.UTC(2018, 0, 15, 12, 0),
      endTimestamp: Date.UTC(2018, 0, 15, 14, 40),
      critical: true,
    });
    expect(result.gaps.find((g) => g.count === 4)?.timestamp).toBe(Date.UTC(2018, 0, 15, 11, 10));
  });

  it('finds no gap in the gap-free XRP_ETH-1m', () => {
    const result = checkCompleteness(freqtradeBars('real/freqtrade/XRP_ETH-1m.json'), { timeframe: '1m' });
    expect(result).toMatchObject({ missing: 0, score: 1, present: 3_560 });
  });
});
