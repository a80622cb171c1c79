import { describe, expect, it } from 'vitest';
import { toColumns } from '../../src/formats/to-columns.js';
import { joinHigherTimeframe } from '../../src/aggregate/join-higher-timeframe.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const bar = (timestamp: number, close: number): Ohlcv => ({ timestamp, open: close, high: close, low: close, close, volume: 1 });
const hour = (h: number, minute = 0): number => Date.UTC(2024, 0, 1, h, minute);

// The TSDoc's rule: each lower bar gets the last higher bar closed at its own close (a higher
// bar opened at t closes at bucketEnd(t, higherTf)), for inputs in any order; of duplicated
// higher bars the later one wins.
describe('joinHigherTimeframe with higher bars out of order', () => {
  it('attaches the last higher bar closed, whatever the order of the higher input', () => {
    // 1H bars given 01:00, 00:00, 02:00: they close at 02:00, 01:00, 03:00.
    const hourly = [bar(hour(1), 11), bar(hour(0), 10), bar(hour(2), 12)];
    // 1m bars closing at 00:59, 01:00, 02:00 and 03:00.
    const lower = [bar(hour(0, 58), 1), bar(hour(0, 59), 2), bar(hour(1, 59), 3), bar(hour(2, 59), 4)];
    expect(joinHigherTimeframe(lower, '1m', hourly, '1H').map((b) => b.higher?.close)).toEqual([undefined, 10, 11, 12]);
    expect(joinHigherTimeframe(toColumns(lower), '1m', toColumns(hourly), '1H')).toEqual(Int32Array.of(-1, 1, 0, 2));
  });

  it('attaches the last higher bar closed when the higher input is newest first', () => {
    const hourly = [bar(hour(2), 12), bar(hour(1), 11), bar(hour(0), 10)];
    const lower = [bar(hour(0, 59), 2), bar(hour(1, 59), 3), bar(hour(2, 59), 4)];
    expect(joinHigherTimeframe(lower, '1m', hourly, '1H').map((b) => b.higher?.close)).toEqual([10, 11, 12]);
  });

  it('takes the later of two higher bars of the same hour when they are out of order', () => {
    // 01:00 (close 11), 00:00, 01:00 again (close 21): the second 01:00 bar wins.
    const hourly = [bar(hour(1), 11), bar(hour(0), 10), bar(hour(1), 21)];
    expect(joinHigherTimeframe([bar(hour(1, 59), 3)], '1m', hourly, '1H').map((b) => b.higher?.close)).toEqual([21]);
  });

  it('closes a month bar at the start of the next month', () => {
    // The January bar closes 2024-02-01; the 1D bar of January 30 closes January 31, that of January 31 closes February 1.
    const monthly = [bar(Date.UTC(2024, 0, 1), 100), bar(Date.UTC(2024, 1, 1), 200)];
    const daily = [
      bar(Date.UTC(2024, 0, 30), 1),
      bar(Date.UTC(2024, 0, 31), 2),
      bar(Date.UTC(2024, 1, 28), 3),
      bar(Date.UTC(2024, 1, 29), 4),
    ];
    expect(joinHigherTimeframe(daily, '1D', monthly, '1M').map((b) => b.higher?.close)).toEqual([undefined, 100, 100, 200]);
    // A month bar as the lower one closes at the next month's start too.
    expect(joinHigherTimeframe(monthly, '1M', monthly, '1M').map((b) => b.higher?.close)).toEqual([100, 200]);
  });
});
