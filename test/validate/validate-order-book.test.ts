import { describe, expect, it } from 'vitest';
import type { OrderBook } from '../../src/schemas/order-book.js';
import { validateOrderBook } from '../../src/validate/validate-order-book.js';
import { describeFixtures, readFixture } from '../support/fixtures.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const level = (price: number, quantity = 1): { price: number; quantity: number } => ({ price, quantity });
const book = (bids: readonly OrderBook['bids'][number][], asks: readonly OrderBook['asks'][number][], depthLevels = 5): OrderBook =>
  ({ timestamp: T0, bids, asks, depthLevels }) as OrderBook;
const found = (b: OrderBook): string[] => validateOrderBook(b).issues.map((i) => `${i.side ?? 'book'}[${i.index}]:${i.rule}:${i.severity}`);

describe('validateOrderBook', () => {
  it('accepts a sorted, uncrossed book', () => {
    expect(validateOrderBook(book([level(99), level(98)], [level(100), level(101)]))).toEqual({ valid: true, issues: [] });
  });

  it('reports unsorted sides at the offending level', () => {
    expect(found(book([level(99), level(99)], [level(100), level(101), level(100.5)]))).toEqual([
      'bids[1]:bids_descending:error',
      'asks[2]:asks_ascending:error',
    ]);
  });

  it('reports a crossed or locked book', () => {
    expect(found(book([level(100)], [level(100)]))).toEqual(['book[0]:not_crossed:error']);
    expect(validateOrderBook(book([level(101)], [level(100)])).issues[0]?.message).toBe('best bid 101 is not below best ask 100');
  });

  it('reports non-positive and non-finite prices and quantities', () => {
    expect(found(book([level(99, 0), level(-1)], [level(Number.NaN)]))).toEqual([
      'bids[0]:quantity_positive:error',
      'bids[1]:price_positive:error',
      'asks[0]:finite_values:error',
    ]);
  });

  it('reports sides deeper than depthLevels and a bad depthLevels', () => {
    expect(found(book([level(99), level(98)], [level(100)], 1))).toEqual(['book[0]:depth_levels:error']);
    expect(found(book([level(99)], [level(100)], -1))).toEqual(['book[0]:depth_levels:error']);
  });

  it('warns about an empty or one-sided book without making it invalid', () => {
    expect(validateOrderBook(book([], []))).toMatchObject({ valid: true, issues: [{ rule: 'book_empty', severity: 'warning' }] });
    expect(validateOrderBook(book([level(99)], []))).toMatchObject({
      valid: true,
      issues: [{ rule: 'book_one_sided', severity: 'warning', message: 'the book has no asks' }],
    });
  });

  it('never throws on a malformed book', () => {
    const result = validateOrderBook({ timestamp: 'x', bids: null, asks: [null] } as unknown as OrderBook);
    expect(result.valid).toBe(false);
    expect(result.issues.map((i) => i.rule)).toEqual(['finite_values', 'timestamp_plausible', 'depth_levels', 'book_one_sided']);
  });

  it('does not modify its input', () => {
    const frozen = Object.freeze(book(Object.freeze([Object.freeze(level(99))]), Object.freeze([Object.freeze(level(100))])));
    expect(validateOrderBook(frozen).valid).toBe(true);
  });
});

