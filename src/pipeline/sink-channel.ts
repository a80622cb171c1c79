import { isSinkError } from '../errors/sink-error.js';
import type { Clock } from './clock.js';
import type { Deadlines } from './deadlines.js';
import type { Sink, SinkRecord, SinkWriteResult } from './sink.js';

/** Settings of one sink's delivery queue. */
export interface SinkChannelOptions {
  /** Records queued before `push` waits (backpressure). */
  readonly bufferSize: number;
  /** Attempts per record before it becomes a dead letter. */
  readonly maxAttempts: number;
  /** A write without an answer for this long (ms) is aborted and counts as failed. */
  readonly writeTimeoutMs: number;
  /** Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1). */
  readonly retryDelay: (attempt: number) => number;
  /** Retry delays are slept on it. */
  readonly clock: Clock;
  /** Applies `writeTimeoutMs` to each write. */
  readonly deadlines: Deadlines;
  /** Called after each successful write. */
  readonly onDelivered: (record: SinkRecord, result: SinkWriteResult | undefined) => void;
  /** Called when a record is given up on; nothing else happens to it. */
  readonly onDeadLetter: (record: SinkRecord, error: unknown, attempts: number) => void;
  /** Called on each failed attempt that will be retried. */
  readonly onRetry: (record: SinkRecord, error: unknown, attempt: number) => void;
}

interface Waiter {
  readonly resolve: () => void;
}

function sameDocument(a: SinkRecord, b: SinkRecord): boolean {
  return a.kind === 'document' && b.kind === 'document' && a.name === b.name && a.symbol === b.symbol;
}

/**
 * One sink's bounded, ordered delivery queue with its own worker, so a slow or failing sink
 * never holds up another. At-least-once: a record leaves the queue only when written or
 * handed to `onDeadLetter`. A queued (not yet in flight) state document is replaced by a newer
 * version of the same document (coalescing). Not exported from the package.
 */
export class SinkChannel {
  readonly sink: Sink;
  readonly #options: SinkChannelOptions;
  readonly #queue: SinkRecord[] = [];
  readonly #spaceWaiters: Waiter[] = [];
  readonly #idleWaiters: Waiter[] = [];
  readonly #waiting = new Map<SinkRecord, { resolve: (result: SinkWriteResult | undefined) => void; reject: (error: unknown) => void }>();
  #inFlight = false;
  #running: Promise<void> | undefined;
  #controller = new AbortController();

  constructor(sink: Sink, options: SinkChannelOptions) {
    this.sink = sink;
    this.#options = options;
  }

  /** Records waiting or in flight, oldest first (for checkpoints). */
  get pending(): readonly SinkRecord[] {
    return this.#queue;
  }

  /** Queues a record; waits while the queue is full. Rejects with `signal.reason` if aborted while waiting. */
  async push(record: SinkRecord, signal?: AbortSignal): Promise<void> {
    if (record.kind === 'document') {
      const start = this.#inFlight ? 1 : 0;
      for (let i = start; i < this.#queue.length; i++) {
        if (sameDocument(this.#queue[i] as SinkRecord, record)) {
          this.#queue[i] = record;
          return;
        }
      }
    }
    while (this.#queue.length >= this.#options.bufferSize) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); } };
        const onAbort = (): void => {
          const at = this.#spaceWaiters.indexOf(waiter);
          if (at >= 0) this.#spaceWaiters.splice(at, 1);
          reject(signal?.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#spaceWaiters.push(waiter);
      });
    }
    this.#queue.push(record);
    this.#kick();
  }

  /**
   * Queues a record and resolves with the sink's answer once it is written; rejects with the
   * last error if it becomes a dead letter (which is reported as usual too).
   */
  async deliver(record: SinkRecord, signal?: AbortSignal): Promise<SinkWriteResult | undefined> {
    const done = new Promise<SinkWriteResult | undefined>((resolve, reject) => this.#waiting.set(record, { resolve, reject }));
    try {
      await this.push(record, signal);
    } catch (error) {
      this.#waiting.delete(record);
      throw error;
    }
    return done;
  }

  /** Resolves when the queue is empty (every record written or dead-lettered). */
  drain(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push({ resolve }));
  }

  /** Aborts the write in flight and stops the worker; queued records stay in `pending`. */
  async close(): Promise<void> {
    const reason = new DOMException('The pipeline stopped', 'AbortError');
    this.#controller.abort(reason);
    await this.#running;
    for (const waiter of this.#waiting.values()) waiter.reject(reason);
    this.#waiting.clear();
    this.#controller = new AbortController();
    for (const waiter of this.#idleWaiters.splice(0)) waiter.resolve();
  }

  #kick(): void {
    if (this.#running !== undefined) return;
    this.#running = this.#work().finally(() => {
      this.#running = undefined;
    });
  }

  async #work(): Promise<void> {
    const signal = this.#controller.signal;
    while (this.#queue.length > 0 && !signal.aborted) {
      const record = this.#queue[0] as SinkRecord;
      this.#inFlight = true;
      const outcome = await this.#deliver(record, signal);
      this.#inFlight = false;
      if (outcome === 'aborted') return;
      this.#queue.shift();
      this.#spaceWaiters.shift()?.resolve();
    }
    if (this.#queue.length === 0) for (const waiter of this.#idleWaiters.splice(0)) waiter.resolve();
  }

  async #deliver(record: SinkRecord, signal: AbortSignal): Promise<'done' | 'aborted'> {
    const { clock, maxAttempts, writeTimeoutMs } = this.#options;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.#options.deadlines.run(
          writeTimeoutMs,
          signal,
          () => new DOMException(`Sink ${this.sink.name} did not answer within ${writeTimeoutMs} ms`, 'TimeoutError'),
          (writeSignal) =>
            this.sink.write(record, {
              get signal() {
                return writeSignal();
              },
            }),
        );
        this.#options.onDelivered(record, result ?? undefined);
        this.#waiting.get(record)?.resolve(result ?? undefined);
        this.#waiting.delete(record);
        return 'done';
      } catch (error) {
        if (signal.aborted) return 'aborted';
        const retryable = !isSinkError(error) || error.retryable;
        if (!retryable || attempt >= maxAttempts) {
          this.#options.onDeadLetter(record, error, attempt);
          this.#waiting.get(record)?.reject(error);
          this.#waiting.delete(record);
          return 'done';
        }
        this.#options.onRetry(record, error, attempt);
        try {
          await clock.sleep(this.#options.retryDelay(attempt), signal);
        } catch {
          return 'aborted';
        }
      }
    }
  }
}
