import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { handleOutliers } from '../../src/preprocess/handle-outliers.js';
import { OutlierHandler } from '../../src/preprocess/outlier-handler.js';
import type { OutlierMethod } from '../../src/preprocess/outlier-method.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { bar } from './series.js';

/** One step of a random walk: a return, sometimes a spike, a filled bar, a NaN close or a break before it. */
const step = fc.record({
  r: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
  kind: fc.oneof(
    { weight: 20, arbitrary: fc.constant('none' as const) },
    { weight: 2, arbitrary: fc.constant('spike' as const) },
    { weight: 1, arbitrary: fc.constantFrom('interpolated' as const, 'forward_filled' as const, 'clipped' as const, 'nan' as const) },
  ),
  afterBreak: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

describe('OutlierHandler', () => {
  it('returns each bar fed one at a time as handleOutliers over every bar fed returns it', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 200 }),
        fc.constantFrom<OutlierMethod>('clip', 'flag', 'remove'),
        fc.integer({ min: 2, max: 30 }),
        fc.double({ min: 1, max: 6, noNaN: true }),
        (steps, method, window, threshold) => {
          let close = 100;
          const bars: Ohlcv[] = [];
          const breaks: number[] = [];
          steps.forEach((s, i) => {
            close *= 1 + (s.kind === 'spike' ? 0.3 : s.r);
            const extra: Partial<Ohlcv> =
              s.kind === 'nan' ? { close: Number.NaN } : s.kind === 'none' || s.kind === 'spike' ? {} : { flag: s.kind };
            bars.push(bar(i, close, extra));
            if (s.afterBreak && i > 0) breaks.push(i);
          });
          const batch = handleOutliers(bars, { method, window, threshold, breaks });
          const handler = new OutlierHandler({ method, window, threshold });
          const streamed = bars.map((b, i) => handler.add(b, breaks.includes(i)));
          expect(streamed.flatMap((h, i) => (h.outlier ? [i] : []))).toEqual(batch.outliers);
          expect(streamed.flatMap((h) => (h.bar === undefined ? [] : [h.bar]))).toEqual(batch.bars);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('clips a 10 % jump into the band of the returns before it and flags it clipped', () => {
    // Returns +1 %, −1 %, +1 %, −1 % (mean 0, sample sd √(4 · 0.0001 / 3)), then +10 %: beyond
    // 5 deviations, clipped to previous close · (1 + 5 · sd) (handleOutliers' documented band).
    const values = [100];
    for (let i = 1; i <= 4; i++) values.push((values[i - 1] as number) * (i % 2 === 1 ? 1.01 : 0.99));
    const handler = new OutlierHandler({ window: 4 });
    for (const [i, c] of values.entries()) expect(handler.add(bar(i, c)).outlier).toBe(false);
    const prev = values[4] as number;
    const { bar: clipped, outlier } = handler.add(bar(5, prev * 1.1));
    expect(outlier).toBe(true);
    expect(clipped?.flag).toBe('clipped');
    expect(clipped?.close).toBeCloseTo(prev * (1 + 5 * Math.sqrt((4 * 0.0001) / 3)), 9);
  });

  it('rejects an unknown method with a ConfigError naming it', () => {
    let error: unknown;
    try {
      new OutlierHandler({ method: 'drop' as OutlierMethod });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/`method`.*drop/);
  });
});
