/**
 * Hostile sources, sinks, listeners, checkpoints and stops (issue 16), one `describe` per kind:
 * each case states the README promise it keeps, and was seen failing before its fix. Everything
 * runs on a ManualClock, through the public entry points.
 */
import { describe, expect, it } from 'vitest';
import {
  isConfigError,
  isPipelineStoppedError,
  MAX_RETRY_AFTER_MS,
  MemoryStore,
  Pipeline,
  type Alert,
  type Ohlcv,
  type PipelineEvents,
  type PipelineCheckpoint,
  type PipelineOptions,
  type Sink,
  type Source,
} from '../../src/index.js';
import { generateOhlcv, ManualClock, MemorySink, SimulatedSource } from '../../src/testing/index.js';
import { restOnly, runUntil } from './support.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

/** Thirty 1m bars from T0, each with its own prices, so a wrong bar cannot pass for the right one. */
const BARS: readonly Ohlcv[] = Array.from({ length: 30 }, (_, i) => ({
  timestamp: T0 + i * MIN,
  open: 100 + i,
  high: 101 + i,
  low: 99 + i,
  close: 100.5 + i,
  volume: 10 + i,
}));

/** A clock just after the last of {@link BARS} closed. */
function clockAfterBars(): ManualClock {
  return new ManualClock(T0 + BARS.length * MIN + 1000);
}

/** A pipeline over BTCUSD 1m fed by a simulated exchange serving {@link BARS} (closed bars only). */
function pipelineOver(clock: ManualClock, sinks: readonly Sink[], extra: Partial<PipelineOptions> = {}): Pipeline {
  const source = new SimulatedSource({ clock, bars: { BTCUSD: BARS }, includeForming: false });
  return new Pipeline({ primary: source, sinks, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] }, ...extra });
}

/** The OHLCV fields of a bar (without its revision). */
const ohlcv = ({ timestamp, open, high, low, close, volume }: Ohlcv): Ohlcv => ({ timestamp, open, high, low, close, volume });

type ErrorEvent = Parameters<PipelineEvents['error']>[0];

/** Whether `promise` settles within `ms` of real time (for cases that used to hang for ever). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `task` while advancing the clock `stepMs` at a time (at most `limitMs`), so sleeps and time limits fire. */
async function drive<T>(clock: ManualClock, task: Promise<T>, limitMs = 3_600_000, stepMs = 1000): Promise<T> {
  let settled = false;
  const done = task.finally(() => {
    settled = true;
  });
  done.catch(() => undefined);
  for (let waited = 0; !settled && waited < limitMs; waited += stepMs) await clock.advance(stepMs);
  return done;
}

/** A sink whose `flush` never answers and ignores its signal (writes succeed). */
function sinkWithHungFlush(name: string): Sink & { flushCalls: number } {
  const sink = {
    name,
    flushCalls: 0,
    write: () => Promise.resolve(),
    flush: () => {
      sink.flushCalls++;
      return new Promise<void>(() => undefined);
    },
  };
  return sink;
}

