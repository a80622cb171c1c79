import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isSourceError, MemoryStore, Pipeline, type Ohlcv, type SourceError } from 'market-data-pipeline';
import { generateOhlcv, ManualClock } from 'market-data-pipeline/testing';
import { BinanceTestServer } from '../binance-test-server/binance-test-server.js';
import { BinanceWsTestServer, type BinanceWsTestServerOptions } from '../binance-test-server/binance-ws-test-server.js';
import { BinanceRestSource } from '../binance-rest-source/binance-rest-source.js';
import { BinanceWsSource, type BinanceWsEvent, type BinanceWsSourceOptions } from './binance-ws-source.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
/** Fast reconnects for tests: `retryDelay` with a 20 ms base, capped at 100 ms. */
const RETRY = { baseMs: 20, factor: 2, maxMs: 100 };
const servers: { close: () => Promise<void> }[] = [];
const sources: BinanceWsSource[] = [];

afterEach(() => {
  for (const s of sources.splice(0)) s.close();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(options: BinanceWsTestServerOptions = {}): Promise<BinanceWsTestServer> {
  const server = await BinanceWsTestServer.start(options);
  servers.push(server);
  return server;
}

function source(server: BinanceWsTestServer, options: BinanceWsSourceOptions = {}): { ws: BinanceWsSource; events: BinanceWsEvent[] } {
  const events: BinanceWsEvent[] = [];
  const ws = new BinanceWsSource({ baseUrl: server.url, retry: RETRY, connectTimeoutMs: 2000, onEvent: (e) => events.push(e), ...options });
  sources.push(ws);
  return { ws, events };
}

const bars = generateOhlcv({ seed: 11, start: T0, count: 400, startPrice: 42_000, volatility: 0.0008, baseVolume: 3 }).bars;

/** What a client reads from Binance: every value as an 8-decimal string. */
const wire = (x: number): number => Number(x.toFixed(8));

/** Resolves when `check` holds, polling every 5 ms; fails after `withinMs`. */
async function until(check: () => boolean, withinMs = 3000): Promise<void> {
  const end = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Reads `iterable` into an array in the background until it ends or fails. */
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

/** `promise`, or a rejection once `withinMs` passed: no await in these tests waits forever. */
async function within<T>(promise: Promise<T>, withinMs = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${withinMs} ms`)), withinMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function failureOf(done: Promise<unknown>): Promise<SourceError> {
  const error = await within(done);
  if (!isSourceError(error)) throw new Error(`Expected a SourceError, got ${String(error)}`);
  return error;
}

describe('BinanceWsSource', () => {
  it('streams two symbols on one combined connection; closed klines are bars, the forming one goes on while it forms', async () => {
    const server = await serve();
    const now = T0 + 10 * MIN + 30_000; // bar 10 is forming
    const { ws } = source(server, { now: () => now });
    const stop = new AbortController();
    const btc = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    const eth = collect(ws.subscribe({ symbol: 'ETHUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => server.connections.some((c) => c.open && c.streams.size === 2));
    // Binance's combined stream: both streams on one connection.
    expect(server.connections).toHaveLength(1);
    expect([...(server.connections[0]?.streams ?? [])].sort()).toEqual(['btcusdt@kline_1m', 'ethusdt@kline_1m']);
    const b9 = bars[9] as Ohlcv;
    const b10 = bars[10] as Ohlcv;
    server.kline('BTCUSDT', '1m', b9, true);
    server.kline('ETHUSDT', '1m', { ...b9, close: 3000, open: 3000, high: 3001, low: 2999 }, true);
    server.kline('BTCUSDT', '1m', b10, false);
    // A late update of bar 9 (closed by `now`) would look like a closed bar to the pipeline: dropped.
    server.kline('BTCUSDT', '1m', { ...b9, timestamp: T0 + 9 * MIN }, false);
    await until(() => btc.rows.length === 2 && eth.rows.length === 1);
    stop.abort();
    await within(Promise.all([btc.done, eth.done]));
    expect(btc.rows).toEqual([
      expect.objectContaining({ timestamp: T0 + 9 * MIN, open: wire(b9.open), close: wire(b9.close), volume: wire(b9.volume) }),
      expect.objectContaining({ timestamp: T0 + 10 * MIN, close: wire(b10.close) }),
    ]);
    expect(eth.rows).toEqual([expect.objectContaining({ timestamp: T0 + 9 * MIN, close: 3000 })]);
  });

  it('refuses a baseUrl that is not a ws: or wss: URL, naming it', () => {
    for (const baseUrl of ['not a url', 'http://127.0.0.1:9443', 'ftp://example.com'])
      expect(() => new BinanceWsSource({ baseUrl })).toThrow(
        new RangeError(`Expected \`baseUrl\` to be a ws: or wss: URL, got \`${baseUrl}\``),
      );
  });

  it('refuses a negative or non-finite formingGuardMs, and a maxQueued or bufferBars that is not a positive integer', () => {
    expect(() => new BinanceWsSource({ formingGuardMs: -1 })).toThrow(RangeError);
    expect(() => new BinanceWsSource({ formingGuardMs: Number.NaN })).toThrow(RangeError);
    expect(() => new BinanceWsSource({ maxQueued: 1.5 })).toThrow(
      new RangeError('Expected `maxQueued` to be a positive integer, got `1.5`'),
    );
    expect(() => new BinanceWsSource({ bufferBars: 0 })).toThrow(new RangeError('Expected `bufferBars` to be a positive integer, got `0`'));
    expect(() => new BinanceWsSource({ formingGuardMs: 0 }).close()).not.toThrow();
  });

  it('fails the subscription, without crashing, when ws refuses the URL', async () => {
    const server = await serve();
    // A fragment passes `new URL` but `ws` throws on it when it connects.
    const { ws, events } = source(server, { baseUrl: `${server.url}#fragment` });
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m' }));
    const error = await failureOf(got.done);
    expect(error.kind).toBe('network');
    expect(error.message).toContain('fragment');
    expect(events.filter((e) => e.kind === 'failed')).toHaveLength(1);
  });

  it('reports each malformed frame and skips it', async () => {
    const server = await serve();
    const { ws, events } = source(server);
    const stop = new AbortController();
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => server.openConnections === 1);
    server.sendRaw('<html>502</html>');
    server.sendRaw('{"unexpected":true}');
    server.publish('btcusdt@kline_1m', { e: 'kline', k: { t: 'soon' } });
    // A kline without its close time `T` cannot be judged: reported, not dropped unseen.
    server.publish('btcusdt@kline_1m', { e: 'kline', k: { t: T0 + 2 * MIN, x: true, o: '1', h: '1', l: '1', c: '1', v: '1' } });
    server.kline('BTCUSDT', '1m', bars[3] as Ohlcv, true);
    await until(() => got.rows.length === 1);
    stop.abort();
    await within(got.done);
    expect(events.filter((e) => e.kind === 'malformed')).toHaveLength(4);
    expect(got.rows).toEqual([expect.objectContaining({ timestamp: T0 + 3 * MIN })]);
    expect(events.some((e) => e.kind === 'failed')).toBe(false);
  });

  it('fails the stream when the connection stays open but silent, despite pings', async () => {
    const server = await serve();
    const { ws } = source(server, { pingIntervalMs: 50, silenceMs: 400 });
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m' }));
    await until(() => server.openConnections === 1);
    // Pongs keep a quiet stream alive past the silence limit.
    await new Promise((r) => setTimeout(r, 900));
    expect(server.openConnections).toBe(1);
    server.stall(true);
    const error = await failureOf(got.done);
    server.stall(false);
    expect(error.kind).toBe('timeout');
    expect(error.source).toBe('data_provider');
  });

  it('fails a kline stream whose data stops while its connection still answers pings', async () => {
    const server = await serve({ pingIntervalMs: 50 });
    const { ws } = source(server, { pingIntervalMs: 50, silenceMs: 400, dataSilenceMs: 600 });
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m' }));
    await until(() => server.openConnections === 1);
    server.mute(true);
    const started = performance.now();
    const error = await failureOf(got.done);
    server.mute(false);
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('600 ms');
    // Pings and pongs went on: the data deadline, not the silence watchdog, ended it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(600 - 50);
  });

  it('fails the stream on a drop, and reconnects after the retryDelay backoff when asked again', async () => {
    const server = await serve();
    // Jitter fixed at one half: retryDelay(n) = 0.5 × min(maxMs, baseMs × factor^(n−1)) = 10, 20, … ms.
    const failedAt: number[] = [];
    const { ws, events } = source(server, {
      random: () => 0.5,
      onEvent: (e) => {
        if (e.kind === 'failed') failedAt.push(performance.now());
        events.push(e);
      },
    });
    const first = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m' }));
    await until(() => server.openConnections === 1);
    server.drop();
    expect((await failureOf(first.done)).kind).toBe('network');
    server.refuseConnections(1);
    const stop = new AbortController();
    const second = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    // The refused attempt fails the new subscription (HTTP 503 → server_error).
    expect((await failureOf(second.done)).kind).toBe('server_error');
    const third = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => server.openConnections === 1);
    server.kline('BTCUSDT', '1m', bars[5] as Ohlcv, true);
    await until(() => third.rows.length === 1);
    stop.abort();
    await within(third.done);
    const failed = events.flatMap((e) => (e.kind === 'failed' ? [e.retryInMs] : []));
    // retryDelay grows with consecutive failures (no event was delivered in between).
    expect(failed).toEqual([10, 20]);
    // Each next connection was asked for no sooner than retryInMs after the failure (1 ms for timer rounding).
    const upgrades = server.upgradeTimes;
    expect(upgrades).toHaveLength(3);
    for (const [i, wait] of failed.entries())
      expect((upgrades[i + 1] as number) - (failedAt[i] as number)).toBeGreaterThanOrEqual(wait - 1);
  });

  it('rolls over to a new connection before the server cuts it, losing and repeating no bar', async () => {
    // The server's 24-hour cut at 1500 ms; the source rolls over at 250 ms (margins for a loaded machine).
    const server = await serve({ maxConnectionMs: 1500 });
    const { ws, events } = source(server, { rolloverMs: 250, overlapMs: 30 });
    const stop = new AbortController();
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => server.openConnections === 1);
    // One kline every 5 ms, until 40 klines after the second roll-over began (through its overlap).
    let sent = 0;
    let after = 0;
    let onBoth = 0;
    while (after < 40) {
      if (sent >= 390) throw new Error('no second roll-over within 390 klines');
      if (events.filter((e) => e.kind === 'rollover').length >= 2) after++;
      if (server.kline('BTCUSDT', '1m', bars[sent] as Ohlcv, true) === 2) onBoth++;
      sent++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => got.rows.length >= sent);
    stop.abort();
    await within(got.done);
    expect(got.rows.map((r) => (r as Ohlcv).timestamp)).toEqual(bars.slice(0, sent).map((b) => b.timestamp));
    expect(events.filter((e) => e.kind === 'rollover').length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.kind === 'failed')).toBe(false);
    expect(server.connections.some((c) => c.closedBy === 'age')).toBe(false);
    // Some klines went out on both connections (the overlap), and each was taken once.
    expect(onBoth).toBeGreaterThan(0);
  });

  it("rolls over at once on Binance's serverShutdown event, losing and repeating no kline across the switch", async () => {
    const server = await serve();
    const { ws, events } = source(server, { overlapMs: 20 });
    const stop = new AbortController();
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => server.openConnections === 1);
    // One kline every 5 ms: 10 before the announcement, then until 10 after the old connection closed.
    let sent = 0;
    let onBoth = 0;
    let after = 0;
    while (after < 10) {
      if (sent >= 390) throw new Error('the old connection did not close within 390 klines');
      if (sent === 10) server.shutdown(150);
      if (server.connections[0]?.open === false) after++;
      if (server.kline('BTCUSDT', '1m', bars[sent] as Ohlcv, true) === 2) onBoth++;
      sent++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => got.rows.length >= sent);
    stop.abort();
    await within(got.done);
    expect(got.rows.map((r) => (r as Ohlcv).timestamp)).toEqual(bars.slice(0, sent).map((b) => b.timestamp));
    expect(onBoth).toBeGreaterThan(0);
    expect(events).toContainEqual({ kind: 'rollover', reason: 'server_shutdown' });
    expect(events.some((e) => e.kind === 'failed')).toBe(false);
    expect(server.connections[0]?.closedBy).toBeUndefined(); // closed by the client, before the server's cut
  });

  it('hands over to the successor when the old connection ends before the successor opened', async () => {
    const server = await serve();
    const { ws, events } = source(server);
    const stop = new AbortController();
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => server.openConnections === 1);
    // The successor's upgrade waits; meanwhile the old connection is cut.
    server.holdUpgrades(true);
    server.shutdown(5000);
    await until(() => server.upgradeTimes.length === 2);
    server.drop();
    await until(() => events.some((e) => e.kind === 'handover'));
    server.holdUpgrades(false);
    await until(() => server.openConnections === 1);
    server.kline('BTCUSDT', '1m', bars[1] as Ohlcv, true);
    await until(() => got.rows.length === 1);
    console.log('DEBUG', JSON.stringify(events), server.connections.length);
    stop.abort();
    expect(await within(got.done)).toBeUndefined();
    expect(events.some((e) => e.kind === 'failed')).toBe(false);
  });

  it('retries a successor that fails to open after a growing backoff, the old connection serving meanwhile', async () => {
    const server = await serve();
    // Jitter fixed at one half: retryDelay(n) = 10, 20, 40 ms.
    const { ws, events } = source(server, { rolloverMs: 100, random: () => 0.5 });
    const stop = new AbortController();
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => server.openConnections === 1);
    server.refuseConnections(3);
    await until(() => server.upgradeTimes.length >= 5 && server.openConnections >= 1 && server.refusalsLeft === 0);
    server.kline('BTCUSDT', '1m', bars[1] as Ohlcv, true);
    await until(() => got.rows.length === 1);
    stop.abort();
    await within(got.done);
    const upgrades = server.upgradeTimes;
    // Requests 2–4 were refused; the next one came retryDelay(n) after the n-th refusal at the earliest.
    for (const [i, wait] of [10, 20, 40].entries())
      expect((upgrades[i + 2] as number) - (upgrades[i + 1] as number)).toBeGreaterThanOrEqual(wait - 1);
    expect(events.some((e) => e.kind === 'failed')).toBe(false);
  });

  it('closes the replaced connection at once when the source closes during the overlap', async () => {
    const server = await serve();
    const { ws, events } = source(server, { rolloverMs: 400, overlapMs: 60_000 });
    const got = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m' }));
    // The first successor opened: the first connection is in its overlap (for a minute).
    await until(() => events.filter((e) => e.kind === 'open').length >= 2);
    expect(server.connections[0]?.open).toBe(true);
    ws.close();
    await until(() => server.openConnections === 0, 2000);
    expect((await failureOf(got.done)).kind).toBe('network');
  });

  it('subscribes a stream added to the open connection live, and unsubscribes it when its subscription ends', async () => {
    const server = await serve();
    const { ws } = source(server);
    const stopBtc = new AbortController();
    const stopEth = new AbortController();
    const btc = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stopBtc.signal }));
    await until(() => server.openConnections === 1);
    const eth = collect(ws.subscribe({ symbol: 'ETHUSD', timeframe: '1m', signal: stopEth.signal }));
    // A live SUBSCRIBE on the same connection.
    await until(() => server.connections[0]?.streams.has('ethusdt@kline_1m') === true);
    expect(server.connections).toHaveLength(1);
    server.kline('ETHUSDT', '1m', bars[2] as Ohlcv, true);
    await until(() => eth.rows.length === 1);
    stopEth.abort();
    await within(eth.done);
    // A live UNSUBSCRIBE; BTC's stream goes on on the same connection.
    await until(() => server.connections[0]?.streams.has('ethusdt@kline_1m') === false);
    expect([...(server.connections[0]?.streams ?? [])]).toEqual(['btcusdt@kline_1m']);
    server.kline('BTCUSDT', '1m', bars[3] as Ohlcv, true);
    await until(() => btc.rows.length === 1);
    stopBtc.abort();
    await within(btc.done);
    expect(server.connections).toHaveLength(1);
  });

  it('streams trades and order-book snapshots', async () => {
    const server = await serve();
    const now = T0 + 5000;
    const { ws } = source(server, { now: () => now });
    const stop = new AbortController();
    const trades = collect(ws.subscribeTrades({ symbol: 'BTCUSD', since: T0 + 1000, signal: stop.signal }));
    const books = collect(ws.subscribeOrderBook({ symbol: 'BTCUSD', depth: 20, signal: stop.signal }));
    await until(() => server.connections.some((c) => c.open && c.streams.size === 2));
    expect([...(server.connections[0]?.streams ?? [])].sort()).toEqual(['btcusdt@depth20@100ms', 'btcusdt@trade']);
    server.trade('BTCUSDT', { timestamp: T0 + 500, price: 1, quantity: 1, side: 'buy', tradeId: 1 });
    server.trade('BTCUSDT', { timestamp: T0 + 1500, price: 42_000.5, quantity: 0.25, side: 'sell', tradeId: 2 });
    const book = { timestamp: 0, bids: [{ price: 41_999, quantity: 1 }], asks: [{ price: 42_001, quantity: 2 }], depthLevels: 1 };
    server.depth('BTCUSDT', 20, book, 7);
    await until(() => trades.rows.length === 1 && books.rows.length === 1);
    stop.abort();
    await within(Promise.all([trades.done, books.done]));
    // Binance's `m` (buyer is the maker) means the taker sold; the trade before `since` is left out.
    expect(trades.rows).toEqual([{ timestamp: T0 + 1500, price: 42_000.5, quantity: 0.25, side: 'sell', tradeId: 2 }]);
    // Partial depth carries no time: stamped with now().
    expect(books.rows).toEqual([{ ...book, timestamp: now }]);
  });

  it('answers fetchOhlcv from the klines received, and from REST when they do not cover the request', async () => {
    const wsServer = await serve();
    const now = T0 + 5 * MIN + 1000;
    const rest = await BinanceTestServer.start({ bars: { BTCUSDT: bars }, now: () => now });
    servers.push(rest);
    const { ws } = source(wsServer, { now: () => now, rest: new BinanceRestSource({ baseUrl: rest.url }) });
    // The first poll starts watching the stream; nothing arrived yet: REST answers.
    const first = await ws.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: T0 + 3 * MIN });
    expect(rest.requests).toHaveLength(1);
    expect((first as { rows: Ohlcv[] }).rows.map((r) => r.timestamp)).toEqual([T0 + 3 * MIN, T0 + 4 * MIN, T0 + 5 * MIN]);
    await until(() => wsServer.openConnections === 1);
    // A subscriber of the same stream hears each event when the buffer gets it: its forming bar 5 says all three arrived.
    const stop = new AbortController();
    const heard = collect(ws.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: stop.signal }));
    await until(() => wsServer.connections.some((c) => c.open && c.streams.has('btcusdt@kline_1m')));
    for (const i of [3, 4]) wsServer.kline('BTCUSDT', '1m', bars[i] as Ohlcv, true);
    wsServer.kline('BTCUSDT', '1m', bars[5] as Ohlcv, false);
    await until(() => heard.rows.some((r) => (r as Ohlcv).timestamp === T0 + 5 * MIN));
    stop.abort();
    await within(heard.done);
    const second = await ws.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: T0 + 3 * MIN });
    expect((second as Ohlcv[]).map((r) => r.timestamp)).toEqual([T0 + 3 * MIN, T0 + 4 * MIN, T0 + 5 * MIN]);
    expect(rest.requests).toHaveLength(1);
    // Older than anything received: REST again.
    await ws.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: T0 });
    expect(rest.requests).toHaveLength(2);
  });
});

