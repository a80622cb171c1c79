import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorPivots } from '../../src/context/floor-pivots.js';

describe('floorPivots', () => {
  it('gives the specification example levels from the day they imply', () => {
    // The specification shows pivot 44950, R1 45300, S1 44600. With P = (H + L + C) / 3,
    // R1 = 2P − L and S1 = 2P − H that is H = 45300, L = 44600, C = 3 × 44950 − H − L = 44950.
    // R2 = P + (H − L) = 44950 + 700 = 45650; S2 = 44950 − 700 = 44250;
    // R3 = H + 2(P − L) = 45300 + 700 = 46000; S3 = L − 2(H − P) = 44600 − 700 = 43900.
    expect(floorPivots({ high: 45300, low: 44600, close: 44950 })).toEqual({
      pivot: 44950,
      r1: 45300,
      s1: 44600,
      r2: 45650,
      s2: 44250,
      r3: 46000,
      s3: 43900,
    });
  });

  it('matches hand-computed levels for an asymmetric day', () => {
    // H 110, L 90, C 105: P = 305 / 3 = 101.666…; R1 = 203.333… − 90 = 113.333…;
    // S1 = 203.333… − 110 = 93.333…; R2 = 101.666… + 20 = 121.666…; S2 = 81.666…;
    // R3 = 110 + 2 × 11.666… = 133.333…; S3 = 90 − 2 × 8.333… = 73.333…
    const p = floorPivots({ high: 110, low: 90, close: 105 });
    expect(p?.pivot).toBeCloseTo(101.6666667, 6);
    expect(p?.r1).toBeCloseTo(113.3333333, 6);
    expect(p?.s1).toBeCloseTo(93.3333333, 6);
    expect(p?.r2).toBeCloseTo(121.6666667, 6);
    expect(p?.s2).toBeCloseTo(81.6666667, 6);
    expect(p?.r3).toBeCloseTo(133.3333333, 6);
    expect(p?.s3).toBeCloseTo(73.3333333, 6);
  });

  it('orders the levels s3 ≤ s2 ≤ s1 ≤ pivot ≤ r1 ≤ r2 ≤ r3 when the close is within the range', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (low, width, at) => {
          const high = low + width;
          const p = floorPivots({ high, low, close: low + at * width });
          if (p === null) return false;
          const eps = 1e-9 * high;
          return (
            p.s3 <= p.s2 + eps &&
            p.s2 <= p.s1 + eps &&
            p.s1 <= p.pivot + eps &&
            p.pivot <= p.r1 + eps &&
            p.r1 <= p.r2 + eps &&
            p.r2 <= p.r3 + eps
          );
        },
      ),
    );
  });

  it('gives null for a non-finite price or a high below the low', () => {
    expect(floorPivots({ high: Number.NaN, low: 1, close: 1 })).toBeNull();
    expect(floorPivots({ high: 2, low: 1, close: Number.POSITIVE_INFINITY })).toBeNull();
    expect(floorPivots({ high: 1, low: 2, close: 1.5 })).toBeNull();
  });

  it('does not modify its input', () => {
    const day = Object.freeze({ high: 45300, low: 44600, close: 44950 });
    expect(floorPivots(day)?.pivot).toBe(44950);
  });
});
