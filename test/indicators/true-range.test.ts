import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { atr } from '../../src/indicators/atr.js';
import { trueRange } from '../../src/indicators/true-range.js';

describe('trueRange', () => {
  const series = [
    { high: 10, low: 9, close: 9.5 },
    { high: 12, low: 11, close: 11.5 }, // gap up: 12 − 9.5 = 2.5 beats the range 1
    { high: 11, low: 10, close: 10.2 }, // gap down: 11.5 − 10 = 1.5
    { high: 10.8, low: 10, close: 10.5 }, // inside: the range 0.8 (up to rounding of 10.8 − 10)
  ];

  it('widens the range by any gap from the previous close, high − low on the first bar', () => {
    expect(Array.from(trueRange(series))).toEqual([1, 2.5, 1.5, 10.8 - 10]);
  });

  it('leaves the first bar undefined with the talib seed, as TA-Lib TRANGE does', () => {
    expect(Array.from(trueRange(series, { seed: 'talib' }))).toEqual([NaN, 2.5, 1.5, 10.8 - 10]);
  });

  it('measures from the last real close across synthetic bars and nothing across a break', () => {
    const filled = [series[0]!, { high: 9.5, low: 9.5, close: 9.5, flag: 'forward_filled' as const }, series[1]!];
    expect(Array.from(trueRange(filled))).toEqual([1, NaN, 2.5]);
    expect(Array.from(trueRange(series, { breaks: [1] }))).toEqual([1, 1, 1.5, 10.8 - 10]);
  });

  it('throws ConfigError on an unknown seed', () => {
    expect(() => trueRange([], { seed: 'x' as 'talib' })).toThrow(/`x`/);
  });

  it('does not use a bar whose close is not finite, though its high and low are', () => {
    // Documented: a bar is usable when its high, low and close are finite.
    const broken = [series[0]!, { high: 12, low: 11, close: Number.NaN }, series[2]!];
    expect(Array.from(trueRange(broken))).toEqual([1, NaN, 1.5]);
  });

  it('names `seed` and `period` in their ConfigErrors', () => {
    const pathOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (error) {
        return isConfigError(error) ? error.path : error;
      }
      return undefined;
    };
    expect(pathOf(() => trueRange([], { seed: 'x' as 'talib' }))).toEqual(['seed']);
    expect(pathOf(() => atr([], { period: 0 }))).toEqual(['period']);
  });
});
