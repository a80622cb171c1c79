import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectOutliers } from '../../src/quality/detect-outliers.js';
import { outlierState, scanOutliers } from '../../src/quality/internal/outlier-scan.js';
import type { Outlier } from '../../src/quality/outlier.js';
import { DEFAULT_VALIDITY, type ValidityConfig } from '../../src/schemas/config.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';

/** One bar of a generated series: a close, a volume and a flag code (0 = real). */
interface Step {
  readonly close: number;
  readonly volume: number;
  readonly flag: number;
}

/** One expected finding; `value` is compared within a relative 1e-6 (the kernels keep running sums). */
interface Finding {
  readonly rule: Outlier['rule'];
  readonly index: number;
  readonly value: number;
  readonly threshold: number;
}

/** What the reference finds, and the bars whose deviation test sits within rounding of the limit (not compared). */
interface Expected {
  readonly findings: Finding[];
  readonly outlierBars: number;
  readonly judgedBars: number;
  readonly borderline: Set<number>;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The middle of a sorted copy (the mean of the two middle values for an even count). */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * `detectOutliers`' rules as its TSDoc and `OutlierRule` state them, written the slow way:
 * a flagged bar is skipped (neither judged nor added to a window); a volume is judged only when
 * finite and non-negative — zero volume is flagged when not allowed, otherwise a volume above
 * `volumeSpikeThreshold` × the mean of the previous `volumeWindow` judged volumes is a spike
 * (once that many exist, and only when their mean is positive), and every such volume enters
 * the window; a close is judged only when finite and positive, against the previous such close:
 * `|close / previous − 1| > priceChangeThreshold` is a price change, and the return is compared
 * with the previous `outlierWindow` returns (once that many exist), recomputed from scratch:
 * mean and sample standard deviation (n − 1), or median and 1.4826 × the median absolute
 * deviation; beyond `outlierStdDevs` of a positive scale it is an outlier. Every return enters
 * the window, flagged or not.
 */
function reference(steps: readonly Step[], o: ValidityConfig): Expected {
  const findings: Finding[] = [];
  const borderline = new Set<number>();
  const volumes: number[] = [];
  const returns: number[] = [];
  let previous = Number.NaN;
  let outlierBars = 0;
  let judgedBars = 0;
  steps.forEach((s, i) => {
    if (s.flag !== 0) return;
    judgedBars++;
    const before = findings.length;
    const v = s.volume;
    if (Number.isFinite(v) && v >= 0) {
      if (v === 0 && !o.zeroVolumeAllowed) {
        findings.push({ rule: 'zero_volume', index: i, value: 0, threshold: 0 });
      } else if (volumes.length >= o.volumeWindow) {
        const m = mean(volumes.slice(-o.volumeWindow));
        if (m > 0 && v > o.volumeSpikeThreshold * m) {
          findings.push({ rule: 'volume_spike', index: i, value: v / m, threshold: o.volumeSpikeThreshold });
        }
      }
      volumes.push(v);
    }
    const c = s.close;
    if (Number.isFinite(c) && c > 0) {
      if (previous > 0) {
        const r = c / previous - 1;
        if (Math.abs(r) > o.priceChangeThreshold) {
          findings.push({ rule: 'price_change', index: i, value: r, threshold: o.priceChangeThreshold });
        }
        if (returns.length >= o.outlierWindow) {
          const window = returns.slice(-o.outlierWindow);
          let centre: number;
          let scale: number;
          if (o.outlierMethod === 'mad') {
            centre = median(window);
            scale = 1.4826 * median(window.map((x) => Math.abs(x - centre)));
          } else {
            centre = mean(window);
            scale = Math.sqrt(window.reduce((acc, x) => acc + (x - centre) ** 2, 0) / (window.length - 1));
          }
          const z = (r - centre) / scale;
          if (o.outlierMethod === 'stddev' && Math.abs(Math.abs(z) - o.outlierStdDevs) <= 1e-7 * o.outlierStdDevs) {
            borderline.add(i);
          } else if (scale > 0 && Math.abs(z) > o.outlierStdDevs) {
            findings.push({ rule: 'return_outlier', index: i, value: z, threshold: o.outlierStdDevs });
          }
        }
        returns.push(r);
      }
      previous = c;
    }
    if (findings.length > before) outlierBars++;
  });
  return { findings, outlierBars, judgedBars, borderline };
}

function columnsOf(steps: readonly Step[], from = 0, to = steps.length): OhlcvColumns {
  const part = steps.slice(from, to);
  const close = Float64Array.from(part, (s) => s.close);
  return {
    length: part.length,
    timestamp: Float64Array.from(part, (_, i) => (from + i) * 60_000),
    open: close,
    high: close,
    low: close,
    close,
    volume: Float64Array.from(part, (s) => s.volume),
    flags: Uint8Array.from(part, (s) => s.flag),
  };
}

/** Compares findings with the reference's, leaving out the return tests that sit on the limit within rounding. */
function expectSame(actual: readonly Outlier[], expected: Expected): void {
  const keep = (f: { rule: string; index: number }): boolean => !(f.rule === 'return_outlier' && expected.borderline.has(f.index));
  const got = actual.filter(keep);
  const want = expected.findings.filter(keep);
  expect(got.map((f) => `${f.index}:${f.rule}`)).toEqual(want.map((f) => `${f.index}:${f.rule}`));
  got.forEach((f, k) => {
    const w = want[k] as Finding;
    expect(f.threshold).toBe(w.threshold);
    expect(f.timestamp).toBe(w.index * 60_000);
    expect(Math.abs(f.value - w.value)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w.value)));
  });
}

