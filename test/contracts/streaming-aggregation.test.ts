/**
 * Streaming = batch: the shared contract of the aggregate module. Fed the same input one
 * element at a time, the streaming classes emit exactly what the batch functions return for
 * every prefix (whose trailing, still-forming bucket batch drops), `current()` is that
 * forming bucket, and row-level issues agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { OhlcvAggregator } from '../../src/aggregate/ohlcv-aggregator.js';
import { TickAggregator } from '../../src/aggregate/tick-aggregator.js';
import { ticksToOhlcv } from '../../src/aggregate/ticks-to-ohlcv.js';
import type { Ohlcv, Tick } from '../../src/index.js';
import { minuteBars } from '../aggregate/support.js';

const rowIssues = (issues: readonly { code: string; index: number }[]): [string, number][] =>
  issues.filter((i) => i.index >= 0).map((i) => [i.code, i.index]);

/** Clean bars with some duplicated, moved back in time or pushed off the minute grid. */
const dirtyBars = minuteBars({ flags: true, maxLength: 80 }).chain((bars) =>
  fc
    .array(fc.tuple(fc.nat(Math.max(0, bars.length - 1)), fc.constantFrom('duplicate', 'older', 'offgrid')), { maxLength: 6 })
    .map((edits) => {
      const out = [...bars];
      for (const [at, kind] of edits) {
        const base = out[at];
        if (base === undefined) continue;
        const copy: Ohlcv =
          kind === 'duplicate'
            ? { ...base, close: base.close + 1 }
            : kind === 'older'
              ? { ...base, timestamp: base.timestamp - 180_000 }
              : { ...base, timestamp: base.timestamp + 1_000 };
        out.splice(at + 1, 0, copy);
      }
      return out;
    }),
);

describe('OhlcvAggregator = aggregateOhlcv (contract)', () => {
  for (const target of ['5m', '15m', '1H', '1D'] as const) {
    it(`emits for every prefix what batch returns, 1m → ${target}`, () => {
      fc.assert(
        fc.property(
          dirtyBars,
          fc.boolean(),
          fc.constantFrom('keep', 'drop'),
          fc.boolean(),
          (bars, exchangeExact, partialStart, provenance) => {
            const streaming = new OhlcvAggregator({ source: '1m', target, exchangeExact, partialStart, provenance });
            const emitted: Ohlcv[] = [];
            const issues: { code: string; index: number }[] = [];
            bars.forEach((bar, k) => {
              emitted.push(...streaming.add(bar));
              issues.push(...streaming.takeIssues());
              const prefix = bars.slice(0, k + 1);
              const batch = aggregateOhlcv(prefix, target, { source: '1m', exchangeExact, partialStart, provenance });
              expect(emitted).toEqual(batch.bars);
              expect(rowIssues(issues)).toEqual(rowIssues(batch.issues));
              const kept = aggregateOhlcv(prefix, target, { source: '1m', exchangeExact, partialEnd: 'keep', provenance });
              const forming = streaming.current();
              if (kept.partial.last) expect(forming).toEqual(kept.bars.at(-1));
              else expect(forming).toBeUndefined();
            });
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('matches batch with the trailing bucket kept once close(now) passes its end', () => {
    fc.assert(
      fc.property(minuteBars({ flags: true }), (bars) => {
        const streaming = new OhlcvAggregator({ source: '1m', target: '15m' });
        const emitted = bars.flatMap((bar) => streaming.add(bar));
        emitted.push(...streaming.close(Number.MAX_SAFE_INTEGER));
        expect(emitted).toEqual(aggregateOhlcv(bars, '15m', { source: '1m', partialEnd: 'keep' }).bars);
      }),
    );
  });
});

const tradesArb = fc
  .array(
    fc.record({
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90_000 })),
      price: fc.integer({ min: 1, max: 1000 }),
      quantity: fc.integer({ min: 1, max: 100 }),
      buy: fc.boolean(),
      repeat: fc.integer({ min: 0, max: 9 }),
    }),
    { maxLength: 150 },
  )
  .map((specs) => {
    let t = Date.UTC(2024, 0, 1);
    let id = 0;
    const ticks: Tick[] = [];
    for (const s of specs) {
      t += s.gap;
      const tick: Tick = { timestamp: t, price: s.price / 4, quantity: s.quantity / 8, side: s.buy ? 'buy' : 'sell', tradeId: ++id };
      ticks.push(tick);
      if (s.repeat === 0) ticks.push({ ...tick }); // an exact repeat (same id, same time)
      if (s.repeat === 1) ticks.push({ ...tick, timestamp: t - 120_000, tradeId: ++id }); // out of order
    }
    return ticks;
  });

describe('TickAggregator = ticksToOhlcv (contract)', () => {
  it('emits for every prefix what batch returns', () => {
    fc.assert(
      fc.property(tradesArb, fc.constantFrom('1m', '5m', '1H'), (ticks, timeframe) => {
        const streaming = new TickAggregator({ timeframe });
        const emitted: Ohlcv[] = [];
        const issues: { code: string; index: number }[] = [];
        ticks.forEach((tick, k) => {
          emitted.push(...streaming.add(tick));
          issues.push(...streaming.takeIssues());
          const batch = ticksToOhlcv(ticks.slice(0, k + 1), timeframe);
          expect(emitted).toEqual(batch.bars);
          expect(rowIssues(issues)).toEqual(rowIssues(batch.issues));
          const kept = ticksToOhlcv(ticks.slice(0, k + 1), timeframe, { partialEnd: 'keep' });
          expect(streaming.current()).toEqual(kept.bars.at(-1));
        });
      }),
      { numRuns: 60 },
    );
  });
});
