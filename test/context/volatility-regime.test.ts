import fc from 'fast-check';
import { quantileRank } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { volatilityRegime } from '../../src/context/volatility-regime.js';
import { isConfigError } from '../../src/errors/config-error.js';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('volatilityRegime', () => {
  it('ranks the current value within its history, in percent', () => {
    // 45 of 1…100 lie below 45.5: the 45th percentile, as in the specification's example.
    expect(volatilityRegime(oneToHundred, 45.5)).toEqual({ regime: 'normal', percentile: 45, sampleSize: 100 });
    // Ties take the mean rank: [1, 2, 3, 3, 4] and 3 → ranks 3 and 4 → 3.5 / 5 = 70 %.
    expect(volatilityRegime([1, 2, 3, 3, 4], 3)?.percentile).toBeCloseTo(70, 12);
  });

  it('classifies by the default thresholds 25 / 75 / 95', () => {
    expect(volatilityRegime(oneToHundred, 0.5)?.regime).toBe('low'); // 0 %
    expect(volatilityRegime(oneToHundred, 25.5)?.regime).toBe('low'); // 25 %: at the bound
    expect(volatilityRegime(oneToHundred, 26.5)?.regime).toBe('normal'); // 26 %
    expect(volatilityRegime(oneToHundred, 74.5)?.regime).toBe('normal'); // 74 %
    expect(volatilityRegime(oneToHundred, 75.5)?.regime).toBe('high'); // 75 %
    expect(volatilityRegime(oneToHundred, 94.5)?.regime).toBe('high'); // 94 %
    expect(volatilityRegime(oneToHundred, 95.5)?.regime).toBe('extreme'); // 95 %
    expect(volatilityRegime(oneToHundred, 1000)).toEqual({ regime: 'extreme', percentile: 100, sampleSize: 100 });
  });

  it('takes its thresholds from the caller', () => {
    expect(volatilityRegime(oneToHundred, 45.5, { low: 50, high: 80, extreme: 99 })?.regime).toBe('low');
    expect(volatilityRegime(oneToHundred, 85.5, { high: 85 })?.regime).toBe('high');
  });

  it('agrees with simple-statistics quantileRank', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: -5, max: 55 }),
        (history, current) => {
          const result = volatilityRegime(history, current);
          expect(result?.percentile).toBeCloseTo(quantileRank(history, current) * 100, 9);
        },
      ),
    );
  });

  it('never ranks a larger value lower', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (history, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          return (volatilityRegime(history, lo)?.percentile ?? NaN) <= (volatilityRegime(history, hi)?.percentile ?? NaN);
        },
      ),
    );
  });

  it('skips non-finite history values and works on typed arrays', () => {
    const history = Float64Array.from([Number.NaN, Number.NaN, 1, 2, 3, 4]);
    expect(volatilityRegime(history, 2.5)).toEqual({ regime: 'normal', percentile: 50, sampleSize: 4 });
  });

  it('gives null without a finite current value or history', () => {
    expect(volatilityRegime([], 1)).toBeNull();
    expect(volatilityRegime([Number.NaN], 1)).toBeNull();
    expect(volatilityRegime([1, 2], Number.NaN)).toBeNull();
  });

  it('does not modify its input', () => {
    const history = Object.freeze([3, 1, 2]);
    expect(volatilityRegime(history, 2)?.percentile).toBeCloseTo(66.667, 2);
    expect(history).toEqual([3, 1, 2]);
  });

  it('throws ConfigError on thresholds out of range or out of order', () => {
    for (const thresholds of [{ low: -1 }, { extreme: 101 }, { low: 80 }, { high: 96 }, { low: Number.NaN }]) {
      let error: unknown;
      try {
        volatilityRegime([1], 1, thresholds);
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error), JSON.stringify(thresholds)).toBe(true);
    }
  });
});