describe('Pipeline against hostile sources', () => {
  // README: "Each symbol keeps its own pace", "Waits are scheduled, never slept inside a cycle",
  // "Paging is bounded" (issue 16 items 1 and 2).
  const T9 = Date.UTC(2025, 0, 30, 9, 0);
  const SEC = 1000;
  it('a 30-minute ban on one symbol’s request moves both symbols to the backup within seconds, and neither falls behind', async () => {
    const btc = generateOhlcv({ seed: 13, start: T9, count: 120, timeframe: '1m' }).bars;
    const eth = generateOhlcv({ seed: 14, start: T9, count: 120, timeframe: '1m' }).bars;
    const clock = new ManualClock(T9 + 10 * MIN + SEC);
    const primary = new SimulatedSource({
      clock,
      name: 'exchange',
      bars: { BTCUSD: btc, ETHUSD: eth },
      faults: [{ kind: 'banned', from: T9 + 11 * MIN, times: 1, symbols: ['BTCUSD'], retryAfterMs: 30 * MIN }],
    });
    const backup = new SimulatedSource({ clock, name: 'provider', bars: { BTCUSD: btc, ETHUSD: eth } });
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: restOnly(primary),
      backup: restOnly(backup),
      sinks: [sink],
      clock,
      start: T9,
      config: { symbols: ['BTCUSD', 'ETHUSD'], timeframes: ['1m'] },
    });
    const moves: [string, number, string][] = [];
    pipeline.on('failover', ({ symbol, to, at }) => moves.push([symbol, at, to]));
    await runUntil(pipeline, clock, T9 + 45 * MIN + 30 * SEC);
    // Specification: retry after 5 s, the backup within 10 s more.
    const banned = primary.requests.find((r) => r.at >= T9 + 11 * MIN && r.symbol === 'BTCUSD');
    expect(banned?.outcome).toBe('banned');
    const onBackup = (symbol: string): number | undefined => moves.find(([s, , to]) => s === symbol && to === 'on_backup')?.[1];
    expect(onBackup('BTCUSD')).toBeLessThanOrEqual((banned?.at ?? 0) + 15 * SEC);
    // ETH's next poll (09:12:01) finds the source banned: the same ladder, from then.
    expect(onBackup('ETHUSD')).toBeLessThanOrEqual(T9 + 12 * MIN + SEC + 15 * SEC);
    // Every bar up to 09:44 reached the sink for both symbols, none filled: nobody fell behind.
    for (const symbol of ['BTCUSD', 'ETHUSD']) {
      const delivered = new Set(
        sink
          .bars(symbol, '1m')
          .filter((b) => b.flag === undefined)
          .map((b) => b.timestamp),
      );
      for (let t = T9; t <= T9 + 44 * MIN; t += MIN) expect(delivered.has(t), `${symbol} ${new Date(t).toISOString()}`).toBe(true);
    }
  });

  it('caps an absurd Retry-After at 3 days and reports it', async () => {
    const { bars } = generateOhlcv({ seed: 15, start: T9, count: 60, timeframe: '1m' });
    const clock = new ManualClock(T9 + 10 * MIN + SEC);
    const primary = new SimulatedSource({
      clock,
      name: 'exchange',
      bars: { BTCUSD: bars },
      faults: [{ kind: 'rate_limited', from: T9 + 11 * MIN, times: 1, retryAfterMs: 1e15 }],
    });
    const backup = new SimulatedSource({ clock, name: 'provider', bars: { BTCUSD: bars } });
    const pipeline = new Pipeline({
      primary: restOnly(primary),
      backup: restOnly(backup),
      clock,
      start: T9,
      config: { symbols: ['BTCUSD'] },
    });
    const alerts: Alert[] = [];
    pipeline.on('alert', (alert) => alerts.push(alert));
    await runUntil(pipeline, clock, T9 + 13 * MIN);
    const limit = alerts.find((a) => a.type === 'rate_limit');
    expect(limit?.severity).toBe('warning');
    expect(limit?.message).toContain('capped at 2025-02-02T09:11:01Z');
    // The 429 itself is no outage, but no data for 30 s after the 09:11 bar's close is: the backup serves.
    expect(alerts.some((a) => a.type === 'stale_data')).toBe(true);
    expect(backup.requests.length).toBeGreaterThan(0);
  });

  it('a page with no bar at or after the one asked for is a failure on the ladder; runOnce and request settle', async () => {
    const { bars } = generateOhlcv({ seed: 16, start: T9, count: 300, timeframe: '1m' });
    const clock = new ManualClock(T9 + 200 * MIN + SEC);
    let asked = 0;
    // Always the same full page, whatever `since` says.
    const stuck: Source = {
      name: 'stuck',
      maxLimit: 50,
      fetchOhlcv: () => {
        asked++;
        return Promise.resolve(bars.slice(0, 50));
      },
    };
    const pipeline = new Pipeline({
      primary: stuck,
      clock,
      store: new MemoryStore(),
      start: T9,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'] },
    });
    const moves: string[] = [];
    const errors: unknown[] = [];
    pipeline.on('failover', ({ to }) => moves.push(to));
    pipeline.on('error', ({ error }) => errors.push(error));
    for (let i = 0; i < 3; i++) {
      await pipeline.runOnce();
      await clock.advance(SEC);
    }
    // Three cycles: the first page is new, each later one makes no progress (errorThreshold 3 → detected).
    expect(asked).toBeLessThanOrEqual(6);
    expect(moves).toContain('detected');
    expect(errors.some((e) => e instanceof Error && e.message.includes('made no progress'))).toBe(true);
    const response = await pipeline.request({
      request_id: 'STUCK',
      requester: 'backtester',
      request_type: 'historical_data',
      parameters: { symbol: 'BTCUSD', timeframe: '1m', start_date: '2025-01-30', end_date: '2025-01-30', format: 'json' },
      priority: 'normal',
    });
    expect(response.status).not.toBe('completed');
  });
});

