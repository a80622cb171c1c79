import { binance, pro } from 'ccxt';
import { afterAll, describe, expect, it } from 'vitest';
import { isSourceError, type Ohlcv } from 'market-data-pipeline';
import { generateOhlcv } from 'market-data-pipeline/testing';
import { BinanceTestServer } from '../binance-test-server/binance-test-server.js';
import { BinanceWsTestServer } from '../binance-test-server/binance-ws-test-server.js';
import { CcxtSource } from './ccxt-source.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const bars = generateOhlcv({ seed: 9, start: T0, count: 100, startPrice: 42_000, volatility: 0.0008, baseVolume: 3 }).bars;
const wire = (x: number): number => Number(x.toFixed(8));

let rest: BinanceTestServer | undefined;
let ws: BinanceWsTestServer | undefined;
const exchanges: InstanceType<typeof pro.binance>[] = [];

afterAll(async () => {
  await Promise.all(exchanges.map((e) => e.close()));
  await Promise.all([rest?.close(), ws?.close()]);
});

/** ccxt.pro's binance pointed at the local servers: markets from the REST one, streams from the websocket one. */
async function localBinancePro(): Promise<{ exchange: InstanceType<typeof pro.binance>; ws: BinanceWsTestServer }> {
  rest ??= await BinanceTestServer.start({ bars: { BTCUSDT: bars }, now: () => T0 + 50 * MIN });
  ws ??= await BinanceWsTestServer.start();
  const exchange = new pro.binance({ enableRateLimit: false, timeout: 2000, options: { fetchMarkets: { types: ['spot'] } } });
  const api = exchange.urls.api as Record<string, unknown>;
  // ccxt tells spot from futures streams by `/stream` in the URL, and appends `/<stream index>`.
  exchange.urls.api = { ...api, public: `${rest.url}/api/v3`, ws: { ...(api['ws'] as object), spot: `${ws.url}/stream/ws` } };
  // ccxt refuses plain ws:// URLs until its HTTP agent is loaded.
  await exchange.loadHttpProxyAgent();
  exchanges.push(exchange);
  return { exchange, ws };
}

function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('Expected the source to stream');
  return value;
}

async function until(check: () => boolean, withinMs = 5000): Promise<void> {
  const end = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** `promise`, or a rejection after `ms`: no await in these tests waits on ccxt without a deadline. */
async function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function collect(iterable: AsyncIterable<unknown>): { rows: unknown[]; done: Promise<unknown> } {
  const rows: unknown[] = [];
  const done = (async () => {
    try {
      for await (const row of iterable) rows.push(row);
      return undefined;
    } catch (error) {
      return error;
    }
  })();
  return { rows, done };
}

describe('CcxtSource streaming (ccxt.pro)', () => {
  it('has no subscribe when the exchange instance cannot watch (ccxt without .pro)', async () => {
    const polling = new CcxtSource({ exchange: new binance() });
    expect(polling.subscribe).toBeUndefined();
    expect(polling.subscribeTrades).toBeUndefined();
    const { exchange } = await localBinancePro();
    expect(new CcxtSource({ exchange }).subscribe).toBeTypeOf('function');
  });

  it('streams bars through watchOHLCV: a candle is closed once the next one opens, the newest forms', async () => {
    const { exchange, ws: server } = await localBinancePro();
    const now = T0 + 10 * MIN + 20_000;
    const source = new CcxtSource({ exchange, now: () => now });
    const stop = new AbortController();
    const got = collect(present(source.subscribe)({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => server.connections.some((c) => c.open && c.streams.has('btcusdt@kline_1m')));
    const b10 = bars[10] as Ohlcv;
    const b11 = bars[11] as Ohlcv;
    // Binance's kline stream: updates of 10:10 while it forms, its final update (x), then 10:11 opens.
    server.kline('BTCUSDT', '1m', { ...b10, close: b10.open, high: Math.max(b10.open, b10.low), volume: 1 }, false);
    await until(() => got.rows.length === 1);
    server.kline('BTCUSDT', '1m', b10, true);
    await until(() => got.rows.length === 2);
    server.kline('BTCUSDT', '1m', b11, false);
    await until(() => got.rows.length === 4);
    stop.abort();
    expect(await within(got.done)).toBeUndefined();
    // The finished stream unsubscribes (ccxt's unWatchOHLCV sends Binance's UNSUBSCRIBE) rather than staying subscribed.
    await until(() => !server.connections.some((c) => c.open && c.streams.has('btcusdt@kline_1m')));
    const view = (r: unknown): [number, number, number] => [(r as Ohlcv).timestamp, (r as Ohlcv).close, (r as Ohlcv).volume];
    expect(got.rows.map(view)).toEqual([
      [T0 + 10 * MIN, wire(b10.open), 1], // forming
      [T0 + 10 * MIN, wire(b10.close), wire(b10.volume)], // forming, final values
      [T0 + 10 * MIN, wire(b10.close), wire(b10.volume)], // closed: 10:11 opened
      [T0 + 11 * MIN, wire(b11.close), wire(b11.volume)], // forming
    ]);
  });

  it('streams trades through watchTrades, and fails with a SourceError when the connection drops', async () => {
    const { exchange, ws: server } = await localBinancePro();
    const source = new CcxtSource({ exchange });
    const got = collect(present(source.subscribeTrades)({ symbol: 'BTCUSD', since: T0 }));
    await until(() => server.connections.some((c) => c.open && c.streams.has('btcusdt@trade')));
    server.trade('BTCUSDT', { timestamp: T0 + 1500, price: 42_000.5, quantity: 0.25, side: 'sell', tradeId: 2 });
    await until(() => got.rows.length === 1);
    expect(got.rows).toEqual([
      expect.objectContaining({ timestamp: T0 + 1500, price: 42_000.5, quantity: 0.25, side: 'sell', tradeId: 2 }),
    ]);
    server.drop();
    const error = await within(got.done);
    expect(isSourceError(error)).toBe(true);
    expect((error as { kind: string }).kind).toBe('network');
  });
});
