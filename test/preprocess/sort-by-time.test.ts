import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dedupe } from '../../src/preprocess/dedupe.js';
import { sortByTime } from '../../src/preprocess/sort-by-time.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { bar, columnsOf, rowsOf } from './series.js';

describe('sortByTime', () => {
  it('sorts ascending and keeps equal timestamps in input order', () => {
    const x = bar(1, 1);
    const y = bar(1, 2);
    const input = Object.freeze([bar(3, 3), x, bar(0, 0), y]);
    const sorted = sortByTime(input);
    expect(sorted.map((r) => r.timestamp / 60_000)).toEqual([0, 1, 1, 3]);
    expect(sorted[1]).toBe(x);
    expect(sorted[2]).toBe(y);
  });

  it('puts bars without a finite timestamp last', () => {
    const odd = Object.freeze({ ...bar(0, 9), timestamp: Number.NaN });
    expect(sortByTime([bar(2, 1), odd, bar(1, 1)]).map((r) => r.timestamp)).toEqual([60_000, 120_000, Number.NaN]);
  });

  it('sorts columns into new arrays', () => {
    const input = columnsOf([bar(2, 2), bar(0, 0), bar(1, 1)]);
    const sorted = sortByTime(input);
    expect(Array.from(sorted.close)).toEqual([0, 1, 2]);
    expect(Array.from(input.close)).toEqual([2, 0, 1]);
  });

  it('turns a shuffled copy with repeats back into the original after dedupe (property)', () => {
    const original = fc
      .uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 })
      .map((minutes) => [...minutes].sort((p, q) => p - q).map((m, i) => bar(m, i + 1)));
    const cases = original.chain((rows) =>
      fc.array(fc.nat({ max: rows.length - 1 }), { maxLength: 20 }).chain((repeats) => {
        const extended: Ohlcv[] = [...rows, ...repeats.map((k) => rows[k] as Ohlcv)];
        return fc.tuple(fc.constant(rows), fc.shuffledSubarray(extended, { minLength: extended.length, maxLength: extended.length }));
      }),
    );
    fc.assert(
      fc.property(cases, ([rows, shuffled]) => {
        expect(dedupe(sortByTime(Object.freeze(shuffled))).bars).toEqual(rows);
        expect(rowsOf(dedupe(sortByTime(columnsOf(shuffled))).bars)).toEqual(rows);
      }),
    );
  });
});
