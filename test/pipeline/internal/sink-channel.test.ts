import { setTimeout as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Deadlines } from '../../../src/pipeline/internal/deadlines.js';
import type { Sink, SinkRecord, SinkWriteResult } from '../../../src/pipeline/sink.js';
import { SinkChannel, type SinkChannelOptions } from '../../../src/pipeline/internal/sink-channel.js';
import type { LatestOhlcv } from '../../../src/schemas/latest-ohlcv-schema.js';
import { ManualClock } from '../../../src/testing/manual-clock.js';

/** A bars record named by its symbol (the tests only follow records, not bars). */
function rec(id: string): SinkRecord {
  return { kind: 'bars', symbol: id, timeframe: '1m', bars: [] };
}

/** A `latest_ohlcv` document of `symbol`; `version` tells versions of the same document apart. */
function doc(symbol: string, version: number): SinkRecord {
  return { kind: 'document', name: 'latest_ohlcv', symbol, body: { version } as unknown as LatestOhlcv };
}

/** A readable label of a record: `a` for a bars record, `BTC@2` for a document. */
function label(record: SinkRecord): string {
  if (record.kind === 'bars') return record.symbol;
  if (record.kind === 'document') return `${record.symbol ?? ''}@${(record.body as unknown as { version: number }).version}`;
  return record.kind;
}

