import { binance } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINANCE_WEIGHT_LIMIT, isSourceError, Pipeline, type Alert, type Ohlcv, type SourceError } from 'market-data-pipeline';
import { generateOhlcv, generateTicks, ManualClock, MemorySink } from 'market-data-pipeline/testing';
import { BinanceTestServer, type BinanceFault } from '../binance-test-server/binance-test-server.js';
import { CcxtSource } from './ccxt-source.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const bars = generateOhlcv({ seed: 11, start: T0, count: 1600, startPrice: 3300, volatility: 0.001, baseVolume: 40 }).bars;
const trades = generateTicks({ seed: 5, start: T0, count: 40, startPrice: 3300, meanIntervalMs: 3000 });
const now = T0 + 1500 * MIN + 1500; // bar 1500 is forming
let serverClock = (): number => now;
let server: BinanceTestServer;

beforeAll(async () => {
  server = await BinanceTestServer.start({ bars: { BTCUSDT: bars }, trades: { BTCUSDT: trades }, now: () => serverClock() });
});

afterAll(async () => {
  await server.close();
});

/** A real ccxt binance instance whose public spot API is the local server. */
function localBinance(timeout = 2000): binance {
  // Only spot markets: loadMarkets then asks for /api/v3/exchangeInfo alone (not the futures APIs).
  const exchange = new binance({ enableRateLimit: false, timeout, options: { fetchMarkets: { types: ['spot'] } } });
  exchange.urls.api = { ...exchange.urls.api, public: `${server.url}/api/v3` };
  return exchange;
}

/** What a client reads from Binance: every value as an 8-decimal string. */
const r8 = (x: number): number => Number(x.toFixed(8));

function onTheWire(bar: Ohlcv): Ohlcv {
  return {
    timestamp: bar.timestamp,
    open: r8(bar.open),
    high: r8(bar.high),
    low: r8(bar.low),
    close: r8(bar.close),
    volume: r8(bar.volume),
  };
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSourceError(error)) throw new Error(`Expected a SourceError, got ${String(error)}`);
  return error;
}