describe('Pipeline against hostile sinks', () => {
  // Two hours of a market, 1m bars; a hung (or failing) sink beside a healthy one, with a queue
  // of 5 records so that it fills within minutes.
  const HOURS = 2;
  const market = generateOhlcv({ seed: 16, start: T0, count: HOURS * 60 + 5, timeframe: '1m' }).bars;

  async function runBeside(fail: 'hang' | 'always', extra: Partial<PipelineOptions> = {}) {
    const clock = new ManualClock(T0 + 10 * MIN + 1000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: market }, includeForming: false });
    const stuck = new MemorySink({ name: 'stuck', fail });
    const healthy = new MemorySink({ name: 'healthy' });
    const pipeline = new Pipeline({
      primary: source,
      sinks: [stuck, healthy],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], delivery: { bufferSize: 5 } },
      ...extra,
    });
    const deadLetters: Parameters<PipelineEvents['deadLetter']>[0][] = [];
    pipeline.on('deadLetter', (event) => deadLetters.push(event));
    pipeline.start();
    // Every minute, the healthy sink's newest bar must be the bar that closed a minute ago
    // (pollDelayMs 1 s after the close); the largest lag seen is kept.
    let worstLagMs = 0;
    for (let minute = 0; minute < HOURS * 60 - 10; minute++) {
      await clock.advance(MIN);
      const newest = healthy.bars('BTCUSD', '1m').at(-1)?.timestamp ?? T0;
      worstLagMs = Math.max(worstLagMs, clock.now() - newest);
    }
    return { clock, pipeline, stuck, healthy, deadLetters, worstLagMs };
  }

  for (const fail of ['hang', 'always'] as const) {
    it(`does not let a sink that ${fail === 'hang' ? 'never answers' : 'keeps failing'} hold up a healthy one`, async () => {
      // Promise: "a slow or failing sink does not hold up the others"; a full queue holds the
      // cycle at most sinkTimeoutMs (30 s), then the sink is detached into its overflow.
      const { clock, pipeline, stuck, healthy, deadLetters, worstLagMs } = await runBeside(fail);
      // At a minute boundary + 1 s (the clock's phase), the newest closed bar opened 61 s
      // before, at most 2 minutes once a cycle waited its 30 s for the stuck queue.
      expect(worstLagMs).toBeLessThanOrEqual(2 * MIN + 1000);
      expect(healthy.alerts.some((a) => a.message.startsWith('Sink stuck is not keeping up'))).toBe(true);
      // Nothing it was handed is lost: unwritten records wait in its overflow, kept by the
      // checkpoint, or were dead-lettered after their attempts (none unwritten for lack of room).
      expect(deadLetters.every((d) => d.sink === 'stuck' && d.attempts === 5)).toBe(true);
      const pending = pipeline.checkpoint().pending['stuck'] ?? [];
      expect(pending.length).toBeGreaterThan(5);
      // Retried later: once it answers again, its overflow drains, in order.
      stuck.setFailure('never');
      await drive(clock, pipeline.flush());
      expect(pipeline.checkpoint().pending['stuck']).toEqual([]);
      expect(stuck.bars('BTCUSD', '1m').at(-1)?.timestamp).toBe(healthy.bars('BTCUSD', '1m').at(-1)?.timestamp);
      await pipeline.stop();
    }, 60_000);
  }

  it('dead-letters what a detached sink cannot keep beyond its overflow, with a critical alert', async () => {
    // Promise: the overflow is bounded (sinkOverflowSize); past it nothing is dropped silently.
    const { clock, pipeline, healthy, deadLetters } = await runBeside('hang', { sinkOverflowSize: 3 });
    const unwritten = deadLetters.filter((d) => d.attempts === 0);
    expect(unwritten.length).toBeGreaterThan(0);
    expect(unwritten.every((d) => d.sink === 'stuck')).toBe(true);
    expect(healthy.alerts.filter((a) => a.severity === 'critical').map((a) => a.message)).toContainEqual(
      expect.stringMatching(/^Sink stuck is still not keeping up/),
    );
    // Queue (5) + overflow (3), and what the stop kept of a push in flight. The stuck sink's
    // flush hangs too: stop() gives it sinkTimeoutMs.
    await drive(clock, pipeline.stop());
    expect((pipeline.checkpoint().pending['stuck'] ?? []).length).toBeLessThanOrEqual(5 + 3 + 1);
  }, 60_000);

  it('calls every sink’s flush on flush(), each within sinkTimeoutMs, even when one never answers', async () => {
    // Promise: "flush() resolves when every queue is empty, then calls each sink's flush" —
    // with a deadline, for every sink.
    const clock = clockAfterBars();
    const stuck = sinkWithHungFlush('stuck');
    const memory = new MemorySink({ name: 'memory' });
    const pipeline = pipelineOver(clock, [stuck, memory], { sinkTimeoutMs: 10_000 });
    const errors: ErrorEvent[] = [];
    pipeline.on('error', (event) => errors.push(event));
    await pipeline.runOnce();
    const flushed = pipeline.flush();
    await clock.advance(10_000);
    expect(await settlesWithin(flushed, 1000)).toBe(true);
    expect([stuck.flushCalls, memory.flushes]).toEqual([1, 1]);
    expect(errors.map((e) => [e.phase, (e.error as Error).name])).toEqual([['sink', 'TimeoutError']]);
    await drive(clock, pipeline.stop());
  });

  it('calls every sink’s flush on stop(), within sinkTimeoutMs', async () => {
    // Promise: Sink.flush is "called by Pipeline.stop()".
    const clock = clockAfterBars();
    const stuck = sinkWithHungFlush('stuck');
    const memory = new MemorySink({ name: 'memory' });
    const pipeline = pipelineOver(clock, [stuck, memory], { sinkTimeoutMs: 10_000 });
    await pipeline.runOnce();
    await drive(clock, pipeline.flush());
    const flushesBefore = [stuck.flushCalls, memory.flushes];
    const stopped = pipeline.stop();
    await clock.advance(10_000);
    expect(await settlesWithin(stopped, 1000)).toBe(true);
    expect([stuck.flushCalls, memory.flushes]).toEqual([flushesBefore[0]! + 1, flushesBefore[1]! + 1]);
    expect(clock.pending).toBe(0);
  });
});

