import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/pipeline/memory-store.js';
import type { RevisedBar } from '../../src/pipeline/sink.js';

const MIN = 60_000;
const bar = (i: number, revision = 0, close = 100 + i): RevisedBar => ({
  timestamp: i * MIN,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
  revision,
});

describe('MemoryStore', () => {
  it('returns bars in [start, end) in time order, across chunk boundaries', () => {
    const store = new MemoryStore();
    store.upsert(
      'X',
      '1m',
      Array.from({ length: 10_000 }, (_, i) => bar(i)),
    );
    const got = store.range('X', '1m', 4000 * MIN, 4200 * MIN);
    expect(got.map((b) => b.timestamp / MIN)).toEqual(Array.from({ length: 200 }, (_, i) => 4000 + i));
    const columns = store.rangeColumns('X', '1m', 4000 * MIN, 4200 * MIN);
    expect(Array.from(columns.close)).toEqual(got.map((b) => b.close));
    expect(store.last('X', '1m')?.timestamp).toBe(9999 * MIN);
  });

  it('replaces a stored bar only with an equal or higher revision', () => {
    const store = new MemoryStore();
    store.upsert('X', '1m', [bar(0, 1, 100)]);
    store.upsert('X', '1m', [bar(0, 0, 50)]);
    expect(store.last('X', '1m')?.close).toBe(100);
    store.upsert('X', '1m', [bar(0, 2, 70)]);
    expect(store.last('X', '1m')).toMatchObject({ close: 70, revision: 2 });
  });

  it('keeps flags and optional fields', () => {
    const store = new MemoryStore();
    store.upsert('X', '1m', [{ ...bar(0), flag: 'forward_filled', quoteVolume: 5 }, bar(1)]);
    const [first, second] = store.range('X', '1m', 0, 2 * MIN);
    expect(first).toMatchObject({ flag: 'forward_filled', quoteVolume: 5 });
    expect(second).not.toHaveProperty('flag');
    expect(second).not.toHaveProperty('quoteVolume');
  });

  it('prunes bars older than a cut-off and reports how many', () => {
    const store = new MemoryStore();
    store.upsert(
      'X',
      '1m',
      Array.from({ length: 100 }, (_, i) => bar(i)),
    );
    expect(store.prune('X', '1m', 40 * MIN)).toBe(40);
    expect(store.range('X', '1m', 0, 1000 * MIN)[0]?.timestamp).toBe(40 * MIN);
    expect(store.prune('X', '1m', 40 * MIN)).toBe(0);
  });

  it("holds at most 64 bytes per stored 1m bar for a long series (the issue's budget)", () => {
    const store = new MemoryStore();
    store.upsert(
      'X',
      '1m',
      Array.from({ length: 100_000 }, (_, i) => bar(i)),
    );
    // 6 Float64 columns (48 B) + flag (1 B) + revision (2 B) = 51 B per bar, plus one partly filled chunk.
    expect(store.byteLength / store.size('X', '1m')).toBeLessThanOrEqual(64);
  });

  it('ends up with the same bars whatever order they were upserted in', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          Array.from({ length: 300 }, (_, i) => i),
          { minLength: 1 },
        ),
        (order) => {
          const store = new MemoryStore();
          for (const i of order) store.upsert('X', '1m', [bar(i)]);
          const got = store.range('X', '1m', 0, 1000 * MIN).map((b) => b.timestamp / MIN);
          expect(got).toEqual([...order].sort((a, b) => a - b));
        },
      ),
    );
  });
});
