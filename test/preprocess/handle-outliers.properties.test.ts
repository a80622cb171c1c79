import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleOutliers } from '../../src/preprocess/handle-outliers.js';
import { OutlierHandler } from '../../src/preprocess/outlier-handler.js';
import type { OutlierMethod } from '../../src/preprocess/outlier-method.js';
import { barFlagCode } from '../../src/schemas/bar-flag.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import { bar, columnsOf, rowsOf } from './series.js';

/**
 * What the reference finds: outlier indices (ascending) and the band of each; `tie` when a
 * judged bar sat on the limit within rounding (`|r − mean|` within 1e-9 of `threshold · sd`),
 * where floating point may decide either way and the rest of the series follows that choice.
 */
interface Expected {
  readonly outliers: number[];
  readonly lo: number[];
  readonly hi: number[];
  tie: boolean;
}

/**
 * `handleOutliers`' rule as its TSDoc states it, written the slow way: the return of a bar is
 * `close / previous close − 1`, the previous close being the last kept close as cleaned (a clipped
 * close after a clip; a removed bar is skipped); it is judged against the mean and the sample
 * standard deviation (n − 1) of the `window` returns before it, recomputed from scratch; an outlier
 * is `|r − mean| > threshold · sd`, with the band `previous close · (1 + mean ± threshold · sd)`.
 * A window that is not full or has a zero deviation judges nothing; synthetic bars are neither
 * judged nor counted; the first bar, the first after a break and a bar after a non-positive close
 * have no return.
 */
function reference(
  bars: readonly Ohlcv[],
  method: OutlierMethod,
  threshold: number,
  window: number,
  breaks: ReadonlySet<number>,
): Expected {
  const out: Expected = { outliers: [], lo: [], hi: [], tie: false };
  const history: number[] = [];
  let previous = Number.NaN;
  bars.forEach((b, i) => {
    const c = b.close;
    const synthetic = b.flag === 'interpolated' || b.flag === 'forward_filled';
    if (breaks.has(i) || !(previous > 0) || synthetic) {
      previous = c;
      return;
    }
    const r = c / previous - 1;
    if (history.length >= window) {
      const last = history.slice(-window);
      const mean = last.reduce((s, x) => s + x, 0) / window;
      const sd = Math.sqrt(last.reduce((s, x) => s + (x - mean) ** 2, 0) / (window - 1));
      if (sd > 0 && Math.abs(Math.abs(r - mean) - threshold * sd) <= 1e-9 * threshold * sd) out.tie = true;
      if (sd > 0 && Math.abs(r - mean) > threshold * sd) {
        const lo = previous * (1 + mean - threshold * sd);
        const hi = previous * (1 + mean + threshold * sd);
        out.outliers.push(i);
        out.lo.push(lo);
        out.hi.push(hi);
        if (method === 'remove') return;
        const clipped = Math.min(hi, Math.max(lo, c));
        history.push(clipped / previous - 1);
        previous = clipped;
        return;
      }
    }
    history.push(r);
    previous = c;
  });
  return out;
}

/** Rows as columns with their flags column (`columnsOf` leaves flags out). */
function withFlags(rows: readonly Ohlcv[]): OhlcvColumns {
  return Object.freeze({ ...columnsOf(rows), flags: Uint8Array.from(rows, (r) => barFlagCode(r.flag)) });
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Integer closes (so no window is flat by rounding), now and then a spike, a zero close or a synthetic bar. */
const step = fc.record({
  close: fc.integer({ min: 95, max: 105 }),
  kind: fc.oneof(
    { weight: 12, arbitrary: fc.constant('plain' as const) },
    { weight: 2, arbitrary: fc.constantFrom('up' as const, 'down' as const) },
    { weight: 1, arbitrary: fc.constantFrom('zero' as const, 'interpolated' as const, 'forward_filled' as const, 'clipped' as const) },
  ),
  afterBreak: fc.oneof({ weight: 25, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

function seriesOf(steps: readonly { close: number; kind: string }[]): Ohlcv[] {
  return steps.map((s, i) => {
    const close = s.kind === 'up' ? s.close * 1.4 : s.kind === 'down' ? s.close * 0.6 : s.kind === 'zero' ? 0 : s.close;
    const flag = s.kind === 'interpolated' || s.kind === 'forward_filled' || s.kind === 'clipped' ? s.kind : undefined;
    return bar(i, close, {
      open: close * 1.01,
      high: close * 1.5,
      low: close * 0.5,
      ...(flag === undefined ? {} : { flag }),
    });
  });
}

describe('handleOutliers against its documented rule (property)', () => {
  it('finds the outliers, bands, clipped prices and removed bars of a slow reference, rows, columns and streamed alike', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 80 }),
        fc.constantFrom<OutlierMethod>('clip', 'flag', 'remove'),
        fc.integer({ min: 2, max: 7 }),
        fc.constantFrom(0.5, 1, 1.5, 2, 3),
        (steps, method, window, threshold) => {
          const input = seriesOf(steps);
          const breaks = steps.flatMap((s, i) => (s.afterBreak && i > 0 ? [i] : []));
          const expected = reference(input, method, threshold, window, new Set(breaks));
          fc.pre(!expected.tie);
          const { bars, outliers } = handleOutliers(Object.freeze(input), { method, threshold, window, breaks });
          expect(outliers).toEqual(expected.outliers);
          const gone = new Set(expected.outliers);
          if (method === 'remove') {
            expect(bars).toEqual(input.filter((_, i) => !gone.has(i)));
          } else if (method === 'flag') {
            expect(bars).toEqual(input);
          } else {
            expect(bars).toHaveLength(input.length);
            bars.forEach((b, i) => {
              const k = expected.outliers.indexOf(i);
              if (k < 0) {
                expect(b).toBe(input[i]);
                return;
              }
              const lo = expected.lo[k] as number;
              const hi = expected.hi[k] as number;
              const source = input[i] as Ohlcv;
              expect(b.flag).toBe('clipped');
              expect(b.timestamp).toBe(source.timestamp);
              expect(b.volume).toBe(source.volume);
              for (const key of ['open', 'high', 'low', 'close'] as const) {
                expect(b[key]).toBeCloseTo(clamp(source[key], lo, hi), 6);
              }
            });
          }
          // The streaming twin, one bar at a time, gives the same bars.
          const handler = new OutlierHandler({ method, threshold, window });
          const streamed = input.map((b, i) => handler.add(b, breaks.includes(i)));
          expect(streamed.flatMap((h, i) => (h.outlier ? [i] : []))).toEqual(expected.outliers);
          expect(streamed.flatMap((h) => (h.bar === undefined ? [] : [h.bar]))).toEqual(bars);
          const asColumns = handleOutliers(withFlags(input), { method, threshold, window, breaks });
          expect(asColumns.outliers).toEqual(expected.outliers);
          expect(rowsOf(asColumns.bars)).toEqual(bars);
        },
      ),
      { numRuns: 400 },
    );
  });
});
