import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const at = (minutes: number): Ohlcv => ({ timestamp: T0 + minutes * MINUTE, open: 1, high: 1, low: 1, close: 1, volume: 0.1 });

// `aggregateOhlcv`'s TSDoc: several targets share one pass, "each larger target is built from a
// smaller one that divides it". So the 15m volume is the sum of the three 5m sums, to the last
// bit, as aggregating the 5m result again gives it (the real-data test checks the same on
// exchange data; this one runs without the fixtures).
describe('aggregateOhlcv with several targets', () => {
  it('builds the larger target from the smaller one, so chaining gives the same sums to the bit', () => {
    const bars = Array.from({ length: 15 }, (_, m) => at(m));
    const five = 0.1 + 0.1 + 0.1 + 0.1 + 0.1;
    // Summed one by one, fifteen 0.1s make 1.5000000000000002; three sums of five make 1.5.
    for (const targets of [
      ['5m', '15m'],
      ['15m', '5m'],
    ] as const) {
      const result = aggregateOhlcv(bars, targets, { source: '1m' });
      expect(result['5m'].bars.map((b) => b.volume)).toEqual([five, five, five]);
      expect(result['15m'].bars.map((b) => b.volume)).toEqual([five + five + five]);
      expect(aggregateOhlcv(result['5m'].bars, '15m', { source: '5m' }).bars).toEqual(result['15m'].bars);
    }
  });

  it('builds each target from the largest smaller one that divides it, whatever the order they are asked in', () => {
    // Volumes 0.1 × (1 … 7) over one hour of 1m bars; the chain 1m → 5m → 15m → 1H, summed left to right.
    const volumes = Array.from({ length: 60 }, (_, m) => 0.1 * ((m % 7) + 1));
    const bars = volumes.map((volume, m) => ({ ...at(m), volume }));
    const sum = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);
    const fives = Array.from({ length: 12 }, (_, k) => sum(volumes.slice(5 * k, 5 * k + 5)));
    const fifteens = Array.from({ length: 4 }, (_, k) => sum(fives.slice(3 * k, 3 * k + 3)));
    // Summing the twelve 5m sums instead gives 23.400000000000006.
    expect(sum(fifteens)).toBe(23.400000000000002);
    const result = aggregateOhlcv(bars, ['5m', '1H', '15m'], { source: '1m' });
    expect(result['5m'].bars.map((b) => b.volume)).toEqual(fives);
    expect(result['15m'].bars.map((b) => b.volume)).toEqual(fifteens);
    expect(result['1H'].bars.map((b) => b.volume)).toEqual([sum(fifteens)]);
  });
});
