import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { weighQuality } from '../../src/quality/internal/weigh-quality.js';
import { QualityTracker, type TrackedQuality } from '../../src/quality/quality-tracker.js';
import { checkValidity } from '../../src/quality/check-validity.js';
import { scoreQuality, type QualityConfig, type QualityMetrics } from '../../src/quality/score-quality.js';
import { DEFAULT_VALIDITY, type ValidityConfig } from '../../src/schemas/config.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import { generateOhlcv } from '../../src/testing/index.js';
import { toColumns } from '../../src/index.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Generated bars with planted trouble: broken OHLC rules, price jumps, volume spikes, zero volumes, filled bars. */
function troubled(seed: number, count: number): OhlcvColumns {
  const bars = generateOhlcv({ seed, start: Date.UTC(2025, 0, 1), count, timeframe: '1m' }).bars.map((bar, i) => {
    switch ((i * 7 + seed) % 23) {
      case 3:
        return { ...bar, high: bar.low - 1 };
      case 5:
        return { ...bar, close: bar.close * 1.3, high: bar.high * 1.3 };
      case 8:
        return { ...bar, volume: bar.volume * 50 };
      case 11:
        return { ...bar, volume: 0 };
      case 13:
        return { ...bar, flag: 'forward_filled' as const };
      default:
        return bar;
    }
  });
  return toColumns(bars);
}

function slice(bars: OhlcvColumns, from: number, to: number): OhlcvColumns {
  return {
    length: to - from,
    timestamp: bars.timestamp.subarray(from, to),
    open: bars.open.subarray(from, to),
    high: bars.high.subarray(from, to),
    low: bars.low.subarray(from, to),
    close: bars.close.subarray(from, to),
    volume: bars.volume.subarray(from, to),
    ...(bars.flags === undefined ? {} : { flags: bars.flags.subarray(from, to) }),
  };
}

/** Per bar, whether checkValidity over the whole series counts it as bad (a broken rule or an outlier). */
function badBars(bars: OhlcvColumns, validity: ValidityConfig): Uint8Array {
  const result = checkValidity(bars, { config: validity });
  const bad = new Uint8Array(bars.length);
  for (const issue of result.validation.issues) bad[issue.index] = 1;
  for (const outlier of result.outliers.outliers) bad[outlier.index] = 1;
  return bad;
}