describe('Pipeline against hostile listeners', () => {
  it('reports an async listener that rejects on error, like a synchronous throw, and keeps running', async () => {
    // Promise: "a listener that throws … is reported on `error` and changes nothing" — a returned
    // promise's rejection is caught too, never an unhandled rejection.
    const clock = clockAfterBars();
    const sink = new MemorySink();
    const pipeline = pipelineOver(clock, [sink]);
    const errors: ErrorEvent[] = [];
    pipeline.on('error', (event) => errors.push(event));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the hostile case: an async listener
    pipeline.on('bar', async () => {
      await Promise.resolve();
      throw new Error('listener failed');
    });
    await pipeline.runOnce();
    await pipeline.flush();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // One report per bar event: the 30 bars of the cycle.
    expect(errors.filter((e) => e.phase === 'listener').map((e) => (e.error as Error).message)).toEqual(
      Array.from({ length: BARS.length }, () => 'listener failed'),
    );
    expect(sink.bars('BTCUSD', '1m').map(ohlcv)).toEqual(BARS);
    await pipeline.stop();
  });

  it('gives listeners values they cannot change: sinks receive what the source sent', async () => {
    // Promise: a listener "changes nothing the pipeline computes or delivers", even one that
    // edits its event.
    const clock = clockAfterBars();
    const sink = new MemorySink();
    const pipeline = pipelineOver(clock, [sink]);
    let edits = 0;
    pipeline.on('bar', (event) => {
      try {
        (event.bar as { close: number }).close = -1;
        (event.bar as { revision: number }).revision = 99;
      } catch {
        edits++;
      }
    });
    await pipeline.runOnce();
    await pipeline.flush();
    expect(edits).toBe(BARS.length);
    expect(sink.bars('BTCUSD', '1m').map(ohlcv)).toEqual(BARS);
    expect(sink.bars('BTCUSD', '1m').map((b) => b.revision)).toEqual(BARS.map(() => 0));
    await pipeline.stop();
  });
});

