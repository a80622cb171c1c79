import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCompleteness } from '../../src/quality/check-completeness.js';
import type { DailyMissing, MissingRun } from '../../src/quality/completeness-result.js';
import { DEFAULT_COMPLETENESS, type CompletenessConfig } from '../../src/schemas/config.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { bucketEnd } from '../../src/time/bucket-end.js';
import { bucketStart } from '../../src/time/bucket-start.js';
import { DAY_MS, FIXED_WIDTH_MS, type Timeframe } from '../../src/time/timeframe.js';

/** What the reference expects of a window with buckets in it. */
interface Expected {
  readonly start: number;
  readonly end: number;
  readonly expected: number;
  readonly present: number;
  readonly ignored: number;
  readonly gaps: MissingRun[];
  readonly daysOverLimit: DailyMissing[];
}

/**
 * `checkCompleteness` as its TSDoc and `CompletenessResult` state it, the slow way: the window is
 * `[start, end)`, by default from the first bar's bucket to the end of the last bar's bucket; the
 * buckets expected are those opening in it; a bar fills the bucket holding its open time when
 * that time is inside the window and the bucket is one of those expected, and is ignored
 * otherwise (as is a non-finite time); each run of consecutive empty buckets is a gap, critical
 * when longer than `criticalGapBars` on a critical timeframe, over the limit when longer than the
 * timeframe's `maxGapBars`; on intraday grids a UTC day is over the daily standard when its
 * missing buckets are more than `maxMissingShareDaily` of its buckets inside the window.
 * `'no window'` when there is no window (no finite time and no bound given), `'no bucket'` when
 * the window holds no bucket start (a window shorter than a bucket).
 */
function reference(
  times: readonly number[],
  tf: Timeframe,
  start: number | undefined,
  end: number | undefined,
  config: CompletenessConfig,
): Expected | 'no window' | 'no bucket' {
  const finite = times.filter((t) => Number.isFinite(t));
  const from = start ?? (finite.length > 0 ? bucketStart(Math.min(...finite), tf) : undefined);
  const to = end ?? (finite.length > 0 ? bucketEnd(bucketStart(Math.max(...finite), tf), tf) : undefined);
  if (from === undefined || to === undefined || !(to > from)) return 'no window';
  const buckets: number[] = [];
  for (let b = bucketStart(from, tf) === from ? from : bucketEnd(from, tf); b < to; b = bucketEnd(b, tf)) buckets.push(b);
  if (buckets.length === 0) return 'no bucket';
  const filled = new Set<number>();
  let ignored = 0;
  for (const t of times) {
    const b = Number.isFinite(t) ? bucketStart(t, tf) : Number.NaN;
    if (t >= from && t < to && buckets.includes(b)) filled.add(b);
    else ignored++;
  }
  const gaps: MissingRun[] = [];
  let run: number[] = [];
  const close = (): void => {
    if (run.length === 0) return;
    const count = run.length;
    gaps.push({
      timestamp: run[0] as number,
      endTimestamp: run[count - 1] as number,
      count,
      critical: count > config.criticalGapBars && config.criticalTimeframes.includes(tf),
      overLimit: config.maxGapBars[tf] !== undefined && count > config.maxGapBars[tf],
    });
    run = [];
  };
  for (const b of buckets) {
    if (filled.has(b)) close();
    else run.push(b);
  }
  close();
  const daysOverLimit: DailyMissing[] = [];
  if (tf !== '1M' && FIXED_WIDTH_MS[tf] < DAY_MS) {
    const days = new Map<number, { expected: number; missing: number }>();
    for (const b of buckets) {
      const day = Math.floor(b / DAY_MS) * DAY_MS;
      const d = days.get(day) ?? { expected: 0, missing: 0 };
      d.expected++;
      if (!filled.has(b)) d.missing++;
      days.set(day, d);
    }
    for (const [day, d] of days) {
      if (d.missing / d.expected > config.maxMissingShareDaily) daysOverLimit.push({ day, ...d, share: d.missing / d.expected });
    }
  }
  return { start: from, end: to, expected: buckets.length, present: filled.size, ignored, gaps, daysOverLimit };
}

/** How a bar's open time sits in its bucket. */
const offset = fc.oneof(
  { weight: 10, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constantFrom(17, 0.5, -1, 'last' as const) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) },
);

const TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '1H', '4H', '1D', '1W', '1M'];

/** The `k`-th bucket from the one holding `anchor`. */
function nth(anchor: number, k: number, tf: Timeframe): number {
  let b = bucketStart(anchor, tf);
  for (let i = 0; i < k; i++) b = bucketEnd(b, tf);
  for (let i = 0; i > k; i--) b = bucketStart(b - 1, tf);
  return b;
}

/** A time in or near bucket `k`: its open, a few ms in, 1 ms before, or its last ms. */
function timeAt(anchor: number, k: number, tf: Timeframe, off: number | 'last'): number {
  const b = nth(anchor, k, tf);
  return off === 'last' ? bucketEnd(b, tf) - 1 : b + off;
}

