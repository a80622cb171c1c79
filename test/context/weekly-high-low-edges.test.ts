import { describe, expect, it } from 'vitest';
import { weeklyHighLow } from '../../src/context/weekly-high-low.js';
import type { Ohlcv, OhlcvColumns } from '../../src/schemas/index.js';

const DAY = 86_400_000;
const MON = Date.parse('2025-01-20T00:00:00Z');

const bar = (timestamp: number, high: number, low: number): Ohlcv => ({ timestamp, open: low, high, low, close: low, volume: 1 });
const columns = (rows: readonly Ohlcv[]): OhlcvColumns => ({
  length: rows.length,
  timestamp: Float64Array.from(rows, (r) => r.timestamp),
  open: Float64Array.from(rows, (r) => r.open),
  high: Float64Array.from(rows, (r) => r.high),
  low: Float64Array.from(rows, (r) => r.low),
  close: Float64Array.from(rows, (r) => r.close),
  volume: Float64Array.from(rows, (r) => r.volume),
});

describe('weeklyHighLow skips bars whose high or low is not finite', () => {
  // The week of Monday 2025-01-20, read on Thursday 2025-01-30: one good bar, one with a NaN
  // high and the lowest low, one with an infinite low and the highest high.
  const rows = [bar(MON, 10, 5), bar(MON + DAY, Number.NaN, 1), bar(MON + 2 * DAY, 20, Number.NEGATIVE_INFINITY)];
  const expected = { high: 10, low: 5, weekStart: MON, barCount: 1 };

  it('as rows', () => {
    expect(weeklyHighLow(rows, Date.parse('2025-01-30T10:30:00Z'))).toEqual(expected);
  });

  it('as columns', () => {
    expect(weeklyHighLow(columns(rows), Date.parse('2025-01-30T10:30:00Z'))).toEqual(expected);
  });
});

describe('weeklyHighLow of the current week', () => {
  // Wednesday 2025-01-29 00:00Z: the Monday and Tuesday bars, and the Wednesday bar opening at
  // `now` itself (not after it, so it counts).
  const now = Date.parse('2025-01-29T00:00:00Z');
  const rows = [bar(now - 2 * DAY, 10, 5), bar(now - DAY, 11, 6), bar(now, 30, 4), bar(now + DAY, 99, 1)];
  const expected = { high: 30, low: 4, weekStart: Date.parse('2025-01-27T00:00:00Z'), barCount: 3 };

  it('counts a bar opening at `now` and ignores the one after it (rows)', () => {
    expect(weeklyHighLow(rows, now, { week: 'current' })).toEqual(expected);
  });

  it('counts a bar opening at `now` and ignores the one after it (columns)', () => {
    expect(weeklyHighLow(columns(rows), now, { week: 'current' })).toEqual(expected);
  });
});

describe('weeklyHighLow of columns', () => {
  it('reads `length` bars, not the whole of longer arrays', () => {
    // Two bars of the previous week in the arrays, but `length` 1: the second is not a bar.
    const series = { ...columns([bar(MON, 10, 5), bar(MON + DAY, 20, 1)]), length: 1 };
    expect(weeklyHighLow(series, Date.parse('2025-01-30T10:30:00Z'))).toEqual({ high: 10, low: 5, weekStart: MON, barCount: 1 });
  });
});