/** Closes near 100 (now and then flat, a jump, or unusable), volumes near 10 (now and then a spike, 0 or unusable), a few flagged bars. */
const step: fc.Arbitrary<Step> = fc.record({
  close: fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: 95, max: 105 }) },
    { weight: 4, arbitrary: fc.constant(100) },
    { weight: 1, arbitrary: fc.constantFrom(150, 60, 100.5) },
    { weight: 1, arbitrary: fc.constantFrom(0, -5, Number.NaN, Infinity) },
  ),
  volume: fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: 1, max: 12 }) },
    { weight: 3, arbitrary: fc.constant(4) },
    { weight: 1, arbitrary: fc.constantFrom(0, 60, 300, -1, Number.NaN, Infinity) },
  ),
  flag: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2, 3) }),
});

/** Small windows (so the rings wrap many times), thresholds low enough that every rule fires. */
const options: fc.Arbitrary<ValidityConfig> = fc.record({
  priceChangeThreshold: fc.constantFrom(0.02, 0.05, 0.1),
  volumeSpikeThreshold: fc.constantFrom(2, 3, 5),
  volumeWindow: fc.integer({ min: 1, max: 6 }),
  zeroVolumeAllowed: fc.boolean(),
  outlierStdDevs: fc.constantFrom(1, 1.5, 2, 3),
  outlierWindow: fc.integer({ min: 1, max: 7 }),
  outlierMethod: fc.constantFrom('stddev' as const, 'mad' as const),
});

describe('detectOutliers against its documented rules (property)', () => {
  it('finds what a slow reference finds, for both methods, over windows that wrap many times', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 0, maxLength: 120 }), options, (steps, o) => {
        const expected = reference(steps, o);
        const result = detectOutliers(columnsOf(steps), o);
        expectSame(result.outliers, expected);
        if (expected.borderline.size === 0) expect(result.outlierBars).toBe(expected.outlierBars);
        expect(result.judgedBars).toBe(expected.judgedBars);
      }),
      { numRuns: 600 },
    );
  });

  it('judges a series fed in pieces (a resumed scan) as one call over the whole series', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 120 }),
        options,
        fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 8 }),
        (steps, o, cuts) => {
          const ends = [...new Set([...cuts.map((c) => c % (steps.length + 1)), steps.length])].sort((a, b) => a - b);
          const state = outlierState(o);
          const pieces: Outlier[] = [];
          let judged = 0;
          let from = 0;
          for (const to of ends) {
            const found: Outlier[] = [];
            judged += scanOutliers(columnsOf(steps, from, to), o, state, found).judgedBars;
            // Indices of a piece count from its start: move them to the whole series.
            pieces.push(...found.map((f) => ({ ...f, index: f.index + from })));
            from = to;
          }
          expectSame(pieces, reference(steps, o));
          expect(judged).toBe(reference(steps, o).judgedBars);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('uses the default windows (20 volumes, 100 returns) when none are given', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 90, maxLength: 260 }),
        fc.constantFrom('stddev' as const, 'mad' as const),
        (steps, method) => {
          const o = { ...DEFAULT_VALIDITY, outlierMethod: method, outlierStdDevs: 1.5 };
          expectSame(detectOutliers(columnsOf(steps), { outlierMethod: method, outlierStdDevs: 1.5 }).outliers, reference(steps, o));
        },
      ),
      { numRuns: 60 },
    );
  });
});
