import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateBase } from '../../../src/quality/internal/base-aggregate.js';
import type { Ohlcv } from '../../../src/schemas/ohlcv.js';
import { bucketEnd } from '../../../src/time/bucket-end.js';
import { bucketStart } from '../../../src/time/bucket-start.js';
import type { Timeframe } from '../../../src/time/timeframe.js';

type Row = [number, number, number, number, number, number];

/**
 * `aggregateBase` as its TSDoc (and `BaseReference`'s) states it, the slow way: bars with a
 * non-finite open time are dropped, and of bars sharing an open time the first given counts;
 * they go into the bucket of `tf` holding their open time; a bucket is kept only when the base
 * series covers it whole (it starts at or after the first bar and ends at or before the last
 * bar's close) and none of its bars has a non-finite field; its bar is first open, highest
 * high, lowest low and last close of its bars with volume (of all its bars when none has
 * volume), and the sum of their volumes. Buckets in time order.
 */
function reference(base: readonly Ohlcv[], baseTf: Timeframe, tf: Timeframe): Row[] {
  const firstAt = new Map<number, Ohlcv>();
  for (const b of base) if (Number.isFinite(b.timestamp) && !firstAt.has(b.timestamp)) firstAt.set(b.timestamp, b);
  const bars = [...firstAt.values()].sort((a, b) => a.timestamp - b.timestamp);
  if (bars.length === 0) return [];
  const first = (bars[0] as Ohlcv).timestamp;
  const lastClose = bucketEnd((bars[bars.length - 1] as Ohlcv).timestamp, baseTf);
  const buckets = new Map<number, Ohlcv[]>();
  for (const b of bars) {
    const k = bucketStart(b.timestamp, tf);
    buckets.set(k, [...(buckets.get(k) ?? []), b]);
  }
  const out: Row[] = [];
  for (const [start, members] of buckets) {
    if (start < first || bucketEnd(start, tf) > lastClose) continue;
    if (!members.every((b) => [b.open, b.high, b.low, b.close, b.volume].every(Number.isFinite))) continue;
    const traded = members.filter((b) => b.volume > 0);
    const priced = traded.length > 0 ? traded : members;
    out.push([
      start,
      (priced[0] as Ohlcv).open,
      Math.max(...priced.map((b) => b.high)),
      Math.min(...priced.map((b) => b.low)),
      (priced[priced.length - 1] as Ohlcv).close,
      members.reduce((s, b) => s + b.volume, 0),
    ]);
  }
  return out;
}

const PAIRS: readonly [Timeframe, Timeframe][] = [
  ['1m', '5m'],
  ['5m', '15m'],
  ['1H', '4H'],
  ['1H', '1D'],
  ['1D', '1W'],
  ['1D', '1M'],
];

const ANCHOR = Date.UTC(2024, 1, 26);

/** The `k`-th bucket of `tf` from the one holding the anchor. */
function nth(tf: Timeframe, k: number): number {
  let t = bucketStart(ANCHOR, tf);
  for (let i = 0; i < k; i++) t = bucketEnd(t, tf);
  return t;
}

const price = fc.integer({ min: 1, max: 9 });
const step = fc.record({
  slot: fc.integer({ min: 0, max: 70 }),
  open: price,
  high: price,
  low: price,
  close: price,
  volume: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 2, arbitrary: fc.constant(0) }),
  broken: fc.oneof(
    { weight: 20, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('open', 'high', 'low', 'close', 'volume', 'timestamp') },
  ),
});

describe('aggregateBase against its documented rules (property)', () => {
  it('builds the buckets a slow reference builds, from bars in any order with holes, duplicates, fillers and bad values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAIRS), fc.array(step, { maxLength: 60 }), ([baseTf, tf], steps) => {
        const base: Ohlcv[] = steps.map((s) => {
          const bar = { timestamp: nth(baseTf, s.slot), open: s.open, high: s.high, low: s.low, close: s.close, volume: s.volume };
          return s.broken === undefined ? bar : { ...bar, [s.broken]: Number.NaN };
        });
        const got = aggregateBase(base, baseTf, tf);
        const rows = Array.from({ length: got.length }, (_, k) =>
          [got.timestamp, got.open, got.high, got.low, got.close, got.volume].map((c) => c[k] as number),
        );
        expect(rows).toEqual(reference(base, baseTf, tf));
      }),
      { numRuns: 500 },
    );
  });
});
