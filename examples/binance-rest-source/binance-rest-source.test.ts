import { afterAll, describe, expect, it } from 'vitest';
import { BINANCE_WEIGHT_LIMIT, isSourceError, Pipeline, type Alert, type Ohlcv, type SourceError } from 'market-data-pipeline';
import { generateOhlcv, generateTicks, ManualClock, MemorySink } from 'market-data-pipeline/testing';
import { BinanceTestServer, type BinanceFault, type BinanceTestServerOptions } from '../binance-test-server/binance-test-server.js';
import { BinanceRestSource } from './binance-rest-source.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const servers: BinanceTestServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(options: BinanceTestServerOptions): Promise<BinanceTestServer> {
  const server = await BinanceTestServer.start(options);
  servers.push(server);
  return server;
}

/** What a client reads from Binance: every value as an 8-decimal string. */
function onTheWire(bar: Ohlcv): Pick<Ohlcv, 'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume'> {
  const r = (x: number): number => Number(x.toFixed(8));
  return { timestamp: bar.timestamp, open: r(bar.open), high: r(bar.high), low: r(bar.low), close: r(bar.close), volume: r(bar.volume) };
}

function market(count: number): Ohlcv[] {
  return generateOhlcv({ seed: 7, start: T0, count, startPrice: 42_000, volatility: 0.0008, baseVolume: 3 }).bars;
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSourceError(error)) throw new Error(`Expected a SourceError, got ${String(error)}`);
  return error;
}

