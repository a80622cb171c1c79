import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

// `aggregateOhlcv`'s TSDoc: each larger target is built from a smaller one *that divides it*.
// Bars inferred to be 3m bars cannot make 5m buckets (a 5m bucket is not a whole number of 3m
// bars), so the 15m target must not be built from those 5m buckets but from the bars themselves.
describe('aggregateOhlcv with a target the source does not divide', () => {
  it('builds the larger target from the bars, not from the buckets of the target it refused', () => {
    const volumes = [0.1, 0.1, 0.1, 0.4, 0.1];
    // 00:00, 00:03, 00:06, 00:09, 00:12: 3m bars (every step is 3 minutes), one 15m bucket.
    const bars = volumes.map((volume, i): Ohlcv => ({ timestamp: T0 + 3 * i * MINUTE, open: 1, high: 1, low: 1, close: 1, volume }));
    const result = aggregateOhlcv(bars, ['5m', '15m']);
    expect(result['5m'].bars).toEqual([]);
    expect(result['5m'].issues.map((i) => i.code)).toEqual(['source_timeframe_mismatch']);
    // Summed bar by bar, 0.8 (through the refused 5m buckets, (0.1 + 0.1) + (0.1 + 0.4) + 0.1 = 0.7999999999999999).
    expect(result['15m'].bars.map((b) => b.volume)).toEqual([0.1 + 0.1 + 0.1 + 0.4 + 0.1]);
    expect(result['15m'].bars.map((b) => b.count)).toEqual([5]);
    expect(result['15m'].issues).toEqual([]);
  });
});
