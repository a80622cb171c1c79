import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { TickSchema } from '../../src/schemas/tick.js';
import { generateTicks } from '../../src/testing/generate-ticks.js';

describe('generateTicks', () => {
  it('gives the same ticks for the same options', () => {
    expect(generateTicks({ seed: 4, count: 200 })).toEqual(generateTicks({ seed: 4, count: 200 }));
    expect(generateTicks({ seed: 4, count: 20 })).not.toEqual(generateTicks({ seed: 5, count: 20 }));
  });

  it('makes valid ticks with contiguous ids and non-decreasing times from `start`', () => {
    const start = Date.UTC(2025, 0, 30, 10);
    const ticks = generateTicks({ seed: 8, count: 2000, start, firstTradeId: 13_519_807, meanIntervalMs: 50 });
    expect(ticks).toHaveLength(2000);
    expect(ticks[0]?.timestamp).toBe(start);
    ticks.forEach((tick, i) => {
      expect(TickSchema.safeParse(tick).success).toBe(true);
      expect(tick.price).toBeGreaterThan(0);
      expect(tick.quantity).toBeGreaterThan(0);
      expect(tick.tradeId).toBe(13_519_807 + i);
      if (i > 0) expect(tick.timestamp).toBeGreaterThanOrEqual(ticks[i - 1]!.timestamp);
    });
    // Exponential gaps with a 50 ms mean: some trades share a millisecond, both sides appear.
    expect(new Set(ticks.map((t) => t.timestamp)).size).toBeLessThan(ticks.length);
    expect(new Set(ticks.map((t) => t.side))).toEqual(new Set(['buy', 'sell']));
  });

  it('spaces trades by about `meanIntervalMs` on average', () => {
    const ticks = generateTicks({ seed: 2, count: 10_001, meanIntervalMs: 1000 });
    const mean = (ticks.at(-1)!.timestamp - ticks[0]!.timestamp) / 10_000;
    // Flooring an exponential with mean 1000 ms loses about 0.5 ms a trade; 10,000 draws
    // put the sample mean within ±3 % (3 standard errors of 1 %).
    expect(mean).toBeGreaterThan(970);
    expect(mean).toBeLessThan(1030);
  });

  it('throws ConfigError for a bad option', () => {
    expect(() => generateTicks({ startPrice: -1 })).toThrow(/`startPrice`/);
    let error: unknown;
    try {
      generateTicks({ count: 1.5 });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
  });
});
