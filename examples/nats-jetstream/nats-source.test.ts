import { MemoryStore, Pipeline, type Ohlcv, type RevisedBar, type Store } from 'market-data-pipeline';
import { ManualClock, SimulatedSource } from 'market-data-pipeline/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNatsLayout } from './ensure-nats-layout.js';
import { natsNames, type NatsNames } from './nats-names.js';
import { NatsSource } from './nats-source.js';
import { partitionOf } from './partition-of.js';
import { startNatsServer, type NatsServer } from './start-nats-server.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);
const PARTITIONS = 4;
const EXCHANGE = 'simex';
const PREFIXES = ['src1', 'src2', 'src3', 'src4', 'src5'];

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  // One mapping per test prefix: the gateway publishes to <prefix>.in.<exchange>.<symbol>.
  server = await startNatsServer({
    config: `mappings = {\n${PREFIXES.map((prefix) => natsNames(prefix).rawMapping(PARTITIONS)).join('\n')}\n}\n`,
  });
  nc = await connect({ servers: server.url, timeout: 5000 });
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

/** Three symbols of partition `target` and one of another, with an hour of seeded 1m bars each. */
function market(): { target: number; mine: string[]; other: string; bars: Map<string, readonly Ohlcv[]> } {
  const candidates = Array.from({ length: 40 }, (_, i) => `C${i}USD`);
  const target = partitionOf(EXCHANGE, candidates[0]!, PARTITIONS);
  const mine = candidates.filter((s) => partitionOf(EXCHANGE, s, PARTITIONS) === target).slice(0, 3);
  const other = candidates.find((s) => partitionOf(EXCHANGE, s, PARTITIONS) !== target)!;
  const exchange = new SimulatedSource({
    clock: new ManualClock(T0 + 61 * MIN),
    symbols: [...mine, other],
    generate: { start: T0, count: 60 },
  });
  return { target, mine, other, bars: new Map([...mine, other].map((s) => [s, exchange.series(s)])) };
}

function revised(rows: readonly Ohlcv[]): RevisedBar[] {
  return rows.map((row) => ({ ...row, revision: 0 }));
}

/** The gateway: every bar of every symbol, minute by minute, to `<prefix>.in.<exchange>.<symbol>`, acknowledged. */
async function publishRaw(names: NatsNames, bars: Map<string, readonly Ohlcv[]>): Promise<void> {
  const js = jetstream(nc);
  const acks = [];
  for (let i = 0; i < 60; i++)
    for (const [symbol, series] of bars) {
      const bar = series[i]!;
      acks.push(js.publish(names.rawInput(EXCHANGE, symbol), JSON.stringify(bar), { msgID: `${EXCHANGE}|${symbol}|1m|${bar.timestamp}` }));
    }
  await Promise.all(acks);
}

