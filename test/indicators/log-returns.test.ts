import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloseRow } from '../../src/indicators/indicator-input.js';
import { logReturns } from '../../src/indicators/log-returns.js';
import { returns } from '../../src/indicators/returns.js';
import { closeColumns, flaggedClose } from './arbitraries.js';

describe('logReturns', () => {
  it('gives ln(close / previous close), NaN at index 0', () => {
    // Doubling is ln 2, halving is −ln 2.
    expect(Array.from(logReturns([{ close: 100 }, { close: 200 }, { close: 100 }]))).toEqual([NaN, Math.LN2, -Math.LN2]);
  });

  it('gives the same ln(close / previous close) for columns without flags', () => {
    const columns = { length: 3, close: Float64Array.of(100, 200, 100) };
    expect(Array.from(logReturns(columns))).toEqual([NaN, Math.LN2, -Math.LN2]);
  });

  it('is NaN exactly where returns is NaN, and ln(1 + r) elsewhere', () => {
    fc.assert(
      fc.property(fc.array(flaggedClose, { maxLength: 50 }), fc.array(fc.nat(60), { maxLength: 4 }), (series, breaks) => {
        const simple = returns(series, { breaks });
        const log = logReturns(series, { breaks });
        simple.forEach((r, i) => {
          expect(Number.isNaN(log[i]!)).toBe(Number.isNaN(r));
          // log1p is ill-conditioned near r = −1, hence a tolerance relative to the value.
          if (!Number.isNaN(r)) expect(Math.abs(log[i]! - Math.log1p(r))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(log[i]!)));
        });
      }),
    );
  });

  it('adds up over real bars to the log return of the whole span, synthetic bars or not', () => {
    fc.assert(
      fc.property(fc.array(flaggedClose, { maxLength: 50 }), (series) => {
        const real = series.filter((row) => row.flag !== 'interpolated' && row.flag !== 'forward_filled');
        if (real.length < 2) return;
        const total = logReturns(series).reduce((sum, r) => (Number.isNaN(r) ? sum : sum + r), 0);
        expect(total).toBeCloseTo(Math.log(real.at(-1)!.close / real[0]!.close), 6);
      }),
    );
  });

  it('skips a non-finite close in columns without flags', () => {
    const columns = { length: 4, close: Float64Array.of(1, Math.E, NaN, Math.E ** 3) };
    expect(Array.from(logReturns(columns))).toEqual([NaN, 1, NaN, 2]);
  });

  it('gives NaN at the first bar after a break and for columns flagged synthetic', () => {
    const rows: CloseRow[] = [{ close: 1 }, { close: Math.E }, { close: 5, flag: 'forward_filled' }, { close: 7 }, { close: 7 }];
    expect(Array.from(logReturns(closeColumns(rows), { breaks: [3] }))).toEqual([NaN, 1, NaN, NaN, 0]);
  });

  describe('out', () => {
    it('writes every entry into the given array and returns it', () => {
      // ln(200 / 100) = ln 2, ln(100 / 200) = −ln 2; stale contents are overwritten.
      const out = new Float64Array(3).fill(7);
      const result = logReturns([{ close: 100 }, { close: 200 }, { close: 100 }], { out });
      expect(result).toBe(out);
      expect(Array.from(out)).toEqual([NaN, Math.LN2, -Math.LN2]);
    });

    it('gives the same values as without it, on columns with breaks and flags', () => {
      fc.assert(
        fc.property(fc.array(flaggedClose, { maxLength: 40 }), fc.array(fc.nat(45), { maxLength: 3 }), (rows, breaks) => {
          const columns = closeColumns(rows);
          const out = new Float64Array(rows.length).fill(-1);
          expect(Array.from(logReturns(columns, { breaks, out }))).toEqual(Array.from(logReturns(columns, { breaks })));
        }),
      );
    });

    it('answers a wrong length or memory shared with the closes with ConfigError at path out', () => {
      const close = Float64Array.of(100, 200, 100);
      for (const out of [new Float64Array(4), close]) {
        expect(() => logReturns({ length: 3, close }, { out })).toThrow(expect.objectContaining({ name: 'ConfigError', path: ['out'] }));
      }
    });
  });
});
