import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeOrder } from '../../src/internal/time-order.js';

/** The stable order by time, NaN last, by the documented rule: Array.prototype.sort is stable. */
function reference(ts: readonly number[]): number[] {
  return ts
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (Number.isNaN(a.t) ? (Number.isNaN(b.t) ? 0 : 1) : Number.isNaN(b.t) ? -1 : a.t - b.t))
    .map((x) => x.i);
}

describe('timeOrder', () => {
  it('is undefined for timestamps already in order (NaN at the end included)', () => {
    expect(timeOrder([1, 2, 2, 3], 4)).toBeUndefined();
    expect(timeOrder([1, 2, Number.NaN, Number.NaN], 4)).toBeUndefined();
  });

  it('gives the stable permutation that sorts them, NaN last, for any input', () => {
    const t = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(fc.array(t, { maxLength: 30 }), (ts) => {
        const order = timeOrder(ts, ts.length);
        expect(order === undefined ? ts.map((_, i) => i) : [...order]).toEqual(reference(ts));
      }),
    );
  });
});