describe('QualityTracker', () => {
  const methods: ValidityConfig[] = [
    { ...DEFAULT_VALIDITY, outlierWindow: 12, volumeWindow: 5 },
    { ...DEFAULT_VALIDITY, outlierWindow: 12, volumeWindow: 5, outlierMethod: 'mad' },
  ];

  it.each(methods)('judges bars fed in any split as checkValidity judges the whole series ($outlierMethod)', (validity) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }),
        (seed, history, chunks) => {
          const total = history + chunks.reduce((a, b) => a + b, 0);
          const bars = troubled(seed, total);
          const bad = badBars(bars, validity);
          const tracker = new QualityTracker('1m', { validity });
          let end = history + (chunks[0] as number);
          tracker.add(slice(bars, 0, end), history);
          const expectBad = (): number => bad.subarray(history, end).reduce((a, b) => a + b, 0);
          expect(tracker.size).toBe(end - history);
          expect(tracker.invalid).toBe(expectBad());
          for (const chunk of chunks.slice(1)) {
            tracker.add(slice(bars, end, end + chunk), 0);
            end += chunk;
            expect(tracker.invalid).toBe(expectBad());
          }
          expect(tracker.fed).toBe(bars.timestamp[total - 1]);
          expect(tracker.inconsistent).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('judges a planted price jump against the bars of earlier calls', () => {
    // Closes 100, 100.1, 100, 100.1, … then one bar at 111: +10.9 % from the previous close
    // (> 10 %) and far outside the returns seen (±0.1 %), so it is invalid however it is fed.
    const validity = { ...DEFAULT_VALIDITY, outlierWindow: 10, volumeWindow: 5 };
    const t0 = Date.UTC(2025, 0, 1);
    const bar = (i: number, close: number) => ({ timestamp: t0 + i * MIN, open: close, high: close, low: close, close, volume: 10 });
    const calm = Array.from({ length: 30 }, (_, i) => bar(i, i % 2 === 0 ? 100 : 100.1));
    const tracker = new QualityTracker('1m', { validity });
    tracker.add(toColumns(calm), 20);
    expect(tracker.invalid).toBe(0);
    tracker.add(toColumns([bar(30, 111)]), 0);
    expect([tracker.size, tracker.invalid]).toEqual([11, 1]);
  });

  it('counts bars off the timeframe grid as inconsistent and drops bars before a time', () => {
    const t0 = Date.UTC(2025, 0, 1);
    const bars = [0, 5, 10, 16, 20].map((m) => ({ timestamp: t0 + m * MIN, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
    const tracker = new QualityTracker('5m');
    tracker.add(toColumns(bars), 0);
    expect([tracker.size, tracker.inconsistent]).toEqual([5, 1]);
    tracker.dropBefore(t0 + 20 * MIN);
    expect([tracker.size, tracker.inconsistent, tracker.first()]).toEqual([1, 0, t0 + 20 * MIN]);
    expect(tracker.countSince(t0)).toBe(1);
  });

  it('counts as history only the bars the outlier windows take: unflagged ones (filled and clipped bars are skipped)', () => {
    const t0 = Date.UTC(2025, 0, 1);
    const flags = [undefined, 'forward_filled', undefined, 'clipped', 'interpolated', undefined] as const;
    const bars = flags.map((flag, i) => ({
      timestamp: t0 + i * MIN,
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 1,
      ...(flag === undefined ? {} : { flag }),
    }));
    expect(QualityTracker.realBars(toColumns(bars), bars.length)).toBe(3);
    expect(QualityTracker.realBars(toColumns(bars), 4)).toBe(2);
  });

  it('scores the documented example', () => {
    // Three 1m bars of four slots (10:00, 10:01, 10:03; 10:02 missing), the newest closed 5 s
    // before now: completeness 3/4, the rest 1, weighted 0.3/0.3/0.25/0.15 (the specification's weights).
    const t = Date.UTC(2025, 0, 30, 10, 0);
    // Frozen: the tracker never writes to what it is fed (strict mode throws on a write).
    const bar = (m: number) => Object.freeze({ timestamp: t + m * MIN, open: 100, high: 101, low: 99, close: 100, volume: 5 });
    const tracker = new QualityTracker('1m');
    tracker.addRows(Object.freeze([bar(0), bar(1)]));
    tracker.addRows(Object.freeze([bar(3)]));
    expect(tracker.score(t + 4 * MIN + 5_000)).toEqual({
      metrics: { completeness: 0.75, validity: 1, freshness: 1, consistency: 1 },
      score: 0.3 * 0.75 + 0.3 + 0.25 + 0.15,
      bars: 3,
      barsToday: 3,
    });
  });

  it('moves its window to max(1 day, 30 bars) before now and has no score once the window is empty', () => {
    const t = Date.UTC(2025, 0, 30);
    const bar = (time: number) => ({ timestamp: time, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    const hourly = new QualityTracker('1H');
    expect(hourly.windowStart(t)).toBe(t - 30 * HOUR);
    hourly.addRows([bar(t - 31 * HOUR), bar(t - 30 * HOUR), bar(t - HOUR)]);
    expect(hourly.score(t)?.bars).toBe(2);
    expect(hourly.first()).toBe(t - 30 * HOUR);
    expect(new QualityTracker('1m').windowStart(t)).toBe(t - DAY);
    expect(hourly.score(t + 30 * HOUR)).toBeUndefined();
  });

  it('gives the length of its window per timeframe: max(1 day, 30 bars)', () => {
    const t = Date.UTC(2025, 0, 30);
    expect(QualityTracker.windowMs('1m', t)).toBe(DAY);
    expect(QualityTracker.windowMs('30m', t)).toBe(DAY);
    expect(QualityTracker.windowMs('1H', t)).toBe(30 * HOUR);
    expect(QualityTracker.windowMs('1D', t)).toBe(30 * DAY);
  });

  it('refreshes only freshness, and returns the same score while freshness holds', () => {
    // 1H, maximum delay 1 h by default: the bar opening at 10:00 closes at 11:00; at 12:30 it
    // is 1.5 h late, half-way from 1 h to 2 h, so freshness is 0.5.
    const t = Date.UTC(2025, 0, 30, 10);
    const tracker = new QualityTracker('1H');
    tracker.addRows([{ timestamp: t, open: 1, high: 1, low: 1, close: 1, volume: 1 }]);
    const first = tracker.score(t + HOUR + 60_000) as TrackedQuality;
    expect(tracker.refreshed(first, t + HOUR + 120_000, t)).toBe(first);
    const later = tracker.refreshed(first, t + 2.5 * HOUR, t);
    expect(later).toEqual({ ...first, metrics: { ...first.metrics, freshness: 0.5 }, score: 0.3 + 0.3 + 0.25 * 0.5 + 0.15 });
  });

  it('rejects an unknown timeframe and weights that do not sum to 1, naming the option', () => {
    expect(() => new QualityTracker('7x' as '1m')).toThrow(/`timeframe`.*"7x"/);
    const weights = { completeness: 0.5, validity: 0.5, freshness: 0.5, consistency: 0 };
    let error: unknown;
    try {
      new QualityTracker('1m', { weights });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/config\.weights/);
  });
});

/** The timeframes tried, with their bar widths (ms): the window is 1 day for 1m, 30 bars for 1H and 1D. */
const TIMEFRAMES = [
  { tf: '1m', width: MIN },
  { tf: '1H', width: HOUR },
  { tf: '1D', width: DAY },
] as const;

/** The configurations tried: short outlier windows (so planted trouble is caught), the robust method with other weights and delays, the defaults. */
const CONFIGS: readonly QualityConfig[] = [
  { validity: { outlierWindow: 12, volumeWindow: 5 } },
  {
    validity: { outlierWindow: 8, volumeWindow: 4, outlierMethod: 'mad' },
    weights: { completeness: 0.4, validity: 0.2, freshness: 0.2, consistency: 0.2 },
    freshness: { maxDelayMs: { '1m': 30_000, '1H': 600_000 } },
  },
  {},
];

/** Trouble planted in one bar; most bars get none. */
type Trouble = 'none' | 'broken' | 'jump' | 'spike' | 'zeroVolume' | 'nanClose' | 'forwardFilled' | 'interpolated' | 'clipped' | 'offGrid';

const trouble: fc.Arbitrary<Trouble> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('none' as const) },
  {
    weight: 8,
    arbitrary: fc.constantFrom<Trouble>(
      'broken',
      'jump',
      'spike',
      'zeroVolume',
      'nanClose',
      'forwardFilled',
      'interpolated',
      'clipped',
      'offGrid',
    ),
  },
);

/** One bar of a random series: the grid slots since the previous bar (more than 1 leaves a gap), its trouble and, off the grid, how far into its bucket it opens (a fraction of the width). */
const step = fc.record({
  slots: fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 5 }) }),
  trouble,
  offset: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
});

