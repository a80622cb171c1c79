import { describe, expect, it } from 'vitest';
import { binanceDepthWeight } from './binance-depth-weight.js';

describe('binanceDepthWeight', () => {
  it("follows Binance's table for /api/v3/depth: 1–100 → 5, 101–500 → 25, 501–1000 → 50, 1001–5000 → 250", () => {
    expect([1, 100, 101, 500, 501, 1000, 1001, 5000].map(binanceDepthWeight)).toEqual([5, 5, 25, 25, 50, 50, 250, 250]);
  });
});