/** One call the sink received. */
interface Call {
  readonly method: 'write' | 'writeMany';
  readonly labels: readonly string[];
  /** Clock time of the call, ms. */
  readonly at: number;
  readonly signal: AbortSignal;
  /** Settles the call. */
  readonly resolve: (result?: SinkWriteResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A sink whose every call waits until the test settles it (through `calls`), unless `answer`
 * settles it first: `answer` returns a result, throws to reject, or returns `'hang'` to leave
 * the call to the test.
 */
interface ScriptedSink extends Sink {
  readonly calls: Call[];
}

type Answer = (method: Call['method'], labels: readonly string[]) => SinkWriteResult | undefined | 'hang';

function scriptedSink(clock: ManualClock, options: { readonly batches: boolean; readonly answer?: Answer }): ScriptedSink {
  const calls: Call[] = [];
  const answer = options.answer ?? ((): 'hang' => 'hang');
  const call = (method: Call['method'], records: readonly SinkRecord[], signal: AbortSignal): Promise<SinkWriteResult | undefined> =>
    new Promise<SinkWriteResult | undefined>((resolve, reject) => {
      const labels = records.map(label);
      calls.push({ method, labels, at: clock.now(), signal, resolve, reject });
      const outcome = answer(method, labels);
      if (outcome !== 'hang') resolve(outcome);
    });
  const sink: ScriptedSink = {
    name: 'scripted',
    calls,
    write: (record, { signal }) => call('write', [record], signal),
    ...(options.batches
      ? {
          writeMany: async (records: readonly SinkRecord[], { signal }: { signal: AbortSignal }): Promise<void> => {
            await call('writeMany', records, signal);
          },
        }
      : {}),
  };
  return sink;
}

interface Harness {
  readonly clock: ManualClock;
  readonly channel: SinkChannel;
  readonly deadLetters: { readonly label: string; readonly error: unknown; readonly attempts: number }[];
  readonly failedAttempts: unknown[];
}

function harness(clock: ManualClock, sink: Sink, options: Partial<SinkChannelOptions> = {}): Harness {
  const deadLetters: Harness['deadLetters'] = [];
  const failedAttempts: unknown[] = [];
  const channel = new SinkChannel(sink, {
    bufferSize: 100,
    maxAttempts: 3,
    writeTimeoutMs: 5_000,
    // attempt n waits n seconds before attempt n + 1.
    retryDelay: (attempt) => attempt * 1_000,
    clock,
    deadlines: new Deadlines(clock),
    onDeadLetter: (record, error, attempts) => deadLetters.push({ label: label(record), error, attempts }),
    onFailedAttempt: (error) => failedAttempts.push(error),
    ...options,
  });
  return { clock, channel, deadLetters, failedAttempts };
}

/** Lets every pending promise continuation run, without letting a macrotask (a timer) run. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

/** Tracks whether a promise has settled. */
function track(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

const labelsOf = (calls: readonly Call[]): string[][] => calls.map((c) => [c.method, ...c.labels]);

describe('SinkChannel', () => {
  it('hands a sink with writeMany the records queued in the same turn in one call, in order', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: true, answer: () => undefined });
    const { channel } = harness(clock, sink);
    void channel.push(rec('a'));
    void channel.pushAll([rec('b'), rec('c')]);
    // A record queued by a promise continuation of the same turn still joins the batch.
    void Promise.resolve().then(() => channel.push(rec('d')));
    await microtasks();
    expect(sink.calls).toHaveLength(0);
    await tick(0);
    expect(labelsOf(sink.calls)).toEqual([['writeMany', 'a', 'b', 'c', 'd']]);
    await channel.drain();
    expect(channel.pending).toHaveLength(0);
  });

  it('hands a sink without writeMany one write per record, in order, starting at once', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: false, answer: () => undefined });
    const { channel } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b')]);
    // No macrotask needed: the worker starts as the records are queued.
    expect(labelsOf(sink.calls)).toEqual([['write', 'a']]);
    void channel.push(rec('c'));
    await channel.drain();
    expect(labelsOf(sink.calls)).toEqual([
      ['write', 'a'],
      ['write', 'b'],
      ['write', 'c'],
    ]);
  });

  it('starts an idle queue at once when drained', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: true, answer: () => undefined });
    const { channel } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b')]);
    expect(sink.calls).toHaveLength(0);
    const drained = channel.drain();
    // Synchronously, before any macrotask.
    expect(labelsOf(sink.calls)).toEqual([['writeMany', 'a', 'b']]);
    await drained;
    expect(channel.pending).toHaveLength(0);
  });

  it('starts a full queue at once and holds pushAll until there is space', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: false });
    const { channel } = harness(clock, sink, { bufferSize: 2 });
    const pushed = channel.pushAll([rec('a'), rec('b'), rec('c'), rec('d')]);
    const state = track(pushed);
    await microtasks();
    // a is in flight, b waits; c waits for space.
    expect(labelsOf(sink.calls)).toEqual([['write', 'a']]);
    expect(channel.pending.map(label)).toEqual(['a', 'b']);
    expect(state.settled).toBe(false);
    sink.calls[0]?.resolve();
    await microtasks();
    // One space freed: c is queued, d waits.
    expect(channel.pending.map(label)).toEqual(['b', 'c']);
    expect(state.settled).toBe(false);
    sink.calls[1]?.resolve();
    await pushed;
    expect(channel.pending.map(label)).toEqual(['c', 'd']);
    sink.calls[2]?.resolve();
    await microtasks();
    sink.calls[3]?.resolve();
    await channel.drain();
    expect(labelsOf(sink.calls)).toEqual([
      ['write', 'a'],
      ['write', 'b'],
      ['write', 'c'],
      ['write', 'd'],
    ]);
  });

  it('starts a full queue of a sink with writeMany at once', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: true });
    const { channel } = harness(clock, sink, { bufferSize: 2 });
    const state = track(channel.pushAll([rec('a'), rec('b'), rec('c')]));
    // Synchronously: no wait for the start macrotask once the queue is full.
    expect(labelsOf(sink.calls)).toEqual([['writeMany', 'a', 'b']]);
    await microtasks();
    expect(state.settled).toBe(false);
    expect(channel.pending.map(label)).toEqual(['a', 'b']);
    void channel.close();
  });

  // A batch empties the full queue and the worker's loop ends; the push that waited for space
  // resumes (a microtask queued by #remove) before the worker's `.finally` clears `#running`,
  // so its records must still be written (the review found them stranded, and the push waiting
  // for e's space never resumed).
  it('keeps the records of a push waiting for space in pending when the channel closes', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: false });
    const { channel } = harness(clock, sink, { bufferSize: 2 });
    const pushed = channel.pushAll([rec('a'), rec('b'), rec('c'), rec('d')]);
    await microtasks();
    expect(channel.pending.map(label)).toEqual(['a', 'b']);
    await channel.close();
    await expect(pushed).rejects.toMatchObject({ name: 'AbortError' });
    // Nothing handed over is lost: c and d wait beyond the bound for the next worker (or a checkpoint).
    expect(channel.pending.map(label)).toEqual(['a', 'b', 'c', 'd']);
    await tick(0);
    expect(clock.pending).toBe(0);
  });

  it('keeps the records of a push waiting for space in pending when its signal aborts', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: true });
    const { channel } = harness(clock, sink, { bufferSize: 2 });
    const controller = new AbortController();
    const pushed = channel.pushAll([rec('a'), rec('b'), rec('c'), rec('d')], controller.signal);
    await microtasks();
    controller.abort(new Error('cycle aborted'));
    await expect(pushed).rejects.toThrow('cycle aborted');
    expect(channel.pending.map(label)).toEqual(['a', 'b', 'c', 'd']);
    void channel.close();
  });

  it('continues a pushAll held by a full writeMany queue once the batch is written', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: true });
    const { channel } = harness(clock, sink, { bufferSize: 2 });
    const state = track(channel.pushAll([rec('a'), rec('b'), rec('c'), rec('d'), rec('e')]));
    expect(labelsOf(sink.calls)).toEqual([['writeMany', 'a', 'b']]);
    sink.calls[0]?.resolve();
    await tick(0);
    await tick(0);
    // c, d form the next batch (the queue was full again), e waits for space.
    expect(labelsOf(sink.calls)).toEqual([
      ['writeMany', 'a', 'b'],
      ['writeMany', 'c', 'd'],
    ]);
    sink.calls[1]?.resolve();
    await tick(0);
    await tick(0);
    expect(state.settled).toBe(true);
    void channel.close();
  });

  it('writes the records of a failed batch one by one, each with its own retries and dead letter', async () => {
    const clock = new ManualClock(0);
    let aFailures = 1;
    const sink = scriptedSink(clock, {
      batches: true,
      answer: (method, labels) => {
        if (method === 'writeMany') throw new Error('batch refused');
        if (labels[0] === 'a' && aFailures-- > 0) throw new Error('a fails once');
        if (labels[0] === 'b') throw new Error('b always fails');
        return undefined;
      },
    });
    const { channel, deadLetters, failedAttempts } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b'), rec('c')]);
    await tick(0);
    // The batch failed; a failed once and sleeps retryDelay(1) = 1000 ms.
    expect(labelsOf(sink.calls)).toEqual([
      ['writeMany', 'a', 'b', 'c'],
      ['write', 'a'],
    ]);
    await clock.advance(1_000);
    // a written at 1000; b fails at 1000, sleeps 1000; fails at 2000, sleeps 2000; fails at 4000: dead letter.
    await clock.advance(3_000);
    await channel.drain();
    expect(labelsOf(sink.calls)).toEqual([
      ['writeMany', 'a', 'b', 'c'],
      ['write', 'a'],
      ['write', 'a'],
      ['write', 'b'],
      ['write', 'b'],
      ['write', 'b'],
      ['write', 'c'],
    ]);
    expect(sink.calls.map((c) => c.at)).toEqual([0, 0, 1_000, 1_000, 2_000, 4_000, 4_000]);
    expect(deadLetters.map((d) => [d.label, d.attempts, (d.error as Error).message])).toEqual([['b', 3, 'b always fails']]);
    // The batch, a's first attempt, b's first two (its third is the dead letter).
    expect(failedAttempts.map((e) => (e as Error).message)).toEqual(['batch refused', 'a fails once', 'b always fails', 'b always fails']);
    expect(channel.pending).toHaveLength(0);
  });

  it('goes back to batches once the records of a failed batch are written', async () => {
    const clock = new ManualClock(0);
    let batchFailures = 1;
    const sink = scriptedSink(clock, {
      batches: true,
      answer: (method) => {
        if (method === 'writeMany' && batchFailures-- > 0) throw new Error('batch refused');
        return undefined;
      },
    });
    const { channel } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b')]);
    await tick(0);
    await tick(0);
    expect(channel.pending).toHaveLength(0);
    void channel.pushAll([rec('c'), rec('d')]);
    await tick(0);
    expect(labelsOf(sink.calls)).toEqual([
      ['writeMany', 'a', 'b'],
      ['write', 'a'],
      ['write', 'b'],
      ['writeMany', 'c', 'd'],
    ]);
  });

  // The same race after `drain()`: its waiters resolve inside #work, before the worker's
  // `.finally` clears `#running`; a record pushed right after `await drain()` must still be
  // written and the next `drain()` resolve.
  it('writes a record pushed right after drain resolves', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: false, answer: () => undefined });
    const { channel } = harness(clock, sink);
    void channel.push(rec('a'));
    await channel.drain();
    void channel.push(rec('b'));
    await tick(0);
    await tick(0);
    expect(labelsOf(sink.calls)).toEqual([
      ['write', 'a'],
      ['write', 'b'],
    ]);
  });

  it('replaces a queued document by a newer version but queues one after a version in flight', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: false });
    const { channel } = harness(clock, sink);
    void channel.push(doc('BTC', 1));
    // BTC@1 is in flight: BTC@2 is queued after it, then replaced by BTC@3; ETH is another document.
    void channel.push(doc('BTC', 2));
    void channel.push(doc('ETH', 1));
    void channel.push(doc('BTC', 3));
    expect(channel.pending.map(label)).toEqual(['BTC@1', 'BTC@3', 'ETH@1']);
    for (let i = 0; i < 3; i++) {
      sink.calls[i]?.resolve();
      await microtasks();
    }
    // All written and the queue idle: BTC@4 starts at once (in flight), BTC@5 queues after it and
    // is replaced by BTC@6 (positions still right after the records before were removed).
    void channel.push(doc('BTC', 4));
    void channel.push(doc('BTC', 5));
    void channel.push(doc('BTC', 6));
    expect(channel.pending.map(label)).toEqual(['BTC@4', 'BTC@6']);
    sink.calls[3]?.resolve();
    await microtasks();
    sink.calls[4]?.resolve();
    await microtasks();
    expect(labelsOf(sink.calls)).toEqual([
      ['write', 'BTC@1'],
      ['write', 'BTC@3'],
      ['write', 'ETH@1'],
      ['write', 'BTC@4'],
      ['write', 'BTC@6'],
    ]);
    expect(channel.pending).toHaveLength(0);
  });

  it('keeps replacing the newer version of a document once the older one is written', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: false });
    const { channel } = harness(clock, sink);
    void channel.pushAll([rec('x'), doc('BTC', 1), doc('ETH', 1)]);
    sink.calls[0]?.resolve();
    await microtasks();
    // BTC@1 in flight: BTC@2 is queued behind ETH@1.
    void channel.push(doc('BTC', 2));
    expect(channel.pending.map(label)).toEqual(['BTC@1', 'ETH@1', 'BTC@2']);
    sink.calls[1]?.resolve();
    await microtasks();
    // BTC@1 written, ETH@1 in flight: BTC@2 is still queued, so BTC@3 replaces it.
    void channel.push(doc('BTC', 3));
    expect(channel.pending.map(label)).toEqual(['ETH@1', 'BTC@3']);
    sink.calls[2]?.resolve();
    await microtasks();
    sink.calls[3]?.resolve();
    await microtasks();
    expect(labelsOf(sink.calls)).toEqual([
      ['write', 'x'],
      ['write', 'BTC@1'],
      ['write', 'ETH@1'],
      ['write', 'BTC@3'],
    ]);
  });

  it('does not replace a document in a batch in flight, and replaces the next one queued after it', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: true });
    const { channel } = harness(clock, sink);
    void channel.pushAll([rec('a'), doc('BTC', 1), rec('b')]);
    await tick(0);
    expect(labelsOf(sink.calls)).toEqual([['writeMany', 'a', 'BTC@1', 'b']]);
    void channel.pushAll([doc('BTC', 2), rec('c'), doc('BTC', 3)]);
    expect(channel.pending.map(label)).toEqual(['a', 'BTC@1', 'b', 'BTC@3', 'c']);
    sink.calls[0]?.resolve();
    await tick(0);
    expect(labelsOf(sink.calls)[1]).toEqual(['writeMany', 'BTC@3', 'c']);
    // After the removal of the first batch, positions still point at the right record.
    void channel.push(doc('BTC', 4));
    expect(channel.pending.map(label)).toEqual(['BTC@3', 'c', 'BTC@4']);
    void channel.push(doc('BTC', 5));
    expect(channel.pending.map(label)).toEqual(['BTC@3', 'c', 'BTC@5']);
    void channel.close();
  });

  it('keeps the documents of a failed batch replaceable except the one being written', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, {
      batches: true,
      answer: (method) => {
        if (method === 'writeMany') throw new Error('batch refused');
        return 'hang';
      },
    });
    const { channel } = harness(clock, sink);
    void channel.pushAll([doc('BTC', 1), doc('ETH', 1)]);
    await tick(0);
    expect(labelsOf(sink.calls)).toEqual([
      ['writeMany', 'BTC@1', 'ETH@1'],
      ['write', 'BTC@1'],
    ]);
    void channel.pushAll([doc('BTC', 2), doc('ETH', 2)]);
    // BTC@1 is in flight alone; ETH@1 waits, so ETH@2 takes its place.
    expect(channel.pending.map(label)).toEqual(['BTC@1', 'ETH@2', 'BTC@2']);
    sink.calls[1]?.resolve();
    await microtasks();
    sink.calls[2]?.resolve();
    await microtasks();
    // ETH@2 is the last record of the failed batch (written alone); BTC@2 is alone in the queue.
    expect(labelsOf(sink.calls).slice(2)).toEqual([
      ['write', 'ETH@2'],
      ['write', 'BTC@2'],
    ]);
    void channel.close();
  });

  it('resolves deliver with the answer of write, never putting the record in a batch', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, {
      batches: true,
      answer: (method, labels) => (method === 'write' ? { outputPath: `/out/${labels[0] ?? ''}` } : undefined),
    });
    const { channel } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b')]);
    const answer = channel.deliver(rec('c'));
    void channel.pushAll([rec('d'), rec('e')]);
    await expect(answer).resolves.toEqual({ outputPath: '/out/c' });
    await channel.drain();
    expect(labelsOf(sink.calls)).toEqual([
      ['writeMany', 'a', 'b'],
      ['write', 'c'],
      ['writeMany', 'd', 'e'],
    ]);
  });

  it('rejects deliver with the last error when the record becomes a dead letter', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, {
      batches: false,
      answer: () => {
        throw new Error('refused');
      },
    });
    const { channel, deadLetters } = harness(clock, sink, { maxAttempts: 2 });
    const answer = channel.deliver(rec('a'));
    const state = track(answer);
    await clock.advance(1_000);
    expect(state.settled).toBe(true);
    await expect(answer).rejects.toThrow('refused');
    expect(deadLetters.map((d) => [d.label, d.attempts])).toEqual([['a', 2]]);
  });

  it('times out a write that never answers after writeTimeoutMs of clock time, then retries and dead-letters it', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: false });
    const { channel, deadLetters, failedAttempts } = harness(clock, sink, { maxAttempts: 2 });
    void channel.push(rec('a'));
    await clock.advance(4_999);
    expect(failedAttempts).toHaveLength(0);
    await clock.advance(1);
    // Timed out at 5000: its signal aborts, retry after retryDelay(1) = 1000 ms.
    expect(sink.calls[0]?.signal.aborted).toBe(true);
    expect(failedAttempts).toHaveLength(1);
    expect((failedAttempts[0] as Error).name).toBe('TimeoutError');
    await clock.advance(1_000);
    expect(sink.calls.map((c) => c.at)).toEqual([0, 6_000]);
    await clock.advance(4_999);
    expect(deadLetters).toHaveLength(0);
    await clock.advance(1);
    expect(deadLetters.map((d) => [d.label, d.attempts, (d.error as Error).name])).toEqual([['a', 2, 'TimeoutError']]);
    expect(channel.pending).toHaveLength(0);
    await tick(0);
    expect(clock.pending).toBe(0);
  });

  it('times out a batch that never answers and writes its records one by one', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: true, answer: (method) => (method === 'writeMany' ? 'hang' : undefined) });
    const { channel, failedAttempts } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b')]);
    await tick(0);
    await clock.advance(5_000);
    await channel.drain();
    expect(labelsOf(sink.calls)).toEqual([
      ['writeMany', 'a', 'b'],
      ['write', 'a'],
      ['write', 'b'],
    ]);
    expect(failedAttempts.map((e) => (e as Error).name)).toEqual(['TimeoutError']);
  });

  it('aborts the write in flight on close, keeps the unwritten records and leaves no timer', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: false });
    const { channel, deadLetters, failedAttempts } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b')]);
    expect(labelsOf(sink.calls)).toEqual([['write', 'a']]);
    expect(clock.pending).toBe(1); // the write's time limit
    await channel.close();
    expect(sink.calls[0]?.signal.aborted).toBe(true);
    expect(channel.pending.map(label)).toEqual(['a', 'b']);
    expect(deadLetters).toHaveLength(0);
    expect(failedAttempts).toHaveLength(0);
    await tick(0);
    expect(clock.pending).toBe(0);
    await clock.advance(60_000);
    expect(sink.calls).toHaveLength(1);
  });

  it('cancels a retry sleep on close', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, {
      batches: false,
      answer: () => {
        throw new Error('refused');
      },
    });
    const { channel, deadLetters } = harness(clock, sink);
    void channel.push(rec('a'));
    await microtasks();
    // The first attempt failed; attempt 2 waits for retryDelay(1) on the clock.
    expect(sink.calls).toHaveLength(1);
    await tick(0);
    expect(clock.pending).toBe(1);
    await channel.close();
    await tick(0);
    expect(clock.pending).toBe(0);
    expect(channel.pending.map(label)).toEqual(['a']);
    expect(deadLetters).toHaveLength(0);
  });

  it('cancels the start timer on close', async () => {
    const clock = new ManualClock(0);
    const sink = scriptedSink(clock, { batches: true, answer: () => undefined });
    const { channel } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b')]);
    await channel.close();
    await tick(0);
    await tick(0);
    expect(sink.calls).toHaveLength(0);
    expect(channel.pending.map(label)).toEqual(['a', 'b']);
    // The records are still written after a restart.
    await channel.drain();
    expect(labelsOf(sink.calls)).toEqual([['writeMany', 'a', 'b']]);
  });

  it('aborts a batch in flight on close and writes the same records in order afterwards', async () => {
    const clock = new ManualClock(0);
    let hang = true;
    const sink = scriptedSink(clock, { batches: true, answer: () => (hang ? 'hang' : undefined) });
    const { channel, failedAttempts } = harness(clock, sink);
    void channel.pushAll([rec('a'), rec('b'), rec('c')]);
    await tick(0);
    await channel.close();
    expect(sink.calls[0]?.signal.aborted).toBe(true);
    expect(failedAttempts).toHaveLength(0);
    expect(channel.pending.map(label)).toEqual(['a', 'b', 'c']);
    hang = false;
    void channel.push(rec('d'));
    await channel.drain();
    expect(labelsOf(sink.calls)).toEqual([
      ['writeMany', 'a', 'b', 'c'],
      ['writeMany', 'a', 'b', 'c', 'd'],
    ]);
    await tick(0);
    expect(clock.pending).toBe(0);
  });
});
