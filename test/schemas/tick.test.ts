import { describe, expect, it } from 'vitest';
import { TickSchema } from '../../src/schemas/index.js';

const tick = { timestamp: Date.UTC(2025, 0, 30, 10, 30), price: 45050, quantity: 0.1, side: 'sell', tradeId: 13_519_807 };

describe('TickSchema', () => {
  it('accepts a trade', () => {
    expect(TickSchema.parse(tick)).toEqual(tick);
  });

  it('refuses an unknown side, a string id and a NaN price', () => {
    for (const row of [
      { ...tick, side: 'short' },
      { ...tick, tradeId: '13519807' },
      { ...tick, price: NaN },
    ]) {
      expect(TickSchema.safeParse(row).success).toBe(false);
    }
  });
});
