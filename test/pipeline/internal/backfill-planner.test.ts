import { describe, expect, it } from 'vitest';
import { BackfillPlanner } from '../../../src/pipeline/internal/backfill-planner.js';
import { StoreAccess } from '../../../src/pipeline/internal/store-access.js';
import { MemoryStore } from '../../../src/pipeline/memory-store.js';
import type { RevisedBar } from '../../../src/pipeline/sink.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

function bar(i: number, flag?: 'forward_filled'): RevisedBar {
  return { timestamp: T0 + i * MIN, open: 1, high: 1, low: 1, close: 1, volume: 1, revision: 0, ...(flag === undefined ? {} : { flag }) };
}

function planner(bars: readonly RevisedBar[], maxBackfillBars = 100): BackfillPlanner {
  const store = new MemoryStore();
  store.upsert('BTCUSD', '1m', bars);
  return new BackfillPlanner(new StoreAccess(store), {
    baseTimeframe: '1m',
    baseMs: MIN,
    maxBackfillBars,
    start: undefined,
    warmUp: { bars: 100, historyFrom: (now) => now - 100 * MIN },
  });
}

describe('BackfillPlanner', () => {
  it('starts after the last stored bar, never more than the backfill limit back', async () => {
    // Last stored 00:00, the bar forming at 00:10: 00:01 is next. With a limit of 3, the newest
    // closed bar (00:09) and the 3 missed before it: from 00:06.
    expect(await planner([bar(0)]).since('BTCUSD', T0 + 10 * MIN)).toBe(T0 + MIN);
    await expect(planner([bar(0)], 3).since('BTCUSD', T0 + 10 * MIN)).resolves.toBe(T0 + 6 * MIN);
  });

  it('carries out a backfill action until a fetch from the first bar of its range the store lacks is answered', async () => {
    // 00:00–00:09 stored except 00:04 (missing) and 00:06 (filled); the feed asks for 00:01–00:08.
    const p = planner([0, 1, 2, 3, 5, 7, 8, 9].map((i) => bar(i)).concat(bar(6, 'forward_filled')));
    p.backfill('BTCUSD', { from: T0 + MIN, to: T0 + 8 * MIN, bars: 8 });
    expect(p.isCaughtUp('BTCUSD')).toBe(false);
    expect(await p.since('BTCUSD', T0 + 10 * MIN)).toBe(T0 + 4 * MIN);
    p.answered('BTCUSD', T0 + 4 * MIN);
    // Done (the source was asked; bars it lacks are a gap): the next fetch continues after the last stored bar.
    expect(await p.since('BTCUSD', T0 + 10 * MIN)).toBe(T0 + 10 * MIN);
  });

  it('needs no fetch for a backfill the store already holds', async () => {
    const p = planner([0, 1, 2, 3].map((i) => bar(i)));
    p.backfill('BTCUSD', { from: T0 + MIN, to: T0 + 2 * MIN, bars: 2 });
    expect(await p.since('BTCUSD', T0 + 4 * MIN)).toBe(T0 + 4 * MIN);
  });

  it('re-requests filled bars within reach until real ones replace them', async () => {
    const p = planner([bar(0), bar(1, 'forward_filled'), bar(2)]);
    p.noteSynthetic('BTCUSD', T0 + MIN);
    expect(await p.since('BTCUSD', T0 + 3 * MIN)).toBe(T0 + MIN);
    // Out of reach (100 bars back from 02:00): forgotten. The fetch brings the newest closed bar
    // (01:59) and the 100 missed before it: from 00:19.
    expect(await p.since('BTCUSD', T0 + 120 * MIN)).toBe(T0 + 19 * MIN);
    expect(p.syntheticSince('BTCUSD')).toBeNull();
  });
});

describe('BackfillPlanner with several backfills', () => {
  it('keeps every pending range: the next fetch starts at the first bar any of them lacks', async () => {
    // 00:00–00:59 stored except 00:40–00:45; one range is stored already, the other lacks 00:40.
    const p = planner(
      Array.from({ length: 60 }, (_, i) => i)
        .filter((i) => i < 40 || i > 45)
        .map((i) => bar(i)),
    );
    p.backfill('BTCUSD', { from: T0 + 10 * MIN, to: T0 + 20 * MIN, bars: 11 });
    p.backfill('BTCUSD', { from: T0 + 38 * MIN, to: T0 + 50 * MIN, bars: 13 });
    expect(await p.since('BTCUSD', T0 + 60 * MIN)).toBe(T0 + 40 * MIN);
    // Not answered yet: asked again. Answered from 00:40: done.
    expect(await p.since('BTCUSD', T0 + 60 * MIN)).toBe(T0 + 40 * MIN);
    p.answered('BTCUSD', T0 + 40 * MIN);
    expect(await p.since('BTCUSD', T0 + 60 * MIN)).toBe(T0 + 60 * MIN);
    expect(p.isCaughtUp('BTCUSD')).toBe(true);
  });
});
