/**
 * Shared contract: what every `Store` does, as `src/pipeline/store.ts` states it. Bars are keyed
 * by `(symbol, timeframe, timestamp)`; `upsert` replaces a stored bar only with an equal or
 * higher `revision`; `range` is oldest first, `start` inclusive and `end` exclusive; `rangeColumns`
 * (when present) gives the same bars as columns with flag codes; `last` is the newest bar;
 * `prune` removes one series' bars before a time and says how many. Every method may answer a
 * value or a promise, so every call is awaited.
 *
 * Use it from a `*.test.ts` file: `describeStoreContract({ name: 'MemoryStore', create: () => new MemoryStore() })`
 * (`test/contracts/store.test.ts`; the SQLite and PostgreSQL examples run it on theirs).
 */
import { describe, expect, it } from 'vitest';
import type { RevisedBar, Store } from '../../src/index.js';

/** A store under test. */
export interface StoreContract {
  /** Printed in the `describe` title. */
  readonly name: string;
  /** A new, empty store (called once per test). */
  readonly create: () => Store | Promise<Store>;
  /** Releases a store made by `create` (closes a file, drops a schema). */
  readonly dispose?: (store: Store) => void | Promise<void>;
}

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

function bar(timestamp: number, price: number, revision: number, extra: Partial<RevisedBar> = {}): RevisedBar {
  return { timestamp, open: price, high: price + 1, low: price - 1, close: price, volume: 10, revision, ...extra };
}

