import { describe, expect, it } from 'vitest';
import { joinHigherTimeframe } from '../../src/aggregate/join-higher-timeframe.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const bar = (timestamp: number, close: number): Ohlcv => ({ timestamp, open: close, high: close, low: close, close, volume: 1 });
const H9 = Date.UTC(2024, 0, 1, 9);
const H10 = Date.UTC(2024, 0, 1, 10);

// `joinHigherTimeframe`'s TSDoc: each lower bar gets "the last higher-timeframe bar that had closed
// at the lower bar's close", and it "works for inputs in any order". A bar without a time (NaN)
// has no close: a lower one sees no higher bar, a higher one is never seen.
describe('joinHigherTimeframe with bars without a time', () => {
  it('attaches no higher bar to a lower bar without a time, wherever it comes', () => {
    const hourly = [bar(H9, 9), bar(H10, 10)];
    const timeless = bar(Number.NaN, 0);
    expect(joinHigherTimeframe([timeless], '1m', hourly, '1H').map((b) => b.higher)).toEqual([undefined]);
    // After a bar closing at 11:01 (which sees the 10:00 bar, closed at 11:00), and before one
    // closing at 10:31 (which sees the 09:00 bar).
    const lower = [bar(H10 + 60 * 60_000, 1), timeless, bar(H10 + 30 * 60_000, 2)];
    expect(joinHigherTimeframe(lower, '1m', hourly, '1H').map((b) => b.higher?.close)).toEqual([10, undefined, 9]);
  });

  it('never attaches a higher bar without a time, and still attaches the others', () => {
    // The 1m bars closing at 10:31 and 11:06 see the 09:00 bar (closed 10:00) and the 10:00 bar (closed 11:00).
    const hourly = [bar(Number.NaN, 99), bar(H9, 9), bar(H10, 10)];
    const lower = [bar(H10 + 30 * 60_000, 1), bar(H10 + 65 * 60_000, 2)];
    expect(joinHigherTimeframe(lower, '1m', hourly, '1H').map((b) => b.higher?.close)).toEqual([9, 10]);
    // Every order of the three: the timeless bar is never attached, and never hides the others.
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const order of orders) {
      const shuffled = order.map((k) => hourly[k] as Ohlcv);
      expect(joinHigherTimeframe(lower, '1m', shuffled, '1H').map((b) => b.higher?.close)).toEqual([9, 10]);
    }
  });
});
