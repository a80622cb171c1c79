import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/preprocess/normalize.js';
import { isConfigError } from '../../src/errors/config-error.js';

describe('normalize', () => {
  it('z-scores with the population standard deviation', () => {
    // mean 3, population variance (4 + 1 + 0 + 1 + 4) / 5 = 2
    const out = normalize([1, 2, 3, 4, 5], { method: 'zscore' });
    const s = Math.sqrt(2);
    [-2 / s, -1 / s, 0, 1 / s, 2 / s].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 12));
  });

  it('scales robustly by median and interquartile range by default', () => {
    // simple-statistics quantiles of [1, 2, 3, 4, 100]: index ceil(p·n) − 1 → q25 = 2, q75 = 4, IQR 2; median 3.
    expect(Array.from(normalize([1, 2, 3, 4, 100]))).toEqual([-1, -0.5, 0, 0.5, 48.5]);
  });

  it('leaves non-finite values out and returns them as NaN', () => {
    expect(
      Array.from(normalize([1, Number.NaN, 3, Number.POSITIVE_INFINITY, 5], { method: 'zscore' })).map((v) => Number.isNaN(v)),
    ).toEqual([false, true, false, true, false]);
  });

  it('only centres constant values', () => {
    expect(Array.from(normalize([7, 7, 7]))).toEqual([0, 0, 0]);
  });

  it('throws ConfigError on an unknown method', () => {
    let caught: unknown;
    try {
      normalize([1], { method: 'minmax' as 'robust' });
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught)).toBe(true);
    expect(caught).toMatchObject({ path: ['method'], value: 'minmax' });
    expect(String(caught)).toMatch(/`method`.*minmax/);
  });

  it('centres z-scores on the mean, not the median', () => {
    // [1, 2, 3, 4, 10]: mean 4 (median 3), population variance (9 + 4 + 1 + 0 + 36) / 5 = 10.
    const out = normalize([1, 2, 3, 4, 10], { method: 'zscore' });
    const s = Math.sqrt(10);
    [-3 / s, -2 / s, -1 / s, 0, 6 / s].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 12));
  });

  it('gives all NaN when no value is finite', () => {
    for (const method of ['robust', 'zscore'] as const) {
      expect(Array.from(normalize([Number.NaN, Number.NEGATIVE_INFINITY], { method })).map((v) => Number.isNaN(v))).toEqual([true, true]);
    }
  });
});
