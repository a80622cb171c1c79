import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryStore, Pipeline, type Ohlcv, type SinkRecord } from 'market-data-pipeline';
import { generateOhlcv, ManualClock, MemorySink, SimulatedSource } from 'market-data-pipeline/testing';
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
  // 'close' follows 'error' too; an error before 'open' rejects the connect.
  socket.on('error', () => undefined);
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('close', (code: number) => reject(new Error(`closed (code ${code}) before it opened`)));
    }),
  );
  return { socket, frames, invalid, closed };
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

/** Whether `promise` settles after microtasks alone: no timer, no I/O ran before it did. */
async function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return settled;
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

/**
 * A pipeline over a simulated market delivering to `sink` (and to a recording `MemorySink`, the
 * reference of what was delivered): real documents, bars and alerts.
 *
 * @returns The recording sink.
 */
async function runPipeline(sink: WebSocketSink, minutes: number): Promise<MemorySink> {
  const recorder = new MemorySink({ name: 'recorder' });
  const clock = new ManualClock(T0 + 120 * MIN + 1000);
  const market: Record<string, Ohlcv[]> = {
    BTCUSD: bars.slice(0, 400),
    ETHUSD: bars.slice(0, 400).map((b) => ({ ...b, open: b.open / 14, high: b.high / 14, low: b.low / 14, close: b.close / 14 })),
  };
  const primary = new SimulatedSource({ clock, name: 'exchange_api', bars: market });
  const pipeline = new Pipeline({
    primary,
    store: new MemoryStore(),
    sinks: [sink, recorder],
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
  return recorder;
}

/** What a frame of `record` is filtered on: its type, symbol and timeframe. */
interface FrameKey {
  readonly type: SinkRecord['kind'];
  readonly symbol: string | undefined;
  readonly timeframe: string | undefined;
}

function keyOf(record: SinkRecord): FrameKey {
  switch (record.kind) {
    case 'bars':
    case 'forming':
      return { type: record.kind, symbol: record.symbol, timeframe: record.timeframe };
    case 'document':
      return { type: record.kind, symbol: record.symbol, timeframe: undefined };
    case 'alert':
      return { type: record.kind, symbol: record.alert.affected.symbol, timeframe: record.alert.affected.timeframe };
    case 'ticks':
    case 'orderBook':
      return { type: record.kind, symbol: record.symbol, timeframe: undefined };
    case 'dataset':
      return { type: record.kind, symbol: undefined, timeframe: undefined };
  }
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
    const recorder = await runPipeline(sink, 3);
    // An alert about one symbol (the simulated market gives the pipeline nothing to alert about).
    const alert: SinkRecord = {
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
    };
    await sink.write(alert);
    // The reference: what the pipeline delivered, as the recording sink in the same pipeline got it
    // (datasets are not streamed), then the alert; frame i has revision i + 1.
    const delivered = [...recorder.records.filter((r) => r.kind !== 'dataset'), alert].map(keyOf);
    const total = sink.rev;
    expect(total).toBe(delivered.length);
    await until(() => agents[0]?.frames.at(-1)?.type !== 'hello' && (agents[0]?.frames.at(-1) as SinkFrame | undefined)?.rev === total);
    const all = (agents[0] as Agent).frames.filter((f): f is SinkFrame => f.type !== 'hello' && f.type !== 'bye');
    // The unfiltered agent saw every frame once, in revision order.
    expect(all.map((f) => f.rev)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(all.map((f) => ({ type: f.type, symbol: f.type === 'alert' ? f.alert.affected.symbol : f.symbol }))).toEqual(
      delivered.map((k) => ({ type: k.type, symbol: k.symbol })),
    );
    expect(new Set(delivered.map((k) => k.type))).toEqual(new Set(['bars', 'document', 'alert']));
    const expected: Record<string, (k: FrameKey) => boolean> = {
      '': () => true,
      'symbols=BTCUSD': (k) => k.symbol === undefined || k.symbol === 'BTCUSD',
      'symbols=ETHUSD&timeframes=5m': (k) =>
        (k.symbol === undefined || k.symbol === 'ETHUSD') && (k.type !== 'bars' || k.timeframe === '5m'),
      'kinds=document': (k) => k.type === 'document',
      'kinds=bars&timeframes=1m': (k) => k.type === 'bars' && k.timeframe === '1m',
      'kinds=alert,document&symbols=BTCUSD': (k) =>
        (k.type === 'alert' || k.type === 'document') && (k.symbol === undefined || k.symbol === 'BTCUSD'),
    };
    for (const [i, agent] of agents.entries()) {
      const wanted = expected[queries[i % queries.length] ?? ''] as (k: FrameKey) => boolean;
      const want = delivered.flatMap((k, rev) => (wanted(k) ? [rev + 1] : []));
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
      const status = await within(
        new Promise<number>((resolve, reject) => {
          socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          socket.on('open', () => resolve(101));
          socket.on('error', reject);
        }),
      );
      expect(status).toBe(401);
    }
    expect(sink.clientCount).toBe(0);
  });

  it('sends the latest documents on connect', async () => {
    const sink = await start();
    const recorder = await runPipeline(sink, 3);
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
    // Each is the newest of its name (and symbol) the pipeline delivered, as the recording sink got it
    // (three minutes: most were delivered more than once, so older ones were there to skip).
    let skipped = 0;
    for (const doc of docs) {
      const sent = recorder.records.filter(
        (r): r is Extract<SinkRecord, { kind: 'document' }> => r.kind === 'document' && r.name === doc.name && r.symbol === doc.symbol,
      );
      skipped += sent.length - 1;
      expect(doc.body).toEqual(JSON.parse(JSON.stringify(sent.at(-1)?.body)));
    }
    expect(skipped).toBeGreaterThan(0);
    expect(agent.invalid).toEqual([]);
  });

  it('drops a client that reads too slowly, telling it why, without holding up the pipeline or the others', async () => {
    // Up to 5 s to read what was queued before the close frame, once it reads again.
    const sink = await start({ maxBufferedBytes: 64 * 1024, closeTimeoutMs: 5000 });
    const fast = await connect(sink, 'kinds=bars');
    const slow = await connect(sink, 'kinds=bars');
    slow.socket.pause();
    // Frames of 10 bars (~2 KB each) until the paused client's kernel buffers and then its 64 KiB
    // are full and the sink drops it (a bound, so that the test ends whatever the buffers hold).
    // The fast agent reads as the frames come: the loop lets I/O run every 20 writes.
    let written = 0;
    const late: number[] = [];
    while (sink.droppedCount === 0) {
      if (written >= 50_000) throw new Error(`the slow client was not dropped after ${written} frames`);
      // No write waits for a client: each promise is settled before any timer or I/O runs.
      if (!(await settlesAtOnce(sink.write(barsRecord('BTCUSD', written % 2990, 10))))) late.push(written);
      written++;
      if (written % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(late).toEqual([]);
    expect(sink.droppedCount).toBe(1);
    // The fast agent has every frame while the slow one is still paused.
    await until(() => fast.frames.length === written + 1, 10_000);
    expect(slow.socket.isPaused).toBe(true);
    expect(fast.frames.slice(1).map((f) => (f as SinkFrame).rev)).toEqual(Array.from({ length: written }, (_, i) => i + 1));
    slow.socket.resume();
    const closed = await within(slow.closed, 10_000);
    expect(closed).toEqual({ code: SLOW_CLIENT_CLOSE_CODE, reason: 'slow_client' });
    const bye = slow.frames.at(-1);
    expect(bye).toMatchObject({ type: 'bye', reason: 'slow_client' });
  });

  it('measures its per-client buffer in bytes, not characters', async () => {
    const sink = await start({ maxBufferedBytes: 1000 });
    const agent = await connect(sink, 'kinds=alert');
    // 400 '€' are 400 UTF-16 characters but 1200 bytes of UTF-8: more than the 1000 bytes allowed.
    await sink.write({
      kind: 'alert',
      alert: {
        alert_id: 'DATA-ALERT-002',
        timestamp: '2025-01-01T02:03:00Z',
        severity: 'info',
        type: 'gap',
        message: '€'.repeat(400),
        affected: { symbol: 'BTCUSD' },
        action_taken: 'none',
        escalate: false,
      },
    });
    expect(sink.droppedCount).toBe(1);
    expect(await within(agent.closed)).toEqual({ code: SLOW_CLIENT_CLOSE_CODE, reason: 'slow_client' });
  });

  it('resumes a client that reconnects from the revision it last saw', async () => {
    const sink = await start({ historySize: 100 });
    const first = await connect(sink, 'symbols=BTCUSD');
    for (let i = 0; i < 10; i++) await sink.write(barsRecord(i % 2 === 0 ? 'BTCUSD' : 'ETHUSD', i));
    await until(() => first.frames.length === 6);
    const lastSeen = (first.frames.at(-1) as SinkFrame).rev;
    expect(lastSeen).toBe(9);
    first.socket.close();
    await within(first.closed);
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
