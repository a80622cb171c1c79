import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { AtrCalculator } from '../../src/indicators/atr-calculator.js';

describe('AtrCalculator', () => {
  it('is NaN and unstable while warming up, then stable', () => {
    const calc = new AtrCalculator({ period: 2 });
    expect(calc.add({ high: 10, low: 8, close: 9 })).toBeNaN();
    expect(calc.isStable).toBe(false);
    // TR = 2, 2 → mean 2.
    expect(calc.add({ high: 11, low: 9, close: 10 })).toBe(2);
    expect(calc.isStable).toBe(true);
    expect(calc.value).toBe(2);
  });

  it('updates the still-forming bar with replace', () => {
    const calc = new AtrCalculator({ period: 2 });
    calc.add({ high: 10, low: 8, close: 9 });
    calc.add({ high: 11, low: 9, close: 10 });
    // Draft of bar 3: TR 2 → 2 + (2 − 2) / 2 = 2; final version: TR max(4, |14 − 10|, 0) = 4 → 3.
    expect(calc.add({ high: 12, low: 10, close: 11 })).toBe(2);
    expect(calc.replace({ high: 14, low: 10, close: 13 })).toBe(3);
    expect(calc.replace({ high: 14, low: 10, close: 13 })).toBe(3);
  });

  it('treats replace on an empty calculator as add', () => {
    const calc = new AtrCalculator({ period: 1 });
    expect(calc.replace({ high: 3, low: 1, close: 2 })).toBe(2);
  });

  it('restarts the warm-up on the bar after restart()', () => {
    const calc = new AtrCalculator({ period: 1 });
    calc.add({ high: 10, low: 8, close: 9 });
    calc.restart();
    expect(calc.value).toBe(2);
    // Without the restart the TR would be 100 − 9 = 91.
    expect(calc.add({ high: 100, low: 99, close: 99.5 })).toBe(1);
  });

  it('exposes its resolved options and defaults to period 14, first-range', () => {
    const calc = new AtrCalculator();
    expect([calc.period, calc.seed]).toEqual([14, 'first-range']);
  });

  it('throws ConfigError naming a bad period', () => {
    expect(() => new AtrCalculator({ period: 0 })).toThrow(/`0`/);
    let caught: unknown;
    try {
      new AtrCalculator({ period: 2.5 });
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught)).toBe(true);
  });

  it('skips a bar whose close is not finite, though its high and low are', () => {
    // Period 2, first-range seed (the first bar's TR is high − low), then Wilder smoothing.
    const calc = new AtrCalculator({ period: 2 });
    calc.add({ high: 10, low: 9, close: 9.5 });
    const before = calc.add({ high: 10.5, low: 9.5, close: 10 }); // TR max(1, 1, 0) = 1: ATR (1 + 1) / 2 = 1
    expect(before).toBe(1);
    expect(calc.add({ high: 14, low: 11, close: Number.NaN })).toBe(1);
    // The next bar measures from the last real close, 10: TR max(0.5, 0.5, 0) = 0.5, Wilder (1 · 1 + 0.5) / 2 = 0.75.
    expect(calc.add({ high: 10.5, low: 10, close: 10.2 })).toBe(0.75);
  });
});