/** One generated step. */
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** A random series of `tf`: strictly increasing timestamps, each bar alone in its grid bucket (off-grid bars open inside their own bucket). */
function series(seed: number, width: number, tf: '1m' | '1H' | '1D', steps: readonly Step[]): Ohlcv[] {
  const slots = steps.reduce((total, s) => total + s.slots, 0);
  const generated = generateOhlcv({ seed, start: Date.UTC(2025, 0, 1), count: slots, timeframe: tf }).bars;
  const out: Ohlcv[] = [];
  let slot = -1;
  for (const s of steps) {
    slot += s.slots;
    const bar = generated[slot] as Ohlcv;
    switch (s.trouble) {
      case 'broken':
        out.push({ ...bar, high: bar.low - 1 });
        break;
      case 'jump':
        out.push({ ...bar, close: bar.close * 1.3, high: bar.high * 1.3 });
        break;
      case 'spike':
        out.push({ ...bar, volume: bar.volume * 50 });
        break;
      case 'zeroVolume':
        out.push({ ...bar, volume: 0 });
        break;
      case 'nanClose':
        out.push({ ...bar, close: Number.NaN });
        break;
      case 'forwardFilled':
        out.push({ ...bar, flag: 'forward_filled' });
        break;
      case 'interpolated':
        out.push({ ...bar, flag: 'interpolated' });
        break;
      case 'clipped':
        out.push({ ...bar, flag: 'clipped' });
        break;
      case 'offGrid':
        out.push({ ...bar, timestamp: bar.timestamp + Math.max(1, Math.floor(s.offset * width)) });
        break;
      default:
        out.push(bar);
    }
  }
  return out;
}

