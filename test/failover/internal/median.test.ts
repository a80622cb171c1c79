import fc from 'fast-check';
import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { failoverMedian } from '../../../src/failover/internal/median.js';

describe('failoverMedian', () => {
  it('is the median simple-statistics computes, for short and long windows (latencies in whole ms), and leaves its input alone', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 200 }), (values) => {
        const before = [...values];
        expect(failoverMedian(values)).toBe(median(values));
        expect(values).toEqual(before);
      }),
    );
  });

  it('is the median simple-statistics computes for windows longer than 64 (its sorted-copy path)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 65, maxLength: 300 }), (values) => {
        expect(failoverMedian(values)).toBe(median(values));
      }),
      { numRuns: 50 },
    );
  });

  it('is null for no values', () => {
    expect(failoverMedian([])).toBeNull();
  });
});