async function waitFor(test: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('NatsSource', () => {
  it('feeds a pipeline its partition’s raw bars and acknowledges them once stored', async () => {
    const names = natsNames('src1');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], raw: true });
    const { target, mine, bars } = market();
    await publishRaw(names, bars);
    const source = new NatsSource(nc, { names, partition: target, exchange: EXCHANGE });
    await source.start();
    try {
      // 3 symbols × 60 bars of this partition (the fourth symbol's bars are another partition's).
      await waitFor(() => source.unacknowledged === 180, 10_000);
      const clock = new ManualClock(T0 + 60 * MIN + 1000);
      const store = new MemoryStore();
      const pipeline = new Pipeline({
        primary: source,
        store: source.acknowledging(store),
        clock,
        start: T0,
        random: () => 0.5,
        config: { symbols: mine, timeframes: ['1m'] },
      });
      await pipeline.runOnce();
      await pipeline.stop();
      for (const symbol of mine)
        expect(store.range(symbol, '1m', T0, T0 + 60 * MIN).map(({ revision: _, ...bar }) => bar)).toEqual(bars.get(symbol));
      expect(source.unacknowledged).toBe(0);
      const jsm = await jetstreamManager(nc);
      await waitFor(async () => (await jsm.consumers.info(names.rawStream, source.consumer)).num_ack_pending === 0, 5000);
      expect((await jsm.consumers.info(names.rawStream, source.consumer)).num_pending).toBe(0);
    } finally {
      await source.stop();
    }
  });

  it('has at most maxAckPending bars delivered and not stored; the rest waits in the stream as num_pending', async () => {
    const names = natsNames('src2');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], raw: true });
    const { target, bars } = market();
    await publishRaw(names, bars);
    const source = new NatsSource(nc, { names, partition: target, exchange: EXCHANGE, maxAckPending: 50 });
    await source.start();
    try {
      await waitFor(() => source.unacknowledged === 50, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const info = await (await jetstreamManager(nc)).consumers.info(names.rawStream, source.consumer);
      expect(source.unacknowledged).toBe(50);
      expect(info.num_ack_pending).toBe(50);
      expect(info.num_pending).toBe(180 - 50);
    } finally {
      await source.stop();
    }
  });

  it('redelivers to the partition’s next owner what a dead owner received and never stored', async () => {
    const names = natsNames('src3');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], raw: true });
    const { target, mine, bars } = market();
    await publishRaw(names, bars);
    const first = new NatsSource(nc, { names, partition: target, exchange: EXCHANGE, ackWaitMs: 1000 });
    await first.start();
    await waitFor(() => first.unacknowledged === 180, 10_000);
    // Stores the first 10 minutes of one symbol, then dies.
    await first.acknowledging(new MemoryStore()).upsert(
      mine[0]!,
      '1m',
      bars
        .get(mine[0]!)!
        .slice(0, 10)
        .map((bar) => ({ ...bar, revision: 0 })),
    );
    await first.stop();
    const heir = new NatsSource(nc, { names, partition: target, exchange: EXCHANGE, ackWaitMs: 1000 });
    await heir.start();
    try {
      await waitFor(() => heir.unacknowledged === 170, 10_000);
      const rows = (await heir.fetchOhlcv({ symbol: mine[0]!, timeframe: '1m', since: T0 })) as Ohlcv[];
      expect(rows.map((row) => row.timestamp)).toEqual(
        bars
          .get(mine[0]!)!
          .slice(10)
          .map((bar) => bar.timestamp),
      );
    } finally {
      await heir.stop();
    }
  });
  it('leaves a correction of a stored bar unacknowledged until it is stored', async () => {
    const names = natsNames('src4');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], raw: true });
    const { target, mine, bars } = market();
    await publishRaw(names, bars);
    const source = new NatsSource(nc, { names, partition: target, exchange: EXCHANGE });
    await source.start();
    try {
      await waitFor(() => source.unacknowledged === 180, 10_000);
      const series = bars.get(mine[0]!)!;
      const store = source.acknowledging(new MemoryStore());
      await store.upsert(mine[0]!, '1m', revised(series.slice(0, 10)));
      expect(source.unacknowledged).toBe(170);
      // The gateway corrects the bar of 00:03 (another message id): only the buffered row changed, nothing stored it.
      const fixed = { ...series[3]!, close: series[3]!.close + 1, high: series[3]!.high + 1 };
      await jetstream(nc).publish(names.rawInput(EXCHANGE, mine[0]!), JSON.stringify(fixed), {
        msgID: `${EXCHANGE}|${mine[0]}|1m|${fixed.timestamp}|fix`,
      });
      await waitFor(
        async () => ((await source.fetchOhlcv({ symbol: mine[0]!, timeframe: '1m', since: T0 })) as Ohlcv[])[3]?.close === fixed.close,
        5000,
      );
      expect(source.unacknowledged).toBe(171);
      await store.upsert(mine[0]!, '1m', [{ ...fixed, revision: 1 }]);
      expect(source.unacknowledged).toBe(170);
    } finally {
      await source.stop();
    }
  });

  it('acknowledges only the messages that had arrived when the upsert began', async () => {
    const names = natsNames('src5');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], raw: true });
    const { target, mine, bars } = market();
    await publishRaw(names, bars);
    const source = new NatsSource(nc, { names, partition: target, exchange: EXCHANGE });
    await source.start();
    try {
      await waitFor(() => source.unacknowledged === 180, 10_000);
      const series = bars.get(mine[0]!)!;
      const memory = new MemoryStore();
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      // A store that takes a while to store.
      const slow: Store = {
        upsert: async (symbol, timeframe, rows) => {
          await gate;
          memory.upsert(symbol, timeframe, rows);
        },
        range: (symbol, timeframe, start, end) => memory.range(symbol, timeframe, start, end),
        last: (symbol, timeframe) => memory.last(symbol, timeframe),
        prune: (symbol, timeframe, before) => memory.prune(symbol, timeframe, before),
      };
      const upserting = source.acknowledging(slow).upsert(mine[0]!, '1m', revised(series.slice(0, 10)));
      // Meanwhile a correction of 00:05 arrives: the upsert in flight does not store it.
      const fixed = { ...series[5]!, close: series[5]!.close + 1, high: series[5]!.high + 1 };
      await jetstream(nc).publish(names.rawInput(EXCHANGE, mine[0]!), JSON.stringify(fixed), {
        msgID: `${EXCHANGE}|${mine[0]}|1m|${fixed.timestamp}|fix`,
      });
      await waitFor(
        async () => ((await source.fetchOhlcv({ symbol: mine[0]!, timeframe: '1m', since: T0 })) as Ohlcv[])[5]?.close === fixed.close,
        5000,
      );
      open();
      await upserting;
      // 180 received + 1 correction − the 10 messages the upsert covered.
      expect(source.unacknowledged).toBe(171);
    } finally {
      await source.stop();
    }
  });
});
