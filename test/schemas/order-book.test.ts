import { describe, expect, it } from 'vitest';
import { BookLevelSchema, OrderBookSchema } from '../../src/schemas/index.js';

const book = {
  timestamp: Date.UTC(2025, 0, 30, 10, 30),
  bids: [{ price: 45000, quantity: 1 }],
  asks: [{ price: 45001, quantity: 2 }],
  depthLevels: 1,
};

describe('OrderBookSchema', () => {
  it('accepts a snapshot, an empty side included', () => {
    expect(OrderBookSchema.parse(book)).toEqual(book);
    expect(OrderBookSchema.safeParse({ ...book, asks: [] }).success).toBe(true);
  });

  it('refuses ccxt pair levels (convert them with parseOrderBook) and negative depth', () => {
    expect(OrderBookSchema.safeParse({ ...book, bids: [[45000, 1]] }).success).toBe(false);
    expect(OrderBookSchema.safeParse({ ...book, depthLevels: -1 }).success).toBe(false);
  });
});

describe('BookLevelSchema', () => {
  it('refuses non-finite prices', () => {
    expect(BookLevelSchema.safeParse({ price: Infinity, quantity: 1 }).success).toBe(false);
  });
});
