import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryStore, Pipeline, type Ohlcv, type SinkRecord } from 'market-data-pipeline';
import { generateOhlcv, ManualClock, SimulatedSource } from 'market-data-pipeline/testing';
import { parseSinkFrame, type ByeFrame, type HelloFrame, type SinkFrame } from './sink-frame.js';
import { SLOW_CLIENT_CLOSE_CODE, WebSocketSink, type WebSocketSinkOptions } from './websocket-sink.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const TOKEN = 'let-me-in';
const sinks: WebSocketSink[] = [];
const clients: WebSocket[] = [];

afterAll(async () => {
  for (const c of clients) c.terminate();
  await Promise.all(sinks.map((s) => s.close()));
});

async function start(options: Partial<WebSocketSinkOptions> = {}): Promise<WebSocketSink> {
  const sink = await WebSocketSink.start({ token: TOKEN, closeTimeoutMs: 500, ...options });
  sinks.push(sink);
  return sink;
}

type Frame = SinkFrame | HelloFrame | ByeFrame;

interface Agent {
  readonly socket: WebSocket;
  readonly frames: Frame[];
  readonly invalid: string[];
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Connects an agent that validates every frame with the package's schemas. */
async function connect(
  sink: WebSocketSink,
  query: string,
  headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` },
): Promise<Agent> {
  const socket = new WebSocket(`${sink.url}/?${query}`, { headers, handshakeTimeout: 2000 });
  clients.push(socket);
  const frames: Frame[] = [];
  const invalid: string[] = [];
  socket.on('message', (data: Buffer) => {
    const read = parseSinkFrame(data.toString('utf8'));
    if (read.ok) frames.push(read.frame);
    else invalid.push(read.error);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames, invalid, closed };
}

/** Resolves when `check` holds, polling every 5 ms; fails after `withinMs`. */
async function until(check: () => boolean, withinMs = 5000): Promise<void> {
  const end = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const bars = generateOhlcv({ seed: 5, start: T0, count: 3000, startPrice: 42_000, volatility: 0.0008, baseVolume: 3 }).bars;

function barsRecord(symbol: string, i: number, n = 1): SinkRecord {
  return { kind: 'bars', symbol, timeframe: '1m', bars: bars.slice(i, i + n).map((b) => ({ ...b, revision: 0 })) };
}

/** A pipeline over a simulated market delivering to `sink`: real documents, bars and alerts. */
async function runPipeline(sink: WebSocketSink, minutes: number): Promise<void> {
  const clock = new ManualClock(T0 + 120 * MIN + 1000);
  const market: Record<string, Ohlcv[]> = {
    BTCUSD: bars.slice(0, 400),
    ETHUSD: bars.slice(0, 400).map((b) => ({ ...b, open: b.open / 14, high: b.high / 14, low: b.low / 14, close: b.close / 14 })),
  };
  const primary = new SimulatedSource({ clock, name: 'exchange_api', bars: market });
  const pipeline = new Pipeline({
    primary,
    store: new MemoryStore(),
    sinks: [sink],
    clock,
    start: T0,
    config: { symbols: ['BTCUSD', 'ETHUSD'], timeframes: ['1m', '5m'] },
  });
  await pipeline.runOnce();
  for (let m = 1; m <= minutes; m++) {
    await clock.advance(MIN);
    await pipeline.runOnce();
  }
  await pipeline.flush();
  await pipeline.stop();
}

describe('WebSocketSink', () => {
  it('streams to many clients exactly what each subscribed to, in frames the package schemas accept', async () => {
    const sink = await start();
    const queries = [
      '',
      'symbols=BTCUSD',
      'symbols=ETHUSD&timeframes=5m',
      'kinds=document',
      'kinds=bars&timeframes=1m',
      'kinds=alert,document&symbols=BTCUSD',
    ];
    // 60 agents, ten of each kind of subscription; the first connects through ?token= (no header).
    const agents = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        connect(sink, (i === 0 ? `token=${TOKEN}&` : '') + (queries[i % queries.length] ?? ''), i === 0 ? {} : undefined),
      ),
    );
    await runPipeline(sink, 3);
    // An alert about one symbol (the simulated market gives the pipeline nothing to alert about).
    await sink.write({
      kind: 'alert',
      alert: {
        alert_id: 'DATA-ALERT-001',
        timestamp: '2025-01-01T02:03:00Z',
        severity: 'warning',
        type: 'gap',
        message: '3 bars missing',
        affected: { symbol: 'ETHUSD', timeframe: '1m' },
        action_taken: 'interpolated',
        escalate: false,
      },
    });
    const total = sink.rev;
    await until(() => agents[0]?.frames.at(-1)?.type !== 'hello' && (agents[0]?.frames.at(-1) as SinkFrame | undefined)?.rev === total);
    const all = (agents[0] as Agent).frames.filter((f): f is SinkFrame => f.type !== 'hello' && f.type !== 'bye');
    // The unfiltered agent saw every frame once, in revision order.
    expect(all.map((f) => f.rev)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(all.map((f) => f.type))).toEqual(new Set(['bars', 'document', 'alert']));
    const symbolOf = (f: SinkFrame): string | undefined => (f.type === 'alert' ? f.alert.affected.symbol : f.symbol);
    const expected: Record<string, (f: SinkFrame) => boolean> = {
      '': () => true,
      'symbols=BTCUSD': (f) => symbolOf(f) === undefined || symbolOf(f) === 'BTCUSD',
      'symbols=ETHUSD&timeframes=5m': (f) =>
        (symbolOf(f) === undefined || symbolOf(f) === 'ETHUSD') && (f.type !== 'bars' || f.timeframe === '5m'),
      'kinds=document': (f) => f.type === 'document',
      'kinds=bars&timeframes=1m': (f) => f.type === 'bars' && f.timeframe === '1m',
      'kinds=alert,document&symbols=BTCUSD': (f) =>
        (f.type === 'alert' || f.type === 'document') && (symbolOf(f) === undefined || symbolOf(f) === 'BTCUSD'),
    };
    for (const [i, agent] of agents.entries()) {
      const want = all.filter(expected[queries[i % queries.length] ?? ''] as (f: SinkFrame) => boolean).map((f) => f.rev);
      await until(() => agent.frames.length === want.length + 1);
      expect(agent.invalid).toEqual([]);
      expect(agent.frames[0]).toEqual({ type: 'hello', rev: 0, resumed: false });
      expect(agent.frames.slice(1).map((f) => (f as SinkFrame).rev)).toEqual(want);
    }
  });

  it('refuses a connection without the shared token', async () => {
    const sink = await start();
    for (const headers of [{ Authorization: 'Bearer wrong' }, {}]) {
      const socket = new WebSocket(`${sink.url}/`, { headers, handshakeTimeout: 2000 });
      clients.push(socket);
      const status = await new Promise<number>((resolve) => {
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    }
    expect(sink.clientCount).toBe(0);
  });

  it('sends the latest documents on connect', async () => {
    const sink = await start();
    await runPipeline(sink, 1);
    const agent = await connect(sink, 'kinds=document&symbols=BTCUSD');
    // One of each document: data_status and quality_report (no symbol), BTCUSD's latest_ohlcv and market_context.
    await until(() => agent.frames.length === 5);
    const docs = agent.frames.slice(1) as Extract<SinkFrame, { type: 'document' }>[];
    expect(docs.map((d) => `${d.name}:${d.symbol ?? ''}`).sort()).toEqual([
      'data_status:',
      'latest_ohlcv:BTCUSD',
      'market_context:BTCUSD',
      'quality_report:',
    ]);
    expect(agent.invalid).toEqual([]);
  });

  it('drops a client that reads too slowly, telling it why, without holding up the pipeline or the others', async () => {
    // Up to 5 s to read what was queued before the close frame, once it reads again.
    const sink = await start({ maxBufferedBytes: 64 * 1024, closeTimeoutMs: 5000 });
    const fast = await connect(sink, 'kinds=bars');
    const slow = await connect(sink, 'kinds=bars');
    slow.socket.pause();
    // 3000 frames of 10 bars (~2 KB each, ~6 MB in all): more than the kernel's socket buffers hold for the paused client.
    let slowest = 0;
    // The fast agent reads as the frames come: the loop lets I/O run every 20 writes.
    for (let i = 0; i < 3000; i++) {
      const t = performance.now();
      await sink.write(barsRecord('BTCUSD', i % 2990, 10));
      slowest = Math.max(slowest, performance.now() - t);
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    expect(sink.droppedCount).toBe(1);
    slow.socket.resume();
    await until(() => fast.frames.length === 3001);
    expect(fast.frames.slice(1).map((f) => (f as SinkFrame).rev)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    // No write waited for a client: each returned at once (a bound generous for a loaded machine).
    expect(slowest).toBeLessThan(100);
    const closed = await slow.closed;
    expect(closed).toEqual({ code: SLOW_CLIENT_CLOSE_CODE, reason: 'slow_client' });
    const bye = slow.frames.at(-1);
    expect(bye).toMatchObject({ type: 'bye', reason: 'slow_client' });
  });

  it('resumes a client that reconnects from the revision it last saw', async () => {
    const sink = await start({ historySize: 100 });
    const first = await connect(sink, 'symbols=BTCUSD');
    for (let i = 0; i < 10; i++) await sink.write(barsRecord(i % 2 === 0 ? 'BTCUSD' : 'ETHUSD', i));
    await until(() => first.frames.length === 6);
    const lastSeen = (first.frames.at(-1) as SinkFrame).rev;
    expect(lastSeen).toBe(9);
    first.socket.close();
    await first.closed;
    for (let i = 10; i < 20; i++) await sink.write(barsRecord(i % 2 === 0 ? 'BTCUSD' : 'ETHUSD', i));
    const again = await connect(sink, `symbols=BTCUSD&from_rev=${lastSeen}`);
    for (let i = 20; i < 22; i++) await sink.write(barsRecord('BTCUSD', i));
    await until(() => again.frames.length === 8);
    expect(again.frames[0]).toEqual({ type: 'hello', rev: 20, resumed: true });
    // The BTCUSD frames it missed (revisions 11, 13, …, 19), then the live ones (21, 22): none twice, none lost.
    expect(again.frames.slice(1).map((f) => (f as SinkFrame).rev)).toEqual([11, 13, 15, 17, 19, 21, 22]);
    // A resume point the sink no longer holds: hello says so, and the latest documents follow instead.
    for (let i = 0; i < 300; i++) await sink.write(barsRecord('ETHUSD', i));
    const late = await connect(sink, `from_rev=${lastSeen}`);
    await until(() => late.frames.length >= 1);
    expect(late.frames[0]).toEqual({ type: 'hello', rev: sink.rev, resumed: false });
  });
});
