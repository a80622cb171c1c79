import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCompleteness } from '../../src/quality/check-completeness.js';
import { DEFAULT_COMPLETENESS, type CompletenessConfig } from '../../src/schemas/config.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { mulberry32 } from '../../src/testing/internal/seeded-random.js';
import type { Timeframe } from '../../src/time/timeframe.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Monday 1970-01-05 00:00 UTC: weeks open on Mondays. */
const FIRST_MONDAY = 4 * DAY;
const WIDTH: Partial<Record<Timeframe, number>> = {
  '1m': MIN,
  '5m': 5 * MIN,
  '15m': 15 * MIN,
  '1H': 60 * MIN,
  '4H': 240 * MIN,
  '1D': DAY,
  '1W': 7 * DAY,
};
const TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '1H', '4H', '1D', '1W', '1M'];

/** The open time of the bucket holding `t`, from the calendar (months) or the fixed width (weeks open on Monday). */
function bucketOf(t: number, tf: Timeframe): number {
  if (tf === '1M') {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const w = WIDTH[tf]!;
  const origin = tf === '1W' ? FIRST_MONDAY : 0;
  return Math.floor((t - origin) / w) * w + origin;
}

/** The open time of the bucket after the one opening at `b`. */
function after(b: number, tf: Timeframe): number {
  if (tf === '1M') {
    const d = new Date(b);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return b + WIDTH[tf]!;
}

interface Run {
  timestamp: number;
  endTimestamp: number;
  count: number;
  critical: boolean;
  overLimit: boolean;
}

/**
 * `checkCompleteness` as its TSDoc states it, bucket by bucket: the window `[start, end)`
 * (by default from the first bar's bucket to the end of the last bar's), every grid bucket
 * opening in it expected, a bar filling the bucket holding its timestamp, runs of missing
 * buckets judged against `criticalGapBars` on the critical timeframes and `maxGapBars`, and
 * on intraday timeframes the UTC days whose missing share exceeds `maxMissingShareDaily`.
 */
function reference(times: readonly number[], tf: Timeframe, config: CompletenessConfig, start?: number, end?: number) {
  const finite = times.filter((t) => Number.isFinite(t));
  const from = start ?? (finite.length > 0 ? bucketOf(Math.min(...finite), tf) : undefined);
  const to = end ?? (finite.length > 0 ? after(bucketOf(Math.max(...finite), tf), tf) : undefined);
  if (from === undefined || to === undefined || !(to > from)) return undefined;
  const first = bucketOf(from, tf) === from ? from : after(bucketOf(from, tf), tf);
  const buckets: number[] = [];
  for (let b = first; b < to; b = after(b, tf)) buckets.push(b);
  const filled = new Set<number>();
  let ignored = 0;
  for (const t of times) {
    if (Number.isFinite(t) && t >= from && t < to && bucketOf(t, tf) >= first) filled.add(bucketOf(t, tf));
    else ignored++;
  }
  const maxGap = config.maxGapBars[tf];
  const gaps: Run[] = [];
  let run: number[] = [];
  const close = (): void => {
    if (run.length === 0) return;
    const count = run.length;
    gaps.push({
      timestamp: run[0]!,
      endTimestamp: run[count - 1]!,
      count,
      critical: config.criticalTimeframes.includes(tf) && count > config.criticalGapBars,
      overLimit: maxGap !== undefined && count > maxGap,
    });
    run = [];
  };
  for (const b of buckets) {
    if (filled.has(b)) close();
    else run.push(b);
  }
  close();
  const days: { day: number; expected: number; missing: number; share: number }[] = [];
  const width = WIDTH[tf];
  if (width !== undefined && width < DAY) {
    const perDay = new Map<number, { expected: number; missing: number }>();
    for (const b of buckets) {
      const day = Math.floor(b / DAY) * DAY;
      const counts = perDay.get(day) ?? { expected: 0, missing: 0 };
      counts.expected++;
      if (!filled.has(b)) counts.missing++;
      perDay.set(day, counts);
    }
    for (const [day, { expected, missing }] of perDay) {
      if (missing / expected > config.maxMissingShareDaily) days.push({ day, expected, missing, share: missing / expected });
    }
  }
  const present = filled.size;
  const longest = Math.max(0, ...gaps.map((g) => g.count));
  const issues = [
    ...gaps.map((g) => ({
      rule: g.critical ? 'critical_gap' : g.overLimit ? 'max_gap_bars' : 'gap',
      severity: g.critical ? 'critical' : g.overLimit ? 'warning' : 'info',
      timestamp: g.timestamp,
      endTimestamp: g.endTimestamp,
      count: g.count,
    })),
    ...days.map((d) => ({
      rule: 'max_missing_share_daily',
      severity: 'warning',
      timestamp: d.day,
      endTimestamp: d.day + DAY - width!,
      count: d.missing,
    })),
  ];
  // A window too short to hold a bucket's open expects nothing: score and share are then 0.
  const expected = buckets.length;
  return {
    score: expected > 0 ? present / expected : 0,
    start: from,
    end: to,
    expected: buckets.length,
    present,
    missing: buckets.length - present,
    missingShare: expected > 0 ? (expected - present) / expected : 0,
    ignored,
    gaps,
    longestGap: longest,
    withinMaxGap: maxGap === undefined || longest <= maxGap,
    criticalGaps: gaps.filter((g) => g.critical),
    daysOverLimit: days,
    meetsDailyStandard: days.length === 0,
    issues,
  };
}

const bar = (timestamp: number): Ohlcv => ({ timestamp, open: 1, high: 1, low: 1, close: 1, volume: 1 });

/**
 * Bars on `tf` with holes of every length (runs of 1 to 40 buckets left empty), a few ms late
 * in their bucket now and then, duplicated, shuffled, and a few non-finite timestamps.
 */
function series(tf: Timeframe, seed: number, buckets: number, holeRate: number): number[] {
  const next = mulberry32(seed);
  const times: number[] = [];
  let b = bucketOf(Date.UTC(2024, 0, 1) + Math.floor(next() * 400) * DAY + Math.floor(next() * 1440) * MIN, tf);
  for (let k = 0; k < buckets; k++, b = after(b, tf)) {
    if (next() < holeRate) {
      const skip = 1 + Math.floor(next() * next() * 40);
      for (let s = 1; s < skip; s++) b = after(b, tf);
      continue;
    }
    const late = next() < 0.1 ? Math.floor(next() * 5000) : 0;
    times.push(b + late);
    if (next() < 0.05) times.push(b);
  }
  if (next() < 0.3) times.push(Number.NaN);
  if (next() < 0.1) times.push(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  for (let i = times.length - 1; i > 0 && next() < 0.5; i--) {
    const j = Math.floor(next() * (i + 1));
    [times[i], times[j]] = [times[j]!, times[i]!];
  }
  return times;
}

const configs = fc.record({
  maxGapBars: fc.dictionary(fc.constantFrom<Timeframe>(...TIMEFRAMES), fc.integer({ min: 0, max: 6 }), { maxKeys: 4 }),
  maxMissingShareDaily: fc.constantFrom(0, 0.001, 0.01, 0.05, 0.5),
  criticalGapBars: fc.integer({ min: 0, max: 6 }),
  criticalTimeframes: fc.subarray<Timeframe>(['1m', '5m', '1H', '1D', '1M']),
});

describe('checkCompleteness against a bucket-by-bucket reference (property)', () => {
  it('agrees on every count, run, finding and day, with and without a window, on every grid', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TIMEFRAMES),
        fc.integer(),
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom(0, 0.001, 0.01, 0.1, 0.5),
        configs,
        fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }),
        fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }),
        fc.integer({ min: 0, max: 3 }),
        (tf, seed, size, holeRate, config, startShift, endShift, offGrid) => {
          const buckets = tf === '1m' ? size : Math.min(size, tf === '1M' || tf === '1W' ? 60 : 600);
          const times = series(tf, seed, buckets, holeRate);
          const finite = times.filter((t) => Number.isFinite(t));
          const unit = WIDTH[tf] ?? DAY;
          // An explicit window near the bars' own, now and then off the grid by a few ms.
          const start = startShift === undefined || finite.length === 0 ? undefined : Math.min(...finite) + startShift * unit + offGrid;
          let end = endShift === undefined || finite.length === 0 ? undefined : Math.max(...finite) + endShift * unit + offGrid;
          if (start !== undefined && end !== undefined && !(end > start)) end = undefined;
          // A per-timeframe maximum overrides the default's for that timeframe only.
          const merged = { ...config, maxGapBars: { ...DEFAULT_COMPLETENESS.maxGapBars, ...config.maxGapBars } };
          const expected = reference(times, tf, merged, start, end);
          const result = checkCompleteness(times.map(bar), {
            timeframe: tf,
            config,
            ...(start === undefined ? {} : { start }),
            ...(end === undefined ? {} : { end }),
          });
          if (expected === undefined) {
            expect(result).toMatchObject({ expected: 0, present: 0, score: 0, ignored: times.length, gaps: [] });
            expect(result.issues.map((i) => i.rule)).toEqual(['no_data']);
            return;
          }
          const { issues, ...counts } = expected;
          expect(result).toMatchObject(counts);
          expect(result.maxGapBars).toBe(merged.maxGapBars[tf]);
          expect(
            result.issues.map(({ rule, severity, timestamp, endTimestamp, count }) => ({ rule, severity, timestamp, endTimestamp, count })),
          ).toEqual(issues);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('checkCompleteness findings, word for word', () => {
  const T0 = Date.UTC(2025, 0, 30, 10, 0);
  const minutes = (...ms: number[]): Ohlcv[] => ms.map((m) => bar(T0 + m * MIN));

  it('names one missing bar in the singular, with no limit when within the maximum', () => {
    const [issue] = checkCompleteness(minutes(0, 2), { timeframe: '1m' }).issues;
    expect(issue).toMatchObject({ rule: 'gap', severity: 'info', message: '1 missing 1m bar from 2025-01-30T10:01:00.000Z' });
  });

  it('names a critical run and its limit', () => {
    const [issue] = checkCompleteness(minutes(0, 5), { timeframe: '1m', symbol: 'BTCUSD' }).issues;
    expect(issue).toMatchObject({
      rule: 'critical_gap',
      severity: 'critical',
      symbol: 'BTCUSD',
      timeframe: '1m',
      message: '4 missing 1m bars from 2025-01-30T10:01:00.000Z (critical: more than 3 on 1m)',
    });
  });

  it('names a run over the timeframe maximum that is not critical', () => {
    const [issue] = checkCompleteness([bar(T0), bar(T0 + 4 * 5 * MIN)], { timeframe: '5m' }).issues;
    expect(issue).toMatchObject({
      rule: 'max_gap_bars',
      severity: 'warning',
      message: '3 missing 5m bars from 2025-01-30T10:05:00.000Z (more than the 5m maximum of 2)',
    });
  });

  it('names a day over the 1 % standard with its share', () => {
    // 2025-01-30 from 00:00: 1440 bars expected, a run of 20 missing from 06:00 (critical) → 20 / 1440 = 1.39 %.
    const day = Date.UTC(2025, 0, 30);
    const times = Array.from({ length: 1440 }, (_, m) => day + m * MIN).filter((t) => t < day + 360 * MIN || t >= day + 380 * MIN);
    const result = checkCompleteness(times.map(bar), { timeframe: '1m' });
    expect(result.daysOverLimit).toEqual([{ day, expected: 1440, missing: 20, share: 20 / 1440 }]);
    expect(result.issues[1]).toMatchObject({
      rule: 'max_missing_share_daily',
      severity: 'warning',
      timestamp: day,
      endTimestamp: day + DAY - MIN,
      count: 20,
      message: '20 of 1440 1m bars missing on 2025-01-30 (1.39 %, limit 1 %)',
    });
  });

  it('judges the daily standard on windows of up to 40,000 days, and skips longer ones (TSDoc)', () => {
    // No bar at all: every 4H bucket is missing, so every day of the window is over the 1 % standard.
    const span = 40_000 * DAY;
    const judged = checkCompleteness([], { timeframe: '4H', start: 0, end: span });
    expect(judged.expected).toBe(6 * 40_000);
    expect(judged.daysOverLimit).toHaveLength(40_000);
    expect(judged.daysOverLimit[0]).toEqual({ day: 0, expected: 6, missing: 6, share: 1 });
    const skipped = checkCompleteness([], { timeframe: '4H', start: 0, end: span + 4 * 60 * MIN });
    expect(skipped.daysOverLimit).toEqual([]);
    expect(skipped.meetsDailyStandard).toBe(true);
  });

  it('says how many bars had no finite timestamp when nothing can be scored', () => {
    expect(checkCompleteness([bar(Number.NaN)], { timeframe: '1m' }).issues[0]?.message).toBe(
      'No 1m bar to score (1 bar without a finite timestamp)',
    );
    expect(checkCompleteness([bar(Number.NaN), bar(Number.POSITIVE_INFINITY)], { timeframe: '1m' }).issues[0]?.message).toBe(
      'No 1m bar to score (2 bars without a finite timestamp)',
    );
  });
});
