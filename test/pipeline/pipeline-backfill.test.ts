import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors/source-error.js';
import type { FeedAction } from '../../src/failover/feed-state.js';
import { MemoryStore } from '../../src/pipeline/memory-store.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { RevisedBar, Sink } from '../../src/pipeline/sink.js';
import type { Source } from '../../src/pipeline/source.js';
import { ManualClock } from '../../src/testing/manual-clock.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30, 10, 0);
const bar = (i: number): Record<string, number> => ({ timestamp: T0 + i * MIN, open: 100, high: 101, low: 99, close: 100, volume: 5 });

/** An exchange whose REST answers every closed bar unless `down`, and whose stream yields what the test pushes. */
function exchange(clock: ManualClock): { source: Source; push: (row: unknown) => void; setDown: (down: boolean) => void } {
  let down = false;
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  const source: Source = {
    name: 'exchange',
    fetchOhlcv(request) {
      if (down) return Promise.reject(new SourceError('down', { kind: 'network', source: 'exchange' }));
      const closedEnd = Math.floor(clock.now() / MIN) * MIN;
      const rows = [];
      for (let t = request.since ?? 0; t < closedEnd && rows.length < (request.limit ?? 1000); t += MIN) rows.push(bar((t - T0) / MIN));
      return Promise.resolve(rows);
    },
    async *subscribe({ signal }) {
      while (signal?.aborted !== true) {
        if (queue.length > 0) {
          yield queue.shift();
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
      }
    },
  };
  return {
    source,
    push: (row) => {
      queue.push(row);
      wake?.();
    },
    setDown: (value) => {
      down = value;
    },
  };
}

/** Minutes from 10:00 in [from, to) the store lacks. */
function missing(store: MemoryStore, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) if (store.range('BTCUSD', '1m', T0 + i * MIN, T0 + (i + 1) * MIN).length === 0) out.push(i);
  return out;
}

/** 10:00–10:09 stored; then REST and stream are silent for 20 minutes; the stream comes back with 10:29. */
async function recoverThroughStream(): Promise<
  { pipeline: Pipeline; store: MemoryStore; clock: ManualClock } & ReturnType<typeof exchange>