const ANCHORS = [Date.UTC(2025, 0, 30, 23, 0), Date.UTC(2024, 1, 29, 0, 0), Date.UTC(1969, 11, 31, 22, 0), 0];

const config: fc.Arbitrary<CompletenessConfig> = fc.record({
  maxGapBars: fc.constantFrom(DEFAULT_COMPLETENESS.maxGapBars, { '1m': 0, '15m': 2, '1D': 1, '1W': 0, '1M': 1 }, {}),
  maxMissingShareDaily: fc.constantFrom(0, 0.01, 0.05, 0.2),
  criticalGapBars: fc.constantFrom(0, 1, 3),
  criticalTimeframes: fc.constantFrom(['1m', '5m'] as Timeframe[], ['1H', '1D', '1M'] as Timeframe[], [] as Timeframe[]),
});

describe('checkCompleteness against its documented rules (property)', () => {
  it('finds the expected, present and ignored bars, the runs and the days over the standard of a slow reference', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TIMEFRAMES),
        fc.constantFrom(...ANCHORS),
        fc.array(fc.tuple(fc.integer({ min: -3, max: 70 }), offset), { maxLength: 60 }),
        fc.option(fc.tuple(fc.integer({ min: -4, max: 20 }), fc.constantFrom<number | 'last'>(0, 1, 'last')), { nil: undefined }),
        fc.option(fc.tuple(fc.integer({ min: 21, max: 80 }), fc.constantFrom<number | 'last'>(0, 1, 'last')), { nil: undefined }),
        config,
        (tf, anchor, slots, startAt, endAt, cfg) => {
          const times = slots.map(([k, off]) => timeAt(anchor, k, tf, off));
          const bars: Ohlcv[] = times.map((timestamp) => ({ timestamp, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
          const start = startAt === undefined ? undefined : timeAt(anchor, startAt[0], tf, startAt[1]);
          const end = endAt === undefined ? undefined : timeAt(anchor, endAt[0], tf, endAt[1]);
          const result = checkCompleteness(bars, {
            timeframe: tf,
            config: cfg,
            symbol: 'ETHUSD',
            ...(start === undefined ? {} : { start }),
            ...(end === undefined ? {} : { end }),
          });
          // Per-timeframe records merge one level deep into the defaults (the rule of every config section).
          const resolved = { ...cfg, maxGapBars: { ...DEFAULT_COMPLETENESS.maxGapBars, ...cfg.maxGapBars } };
          const want = reference(times, tf, start, end, resolved);
          if (want === 'no window') {
            expect(result).toMatchObject({ score: 0, expected: 0, present: 0, missing: 0, ignored: bars.length, gaps: [] });
            expect(result.issues.map((i) => [i.rule, i.severity, i.count])).toEqual([['no_data', 'critical', 0]]);
            return;
          }
          if (want === 'no bucket') {
            // Nothing is expected: nothing to score (`no_data`), every bar outside the window.
            expect(result).toMatchObject({
              score: 0,
              expected: 0,
              present: 0,
              missing: 0,
              missingShare: 0,
              ignored: bars.length,
              gaps: [],
            });
            expect(result.issues.map((i) => [i.rule, i.severity, i.count])).toEqual([['no_data', 'critical', 0]]);
            return;
          }
          const longest = Math.max(0, ...want.gaps.map((g) => g.count));
          const maxGap = resolved.maxGapBars[tf];
          expect(result).toEqual({
            score: want.present / want.expected,
            start: want.start,
            end: want.end,
            expected: want.expected,
            present: want.present,
            missing: want.expected - want.present,
            missingShare: (want.expected - want.present) / want.expected,
            ignored: want.ignored,
            gaps: want.gaps,
            longestGap: longest,
            ...(maxGap === undefined ? {} : { maxGapBars: maxGap }),
            withinMaxGap: maxGap === undefined || longest <= maxGap,
            criticalGaps: want.gaps.filter((g) => g.critical),
            daysOverLimit: want.daysOverLimit,
            meetsDailyStandard: want.daysOverLimit.length === 0,
            issues: expect.any(Array) as unknown,
          });
          const width = tf === '1M' ? 0 : FIXED_WIDTH_MS[tf];
          expect(
            result.issues.map((i) => [i.type, i.rule, i.severity, i.timestamp, i.endTimestamp, i.count, i.symbol, i.timeframe]),
          ).toEqual([
            ...want.gaps.map((g) => [
              'gap_detected',
              g.critical ? 'critical_gap' : g.overLimit ? 'max_gap_bars' : 'gap',
              g.critical ? 'critical' : g.overLimit ? 'warning' : 'info',
              g.timestamp,
              g.endTimestamp,
              g.count,
              'ETHUSD',
              tf,
            ]),
            ...want.daysOverLimit.map((d) => [
              'gap_detected',
              'max_missing_share_daily',
              'warning',
              d.day,
              d.day + DAY_MS - width,
              d.missing,
              'ETHUSD',
              tf,
            ]),
          ]);
        },
      ),
      { numRuns: 600 },
    );
  });
});