describe('BinanceWsSource in a Pipeline', () => {
  it('backfills by REST, through the pipeline, the bars missed while the stream was down', async () => {
    const clock = new ManualClock(T0 + 10 * MIN + 1000);
    const rest = await BinanceTestServer.start({ bars: { BTCUSDT: bars }, now: () => clock.now() });
    servers.push(rest);
    const wsServer = await serve();
    const { ws } = source(wsServer, { now: () => clock.now(), rest: new BinanceRestSource({ baseUrl: rest.url }) });
    const store = new MemoryStore();
    const pipeline = new Pipeline({ primary: ws, store, clock, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
    pipeline.start();
    let healed = 0;
    try {
      await until(() => store.last('BTCUSD', '1m')?.timestamp === T0 + 9 * MIN && wsServer.openConnections === 1);
      // 10:10 and 10:11 close and arrive by stream.
      for (const m of [10, 11]) {
        await clock.advanceTo(T0 + (m + 1) * MIN);
        wsServer.kline('BTCUSDT', '1m', bars[m] as Ohlcv, true);
        await until(() => store.last('BTCUSD', '1m')?.timestamp === T0 + m * MIN);
      }
      // The stream drops and REST is down too: 10:12–10:29 are missed.
      rest.setFaults([{ kind: 'outage' }]);
      wsServer.drop();
      for (let m = 13; m <= 30; m++) await clock.advanceTo(T0 + m * MIN + 1000);
      rest.setFaults([]);
      healed = rest.requests.length;
      // The stream comes back (the pipeline reopens it after its retryDelay) and delivers 10:30
      // before the pipeline's next poll: the buffer then holds 10:10, 10:11 and 10:30, and the poll
      // from 10:12 must still go to REST for 10:12–10:29.
      await until(() => wsServer.openConnections === 1, 5000);
      wsServer.kline('BTCUSDT', '1m', bars[30] as Ohlcv, true);
      await until(() => ws.newestClosed('BTCUSD', '1m') === T0 + 30 * MIN, 5000);
      // The cycle 1 s after 10:30 closed polls from 10:12.
      await clock.advanceTo(T0 + 31 * MIN + 1000);
      await until(() => store.range('BTCUSD', '1m', T0, T0 + 31 * MIN).filter((b) => b.flag === undefined).length === 31, 5000);
    } finally {
      await pipeline.stop();
    }
    const stored = store.range('BTCUSD', '1m', T0, T0 + 31 * MIN);
    // Every bar 10:00–10:30 is the exchange's own (none left synthetic), as Binance sent it.
    expect(stored.map((b) => b.timestamp)).toEqual(bars.slice(0, 31).map((b) => b.timestamp));
    expect(stored.map((b) => b.close)).toEqual(bars.slice(0, 31).map((b) => wire(b.close)));
    expect(stored.every((b) => b.flag === undefined)).toBe(true);
    // And they came from REST after it healed, asked from 10:12. (Whether the pipeline also reports
    // a failover `backfill` action depends on timing: one full-suite run on the loaded machine got
    // every bar without one, so the test asks the server what was fetched instead.)
    const asked = rest.requests.slice(healed).filter((r) => r.path === '/api/v3/klines' && r.status === 200);
    expect(asked.some((r) => Number(r.params.startTime) <= T0 + 12 * MIN)).toBe(true);
  });
});