describe('BinanceRestSource', () => {
  it('delivers the bars the server holds, paging through /api/v3/klines 1000 at a time', async () => {
    const bars = market(2600);
    const clock = new ManualClock(T0 + 2500 * MIN + 1500); // bar 2500 is forming
    const server = await serve({ bars: { BTCUSDT: bars }, now: () => clock.now() });
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: new BinanceRestSource({ baseUrl: server.url }),
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], rateLimit: BINANCE_WEIGHT_LIMIT },
    });
    await pipeline.runOnce();
    await pipeline.flush();

    const got = sink
      .bars('BTCUSD', '1m')
      .map((b) => ({ timestamp: b.timestamp, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume }));
    // The 2500 closed bars, exactly as they left the server; not the forming one.
    expect(got).toEqual(bars.slice(0, 2500).map(onTheWire));
    // BTCUSD is Binance's BTCUSDT; 2500 bars take three pages of at most 1000.
    const klines = server.requests.filter((r) => r.path === '/api/v3/klines');
    expect(klines.map((r) => r.params)).toEqual(
      [0, 1000, 2000].map((i) => ({ symbol: 'BTCUSDT', interval: '1m', startTime: String(T0 + i * MIN), limit: '1000' })),
    );
  });

  it('reads trades and order books, and reports the used weight Binance counts for each klines request', async () => {
    const bars = market(100);
    const trades = generateTicks({ seed: 3, start: T0, count: 50, startPrice: 42_000, meanIntervalMs: 2000 });
    const now = T0 + 90 * MIN + 5000;
    const server = await serve({ bars: { BTCUSDT: bars }, trades: { BTCUSDT: trades }, now: () => now });
    const source = new BinanceRestSource({ baseUrl: server.url, now: () => now });

    // Binance: klines weigh 2 (limit up to 1000); the header counts the clock minute's total.
    const first = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', limit: 3 });
    const second = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: T0, limit: 2 });
    expect(first.usedWeight).toBe(2);
    expect(second.usedWeight).toBe(4);
    // Without `since`: the newest bars, the forming one (opened at 01:30) last.
    expect(first.rows.map((r) => (r as Ohlcv).timestamp)).toEqual([88, 89, 90].map((i) => T0 + i * MIN));
    expect(second.rows).toEqual(
      bars.slice(0, 2).map((b) => ({
        ...onTheWire(b),
        quoteVolume: expect.any(Number) as number,
        trades: expect.any(Number) as number,
        takerBuyVolume: expect.any(Number) as number,
      })),
    );

    const got = await source.fetchTrades({ symbol: 'BTCUSD', limit: 10 });
    const r = (x: number): number => Number(x.toFixed(8));
    expect(got).toEqual(trades.slice(-10).map((t) => ({ ...t, price: r(t.price), quantity: r(t.quantity) })));
    expect(await source.fetchTrades({ symbol: 'BTCUSD', since: trades[45]!.timestamp })).toHaveLength(5);
    // By id (historicalTrades): trades from id `fromId` on, oldest first.
    const byId = await source.fetchTrades({ symbol: 'BTCUSD', fromId: trades[10]!.tradeId, limit: 3 });
    expect(byId.map((t) => t.tradeId)).toEqual(trades.slice(10, 13).map((t) => t.tradeId));

    const book = await source.fetchOrderBook({ symbol: 'BTCUSD', depth: 5 });
    expect(book.timestamp).toBe(now);
    expect(book.depthLevels).toBe(5);
    expect(book.bids).toHaveLength(5);
    // The server's book sits one basis point either side of the last close.
    const last = onTheWire(bars[90]!).close;
    expect(book.bids[0]!.price).toBeCloseTo(last * (1 - 1e-4), 6);
    expect(book.asks[0]!.price).toBeCloseTo(last * (1 + 1e-4), 6);
  });

  it('maps HTTP 429, 418, 5xx, resets, hangs and bad JSON to SourceError kinds', async () => {
    const now = T0 + 30 * MIN + 15_000;
    const server = await serve({ bars: { BTCUSDT: market(60) }, now: () => now });
    const source = new BinanceRestSource({ baseUrl: server.url });
    const request = { symbol: 'BTCUSD', timeframe: '1m', limit: 5 } as const;
    const faulty = async (fault: BinanceFault): Promise<SourceError> => {
      server.setFaults([{ ...fault, times: 1 }]);
      return failure(source.fetchOhlcv(request));
    };

    expect(await faulty({ kind: 'rate_limited', retryAfterSeconds: 7 })).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 7000,
      usedWeight: 2,
    });
    // Without its own Retry-After the server says "until the next minute": 45 s from :15.
    expect(await faulty({ kind: 'rate_limited' })).toMatchObject({ kind: 'rate_limited', retryAfterMs: 45_000 });
    expect(await faulty({ kind: 'banned', retryAfterSeconds: 120 })).toMatchObject({ kind: 'banned', status: 418, retryAfterMs: 120_000 });
    expect(await faulty({ kind: 'server_error', status: 503 })).toMatchObject({ kind: 'server_error', status: 503 });
    expect(await faulty({ kind: 'server_error' })).toMatchObject({ kind: 'server_error', status: 500 });
    expect(await faulty({ kind: 'outage' })).toMatchObject({ kind: 'network', status: undefined });
    expect(await faulty({ kind: 'bad_json' })).toMatchObject({ kind: 'bad_data', status: 200 });

    // A server that never answers: the source's own timeout (short here, 10 s by default).
    server.setFaults([{ kind: 'hang', times: 1 }]);
    expect(await failure(new BinanceRestSource({ baseUrl: server.url, timeoutMs: 200 }).fetchOhlcv(request))).toMatchObject({
      kind: 'timeout',
    });

    // An unknown symbol is Binance's 400 -1121: answered, but not with data.
    server.setFaults([]);
    const unknown = await failure(source.fetchOhlcv({ ...request, symbol: 'NOPEUSD' }));
    expect(unknown).toMatchObject({ kind: 'bad_data', status: 400 });
    expect(unknown.message).toContain('Invalid symbol');

    // The caller's abort wins over everything: the request rejects with the signal's reason.
    server.setFaults([{ kind: 'hang', times: 1 }]);
    const controller = new AbortController();
    const reason = new Error('stop');
    // Abort once the server holds the request (so no late request wanders into a later test).
    const held = server.requests.length;
    void (async () => {
      while (!server.requests.slice(held).some((r) => r.fault === 'hang')) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(reason);
    })();
    await expect(new BinanceRestSource({ baseUrl: server.url }).fetchOhlcv({ ...request, signal: controller.signal })).rejects.toBe(reason);

    // Nobody listening at all.
    const gone = await BinanceTestServer.start({ bars: {} });
    await gone.close();
    expect(await failure(new BinanceRestSource({ baseUrl: gone.url }).fetchOhlcv(request))).toMatchObject({ kind: 'network' });
  });

  it('waits out a 429’s Retry-After before asking Binance again, and no longer', async () => {
    const clock = new ManualClock(T0 + 100 * MIN + 1000);
    const server = await serve({ bars: { BTCUSDT: market(300) }, now: () => clock.now() });
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: new BinanceRestSource({ baseUrl: server.url }),
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], rateLimit: BINANCE_WEIGHT_LIMIT },
    });
    const alerts: Alert[] = [];
    const errors: unknown[] = [];
    pipeline.on('alert', (a) => alerts.push(a));
    pipeline.on('error', (e) => errors.push(e.error));
    await pipeline.runOnce();

    // At 01:41:01, 1 s after the 01:40 bar closed, the server answers 429 with Retry-After: 15.
    // A 429 is a back-off, not an outage: no failover.
    server.setFaults([{ kind: 'rate_limited', path: '/api/v3/klines', times: 1, retryAfterSeconds: 15 }]);
    await clock.advance(MIN);
    await pipeline.runOnce();
    const limited = server.requests.at(-1)!;
    expect(limited).toMatchObject({ status: 429, at: T0 + 101 * MIN + 1000 });
    expect(errors.at(-1)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 15_000 });
    expect(alerts.filter((a) => a.type === 'rate_limit')).toHaveLength(1);

    // The rate limiter refuses until 01:41:16: a cycle before then does not wait inside it (it
    // skips the symbol, scheduled for then) and nothing reaches the server; one at 01:41:16 asks,
    // 14 s before the bar would be stale.
    const count = server.requests.length;
    await clock.advance(14_999);
    await pipeline.runOnce();
    expect(server.requests).toHaveLength(count);
    await clock.advance(1);
    await pipeline.runOnce();
    expect(server.requests).toHaveLength(count + 1);
    expect(server.requests.at(-1)).toMatchObject({ status: 200, at: T0 + 101 * MIN + 16_000 });

    await pipeline.flush();
    // Nothing was lost: every closed bar up to 01:40 is at the sink.
    expect(sink.bars('BTCUSD', '1m').map((b) => b.timestamp)).toEqual(Array.from({ length: 101 }, (_, i) => T0 + i * MIN));
  });

  it('fails over to a backup during an outage of the primary, loses no bar, and switches back', async () => {
    const bars = market(400);
    const clock = new ManualClock(T0 + 10 * MIN + 1000);
    const primaryServer = await serve({ bars: { BTCUSDT: bars }, now: () => clock.now() });
    const backupServer = await serve({ bars: { BTCUSDT: bars }, now: () => clock.now() });
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: new BinanceRestSource({ baseUrl: primaryServer.url }),
      backup: new BinanceRestSource({ name: 'data_provider', baseUrl: backupServer.url }),
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m', '5m'], rateLimit: BINANCE_WEIGHT_LIMIT },
    });
    const states: string[] = [];
    const alerts: Alert[] = [];
    pipeline.on('failover', (e) => states.push(e.to));
    pipeline.on('alert', (a) => alerts.push(a));
    await pipeline.runOnce();

    // The primary's host drops every connection for three minutes.
    const outageEnd = clock.now() + 3 * MIN;
    primaryServer.setFaults([{ kind: 'outage', from: clock.now(), to: outageEnd }]);
    // The specification's protocol: 3 errors detect it, retry after 5 s, fail over 10 s later.
    for (let i = 0; i < 3; i++) {
      await clock.advance(1000);
      await pipeline.runOnce();
    }
    expect(states.at(-1)).toBe('detected');
    await clock.advance(5000);
    await pipeline.runOnce();
    await clock.advance(10_000);
    await pipeline.runOnce();
    expect(states).toContain('on_backup');
    expect(alerts.map((a) => [a.type, a.affected.source])).toContainEqual(['failover', 'exchange_api']);
    const served = backupServer.requests.filter((r) => r.status === 200).length;
    expect(served).toBeGreaterThan(0);

    // Back online after the outage; 60 s of good answers and the feed switches back.
    while (clock.now() < outageEnd + 2 * MIN && states.at(-1) !== 'healthy') {
      await clock.advance(30_000);
      await pipeline.runOnce();
    }
    expect(states.at(-1)).toBe('healthy');
    expect(primaryServer.requests.map((r) => r.fault)).toContain('outage');
    expect(primaryServer.requests.at(-1)).toMatchObject({ status: 200 });

    await pipeline.flush();
    const closedEnd = Math.floor(clock.now() / MIN) * MIN;
    const m1 = sink.bars('BTCUSD', '1m');
    // Every bar of the market up to now, real (never filled), each delivered once.
    expect(m1.map((b) => b.timestamp)).toEqual(Array.from({ length: (closedEnd - T0) / MIN }, (_, i) => T0 + i * MIN));
    expect(m1.filter((b) => !(b.flag === undefined && b.revision === 0))).toEqual([]);
    expect(m1.map((b) => b.close)).toEqual(bars.slice(0, m1.length).map((b) => onTheWire(b).close));
    expect(sink.duplicates()).toEqual([]);
  });
});
