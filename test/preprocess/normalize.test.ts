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
  });
});
