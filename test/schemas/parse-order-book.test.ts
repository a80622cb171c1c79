import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBookSchema, parseOrderBook } from '../../src/schemas/index.js';

const T = Date.UTC(2025, 0, 30, 10, 30);
const book = {
  timestamp: T,
  bids: [
    { price: 45000, quantity: 1.5 },
    { price: 44999, quantity: 2 },
  ],
  asks: [{ price: 45001, quantity: 0.5 }],
  depthLevels: 2,
} as const;

describe('parseOrderBook', () => {
  it('reads an array of snapshots and a single snapshot alike', () => {
    expect(parseOrderBook([book])).toEqual({ rows: [book], issues: [], rejected: 0 });
    expect(parseOrderBook(book)).toEqual({ rows: [book], issues: [], rejected: 0 });
  });

  it('reads ccxt [price, amount] levels and derives depthLevels from the longer side', () => {
    const ccxt = {
      timestamp: T,
      bids: [
        [45000, 1.5],
        [44999, 2, 3],
      ],
      asks: [[45001, 0.5]],
      nonce: 7,
    };
    expect(parseOrderBook(ccxt).rows).toEqual([book]);
  });

  it('refuses the whole snapshot for one bad level and locates it', () => {
    const result = parseOrderBook([
      {
        ...book,
        asks: [
          { price: 45001, quantity: 0.5 },
          { price: Infinity, quantity: 1 },
        ],
      },
      { ...book, bids: [[45000, null]] },
    ]);
    expect(result.rows).toEqual([]);
    expect(result.rejected).toBe(2);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['not_finite', [0, 'asks', 1, 'price']],
      ['invalid_type', [1, 'bids', 0, 1]],
    ]);
  });

  it('reports sides that are not arrays and levels that are neither objects nor pairs', () => {
    const result = parseOrderBook([{ ...book, bids: 'none', asks: [42] }]);
    expect(result.issues.map((i) => i.path)).toEqual([
      [0, 'bids'],
      [0, 'asks', 0],
    ]);
  });

  it('reports an input that is neither a snapshot nor an array at the empty path', () => {
    expect(parseOrderBook(null).issues).toEqual([expect.objectContaining({ code: 'invalid_type', path: [] })]);
  });

  it('does not mutate a frozen input', () => {
    const frozen = Object.freeze({ ...book, bids: Object.freeze(book.bids.map((l) => Object.freeze({ ...l }))) });
    expect(parseOrderBook(frozen).rows[0]?.bids).not.toBe(frozen.bids);
  });

  it('never throws on arbitrary input and returns only schema-valid snapshots', () => {
    const before = Reflect.ownKeys(Object.prototype).length;
    const level = fc.oneof(fc.tuple(fc.double(), fc.double()), fc.record({ price: fc.double(), quantity: fc.anything() }), fc.anything());
    const snapshot = fc.record(
      {
        timestamp: fc.oneof(fc.constant(T), fc.anything()),
        bids: fc.array(level),
        asks: fc.oneof(fc.array(level), fc.anything()),
        depthLevels: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(snapshot), snapshot, fc.anything()), fc.boolean(), (input, coerce) => {
        const result = parseOrderBook(input, { coerce });
        for (const row of result.rows) expect(OrderBookSchema.safeParse(row).success).toBe(true);
      }),
    );
    expect(Reflect.ownKeys(Object.prototype).length).toBe(before);
  });
});