> {
  const clock = new ManualClock(T0 + 10 * MIN + 1000);
  const ex = exchange(clock);
  const store = new MemoryStore();
  const pipeline = new Pipeline({ primary: ex.source, store, clock, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
  const actions: string[] = [];
  pipeline.on('failover', (e) => actions.push(...e.actions.map((a) => a.kind)));
  pipeline.start();
  await clock.advance(0);
  expect(store.last('BTCUSD', '1m')?.timestamp).toBe(T0 + 9 * MIN);
  ex.setDown(true);
  for (let m = 11; m <= 30; m++) await clock.advance(MIN);
  ex.setDown(false);
  ex.push(bar(29));
  await clock.advance(0);
  // The feed state machine asks for the bars missed since 10:09 (the specification's backfill on restore).
  expect(actions).toContain('backfill');
  return { pipeline, store, clock, ...ex };
}

describe('Pipeline backfill on restore', () => {
  it('fetches the bars missed during an outage even while the stream delivers every new bar first', async () => {
    const { pipeline, store, clock, push } = await recoverThroughStream();
    for (let m = 30; m < 35; m++) {
      // Each bar arrives by stream at its close, before the poll (close + pollDelayMs).
      await clock.advance(MIN - 500);
      push(bar(m));
      await clock.advance(500);
    }
    await pipeline.stop();
    expect(missing(store, 10, 35)).toEqual([]);
  });

  it('keeps a backfill whose first fetch failed and carries it out on the next poll', async () => {
    const { pipeline, store, clock, setDown } = await recoverThroughStream();
    setDown(true);
    await clock.advance(MIN);
    setDown(false);
    for (let m = 0; m < 5; m++) await clock.advance(MIN);
    await pipeline.stop();
    expect(missing(store, 10, 35)).toEqual([]);
  });
});

describe('Pipeline backfill after a long outage', () => {
  it('fetches exactly the backfill the failover event names and reports exactly its gap', async () => {
    const clock = new ManualClock(T0 + 10 * MIN + 1000);
    const ex = exchange(clock);
    const rest: Source = { name: 'exchange', fetchOhlcv: (request) => ex.source.fetchOhlcv(request) };
    const requests: number[] = [];
    const source: Source = {
      name: 'exchange',
      fetchOhlcv: (request) => {
        requests.push(request.since ?? Number.NaN);
        return rest.fetchOhlcv(request);
      },
    };
    const pipeline = new Pipeline({ primary: source, clock, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
    const actions: FeedAction[] = [];
    const gaps: { start: number; missing: number }[] = [];
    pipeline.on('failover', (e) => actions.push(...e.actions));
    pipeline.on('gap', ({ report }) => gaps.push({ start: report.gap.start, missing: report.missingBars }));
    await pipeline.runOnce(); // 10:00–10:09 stored
    ex.setDown(true);
    for (let m = 11; m <= 190; m++) {
      await clock.advanceTo(T0 + m * MIN + 1000);
      await pipeline.runOnce();
    }
    ex.setDown(false);
    requests.length = 0;
    await clock.advanceTo(T0 + 191 * MIN + 1000);
    await pipeline.runOnce();
    // The specification: on restore, backfill at most 100 bars. The newest bar (13:10) comes with
    // the answer; the 100 before it (11:30–13:09) are the backfill; 10:10–11:29 (80 bars) a gap.
    const backfill = actions.find((a) => a.kind === 'backfill');
    const gap = actions.find((a) => a.kind === 'gap');
    if (backfill?.kind !== 'backfill' || gap?.kind !== 'gap') throw new Error(`no backfill and gap actions: ${JSON.stringify(actions)}`);
    expect(backfill).toMatchObject({ from: T0 + 90 * MIN, to: T0 + 189 * MIN, bars: 100 });
    expect(gap).toMatchObject({ from: T0 + 10 * MIN, to: T0 + 89 * MIN, bars: 80 });
    expect(requests[0]).toBe(backfill.from);
    expect(gaps).toContainEqual({ start: gap.from, missing: gap.bars });
    await pipeline.stop();
  });
});

describe('Pipeline data requests over holes', () => {
  it('fetches a hole the source has by now before answering, so filled and missing bars become real', async () => {
    // The exchange has every 1m bar from 10:00 to 12:59; the store lacks 10:40–10:59 (20 bars)
    // and holds 11:10–11:14 forward-filled (5 bars).
    const clock = new ManualClock(T0 + 3 * 60 * MIN + 1000);
    const ex = exchange(clock);
    const store = new MemoryStore();
    const held = Array.from({ length: 180 }, (_, i) => i).filter((i) => i < 40 || i >= 60);
    store.upsert(
      'BTCUSD',
      '1m',
      held.map((i) => ({ ...bar(i), revision: 0, ...(i >= 70 && i < 75 ? { flag: 'forward_filled' as const } : {}) }) as RevisedBar),
    );
    const requests: number[] = [];
    const source: Source = {
      name: 'exchange',
      fetchOhlcv: (request) => {
        requests.push(request.since ?? Number.NaN);
        return ex.source.fetchOhlcv(request);
      },
    };
    const sink: Sink = { name: 'files', datasetFormats: ['json'], write: () => Promise.resolve({ outputPath: '/x' }) };
    const pipeline = new Pipeline({ primary: source, store, clock, sinks: [sink], config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
    const response = await pipeline.request({
      request_id: 'DATA-002',
      requester: 'feature-engineer',
      request_type: 'historical_data',
      parameters: {
        symbol: 'BTCUSD',
        timeframe: '1m',
        start_date: '2025-01-30T10:00:00Z',
        end_date: '2025-01-30T13:00:00Z',
        format: 'json',
      },
      priority: 'normal',
    });
    // Asked from the first hole (10:40); all 180 bars real now, none filled.
    expect(requests[0]).toBe(T0 + 40 * MIN);
    expect(response).toMatchObject({ status: 'completed', rows: 180, metadata: { gaps_filled: 0 } });
    expect(missing(store, 0, 180)).toEqual([]);
    await pipeline.stop();
  });
});
