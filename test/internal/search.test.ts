import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerBound, partitionPoint } from '../../src/internal/search.js';

const sorted = fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }).map((xs) => [...xs].sort((a, b) => a - b));

describe('lowerBound', () => {
  it('answers the examples of its documentation', () => {
    expect(lowerBound([10, 20, 20, 30], 20)).toBe(1);
    expect(lowerBound([10, 20, 20, 30], 31)).toBe(4);
  });

  it('finds the first index whose value is at least x, as a linear scan does, within any [lo, hi)', () => {
    fc.assert(
      fc.property(sorted, fc.integer({ min: -60, max: 60 }), fc.nat(), fc.nat(), (values, x, a, b) => {
        const lo = Math.min(a, b) % (values.length + 1);
        const hi = Math.max(lo, Math.max(a, b) % (values.length + 1));
        let expected = hi;
        for (let i = lo; i < hi; i++) {
          if ((values[i] as number) >= x) {
            expected = i;
            break;
          }
        }
        expect(lowerBound(values, x, lo, hi)).toBe(expected);
        expect(lowerBound(Float64Array.from(values), x, lo, hi)).toBe(expected);
      }),
    );
  });
});

describe('partitionPoint', () => {
  it('finds where a predicate true on a prefix turns false, as a linear scan does', () => {
    fc.assert(
      fc.property(sorted, fc.integer({ min: -60, max: 60 }), (values, x) => {
        const expected = values.findIndex((v) => !(v < x));
        expect(partitionPoint(0, values.length, (i) => (values[i] as number) < x)).toBe(expected === -1 ? values.length : expected);
      }),
    );
  });
});