describe('CcxtSource', () => {
  it('feeds a Pipeline from ccxt.binance: the bars the server holds reach the sink, 5m bars built from them', async () => {
    const clock = new ManualClock(now);
    const sink = new MemorySink();
    const before = server.requests.length;
    const pipeline = new Pipeline({
      primary: new CcxtSource({ exchange: localBinance(), requestWeight: 2 }),
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m', '5m'], rateLimit: BINANCE_WEIGHT_LIMIT },
    });
    await pipeline.runOnce();
    await pipeline.flush();

    const m1 = sink
      .bars('BTCUSD', '1m')
      .map((b) => ({ timestamp: b.timestamp, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume }));
    expect(m1).toEqual(bars.slice(0, 1500).map(onTheWire));
    // The first 5m bar by hand: open of the first minute, close of the fifth, extremes and volume over the five.
    const five = bars.slice(0, 5).map(onTheWire);
    const m5 = sink.bars('BTCUSD', '5m');
    expect(m5).toHaveLength(300);
    expect(m5[0]).toMatchObject({
      timestamp: T0,
      open: five[0]!.open,
      close: five[4]!.close,
      high: Math.max(...five.map((b) => b.high)),
      low: Math.min(...five.map((b) => b.low)),
    });
    expect(m5[0]!.volume).toBeCloseTo(
      five.reduce((s, b) => s + b.volume, 0),
      6,
    );

    // ccxt loaded the markets once, then paged klines 1000 at a time from the pipeline's start.
    const seen = server.requests.slice(before);
    expect(seen.map((r) => r.path)).toEqual(['/api/v3/exchangeInfo', '/api/v3/klines', '/api/v3/klines']);
    expect(seen.slice(1).map((r) => r.params)).toEqual(
      [0, 1000].map((i) => ({ symbol: 'BTCUSDT', interval: '1m', startTime: String(T0 + i * MIN), limit: '1000' })),
    );
  });

  it('reads trades and order books through ccxt', async () => {
    const source = new CcxtSource({ exchange: localBinance(), now: () => now });
    // ccxt asks /api/v3/aggTrades for an hour from `since`; every served trade is in it.
    const got = await source.fetchTrades({ symbol: 'BTCUSD', since: T0, limit: 100 });
    expect(got).toEqual(trades.map((t) => ({ ...t, price: r8(t.price), quantity: r8(t.quantity) })));
    // By id: ccxt passes `fromId` on to /api/v3/aggTrades, which answers from that id on.
    const byId = await source.fetchTrades({ symbol: 'BTCUSD', fromId: trades[3]!.tradeId, limit: 2 });
    expect(byId.map((t) => (t as { tradeId: number }).tradeId)).toEqual(trades.slice(3, 5).map((t) => t.tradeId));
    const book = await source.fetchOrderBook({ symbol: 'BTCUSD', depth: 5 });
    expect(book).toMatchObject({ timestamp: now, depthLevels: 5 });
    expect(book.bids.map((l) => l.quantity)).toEqual([1, 2, 3, 4, 5]);
    expect(book.bids[0]!.price).toBeCloseTo(r8(bars[1500]!.close) * (1 - 1e-4), 6);
  });

  it("maps ccxt's errors to SourceError kinds", async () => {
    const source = new CcxtSource({ exchange: localBinance() });
    const request = { symbol: 'BTCUSD', timeframe: '1m', since: T0, limit: 5 } as const;
    await source.fetchOhlcv(request); // markets loaded before the faults start
    const faulty = async (fault: BinanceFault, call: () => Promise<unknown> = () => source.fetchOhlcv(request)): Promise<SourceError> => {
      server.setFaults([{ ...fault, times: 1 }]);
      try {
        return await failure(call());
      } finally {
        server.setFaults([]);
      }
    };

    // Binance's 429 and 418 both reach us as ccxt's DDoSProtection; Retry-After comes from the headers.
    expect(await faulty({ kind: 'rate_limited', retryAfterSeconds: 7 })).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 7000,
      usedWeight: expect.any(Number) as number,
    });
    expect(await faulty({ kind: 'banned', retryAfterSeconds: 120 })).toMatchObject({ kind: 'banned', status: 418, retryAfterMs: 120_000 });
    // A 5xx with Binance's -1001 body (OperationFailed), and a bare 503 (ExchangeNotAvailable).
    expect(await faulty({ kind: 'server_error', status: 502 })).toMatchObject({ kind: 'server_error' });
    expect(await faulty({ kind: 'outage' })).toMatchObject({ kind: 'network', usedWeight: undefined });
    expect(await faulty({ kind: 'bad_json' })).toMatchObject({ kind: 'bad_data' });
    expect(await faulty({ kind: 'bad_json' }, () => source.fetchTrades({ symbol: 'BTCUSD' }))).toMatchObject({ kind: 'bad_data' });
    expect(await faulty({ kind: 'bad_json' }, () => source.fetchOrderBook({ symbol: 'BTCUSD' }))).toMatchObject({ kind: 'bad_data' });
    const cause = (await faulty({ kind: 'server_error', status: 503 })).cause;
    expect(cause).toBeInstanceOf(Error);

    // A server that never answers: ccxt's own timeout (short here).
    const impatient = new CcxtSource({ exchange: localBinance(200) });
    await impatient.fetchOhlcv(request);
    expect(await faulty({ kind: 'hang' }, () => impatient.fetchOhlcv(request))).toMatchObject({ kind: 'timeout' });

    // A market the exchange does not list: ccxt's BadSymbol, an ExchangeError.
    expect(await failure(source.fetchOhlcv({ ...request, symbol: 'ETHUSD' }))).toMatchObject({ kind: 'bad_data' });

    // The caller's abort: rejects at once with the signal's reason (ccxt itself takes no signal).
    server.setFaults([{ kind: 'hang', times: 1 }]);
    const controller = new AbortController();
    const reason = new Error('stop');
    // Abort once the server holds the request (so no late request wanders into a later test).
    const held = server.requests.length;
    void (async () => {
      while (!server.requests.slice(held).some((r) => r.fault === 'hang')) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(reason);
    })();
    await expect(source.fetchOhlcv({ ...request, signal: controller.signal })).rejects.toBe(reason);
    server.setFaults([]);
  });

  it('turns a 429 into a rate-limit backoff of the pipeline', async () => {
    const clock = new ManualClock(T0 + 1500 * MIN + 45_000);
    serverClock = () => clock.now();
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: new CcxtSource({ exchange: localBinance(), requestWeight: 2 }),
      sinks: [sink],
      clock,
      start: T0 + 1400 * MIN,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], rateLimit: BINANCE_WEIGHT_LIMIT },
    });
    const alerts: Alert[] = [];
    const errors: unknown[] = [];
    pipeline.on('alert', (a) => alerts.push(a));
    pipeline.on('error', (e) => errors.push(e.error));
    server.setFaults([{ kind: 'rate_limited', path: '/api/v3/klines', times: 1 }]);
    await pipeline.runOnce();
    // At hh:mm:45 the server asks for the 15 s left in its minute.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'rate_limited', retryAfterMs: 15_000, source: 'binance' });
    expect(alerts.map((a) => a.type)).toContain('rate_limit');

    // Until the 15 s are over a cycle sends nothing (it does not wait inside the limiter); then it asks.
    const count = server.requests.length;
    await clock.advance(14_999);
    await pipeline.runOnce();
    expect(server.requests).toHaveLength(count);
    await clock.advance(1);
    await pipeline.runOnce();
    expect(server.requests.at(-1)).toMatchObject({ path: '/api/v3/klines', status: 200 });
    await pipeline.flush();
    // From the start (bar 1400) to the last bar closed at hh:01 (bar 1500): none lost.
    expect(sink.bars('BTCUSD', '1m').map((b) => b.timestamp)).toEqual(Array.from({ length: 101 }, (_, i) => T0 + (1400 + i) * MIN));
  });
});
