/** fast-check generators and small converters shared by the `indicators/` tests. */
import fc from 'fast-check';
import type { CloseRow, HighLowCloseRow } from '../../src/indicators/indicator-input.js';

const CODES = { interpolated: 1, forward_filled: 2, clipped: 3 } as const;

/** A positive close, now and then flagged (synthetic or clipped). */
export const flaggedClose: fc.Arbitrary<CloseRow> = fc
  .tuple(
    fc.double({ min: 0.01, max: 1e6, noNaN: true }),
    fc.constantFrom(undefined, undefined, undefined, 'interpolated', 'forward_filled', 'clipped'),
  )
  .map(([close, flag]) => (flag === undefined ? { close } : { close, flag }));

/** A valid bar: low ≤ close ≤ high, positive prices. */
export const hlcBar: fc.Arbitrary<HighLowCloseRow> = fc
  .record({
    low: fc.double({ min: 1, max: 1000, noNaN: true }),
    range: fc.double({ min: 0, max: 50, noNaN: true }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ low, range, at }) => ({ high: low + range, low, close: low + range * at }));

/** A valid bar, now and then flagged (synthetic or clipped). */
export const flaggedBar: fc.Arbitrary<HighLowCloseRow> = fc
  .tuple(hlcBar, fc.constantFrom(undefined, undefined, undefined, 'interpolated', 'forward_filled', 'clipped'))
  .map(([row, flag]) => (flag === undefined ? row : { ...row, flag }));

/** Close rows as columns with a `flags` column of `BarFlagCode`s. */
export function closeColumns(rows: readonly CloseRow[]) {
  return {
    length: rows.length,
    close: Float64Array.from(rows, (r) => r.close),
    flags: Uint8Array.from(rows, (r) => (r.flag === undefined ? 0 : CODES[r.flag])),
  };
}

/** High/low/close rows as columns with a `flags` column of `BarFlagCode`s. */
export function highLowCloseColumns(rows: readonly HighLowCloseRow[]) {
  return {
    length: rows.length,
    high: Float64Array.from(rows, (r) => r.high),
    low: Float64Array.from(rows, (r) => r.low),
    close: Float64Array.from(rows, (r) => r.close),
    flags: Uint8Array.from(rows, (r) => (r.flag === undefined ? 0 : CODES[r.flag])),
  };
}
