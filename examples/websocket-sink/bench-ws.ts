/**
 * `npm run bench:ws`: the websocket source and sink on this machine, over loopback.
 *
 * 1. **Source → pipeline.** The local Binance stream server sends `KLINES` closed 1m klines as
 *    fast as it can; `BinanceWsSource.subscribe` feeds them to a `Pipeline` (one symbol, 1m
 *    only, memory store). Measured: klines per second from the first send to the last bar
 *    stored; and, for scale, the source alone (klines read from `subscribe`, no pipeline).
 * 2. **Sink fan-out.** `WebSocketSink` with `CLIENTS` connected clients (in this process, each
 *    parsing its frames); `FRAMES` bars frames written at `RATE` frames/s. Measured: delivery
 *    latency per frame and client (write → client's `message` event), p50 and p99.
 *
 * @module
 */
import WebSocket from 'ws';
import { MemoryStore, Pipeline, type Ohlcv, type Source } from 'market-data-pipeline';
import { generateOhlcv, ManualClock } from 'market-data-pipeline/testing';
import { BinanceWsTestServer } from '../binance-test-server/binance-ws-test-server.js';
import { BinanceWsSource } from '../binance-ws-source/binance-ws-source.js';
import { WebSocketSink } from './websocket-sink.js';

const KLINES = 20_000;
const CLIENTS = 100;
const FRAMES = 1000;
const RATE = 200;
const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1);

const bars: Ohlcv[] = generateOhlcv({ seed: 1, start: T0, count: KLINES + 1, startPrice: 42_000, volatility: 0.0008, baseVolume: 3 }).bars;

async function until(check: () => boolean, withinMs: number, what: string): Promise<void> {
  const end = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Klines per second read from `subscribe`, without a pipeline. */
async function sourceAlone(server: BinanceWsTestServer): Promise<number> {
  const ws = new BinanceWsSource({ baseUrl: server.url, now: () => T0 + (KLINES + 10) * MIN });
  const stop = new AbortController();
  let count = 0;
  const reading = (async () => {
    for await (const _ of ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal })) count++;
  })();
  try {
    await until(() => server.openConnections === 1, 5000, 'connect');
    const started = performance.now();
    for (let i = 1; i <= KLINES; i++) server.kline('BTCUSDT', '1m', bars[i] as Ohlcv, true);
    await until(() => count === KLINES, 60_000, 'all klines read');
    const seconds = (performance.now() - started) / 1000;
    stop.abort();
    await reading;
    return KLINES / seconds;
  } finally {
    // Whatever threw, the source is closed (and the stream with it).
    stop.abort();
    ws.close();
    await until(() => server.openConnections === 0, 5000, 'disconnect');
  }
}

/** Klines per second from the first send to the last bar stored by a pipeline. */
async function intoPipeline(server: BinanceWsTestServer): Promise<number> {
  const clock = new ManualClock(T0 + (KLINES + 10) * MIN);
  const ws = new BinanceWsSource({ baseUrl: server.url, now: () => clock.now() });
  // The REST side knows only the first bar: every later one comes by stream.
  const primary: Source = {
    name: 'exchange_api',
    fetchOhlcv: () => Promise.resolve([bars[0]]),
    subscribe: (request) => ws.subscribe(request),
  };
  const store = new MemoryStore();
  const pipeline = new Pipeline({ primary, store, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
  pipeline.start();
  try {
    await until(() => server.openConnections === 1 && store.last('BTCUSD', '1m') !== undefined, 10_000, 'pipeline started');
    const started = performance.now();
    for (let i = 1; i <= KLINES; i++) server.kline('BTCUSDT', '1m', bars[i] as Ohlcv, true);
    await until(() => store.last('BTCUSD', '1m')?.timestamp === T0 + KLINES * MIN, 120_000, 'all bars stored');
    return KLINES / ((performance.now() - started) / 1000);
  } finally {
    await pipeline.stop();
    ws.close();
  }
}

/** p50 and p99 of write → receive, ms, over every frame and client. */
async function fanOut(): Promise<{ p50: number; p99: number; deliveries: number }> {
  const sink = await WebSocketSink.start({ token: 'bench', maxBufferedBytes: 16 * 1024 * 1024 });
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const clients: WebSocket[] = [];
  try {
    const connected = await Promise.allSettled(
      Array.from(
        { length: CLIENTS },
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const socket = new WebSocket(`${sink.url}/?kinds=bars`, { headers: { Authorization: 'Bearer bench' } });
            socket.on('message', (data: Buffer) => {
              const at = performance.now();
              const frame = JSON.parse(data.toString('utf8')) as { type: string; rev: number };
              const sent = sentAt.get(frame.rev);
              if (frame.type === 'bars' && sent !== undefined) latencies.push(at - sent);
            });
            clients.push(socket);
            socket.once('open', () => resolve(socket));
            socket.once('error', reject);
          }),
      ),
    );
    const refused = connected.find((c) => c.status === 'rejected');
    if (refused !== undefined) throw refused.reason;
    const interval = 1000 / RATE;
    const started = performance.now();
    for (let i = 0; i < FRAMES; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sentAt.set(sink.rev + 1, performance.now());
      await sink.write({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [{ ...(bars[i] as Ohlcv), revision: 0 }] });
    }
    await until(() => latencies.length === FRAMES * CLIENTS, 60_000, 'all frames delivered');
    const sorted = [...latencies].sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), deliveries: sorted.length };
  } finally {
    for (const c of clients) c.terminate();
    await sink.close();
  }
}

const server = await BinanceWsTestServer.start();
try {
  const alone = await sourceAlone(server);
  const piped = await intoPipeline(server);
  console.log(`websocket source, ${KLINES} closed 1m klines over loopback:`);
  console.log(`  source alone (subscribe):         ${Math.round(alone).toLocaleString('en-US')} klines/s`);
  console.log(`  into a Pipeline (stored bars):    ${Math.round(piped).toLocaleString('en-US')} klines/s`);
} finally {
  await server.close();
}
const { p50, p99, deliveries } = await fanOut();
console.log(
  `websocket sink fan-out, ${CLIENTS} clients, ${FRAMES} bars frames at ${RATE}/s (${deliveries.toLocaleString('en-US')} deliveries):`,
);
console.log(`  delivery latency p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
