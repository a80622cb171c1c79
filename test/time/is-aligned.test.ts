import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketStart, isAligned } from '../../src/time/index.js';
import { timeframeArb, timestampArb } from './arbitraries.js';

describe('isAligned', () => {
  it('tells bucket starts from other times', () => {
    expect(isAligned(Date.UTC(2025, 0, 30, 10, 25), '5m')).toBe(true);
    expect(isAligned(Date.UTC(2025, 0, 30, 10, 25, 1), '5m')).toBe(false);
    expect(isAligned(Date.UTC(2025, 0, 27), '1W')).toBe(true); // a Monday
    expect(isAligned(Date.UTC(2025, 0, 26), '1W')).toBe(false); // a Sunday
    expect(isAligned(Date.UTC(2024, 1, 1), '1M')).toBe(true);
    expect(isAligned(Date.UTC(2024, 1, 2), '1M')).toBe(false);
    // freqtrade's funding-rate timestamps jitter by a few ms: not aligned to 8h.
    expect(isAligned(1_637_193_600_017, '8H')).toBe(false);
    expect(isAligned(1_637_193_600_000, '8H')).toBe(true);
  });

  it('is false for non-finite input', () => {
    expect(isAligned(Number.NaN, '1m')).toBe(false);
    expect(isAligned(Infinity, '1D')).toBe(false);
  });

  it('agrees with bucketStart', () => {
    fc.assert(
      fc.property(timestampArb, timeframeArb, (t, tf) => {
        expect(isAligned(t, tf)).toBe(bucketStart(t, tf) === t);
      }),
    );
  });
});
