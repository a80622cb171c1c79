import { Pipeline, type RevisedBar } from 'market-data-pipeline';
import { ManualClock, SimulatedSource } from 'market-data-pipeline/testing';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarBook } from './bar-book.js';
import { ensureNatsLayout } from './ensure-nats-layout.js';
import { natsNames } from './nats-names.js';
import { NatsSink } from './nats-sink.js';
import { NatsStore } from './nats-store.js';
import { startNatsServer, type NatsServer } from './start-nats-server.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);
const NS_PER_MS = 1_000_000;

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url, timeout: 5000 });
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

function bar(timestamp: number, price: number, revision: number): RevisedBar {
  return { timestamp, open: price, high: price + 1, low: price - 1, close: price, volume: 10, revision };
}

const signal = (): AbortSignal => new AbortController().signal;

describe('nats-server restart', () => {
  it('loses nothing that was acknowledged when the server is SIGKILLed and restarted on its store directory', async () => {
    const first = await startNatsServer();
    let second: NatsServer | undefined;
    const client = await connect({ servers: first.url, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    try {
      const names = natsNames('restart');
      await ensureNatsLayout(client, names, { timeframes: ['1m'] });
      const sink = new NatsSink(client, { names });
      const acknowledged = Array.from({ length: 200 }, (_, i) => bar(T0 + i * MIN, 100 + i, 0));
      for (let i = 0; i < 200; i += 50)
        await sink.writeMany([{ kind: 'bars', symbol: 'BRK.B', timeframe: '1m', bars: acknowledged.slice(i, i + 50) }], {
          signal: signal(),
        });
      await first.kill();
      // While the server is down a write fails (the pipeline would retry it); it is not acknowledged.
      const late = bar(T0 + 200 * MIN, 300, 0);
      const started = Date.now();
      await expect(
        sink.writeMany([{ kind: 'bars', symbol: 'BRK.B', timeframe: '1m', bars: [late] }], { signal: signal() }),
      ).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(15_000);
      second = await startNatsServer({ storeDir: first.storeDir, port: first.port });
      // The client reconnects by itself; the retried write now lands.
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          await sink.writeMany([{ kind: 'bars', symbol: 'BRK.B', timeframe: '1m', bars: [late] }], { signal: signal() });
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      const stored = await new NatsStore(client, { names }).range('BRK.B', '1m', T0, T0 + 201 * MIN);
      expect(stored).toEqual([...acknowledged, late]);
      const info = await (await jetstreamManager(client)).streams.info(names.barStream('1m'));
      expect(info.state.messages).toBe(201);
    } finally {
      await client.close();
      await second?.stop();
      await first.stop();
    }
  }, 60_000);
});

describe('slow consumer', () => {
  it('does not hold the workers up: publishing goes on while an agent sits on unacknowledged bars; its lag is num_pending', async () => {
    const names = natsNames('slow');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'] });
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(names.barStream('1m'), {
      durable_name: 'slow-agent',
      ack_policy: AckPolicy.Explicit,
      max_ack_pending: 10,
      ack_wait: 60_000 * NS_PER_MS,
    });
    const slow = await jetstream(nc).consumers.get(names.barStream('1m'), 'slow-agent');
    const symbols = Array.from({ length: 24 }, (_, i) => `S${i}USD`);
    const clock = new ManualClock(T0 + 60 * MIN + 1000);
    const primary = new SimulatedSource({ clock, symbols, generate: { start: T0, count: 60 } });
    const pipeline = new Pipeline({
      primary,
      sinks: [new NatsSink(nc, { names })],
      clock,
      start: T0,
      random: () => 0.5,
      config: { symbols, timeframes: ['1m'] },
    });
    const deadLetters: unknown[] = [];
    pipeline.on('deadLetter', (letter) => deadLetters.push(letter));
    // The agent takes its 10 and never acknowledges them.
    const held = await slow.fetch({ max_messages: 10, expires: 2000 });
    const first: number[] = [];
    const reading = (async () => {
      for await (const message of held) first.push(message.seq);
    })();
    const started = Date.now();
    await pipeline.runOnce();
    await pipeline.flush();
    await pipeline.stop();
    const elapsed = Date.now() - started;
    await reading;
    // 24 symbols × 60 closed 1m bars, all acknowledged by the server, none dead-lettered.
    expect((await jsm.streams.info(names.barStream('1m'))).state.messages).toBe(24 * 60);
    expect(deadLetters).toEqual([]);
    expect(elapsed).toBeLessThan(30_000);
    const info = await jsm.consumers.info(names.barStream('1m'), 'slow-agent');
    // The agent did get its 10 (else the checks below would pass vacuously).
    expect(first.length).toBe(10);
    expect(info.num_ack_pending).toBe(first.length);
    expect(info.num_pending).toBe(24 * 60 - first.length);
  }, 60_000);
});

describe('out-of-order redelivery', () => {
  it('never lets a lower revision overwrite a higher one at a consumer keeping the highest', async () => {
    const names = natsNames('order');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'] });
    const store = new NatsStore(nc, { names });
    await store.upsert('BTCUSD', '1m', [bar(T0, 100, 0)]);
    await store.upsert('BTCUSD', '1m', [bar(T0, 101, 1)]);
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(names.barStream('1m'), { durable_name: 'agent', ack_policy: AckPolicy.Explicit, ack_wait: 1000 * NS_PER_MS });
    const consumer = await jetstream(nc).consumers.get(names.barStream('1m'), 'agent');
    const book = new BarBook();
    const outcomes: string[] = [];
    // Revision 0 arrives first; the agent fails on it (nak, redelivered later); revision 1 is
    // processed; then revision 0 comes back.
    const firstTry = await consumer.next({ expires: 2000 });
    expect(firstTry?.json<RevisedBar>().revision).toBe(0);
    firstTry?.nak(300);
    const deadline = Date.now() + 10_000;
    while (outcomes.length < 2 && Date.now() < deadline) {
      const message = await consumer.next({ expires: 2000 });
      if (message === null) continue;
      outcomes.push(
        `${message.json<RevisedBar>().revision}:${message.redelivered ? 'redelivered' : 'first'}:${book.offer('BTCUSD', '1m', message.json<RevisedBar>())}`,
      );
      message.ack();
    }
    expect(outcomes).toEqual(['1:first:new', '0:redelivered:stale']);
    expect(book.get('BTCUSD', '1m', T0)).toEqual(bar(T0, 101, 1));
  }, 30_000);

  it('ends with the highest revision whatever the delivery order, repeats included', () => {
    const deliveries = [bar(T0, 100, 0), bar(T0, 101, 1), bar(T0, 102, 2), bar(T0, 101, 1)];
    const orders: number[][] = [];
    const permute = (rest: number[], done: number[]): void => {
      if (rest.length === 0) orders.push(done);
      rest.forEach((i) =>
        permute(
          rest.filter((j) => j !== i),
          [...done, i],
        ),
      );
    };
    permute([0, 1, 2, 3], []);
    expect(orders).toHaveLength(24);
    for (const order of orders) {
      const book = new BarBook();
      for (const i of order) book.offer('BTCUSD', '1m', deliveries[i]!);
      expect(book.get('BTCUSD', '1m', T0)).toEqual(bar(T0, 102, 2));
      expect(book.size).toBe(1);
    }
  });
});
