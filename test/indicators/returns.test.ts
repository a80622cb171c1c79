import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloseRow } from '../../src/indicators/indicator-input.js';
import { returns } from '../../src/indicators/returns.js';
import { closeColumns, flaggedClose } from './arbitraries.js';

const closes = (values: readonly number[]): CloseRow[] => values.map((close) => ({ close }));

describe('returns', () => {
  it('gives (close − previous close) / previous close, NaN at index 0', () => {
    // 100 → 110 is +10 %, 110 → 99 is −10 %, 99 → 99 is 0.
    expect(Array.from(returns(closes([100, 110, 99, 99])))).toEqual([NaN, 0.1, -0.1, 0]);
  });

  it('gives NaN to synthetic bars and measures the next real bar from the last real close', () => {
    const series: CloseRow[] = [
      { close: 100 },
      { close: 102, flag: 'interpolated' },
      { close: 104, flag: 'interpolated' },
      { close: 110 },
      { close: 110, flag: 'forward_filled' },
      { close: 121, flag: 'clipped' }, // clipped bars are real
    ];
    expect(Array.from(returns(series))).toEqual([NaN, NaN, NaN, 0.1, NaN, 0.1]);
  });

  it('gives NaN at the first bar after each break', () => {
    expect(Array.from(returns(closes([100, 110, 500, 550]), { breaks: [2] }))).toEqual([NaN, 0.1, NaN, 0.1]);
  });

  it('skips a non-finite close instead of throwing', () => {
    expect(Array.from(returns(closes([100, NaN, 110])))).toEqual([NaN, NaN, 0.1]);
  });

  it('equals the returns of the real bars alone, with NaN at the synthetic ones', () => {
    fc.assert(
      fc.property(fc.array(flaggedClose, { maxLength: 50 }), (series) => {
        const real = series.filter((row) => row.flag !== 'interpolated' && row.flag !== 'forward_filled');
        const ofReal = returns(real);
        const expected: number[] = [];
        let k = 0;
        for (const row of series) {
          expected.push(row.flag === 'interpolated' || row.flag === 'forward_filled' ? NaN : ofReal[k++]!);
        }
        expect(Array.from(returns(series))).toEqual(expected);
      }),
    );
  });

  it('gives the same result for rows and columns', () => {
    fc.assert(
      fc.property(fc.array(flaggedClose, { maxLength: 50 }), fc.array(fc.nat(60), { maxLength: 4 }), (series, breaks) => {
        expect(Array.from(returns(closeColumns(series), { breaks }))).toEqual(Array.from(returns(series, { breaks })));
      }),
    );
  });

  it('gives the same result for columns without a flags column, finite or not', () => {
    const value = fc.oneof(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.constantFrom(NaN, Infinity));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 50 }), fc.array(fc.nat(60), { maxLength: 4 }), (values, breaks) => {
        const rows = values.map((close) => ({ close }));
        const columns = { length: values.length, close: Float64Array.from(values) };
        expect(Array.from(returns(columns, { breaks }))).toEqual(Array.from(returns(rows, { breaks })));
      }),
    );
  });

  it('does not modify its input', () => {
    const rows = Object.freeze(closes([1, 2]).map((row) => Object.freeze(row)));
    const columns = { length: 2, close: Float64Array.of(1, 2) };
    returns(rows);
    returns(columns);
    expect(Array.from(columns.close)).toEqual([1, 2]);
  });

  it('throws ConfigError naming a bad break index', () => {
    expect(() => returns([], { breaks: [0.5] })).toThrow(/`0.5`/);
  });

  describe('out', () => {
    it('writes every entry into the given array and returns it', () => {
      // (110 − 100) / 100 = 0.1, (99 − 110) / 110 = −0.1; stale contents are overwritten.
      const out = new Float64Array(3).fill(7);
      const result = returns(closes([100, 110, 99]), { out });
      expect(result).toBe(out);
      expect(Array.from(out)).toEqual([NaN, 0.1, -0.1]);
    });

    it('gives the same values as without it, on columns with breaks and flags', () => {
      fc.assert(
        fc.property(fc.array(flaggedClose, { maxLength: 40 }), fc.array(fc.nat(45), { maxLength: 3 }), (rows, breaks) => {
          const columns = closeColumns(rows);
          const out = new Float64Array(rows.length).fill(-1);
          expect(Array.from(returns(columns, { breaks, out }))).toEqual(Array.from(returns(columns, { breaks })));
        }),
      );
    });

    it('answers a wrong length, another type or memory shared with the closes with ConfigError at path out', () => {
      const close = Float64Array.of(100, 110, 99);
      const bad = [new Float64Array(2), [0, 0, 0] as unknown as Float64Array, close.subarray(0, 3)];
      for (const out of bad) {
        expect(() => returns({ length: 3, close }, { out })).toThrow(expect.objectContaining({ name: 'ConfigError', path: ['out'] }));
      }
    });

    it('says what is wrong with out: its type, its length (against the bars), or memory it shares with the closes', () => {
      const close = Float64Array.of(100, 110, 99);
      expect(() => returns({ length: 3, close }, { out: [0, 0, 0] as unknown as Float64Array })).toThrow(
        'Expected `out` to be a Float64Array, got `[object Array]`',
      );
      expect(() => returns({ length: 3, close }, { out: new Float64Array(2) })).toThrow(
        'Expected `out` to hold one value per bar (3), got a Float64Array of length 2',
      );
      expect(() => returns({ length: 3, close }, { out: close })).toThrow('Expected `out` not to share memory with the input columns');
    });

    it('takes an out right before or right after the closes in one buffer (touching is not sharing), and refuses one a value into them', () => {
      const buffer = new Float64Array(7);
      const close = buffer.subarray(0, 3);
      close.set([100, 110, 99]);
      const after = buffer.subarray(3, 6);
      expect(Array.from(returns({ length: 3, close }, { out: after }))).toEqual([NaN, 0.1, -0.1]);
      const late = buffer.subarray(4, 7);
      late.set([100, 110, 99]);
      const before = buffer.subarray(1, 4);
      expect(Array.from(returns({ length: 3, close: late }, { out: before }))).toEqual([NaN, 0.1, -0.1]);
      // One value shared, at either end.
      expect(() => returns({ length: 3, close }, { out: buffer.subarray(2, 5) })).toThrow(expect.objectContaining({ path: ['out'] }));
      expect(() => returns({ length: 3, close: buffer.subarray(4, 7) }, { out: buffer.subarray(2, 5) })).toThrow(
        expect.objectContaining({ path: ['out'] }),
      );
    });

    it('returns an empty view for malformed columns instead of throwing', () => {
      const out = new Float64Array(3);
      expect(returns({ length: 3, close: new Float64Array(1) }, { out }).length).toBe(0);
    });
  });
});