describe('Pipeline against hostile checkpoints', () => {
  /** A checkpoint of a pipeline that stored and delivered {@link BARS}, as JSON would give it back. */
  async function savedCheckpoint(): Promise<{ clock: ManualClock; json: Record<string, unknown> }> {
    const clock = clockAfterBars();
    const pipeline = pipelineOver(clock, [new MemorySink()]);
    await pipeline.runOnce();
    await pipeline.stop();
    return { clock, json: JSON.parse(JSON.stringify(pipeline.checkpoint())) as Record<string, unknown> };
  }

  /** The ConfigError `new Pipeline` throws for `checkpoint`, or `undefined` when it accepts it. */
  function refusal(clock: ManualClock, checkpoint: unknown): { path: readonly PropertyKey[]; value: unknown } | undefined {
    try {
      pipelineOver(clock, [new MemorySink()], { checkpoint: checkpoint as PipelineCheckpoint });
      return undefined;
    } catch (error) {
      if (!isConfigError(error)) throw error;
      return { path: error.path, value: error.value };
    }
  }

  type Edit = (checkpoint: { store: { bars: Record<string, unknown>[] }[]; symbols: Record<string, { feed: { kind: string } }> }) => void;
  const cases: readonly (readonly [string, Edit, readonly PropertyKey[], unknown])[] = [
    [
      'a stored bar whose close is null',
      (c) => void (c.store[0]!.bars[3]!['close'] = null),
      ['checkpoint', 'store', 0, 'bars', 3, 'close'],
      null,
    ],
    [
      'a stored bar whose open is a string',
      (c) => void (c.store[0]!.bars[4]!['open'] = '100'),
      ['checkpoint', 'store', 0, 'bars', 4, 'open'],
      '100',
    ],
    [
      'an unknown feed kind',
      (c) => void (c.symbols['BTCUSD']!.feed.kind = 'exploded'),
      ['checkpoint', 'symbols', 'BTCUSD', 'feed', 'kind'],
      'exploded',
    ],
  ];
  for (const [what, edit, path, value] of cases) {
    it(`refuses ${what} with a ConfigError naming the path`, async () => {
      // Promise: "anything wrong is a ConfigError naming the path", never a deep TypeError or
      // silent corruption (a null close loaded as 0, a string as NaN; a junk kind made every
      // runOnce() reject with a TypeError).
      const { clock, json } = await savedCheckpoint();
      expect(refusal(clock, json)).toBeUndefined();
      edit(json as unknown as Parameters<Edit>[0]);
      expect(refusal(clock, json)).toEqual({ path, value });
    });
  }

  it('refuses stored bars that break an OHLCV rule or are out of order, as bars from a source are', async () => {
    // Promise: bars in a checkpoint pass the same validation as bars from a source (validateOhlcv).
    const { clock, json } = await savedCheckpoint();
    const edited = structuredClone(json) as unknown as Parameters<Edit>[0];
    // Bar 5's high below its low: the specification's high ≥ low rule.
    edited.store[0]!.bars[5]!['high'] = BARS[5]!.low - 1;
    expect(refusal(clock, edited)?.path).toEqual(['checkpoint', 'store', 0, 'bars', 5]);
    const swapped = structuredClone(json) as unknown as Parameters<Edit>[0];
    const bars = swapped.store[0]!.bars;
    [bars[7], bars[8]] = [bars[8]!, bars[7]!];
    expect(refusal(clock, swapped)?.path).toEqual(['checkpoint', 'store', 0, 'bars', 8]);
  });

  it('cuts a limiter block far in the future to MAX_RETRY_AFTER_MS, so the source is asked again', async () => {
    // Promise: no checkpoint silences the pipeline for ever — `blockedUntil: 1e300` is believed
    // for at most MAX_RETRY_AFTER_MS (3 days, the longest ban Binance documents).
    const { clock, json } = await savedCheckpoint();
    const limiters = json['limiters'] as Record<string, { blockedUntil: number | null; blockReason: string | null }>;
    expect(Object.keys(limiters).length).toBeGreaterThan(0);
    for (const limiter of Object.values(limiters)) Object.assign(limiter, { blockedUntil: 1e300, blockReason: 'banned' });
    const rest = new SimulatedSource({ clock, bars: { BTCUSD: BARS }, includeForming: false });
    const pipeline = pipelineOver(clock, [new MemorySink()], { primary: rest, checkpoint: json as unknown as PipelineCheckpoint });
    // Blocked: the cycle asks nothing (it may wait for the block to end; the clock does not move).
    const blocked = pipeline.runOnce();
    blocked.catch(() => undefined);
    await clock.advance(0);
    expect(rest.requests).toHaveLength(0);
    // 3 days later the block is over, whatever the checkpoint said.
    await clock.advance(MAX_RETRY_AFTER_MS);
    expect(await settlesWithin(drive(clock, blocked, 10 * MIN), 5000)).toBe(true);
    expect(await settlesWithin(drive(clock, pipeline.runOnce(), 10 * MIN), 5000)).toBe(true);
    expect(rest.requests.length).toBeGreaterThan(0);
    await pipeline.stop();
  });
});

