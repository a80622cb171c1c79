import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { isCriticalGap } from '../../src/quality/is-critical-gap.js';
import type { Timeframe } from '../../src/time/timeframe.js';

// SPECIFICATION.md, completeness standards: "Critical timeframes (1m, 5m): Zero tolerance for gaps > 3 bars".
describe('isCriticalGap', () => {
  it('calls a gap of more than 3 bars on 1m or 5m critical', () => {
    expect(isCriticalGap('1m', 4)).toBe(true);
    expect(isCriticalGap('5m', 4)).toBe(true);
    expect(isCriticalGap('1m', 100)).toBe(true);
  });

  it('does not call a gap of 3 bars or fewer critical', () => {
    for (const bars of [0, 1, 2, 3]) {
      expect({ bars, critical: isCriticalGap('1m', bars) }).toEqual({ bars, critical: false });
      expect({ bars, critical: isCriticalGap('5m', bars) }).toEqual({ bars, critical: false });
    }
  });

  it('never calls a gap critical on a timeframe that is not critical', () => {
    for (const tf of ['3m', '15m', '1H', '1D', '1M'] as const) {
      expect({ tf, critical: isCriticalGap(tf, 1_000) }).toEqual({ tf, critical: false });
    }
  });

  it('reads the configured bar count and timeframes', () => {
    const config = { criticalGapBars: 1, criticalTimeframes: ['1H'] as Timeframe[] };
    expect(isCriticalGap('1H', 2, config)).toBe(true);
    expect(isCriticalGap('1H', 1, config)).toBe(false);
    expect(isCriticalGap('1m', 2, config)).toBe(false);
  });

  it('accepts ccxt spellings and throws ConfigError for an unknown timeframe', () => {
    const config = { criticalGapBars: 1, criticalTimeframes: ['1H'] as Timeframe[] };
    expect(isCriticalGap('1h' as Timeframe, 2, config)).toBe(true);
    let thrown: unknown;
    try {
      isCriticalGap('7x' as Timeframe, 4);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
  });
});
