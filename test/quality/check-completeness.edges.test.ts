import { describe, expect, it } from 'vitest';
import { checkCompleteness } from '../../src/quality/check-completeness.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const DAY = Date.UTC(2025, 0, 30);
const MIN = 60_000;
const HOUR = 3_600_000;
const bar = (timestamp: number): Ohlcv => ({ timestamp, open: 1, high: 1, low: 1, close: 1, volume: 1 });
/** Bars at `DAY + m × step` for every m in [0, n) but the skipped ones. */
const series = (n: number, step: number, skip: readonly number[]): Ohlcv[] =>
  Array.from({ length: n }, (_, m) => m)
    .filter((m) => !skip.includes(m))
    .map((m) => bar(DAY + m * step));

describe('checkCompleteness messages', () => {
  it('describes a plain, an over-limit and a critical run with their counts and limits', () => {
    // 1m: one missing bar (a gap), four (critical: more than 3 on 1m).
    const minutes = checkCompleteness(series(12, MIN, [2, 5, 6, 7, 8]), { timeframe: '1m', config: { maxMissingShareDaily: 1 } });
    expect(minutes.issues.map((i) => [i.rule, i.severity, i.message])).toEqual([
      ['gap', 'info', '1 missing 1m bar from 2025-01-30T00:02:00.000Z'],
      ['critical_gap', 'critical', '4 missing 1m bars from 2025-01-30T00:05:00.000Z (critical: more than 3 on 1m)'],
    ]);
    // 1H: two missing bars, more than the 1H maximum of 1 (not a critical timeframe).
    const hours = checkCompleteness(series(5, HOUR, [1, 2]), { timeframe: '1H', config: { maxMissingShareDaily: 1 } });
    expect(hours.issues.map((i) => [i.rule, i.severity, i.message])).toEqual([
      ['max_gap_bars', 'warning', '2 missing 1H bars from 2025-01-30T01:00:00.000Z (more than the 1H maximum of 1)'],
    ]);
  });

  it('states a day over the daily standard with its share and limit in percent', () => {
    // 60 minutes expected, 1 missing: 1.67 % > 1 %.
    const result = checkCompleteness(series(60, MIN, [30]), { timeframe: '1m' });
    expect(result.daysOverLimit).toEqual([{ day: DAY, expected: 60, missing: 1, share: 1 / 60 }]);
    expect(result.issues.find((i) => i.rule === 'max_missing_share_daily')).toMatchObject({
      severity: 'warning',
      timestamp: DAY,
      endTimestamp: DAY + 1439 * MIN,
      count: 1,
      message: '1 of 60 1m bars missing on 2025-01-30 (1.67 %, limit 1 %)',
    });
  });

  it('says why there is nothing to score', () => {
    expect(checkCompleteness([], { timeframe: '1m' }).issues.map((i) => i.message)).toEqual(['No 1m bar to score']);
    expect(checkCompleteness([bar(Number.NaN)], { timeframe: '5m' }).issues.map((i) => i.message)).toEqual([
      'No 5m bar to score (1 bar without a finite timestamp)',
    ]);
    expect(checkCompleteness([bar(Number.NaN), bar(Infinity)], { timeframe: '5m' }).issues.map((i) => i.message)).toEqual([
      'No 5m bar to score (2 bars without a finite timestamp)',
    ]);
  });
});

describe('checkCompleteness daily standard', () => {
  it('accepts a day with exactly the allowed share missing ("at most 1 %") and refuses one more bar', () => {
    // 100 minutes expected: 1 missing is 1 % exactly, 2 missing is 2 %.
    expect(checkCompleteness(series(100, MIN, [50]), { timeframe: '1m' }).meetsDailyStandard).toBe(true);
    expect(checkCompleteness(series(100, MIN, [50, 52]), { timeframe: '1m' }).meetsDailyStandard).toBe(false);
  });

  it('does not judge daily or longer timeframes against the daily standard', () => {
    const days = checkCompleteness(series(10, 86_400_000, [4]), { timeframe: '1D' });
    expect(days).toMatchObject({ missing: 1, daysOverLimit: [], meetsDailyStandard: true });
  });

  it('judges the daily standard over a window of exactly 40,000 days, and not over a longer one', () => {
    // One 1H bar at the start of the window: every other bucket of every day is missing.
    const judged = checkCompleteness([bar(DAY)], { timeframe: '1H', start: DAY, end: DAY + 40_000 * 86_400_000 });
    expect(judged.daysOverLimit).toHaveLength(40_000);
    const longer = checkCompleteness([bar(DAY)], { timeframe: '1H', start: DAY, end: DAY + 40_000 * 86_400_000 + HOUR });
    expect(longer).toMatchObject({ missing: 960_000, daysOverLimit: [], meetsDailyStandard: true });
  });
});

describe('checkCompleteness without anything to score', () => {
  it('keeps the bounds it was given and the timeframe limit', () => {
    expect(checkCompleteness([], { timeframe: '1m', start: DAY })).toEqual({
      score: 0,
      start: DAY,
      expected: 0,
      present: 0,
      missing: 0,
      missingShare: 0,
      ignored: 0,
      gaps: [],
      longestGap: 0,
      maxGapBars: 5,
      withinMaxGap: true,
      criticalGaps: [],
      daysOverLimit: [],
      meetsDailyStandard: true,
      issues: [
        {
          type: 'gap_detected',
          rule: 'no_data',
          severity: 'critical',
          timeframe: '1m',
          timestamp: DAY,
          count: 0,
          message: 'No 1m bar to score',
        },
      ],
    });
    const ended = checkCompleteness([], { timeframe: '15m', end: DAY });
    expect(ended).toMatchObject({ end: DAY, expected: 0 });
    expect(ended).not.toHaveProperty('start');
    expect(ended).not.toHaveProperty('maxGapBars');
  });

  it('has nothing to score when the window starts where the last bar’s bucket ends', () => {
    const result = checkCompleteness([bar(DAY)], { timeframe: '1m', start: DAY + MIN });
    expect(result).toMatchObject({ start: DAY + MIN, end: DAY + MIN, expected: 0, ignored: 1 });
    expect(result.issues.map((i) => i.rule)).toEqual(['no_data']);
  });

  it('has nothing to score in a window shorter than a bucket that holds no bucket open: 0, with a no_data finding', () => {
    // [DAY + 1 ms, DAY + 59,999 ms) holds no 1m open (DAY and DAY + 1 min lie outside it).
    const result = checkCompleteness([bar(DAY)], { timeframe: '1m', start: DAY + 1, end: DAY + MIN - 1 });
    expect(result).toMatchObject({ score: 0, expected: 0, present: 0, missing: 0, missingShare: 0, ignored: 1, gaps: [] });
    expect(result.issues.map((i) => [i.rule, i.severity, i.count, i.timestamp])).toEqual([['no_data', 'critical', 0, DAY + 1]]);
  });
});
