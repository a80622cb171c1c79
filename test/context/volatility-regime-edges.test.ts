import { describe, expect, it } from 'vitest';
import { volatilityRegime } from '../../src/context/volatility-regime.js';

describe('volatilityRegime of an array-like history', () => {
  it('ranks against its `length` values only', () => {
    // Entries 0 … 3 are the history (1, 2, 3, 4); entry 4 lies past `length` and is not a value.
    // 5 is above all four: the 100th percentile.
    const history: ArrayLike<number> = { length: 4, 0: 1, 1: 2, 2: 3, 3: 4, 4: 9 };
    expect(volatilityRegime(history, 5)).toEqual({ regime: 'extreme', percentile: 100, sampleSize: 4 });
  });
});
