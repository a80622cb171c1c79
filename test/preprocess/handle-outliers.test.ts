import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { handleOutliers } from '../../src/preprocess/handle-outliers.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { closes, columnsOf, rowsOf } from './series.js';

/**
 * Closes whose returns alternate exactly +1 % and −1 % (100, 101, 99.99, 100.9899, …), then one
 * bar 10 % above the previous close. With a window of 4 returns (+.01, −.01, +.01, −.01):
 * mean 0, sample sd = sqrt(4 · 0.0001 / 3) = 0.0115470…, so at threshold 5 the band is
 * previous close · (1 ± 0.0577350…) and the 10 % jump is an outlier.
 */
function spikeSeries(): readonly Ohlcv[] {
  const values = [100];
  for (let i = 1; i <= 4; i++) values.push((values[i - 1] as number) * (i % 2 === 1 ? 1.01 : 0.99));
  values.push((values[4] as number) * 1.1);
  return closes(values);
}

describe('handleOutliers', () => {
  const sd = Math.sqrt((4 * 0.0001) / 3);

  it('clips an outlier into the band, keeps OHLC valid and flags it', () => {
    const input = spikeSeries();
    const prev = (input[4] as Ohlcv).close;
    const { bars, outliers } = handleOutliers(input, { window: 4 });
    expect(outliers).toEqual([5]);
    const clipped = bars[5] as Ohlcv;
    const top = prev * (1 + 5 * sd);
    expect(clipped.close).toBeCloseTo(top, 9);
    expect(clipped.flag).toBe('clipped');
    expect(clipped.high).toBeGreaterThanOrEqual(Math.max(clipped.open, clipped.close));
    expect(clipped.low).toBeLessThanOrEqual(Math.min(clipped.open, clipped.close));
    expect(bars.slice(0, 5)).toEqual(input.slice(0, 5));
  });

  it('removes an outlier with remove', () => {
    const { bars, outliers } = handleOutliers(spikeSeries(), { window: 4, method: 'remove' });
    expect(outliers).toEqual([5]);
    expect(bars).toHaveLength(5);
  });

  it('lists with flag exactly the bars clip would change, changing nothing', () => {
    const input = spikeSeries();
    const flagged = handleOutliers(input, { window: 4, method: 'flag' });
    expect(flagged.outliers).toEqual(handleOutliers(input, { window: 4 }).outliers);
    expect(flagged.bars).toEqual(input);
  });

  it('does not judge a bar before the window is full, with a flat window, or after a break', () => {
    expect(handleOutliers(closes([100, 200, 100]), { window: 4 }).outliers).toEqual([]);
    expect(handleOutliers(closes([1, 1, 1, 1, 1, 5]), { window: 4 }).outliers).toEqual([]);
    expect(handleOutliers(spikeSeries(), { window: 4, breaks: [5] }).outliers).toEqual([]);
  });

  it('does not judge a bar against a window that turned flat between two exact re-sums, whose running sums keep a rounding residue', () => {
    // Returns 3/100, −2/103, 3/101 and 0 fill a window of 4; three more zeros push the first
    // three out, so the window is four zeros (sd 0), though its running sum of squares is about
    // 1e-19 in floating point. Then a 1 % move, which a positive sd would call an outlier.
    const input = closes([100, 103, 101, 104, 104, 104, 104, 104, 105]);
    for (const method of ['clip', 'remove', 'flag'] as const) {
      expect(handleOutliers(input, { window: 4, method }).outliers).toEqual([]);
    }
  });

  it('does not judge synthetic bars', () => {
    const input = [...spikeSeries()];
    input[5] = Object.freeze({ ...(input[5] as Ohlcv), flag: 'interpolated' as const });
    expect(handleOutliers(input, { window: 4 }).outliers).toEqual([]);
  });

  it('gives the same answer for columns, as columns', () => {
    const input = spikeSeries();
    const { bars } = handleOutliers(columnsOf(input), { window: 4 });
    expect(bars.flags?.[5]).toBe(3);
    expect(rowsOf(bars)).toEqual(handleOutliers(input, { window: 4 }).bars);
  });

  it('throws ConfigError on bad options', () => {
    for (const options of [{ method: 'drop' }, { threshold: 0 }, { window: 1 }, { breaks: [-1] }]) {
      let caught: unknown;
      try {
        handleOutliers([], options as never);
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught)).toBe(true);
    }
  });

  it('names the bad option, its path and its value in the ConfigError', () => {
    const cases = [
      { options: { method: 'drop' }, path: ['method'], value: 'drop' },
      { options: { threshold: -1 }, path: ['threshold'], value: -1 },
      { options: { threshold: 'x' }, path: ['threshold'], value: 'x' },
      { options: { window: 1.5 }, path: ['window'], value: 1.5 },
    ] as const;
    for (const { options, path, value } of cases) {
      let caught: unknown;
      try {
        handleOutliers([], options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ path, value });
      expect(String(caught)).toContain(`\`${String(path[0])}\``);
      expect(String(caught)).toContain(String(value));
    }
    expect(handleOutliers(spikeSeries(), { window: 2, threshold: Number.MIN_VALUE }).outliers.length).toBeGreaterThan(0);
  });

  it('neither judges nor counts a bar without a finite close: the spike after it is still an outlier', () => {
    const input = [...spikeSeries()];
    input.splice(5, 0, Object.freeze({ ...(input[4] as Ohlcv), timestamp: 4.5 * 60_000, close: Number.NaN }));
    expect(handleOutliers(input, { window: 4 }).outliers).toEqual([6]);
  });

  it('measures no return across any break, the second one too', () => {
    // The spike at 5 is an outlier (see above) unless a break falls on it.
    expect(handleOutliers(spikeSeries(), { window: 2, breaks: [2, 5] }).outliers).toEqual([]);
    expect(handleOutliers(spikeSeries(), { window: 2, breaks: [2] }).outliers).toEqual([5]);
  });

  it('judges a return exactly threshold deviations from the mean as normal (strictly beyond is an outlier)', () => {
    // Returns −0.5, 0, +0.5 (closes 100, 50, 50, 75): mean 0, sample sd √((0.25 + 0 + 0.25) / 2) = 0.5,
    // all exact in binary; at threshold 2 the limit is |r| > 1, and 75 → 150 is r = 1 exactly.
    const at = closes([100, 50, 50, 75, 150]);
    expect(handleOutliers(at, { window: 3, threshold: 2 }).outliers).toEqual([]);
    expect(handleOutliers(closes([100, 50, 50, 75, 150.01]), { window: 3, threshold: 2 }).outliers).toEqual([4]);
  });

  it('keeps every clipped bar OHLC-valid and changes no other bar (property)', () => {
    const walk = fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 2, maxLength: 120 });
    fc.assert(
      fc.property(walk, fc.integer({ min: 2, max: 10 }), fc.double({ min: 0.5, max: 5, noNaN: true }), (steps, window, threshold) => {
        let price = 100;
        const input = Object.freeze(
          steps.map((s, i) => {
            const open = price;
            price *= 1 + s;
            return Object.freeze({
              timestamp: i * 60_000,
              open,
              high: Math.max(open, price) * 1.01,
              low: Math.min(open, price) * 0.99,
              close: price,
              volume: 1,
            });
          }),
        );
        const { bars, outliers } = handleOutliers(input, { window, threshold });
        const set = new Set(outliers);
        bars.forEach((b, i) => {
          if (!set.has(i)) expect(b).toBe(input[i]);
          else {
            expect(b.flag).toBe('clipped');
            expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
            expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
          }
        });
      }),
    );
  });
});