/** Registers the contract's tests for one kind of store. */
export function describeStoreContract(contract: StoreContract): void {
  /** Runs `body` on a fresh store and disposes of it, pass or fail. */
  const withStore = (body: (store: Store) => Promise<void>) => async (): Promise<void> => {
    const store = await contract.create();
    try {
      await body(store);
    } finally {
      await contract.dispose?.(store);
    }
  };

  describe(`${contract.name} (Store contract)`, () => {
    it(
      'keeps the highest revision: an older revision never replaces a newer one, an equal or higher one does',
      withStore(async (store) => {
        await store.upsert('BTCUSD', '1m', [bar(T0, 100, 1, { flag: 'forward_filled' })]);
        await store.upsert('BTCUSD', '1m', [bar(T0, 200, 0)]); // a late re-delivery of revision 0: ignored
        expect(await store.last('BTCUSD', '1m')).toEqual(bar(T0, 100, 1, { flag: 'forward_filled' }));
        await store.upsert('BTCUSD', '1m', [bar(T0, 300, 1)]); // the same revision again: replaces (at-least-once)
        expect(await store.last('BTCUSD', '1m')).toEqual(bar(T0, 300, 1));
        await store.upsert('BTCUSD', '1m', [bar(T0, 400, 2)]);
        expect(await store.range('BTCUSD', '1m', T0, T0 + MIN)).toEqual([bar(T0, 400, 2)]);
      }),
    );

    it(
      'keeps the highest revision among several bars at one timestamp in one call, the later one on a tie',
      withStore(async (store) => {
        await store.upsert('BTCUSD', '1m', [bar(T0, 1, 2), bar(T0, 2, 1), bar(T0 + MIN, 3, 0), bar(T0 + MIN, 4, 0)]);
        expect(await store.range('BTCUSD', '1m', T0, T0 + 2 * MIN)).toEqual([bar(T0, 1, 2), bar(T0 + MIN, 4, 0)]);
      }),
    );

    it(
      'keys bars by symbol, timeframe and timestamp',
      withStore(async (store) => {
        await store.upsert('BTCUSD', '1m', [bar(T0, 1, 0), bar(T0 + MIN, 2, 0)]);
        await store.upsert('BTCUSD', '5m', [bar(T0, 3, 0)]);
        await store.upsert('ETHUSD', '1m', [bar(T0, 4, 0)]);
        expect((await store.range('BTCUSD', '1m', 0, Infinity)).map((b) => b.close)).toEqual([1, 2]);
        expect((await store.range('BTCUSD', '5m', 0, Infinity)).map((b) => b.close)).toEqual([3]);
        expect((await store.range('ETHUSD', '1m', 0, Infinity)).map((b) => b.close)).toEqual([4]);
        expect(await store.last('ETHUSD', '5m')).toBeUndefined();
        expect(await store.range('ETHUSD', '5m', 0, Infinity)).toEqual([]);
      }),
    );

    it(
      'returns ranges oldest first with start inclusive and end exclusive, whatever the insert order',
      withStore(async (store) => {
        await store.upsert('BTCUSD', '1m', [bar(T0 + 2 * MIN, 3, 0), bar(T0, 1, 0), bar(T0 + 3 * MIN, 4, 0)]);
        await store.upsert('BTCUSD', '1m', [bar(T0 + MIN, 2, 0)]);
        expect((await store.range('BTCUSD', '1m', T0 + MIN, T0 + 3 * MIN)).map((b) => b.close)).toEqual([2, 3]);
        expect((await store.range('BTCUSD', '1m', Number.NEGATIVE_INFINITY, Infinity)).map((b) => b.close)).toEqual([1, 2, 3, 4]);
        expect((await store.last('BTCUSD', '1m'))?.close).toBe(4);
      }),
    );

    it(
      'keeps timestamps exact to the millisecond',
      withStore(async (store) => {
        const far = Date.UTC(2199, 11, 31, 23, 59, 59, 999);
        await store.upsert('BTCUSD', '1m', [bar(T0 + 1, 1, 0), bar(far, 2, 0)]);
        expect((await store.range('BTCUSD', '1m', T0 + 1, far + 1)).map((b) => b.timestamp)).toEqual([T0 + 1, far]);
        expect(await store.range('BTCUSD', '1m', T0 + 2, far)).toEqual([]);
      }),
    );

    it(
      'round-trips every optional field and omits the absent ones',
      withStore(async (store) => {
        const full = bar(T0, 1.1, 2, { quoteVolume: 12.5, trades: 7, takerBuyVolume: 3.25, flag: 'interpolated', count: 5 });
        const plain = bar(T0 + MIN, 0.1 + 0.2, 0);
        await store.upsert('BTCUSD', '1m', [full, plain]);
        const [a, b] = await store.range('BTCUSD', '1m', 0, Infinity);
        expect(a).toEqual(full);
        expect(b).toEqual(plain);
        expect(Object.keys(b ?? {}).sort()).toEqual(['close', 'high', 'low', 'open', 'revision', 'timestamp', 'volume']);
      }),
    );

    it(
      'gives the same bars as columns, with flag codes',
      withStore(async (store) => {
        if (store.rangeColumns === undefined) return;
        await store.upsert('BTCUSD', '1m', [
          bar(T0, 1, 0),
          bar(T0 + MIN, 2, 1, { flag: 'forward_filled' }),
          bar(T0 + 2 * MIN, 3, 0, { flag: 'clipped' }),
          bar(T0 + 3 * MIN, 4, 0, { flag: 'interpolated' }),
        ]);
        const columns = await store.rangeColumns('BTCUSD', '1m', T0, T0 + 4 * MIN);
        expect(columns.length).toBe(4);
        expect([...columns.timestamp]).toEqual([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
        expect([...columns.open]).toEqual([1, 2, 3, 4]);
        expect([...columns.high]).toEqual([2, 3, 4, 5]);
        expect([...columns.low]).toEqual([0, 1, 2, 3]);
        expect([...columns.close]).toEqual([1, 2, 3, 4]);
        expect([...columns.volume]).toEqual([10, 10, 10, 10]);
        // BarFlagCode: None 0, Interpolated 1, ForwardFilled 2, Clipped 3.
        expect([...(columns.flags ?? [])]).toEqual([0, 2, 3, 1]);
        expect((await store.rangeColumns('BTCUSD', '5m', T0, T0 + MIN)).length).toBe(0);
      }),
    );

    it(
      'prunes bars older than the cut-off of one series only and says how many',
      withStore(async (store) => {
        await store.upsert('BTCUSD', '1m', [bar(T0, 1, 0), bar(T0 + MIN, 2, 0), bar(T0 + 2 * MIN, 3, 0)]);
        await store.upsert('BTCUSD', '5m', [bar(T0, 1, 0)]);
        await store.upsert('ETHUSD', '1m', [bar(T0, 1, 0)]);
        expect(await store.prune('BTCUSD', '1m', T0 + 2 * MIN)).toBe(2);
        expect((await store.range('BTCUSD', '1m', 0, Infinity)).map((b) => b.timestamp)).toEqual([T0 + 2 * MIN]);
        expect(await store.range('BTCUSD', '5m', 0, Infinity)).toEqual([bar(T0, 1, 0)]);
        expect(await store.range('ETHUSD', '1m', 0, Infinity)).toEqual([bar(T0, 1, 0)]);
        expect(await store.prune('BTCUSD', '1m', T0 + 2 * MIN)).toBe(0);
        expect(await store.prune('XRPUSD', '1m', T0)).toBe(0);
      }),
    );
  });
}
