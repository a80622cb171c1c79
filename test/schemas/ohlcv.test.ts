import { describe, expect, it } from 'vitest';
import { OhlcvSchema } from '../../src/schemas/index.js';

const bar = { timestamp: Date.UTC(2025, 0, 30, 10, 29), open: 45050, high: 45080, low: 45020, close: 45060, volume: 125.5 };

describe('OhlcvSchema', () => {
  it('accepts a bar with and without the optional fields', () => {
    expect(OhlcvSchema.parse(bar)).toEqual(bar);
    const full = { ...bar, quoteVolume: 5_654_000, trades: 42, takerBuyVolume: 60, flag: 'clipped', count: 5 };
    expect(OhlcvSchema.parse(full)).toEqual(full);
  });

  it('checks types and finiteness only, not the market rules', () => {
    // high < low breaks `high_gte_low`, which validateOhlcv reports; the schema lets it through.
    expect(OhlcvSchema.safeParse({ ...bar, high: 1, low: 2 }).success).toBe(true);
  });

  it('refuses non-finite numbers, fractional or unsafe timestamps, strings and unknown flags', () => {
    for (const row of [
      { ...bar, close: NaN },
      { ...bar, volume: Infinity },
      { ...bar, timestamp: bar.timestamp + 0.5 },
      { ...bar, timestamp: 2 ** 53 },
      { ...bar, open: '45050' },
      { ...bar, flag: 'made_up' },
      { ...bar, trades: -1 },
    ]) {
      expect(OhlcvSchema.safeParse(row).success).toBe(false);
    }
  });
});