describe('Pipeline stop', () => {
  it('settles at once while a subscribe stream waits for a message and ignores the signal', async () => {
    // Promise: "stop() settles" whatever a source does.
    const clock = clockAfterBars();
    const rest = new SimulatedSource({ clock, bars: { BTCUSD: BARS }, includeForming: false });
    const quiet: Source = {
      name: 'exchange',
      fetchOhlcv: (request) => rest.fetchOhlcv(request),
      // A stream that never yields, never ends and never looks at its signal.
      subscribe: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<Ohlcv>>(() => undefined) }) }),
    };
    const pipeline = pipelineOver(clock, [new MemorySink()], { primary: quiet });
    pipeline.start();
    await clock.advance(5 * MIN);
    expect(await settlesWithin(pipeline.stop(), 1000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(clock.pending).toBe(0);
  });

  it('rejects a cycle in flight with a PipelineStoppedError and delivers nothing it computed after stop()', async () => {
    // Promise: after stop(), nothing is delivered; what was not delivered is in the checkpoint,
    // and the pipeline resumed from it delivers each bar once.
    const clock = clockAfterBars();
    const rest = new SimulatedSource({ clock, bars: { BTCUSD: BARS }, includeForming: false });
    // Answers 5 s of clock time late, ignoring its signal.
    const slow: Source = {
      name: 'exchange',
      fetchOhlcv: async (request) => {
        await clock.sleep(5000);
        const { signal: _ignored, ...unsignalled } = request;
        return rest.fetchOhlcv(unsignalled);
      },
    };
    const sink = new MemorySink();
    const pipeline = pipelineOver(clock, [sink], { primary: slow });
    const cycle = pipeline.runOnce();
    cycle.catch(() => undefined);
    await clock.advance(1000);
    await pipeline.stop();
    await expect(cycle).rejects.toSatisfy(isPipelineStoppedError);
    await clock.advance(10_000);
    expect(sink.writes).toEqual([]);
    await expect(pipeline.runOnce()).rejects.toSatisfy(isPipelineStoppedError);
    await expect(pipeline.flush()).rejects.toSatisfy(isPipelineStoppedError);
    expect(() => pipeline.start()).toThrow(expect.objectContaining({ code: 'ERR_PIPELINE_STOPPED' }));
    const resumed = pipelineOver(clock, [sink], { primary: slow, checkpoint: pipeline.checkpoint() });
    await drive(clock, resumed.runOnce());
    await resumed.flush();
    expect(sink.bars('BTCUSD', '1m').map(ohlcv)).toEqual(BARS);
    expect(sink.duplicates()).toEqual([]);
    await resumed.stop();
  });

  it('writes nothing after stop(), even when flush() is called: the records stay in the checkpoint', async () => {
    // Promise: after stop(), nothing is delivered — the resumed pipeline delivers instead, once.
    const clock = clockAfterBars();
    const sink = new MemorySink({ fail: 'hang' });
    const pipeline = pipelineOver(clock, [sink]);
    await pipeline.runOnce();
    // The hanging sink's flush hangs too: stop() gives it sinkTimeoutMs.
    await drive(clock, pipeline.stop());
    sink.setFailure('never');
    await expect(pipeline.flush()).rejects.toSatisfy(isPipelineStoppedError);
    await clock.advance(MIN);
    expect(sink.records).toEqual([]);
    const resumed = pipelineOver(clock, [sink], { checkpoint: pipeline.checkpoint() });
    await resumed.flush();
    expect(sink.bars('BTCUSD', '1m').map(ohlcv)).toEqual(BARS);
    expect(sink.duplicates()).toEqual([]);
    await resumed.stop();
  });
});