describeFixtures('validateOrderBook on real data', () => {
  it('accepts the bids-only Binance depth snapshot with a one-sided warning (README: 100 bids, no asks)', () => {
    const rows = readFixture('real/nautilus_trader/binance/btcusdt-depth-snap.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const bids = rows.map((r) => ({ price: Number(r[6]), quantity: Number(r[7]) }));
    const result = validateOrderBook({ timestamp: Number(rows[0]?.[1]), bids, asks: [], depthLevels: 100 });
    expect(bids).toHaveLength(100);
    expect(result).toEqual({ valid: true, issues: [expect.objectContaining({ rule: 'book_one_sided', severity: 'warning' })] });
  });

  it('validates every tardis 5-level binance-futures snapshot clean', () => {
    const [header = '', ...lines] = readFixture('real/nautilus_trader/tardis/binance-futures_book_snapshot_5_BTCUSDT.csv')
      .trim()
      .split('\n');
    const names = header.split(',');
    const col = (name: string): number => names.indexOf(name);
    for (const line of lines) {
      const f = line.split(',');
      const side = (s: 'bids' | 'asks'): OrderBook['bids'] =>
        [0, 1, 2, 3, 4].map((k) => ({ price: Number(f[col(`${s}[${k}].price`)]), quantity: Number(f[col(`${s}[${k}].amount`)]) }));
      // tardis timestamps are µs.
      const result = validateOrderBook({
        timestamp: Math.floor(Number(f[col('timestamp')]) / 1000),
        bids: side('bids'),
        asks: side('asks'),
        depthLevels: 5,
      });
      expect(result).toEqual({ valid: true, issues: [] });
    }
    expect(lines.length).toBeGreaterThan(0);
  });
});

/** Each order-book rule at its boundary (issue 25), from its definition in `OrderBookRule`. */
describe('validateOrderBook at each rule boundary', () => {
  const TICK = 0.01;
  it('bids_descending and asks_ascending: one tick apart is valid, equal is not, judged level by level', () => {
    expect(found(book([level(99), level(99 - TICK)], [level(100), level(100 + TICK)]))).toEqual([]);
    expect(found(book([level(99), level(99)], [level(100), level(100)]))).toEqual([
      'bids[1]:bids_descending:error',
      'asks[1]:asks_ascending:error',
    ]);
    // Against the previous level: 98.5 after 97 breaks it; 98 after 98.5 does not.
    expect(found(book([level(99), level(97), level(98.5), level(98)], [level(100)]))).toEqual(['bids[2]:bids_descending:error']);
    expect(validateOrderBook(book([level(99), level(99)], [level(100)])).issues[0]?.message).toBe(
      "bids[1]: price 99 is not below the previous level's 99",
    );
    expect(validateOrderBook(book([level(99)], [level(100), level(100)])).issues[0]?.message).toBe(
      "asks[1]: price 100 is not above the previous level's 100",
    );
  });

  it('not_crossed: a bid one tick below the ask is valid; equal (locked) is not', () => {
    expect(found(book([level(100 - TICK)], [level(100)]))).toEqual([]);
    expect(found(book([level(100)], [level(100)]))).toEqual(['book[0]:not_crossed:error']);
  });

  it('price_positive and quantity_positive: one tick above 0 is valid, 0 is not', () => {
    expect(found(book([level(TICK, TICK)], [level(100, TICK)]))).toEqual([]);
    expect(found(book([level(99, 0)], [level(100)]))).toEqual(['bids[0]:quantity_positive:error']);
    expect(found(book([level(0)], [level(100)]))).toEqual(['bids[0]:price_positive:error']);
  });

  it('depth_levels: as many levels as depthLevels is valid, one more is not; 0 is a depth, −1 and 1.5 are not', () => {
    expect(found(book([level(99), level(98)], [level(100), level(101)], 2))).toEqual([]);
    expect(found(book([level(99), level(98), level(97)], [level(100)], 2))).toEqual(['book[0]:depth_levels:error']);
    expect(found(book([level(99)], [level(100), level(101), level(102)], 2))).toEqual(['book[0]:depth_levels:error']);
    expect(found(book([], [], 0))).toEqual(['book[0]:book_empty:warning']);
    expect(found(book([], [], -1))).toEqual(['book[0]:depth_levels:error', 'book[0]:book_empty:warning']);
    expect(found(book([], [], 1.5))).toEqual(['book[0]:depth_levels:error', 'book[0]:book_empty:warning']);
  });

  it('timestamp_plausible: 1990-01-01Z and 2100-01-01Z − 1 ms are valid; 1 ms outside either is not', () => {
    const at = (timestamp: number): OrderBook => ({ ...book([level(99)], [level(100)]), timestamp });
    expect(found(at(Date.UTC(1990, 0, 1)))).toEqual([]);
    expect(found(at(Date.UTC(2100, 0, 1) - 1))).toEqual([]);
    expect(found(at(Date.UTC(1990, 0, 1) - 1))).toEqual(['book[0]:timestamp_plausible:error']);
    expect(found(at(Date.UTC(2100, 0, 1)))).toEqual(['book[0]:timestamp_plausible:error']);
    expect(found(at(T0 + 0.5))).toEqual(['book[0]:timestamp_plausible:error']);
  });

  it('book_one_sided names the missing side; warnings alone leave the book valid', () => {
    expect(validateOrderBook(book([level(99)], [])).issues).toMatchObject([{ rule: 'book_one_sided', message: 'the book has no asks' }]);
    expect(validateOrderBook(book([], [level(100)])).issues).toMatchObject([{ rule: 'book_one_sided', message: 'the book has no bids' }]);
    expect(validateOrderBook(book([], [level(100)])).valid).toBe(true);
  });

  it('compares a level with the last level that had a price', () => {
    // bids[1] has no price; bids[2] is then above bids[0].
    expect(found(book([level(99), level(Number.NaN), level(99.5)], [level(100)]))).toEqual([
      'bids[1]:finite_values:error',
      'bids[2]:bids_descending:error',
    ]);
  });

  it("names the values in each rule's message", () => {
    const messages = (b: OrderBook): string[] => validateOrderBook(b).issues.map((issue) => issue.message);
    expect(messages(book([level(Number.NaN, 0)], [level(0, 1)]))).toEqual([
      'bids[0]: price is NaN, quantity is 0',
      'bids[0]: quantity 0 is not positive',
      'asks[0]: price 0 is not positive',
    ]);
    expect(messages({ ...book([level(99)], [level(100)]), timestamp: 5 })).toEqual([
      'timestamp 5 is not an integer epoch-ms time in 1990–2100',
    ]);
    expect(messages(book([level(99), level(98)], [level(100)], 1))).toEqual(['2 bids and 1 asks exceed depthLevels 1']);
    expect(messages(book([level(99)], [level(100)], -1))).toEqual(['depthLevels -1 is not a non-negative integer']);
    expect(messages(book([], [], 5))).toEqual(['the book has no bids and no asks']);
  });
});