/** `bars` cut at the sorted, distinct `cuts` (indices into `bars`), every piece non-empty. */
function pieces<T>(bars: readonly T[], cuts: readonly number[]): T[][] {
  const at = [...new Set(cuts.map((c) => c % bars.length))].filter((c) => c > 0).sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const c of [...at, bars.length]) {
    out.push(bars.slice(from, c));
    from = c;
  }
  return out;
}

/**
 * What the batch functions say the tracker must report at `now` over `bars` (all fed):
 * `scoreQuality` over the window's bars with the same `timeframe`, `now` and `config`, and no
 * `start` or `end` (the tracker measures completeness from the window's first bar). Two parts
 * differ by definition, and are taken from where they are defined:
 * - validity: the tracker judges the window's first bars against the bars fed before the
 *   window, `scoreQuality` over the window alone starts its outlier windows empty; so validity
 *   is `checkValidity` over every bar fed, counted over the window's bars;
 * - completeness when the window's first bar is off the grid: the tracker's grid starts at the
 *   first slot at or after that bar (`expectedBarCount(first, …)`), `checkCompleteness`'s at
 *   the bucket holding it, one slot more.
 * `undefined` when the window holds no bar.
 */
function batchAt(
  bars: readonly Ohlcv[],
  tf: '1m' | '1H' | '1D',
  width: number,
  now: number,
  config: QualityConfig,
): TrackedQuality | undefined {
  // The window the tracker documents: bars opening at or after now − max(1 day, 30 bars).
  const windowStart = now - Math.max(DAY, 30 * width);
  const k = bars.findIndex((bar) => bar.timestamp >= windowStart);
  if (k < 0) return undefined;
  const window = bars.slice(k);
  const batch = scoreQuality(window, { timeframe: tf, now, config });
  const n = window.length;
  const whole = checkValidity(bars, config.validity === undefined ? {} : { config: config.validity });
  const bad = new Set<number>([...whole.validation.issues.map((i) => i.index), ...whole.outliers.outliers.map((o) => o.index)]);
  const badInWindow = [...bad].filter((i) => i >= k).length;
  const firstOffGrid = (window[0] as Ohlcv).timestamp % width !== 0;
  const slots = batch.completeness.expected - 1;
  const metrics: QualityMetrics = {
    completeness: firstOffGrid ? (slots > 0 ? Math.min(1, n / slots) : 0) : batch.metrics.completeness,
    validity: (n - badInWindow) / n,
    freshness: batch.metrics.freshness,
    consistency: batch.metrics.consistency,
  };
  const dayStart = Math.floor(now / DAY) * DAY;
  return {
    metrics,
    score: weighQuality(metrics, batch.weights),
    bars: n,
    barsToday: window.filter((bar) => bar.timestamp >= dayStart).length,
  };
}

