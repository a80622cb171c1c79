import { describe, expect, it } from 'vitest';
import { joinHigherTimeframe } from '../../src/aggregate/join-higher-timeframe.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const bar = (timestamp: number, close: number): Ohlcv => ({ timestamp, open: close, high: close, low: close, close, volume: 1 });

// `JoinedBar.higher`'s TSDoc: `undefined` before the first higher bar closes. It is never read
// from the higher array at a position that is not a bar's (here an array that also carries a
// property named "-1", which an index of -1 would reach).
describe('joinHigherTimeframe before the first higher bar closes', () => {
  it('attaches undefined, not whatever the higher array holds under "-1"', () => {
    const hourly: Ohlcv[] = Object.assign([bar(Date.UTC(2024, 0, 1, 10), 10)], { '-1': bar(Date.UTC(2024, 0, 1, 9), 9) });
    const lower = [bar(Date.UTC(2024, 0, 1, 10, 30), 1), bar(Date.UTC(2024, 0, 1, 11), 2)];
    // 10:31 comes before the 10:00 hourly bar closes (11:00); 11:01 after.
    expect(joinHigherTimeframe(lower, '1m', hourly, '1H').map((b) => b.higher?.close)).toEqual([undefined, 10]);
  });
});