describe('QualityTracker, the streaming twin of scoreQuality', () => {
  const arbitraries = {
    timeframe: fc.constantFrom(...TIMEFRAMES),
    config: fc.constantFrom(...CONFIGS),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    steps: fc.array(step, { minLength: 1, maxLength: 120, size: 'max' }),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
    asRows: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
    // now: the newest bar's open plus this many widths (and a part of one): from inside the
    // newest bar to past its window, so that the window may drop every bar.
    late: fc.integer({ min: 0, max: 70 }),
    part: fc.double({ min: 0, max: 0.999, noNaN: true }),
  };

  it('scores bars fed in any split, scored between splits or not, as the batch functions score the window', () => {
    fc.assert(
      fc.property(fc.record(arbitraries), fc.boolean(), ({ timeframe, config, seed, steps, cuts, asRows, late, part }, scoreBetween) => {
        const { tf, width } = timeframe;
        // 1m bars in a 1-day window: stretch "late" so the window can also move past them.
        const unit = tf === '1m' ? 40 * width : width;
        const bars = series(seed, width, tf, steps);
        const newest = (bars[bars.length - 1] as Ohlcv).timestamp;
        const now = newest + late * unit + Math.floor(part * width);
        const tracker = new QualityTracker(tf, config);
        pieces(bars, cuts).forEach((piece, i) => {
          if (asRows[i] === true) tracker.addRows(piece);
          else tracker.add(toColumns(piece));
          // A score between pieces moves the window to that piece's newest bar: never past the final window.
          if (scoreBetween) tracker.score((piece[piece.length - 1] as Ohlcv).timestamp);
        });
        expect(tracker.fed).toBe(newest);
        const expected = batchAt(bars, tf, width, now, config);
        expect(tracker.score(now)).toEqual(expected);
        // Rebuilt from every bar at once with the bars before the window as history (the pipeline's warm-up): the same.
        const rebuilt = new QualityTracker(tf, config);
        rebuilt.add(
          toColumns(bars),
          Math.max(
            0,
            bars.findIndex((bar) => bar.timestamp >= rebuilt.windowStart(now)),
          ),
        );
        expect(rebuilt.score(now)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('equals scoreQuality exactly when the window holds every bar fed and they are on the grid', () => {
    fc.assert(
      fc.property(fc.record(arbitraries), ({ timeframe, config, seed, steps, cuts, asRows, part }) => {
        const { tf, width } = timeframe;
        const bars = series(
          seed,
          width,
          tf,
          steps.map((s) => (s.trouble === 'offGrid' ? { ...s, trouble: 'none' as const } : s)),
        ).filter((bar, _, all) => bar.timestamp - (all[0] as Ohlcv).timestamp < Math.max(DAY, 30 * width) - width);
        const newest = (bars[bars.length - 1] as Ohlcv).timestamp;
        const now = newest + width + Math.floor(part * width);
        const tracker = new QualityTracker(tf, config);
        pieces(bars, cuts).forEach((piece, i) => (asRows[i] === true ? tracker.addRows(piece) : tracker.add(toColumns(piece))));
        const batch = scoreQuality(bars, { timeframe: tf, now, config });
        const tracked = tracker.score(now);
        expect(tracked?.bars).toBe(bars.length);
        expect(tracked?.metrics).toEqual(batch.metrics);
        expect(tracked?.score).toBe(batch.score);
      }),
      { numRuns: 300 },
    );
  });

  /** A row refused before it became a bar, or a comparison, placed after the `after`-th bar. */
  const note = fc.record({
    after: fc.nat(),
    kind: fc.constantFrom('offGrid', 'brokenOffGrid', 'garbage', 'sameDuplicate', 'otherDuplicate'),
  });

  it('counts refused rows, comparisons and the expected start as scoreQuality counts them in the rows as they came', () => {
    // The rows as a source sent them hold the bars and the refused rows; scoreQuality over
    // them (with `start` = the first slot asked for) is what the tracker must report after it
    // was fed the bars, told of each refused row and comparison, and given that start. The
    // refused rows carry a flag only in the batch series: the outlier windows skip flagged
    // bars, as the tracker's windows never see a refused row.
    fc.assert(
      fc.property(
        fc.record({ ...arbitraries, notes: fc.array(note, { maxLength: 12 }), lead: fc.integer({ min: 0, max: 5 }) }),
        ({ timeframe, config, seed, steps, cuts, asRows, part, notes, lead }) => {
          const { tf, width } = timeframe;
          const generated = series(seed, width, tf, steps);
          const start = Math.floor((generated[0] as Ohlcv).timestamp / width) * width - lead * width;
          // The window (max(1 day, 30 bars) before now) holds the expected start and every bar.
          const bars = generated.filter((bar) => bar.timestamp - start < Math.max(DAY, 30 * width) - 2 * width);
          const newest = (bars[bars.length - 1] as Ohlcv).timestamp;
          const now = newest + width + Math.floor(part * width);
          const placed = notes.map((n) => ({ ...n, after: n.after % bars.length })).sort((a, b) => a.after - b.after);
          const raw: Ohlcv[] = [];
          const tracker = new QualityTracker(tf, config);
          tracker.expectFrom(start);
          let fed = 0;
          for (const piece of pieces(bars, cuts)) {
            if (asRows[fed % 9] === true) tracker.addRows(piece);
            else tracker.add(toColumns(piece));
            for (const bar of piece) {
              raw.push(bar);
              let off = 0;
              for (const { kind } of placed.filter((n) => n.after === fed)) {
                const flat = { open: 1, high: 1, low: 1, close: 1, volume: 1, flag: 'forward_filled' as const };
                const at = bar.timestamp;
                // Rows off the grid open a few ms after the bar, in its bucket, each at its own time.
                if (kind === 'offGrid') {
                  off++;
                  raw.push({ ...flat, timestamp: bar.timestamp + off });
                  tracker.refuse(at, bar.timestamp + off, true);
                } else if (kind === 'brokenOffGrid') {
                  off++;
                  raw.push({ ...flat, high: 0, timestamp: bar.timestamp + off });
                  tracker.refuse(at, bar.timestamp + off, false);
                } else if (kind === 'garbage') {
                  raw.push({ ...flat, timestamp: Number.NaN, close: Number.NaN });
                  tracker.refuse(at, Number.NaN, false);
                } else {
                  // A duplicate breaks timestamp_ascending (bad for validity), is one alignment check and one duplicate check.
                  const same = kind === 'sameDuplicate';
                  raw.push(same ? { ...bar, flag: 'forward_filled' } : { ...flat, timestamp: bar.timestamp });
                  tracker.refuse(at, bar.timestamp, false);
                  tracker.compare(at, same);
                }
              }
              fed++;
            }
          }
          const batch = scoreQuality(raw, { timeframe: tf, now, start, config });
          // Freshness is judged on the newest bar: a refused row (one opening 1 ms after the newest bar) is none.
          const metrics = { ...batch.metrics, freshness: scoreQuality(bars, { timeframe: tf, now, config }).metrics.freshness };
          const tracked = tracker.score(now);
          expect(tracked?.bars).toBe(bars.length);
          expect(tracked?.metrics).toEqual(metrics);
          expect(tracked?.score).toBe(weighQuality(metrics, batch.weights));
          // Reset and fed again, the notes and the start stay.
          tracker.reset();
          tracker.add(toColumns(bars));
          expect(tracker.score(now)?.metrics).toEqual(metrics);
        },
      ),
      { numRuns: 300 },
    );
  });
});
