import { isSinkError, SinkError } from '../../errors/sink-error.js';
import type { Clock } from '../clock.js';
import type { Deadlines } from './deadlines.js';
import { Waiters } from './waiters.js';
import { TwoKeyMap } from '../../internal/two-key-map.js';
import type { Sink, SinkRecord, SinkWriteResult } from '../sink.js';

/** Settings of one sink's delivery queue. */
export interface SinkChannelOptions {
  /** Records queued before `push` waits (backpressure). */
  readonly bufferSize: number;
  /**
   * Records a detached queue keeps beyond `bufferSize` (the overflow, kept by checkpoints);
   * past it, a record goes to `onDeadLetter` at once. @defaultValue `Infinity`
   */
  readonly overflowSize?: number;
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
  /** Called when a record is given up on; nothing else happens to it. */
  readonly onDeadLetter: (record: SinkRecord, error: unknown, attempts: number) => void;
  /** Called on each failed write that will be tried again (a failed batch's records are tried one by one). */
  readonly onFailedAttempt: (error: unknown) => void;
  /** Called when the queue is detached from backpressure (its later records wait in the overflow), with the records queued. */
  readonly onDetached?: (queued: number) => void;
  /** Called once per detachment when the overflow is full and records start going to `onDeadLetter` unwritten. */
  readonly onOverflowFull?: (queued: number) => void;
}

/** Why a push stopped waiting for space: the queue stayed full for a whole `writeTimeoutMs`. */
const STILL_FULL = new Error('The queue stayed full');

type Outcome = 'done' | 'failed' | 'aborted';

/**
 * One sink's bounded, ordered delivery queue with its own worker, so a slow or failing sink
 * never holds up another. Not exported from the package.
 *
 * - At-least-once: a record leaves the queue only when written or handed to `onDeadLetter`.
 * - A queued (not yet in flight) state document is replaced by a newer version of the same
 *   document (coalescing).
 * - When the sink has `writeMany`, the worker hands it every record queued at the head (up to
 *   one awaited through {@link SinkChannel.deliver}, which is written alone for its answer) in
 *   one call under one time limit. An idle worker then starts one macrotask after the first
 *   record (a `setTimeout(0)`), so the records queued in the same turn of the event loop — a
 *   whole cycle's bars and documents when the sources answer at once — go in one call; it
 *   starts at once when the queue is full or `drain` is called. A failed batch is not retried
 *   as a batch: its records are written one by one with `write`, each with its own retries and
 *   dead letter, so one bad record cannot take the others down with it.
 * - Backpressure is bounded in time: a full queue holds its pushes only while its sink keeps
 *   up. When the last write attempt failed (an error or a timeout), or the queue has stayed full
 *   for `writeTimeoutMs` since a push first waited, the queue is detached: pushes no longer
 *   wait, their records go to an overflow of at most `overflowSize` records beyond
 *   `bufferSize` (still in order, still in `pending`, so kept by checkpoints), and past that to
 *   `onDeadLetter` at once. The worker keeps retrying meanwhile; the queue is attached again
 *   once it is back under `bufferSize`. So a push waits at most `writeTimeoutMs` per episode.
 */
export class SinkChannel {
  readonly sink: Sink;
  readonly #options: SinkChannelOptions;
  readonly #queue: SinkRecord[] = [];
  /** Queued documents by name and symbol: their position counted from the first record ever queued. */
  readonly #documents = new TwoKeyMap<string, string | undefined, number>();
  /** Pushes waiting for space. */
  readonly #spaceWaiters = new Waiters();
  /** Drains waiting for an empty queue. */
  readonly #idleWaiters = new Waiters();
  readonly #waiting = new Map<SinkRecord, { resolve: (result: SinkWriteResult | undefined) => void; reject: (error: unknown) => void }>();
  /** Records that have left the queue's head so far. */
  #removed = 0;
  /** Records at the head being written. */
  #inFlight = 0;
  /** Records at the head to write one by one (those of a failed batch). */
  #singles = 0;
  #running: Promise<void> | undefined;
  #startTimer: ReturnType<typeof setTimeout> | undefined;
  #controller = new AbortController();
  /** When a push first found the queue full in this episode (clock ms); `undefined` while it has space. */
  #fullSince: number | undefined;
  /** Whether full pushes go to the overflow instead of waiting. */
  #detached = false;
  /** Whether this detachment's full overflow was reported. */
  #overflowReported = false;
  /** Whether the last write attempt failed. */
  #failing = false;

  constructor(sink: Sink, options: SinkChannelOptions) {
    this.sink = sink;
    this.#options = options;
  }

  /** Records waiting or in flight, oldest first (for checkpoints). */
  get pending(): readonly SinkRecord[] {
    return this.#queue;
  }

  /** Queues a record; waits while the queue is full. Rejects with `signal.reason` if aborted while waiting. */
  push(record: SinkRecord, signal?: AbortSignal): Promise<void> {
    return this.pushAll([record], signal);
  }

  /**
   * Queues records in order, waiting for space as each needs it (while the queue is attached),
   * and starts the worker once they are queued (so that a sink with `writeMany` gets them in
   * one call). Rejects with `signal.reason` if aborted while waiting, or the close reason if
   * the channel closes: the records not yet queued are then queued beyond the bound, so that
   * `pending` (and a checkpoint) still holds every record the pipeline handed over.
   */
  async pushAll(records: readonly SinkRecord[], signal?: AbortSignal): Promise<void> {
    for (let k = 0; k < records.length; k++) {
      const record = records[k] as SinkRecord;
      while (!this.#replace(record)) {
        if (this.#queue.length < this.#options.bufferSize) {
          this.#append(record);
          break;
        }
        if (this.#detached || this.#failing) {
          this.#overflow(record);
          break;
        }
        this.#kick(true);
        try {
          await this.#spaceWithin(signal);
        } catch (error) {
          if (error === STILL_FULL) continue;
          this.hold(records.slice(k), false);
          throw error;
        }
      }
    }
    this.#kick();
  }

  /**
   * Queues records beyond the bound without waiting (a checkpoint's pending records, or those
   * handed over after the pipeline stopped), replacing queued versions of their documents.
   *
   * @param start - Whether to start the worker.
   */
  hold(records: readonly SinkRecord[], start: boolean): void {
    for (const record of records) if (!this.#replace(record)) this.#append(record);
    if (start) this.#kick();
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

  /**
   * Starts writing at once and resolves when the queue is empty (every record written or
   * dead-lettered), or when the channel closes. Rejects with `signal.reason` if it aborts first.
   */
  drain(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (this.#queue.length === 0) return Promise.resolve();
    this.#kick(true);
    return this.#idleWaiters.wait(signal);
  }

  /**
   * Aborts the write in flight and stops the worker; queued records stay in `pending`, and so
   * do those of pushes waiting for space (which reject with the close reason).
   */
  async close(): Promise<void> {
    const reason = new DOMException('The pipeline stopped', 'AbortError');
    clearTimeout(this.#startTimer);
    this.#startTimer = undefined;
    this.#controller.abort(reason);
    await this.#running;
    this.#spaceWaiters.fail(reason);
    for (const waiter of this.#waiting.values()) waiter.reject(reason);
    this.#waiting.clear();
    this.#controller = new AbortController();
    this.#idleWaiters.wake();
  }

  /** Replaces the queued, not yet in flight version of a document; `false` when there is none. */
  #replace(record: SinkRecord): boolean {
    if (record.kind !== 'document') return false;
    const at = this.#documents.get(record.name, record.symbol);
    if (at === undefined) return false;
    const index = at - this.#removed;
    if (index < this.#inFlight) return false;
    this.#queue[index] = record;
    return true;
  }

  /** Queues `record` in the overflow of a detached queue, or dead-letters it when the overflow is full. */
  #overflow(record: SinkRecord): void {
    const { bufferSize, overflowSize = Number.POSITIVE_INFINITY } = this.#options;
    this.#detach();
    if (this.#queue.length < bufferSize + overflowSize) {
      this.#append(record);
      return;
    }
    if (!this.#overflowReported) {
      this.#overflowReported = true;
      this.#options.onOverflowFull?.(this.#queue.length);
    }
    const error = new SinkError(
      `Sink ${this.sink.name} is detached and its overflow is full (${this.#queue.length} records queued): the record was not written`,
      { sink: this.sink.name, retryable: false },
    );
    this.#waiting.get(record)?.reject(error);
    this.#waiting.delete(record);
    this.#options.onDeadLetter(record, error, 0);
  }

  #append(record: SinkRecord): void {
    if (record.kind === 'document') this.#documents.set(record.name, record.symbol, this.#removed + this.#queue.length);
    this.#queue.push(record);
  }

  /** Removes `count` records from the head and wakes as many pushes waiting for space. */
  #remove(count: number): void {
    for (let i = 0; i < count; i++) {
      const record = this.#queue[i] as SinkRecord;
      if (record.kind !== 'document') continue;
      if (this.#documents.get(record.name, record.symbol) === this.#removed + i) this.#documents.delete(record.name, record.symbol);
    }
    this.#queue.splice(0, count);
    this.#removed += count;
    const woken = this.#spaceWaiters.wake(count);
    // Space no push is about to take: the episode of a full queue is over.
    if (this.#queue.length + woken < this.#options.bufferSize) {
      this.#fullSince = undefined;
      this.#detached = false;
      this.#overflowReported = false;
    }
  }

  /** Records the outcome of a write attempt; a failure wakes the pushes waiting for space, which then go to the overflow. */
  #attempted(ok: boolean): void {
    this.#failing = !ok;
    if (!ok) this.#spaceWaiters.wake();
  }

  /**
   * Waits for space, at most until the queue has been full for `writeTimeoutMs` since a push
   * first waited in this episode; then rejects with {@link STILL_FULL} and detaches the queue.
   */
  async #spaceWithin(signal: AbortSignal | undefined): Promise<void> {
    const { clock, writeTimeoutMs, deadlines } = this.#options;
    this.#fullSince ??= clock.now();
    const left = this.#fullSince + writeTimeoutMs - clock.now();
    try {
      if (left <= 0) throw STILL_FULL;
      await deadlines.run(
        left,
        signal,
        () => STILL_FULL,
        (space) => this.#spaceWaiters.wait(space()),
      );
    } catch (error) {
      if (error === STILL_FULL) this.#detach();
      throw error;
    }
  }

  /** Detaches the queue from backpressure (reported once per detachment). */
  #detach(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.#options.onDetached?.(this.#queue.length);
  }

  /** Starts the worker unless it runs: one macrotask later for a sink with `writeMany` (unless `now`), else at once. */
  #kick(now = false): void {
    if (this.#running !== undefined || this.#queue.length === 0) return;
    if (!now && this.sink.writeMany !== undefined) {
      this.#startTimer ??= setTimeout(() => {
        this.#startTimer = undefined;
        this.#kick(true);
      }, 0);
      return;
    }
    clearTimeout(this.#startTimer);
    this.#startTimer = undefined;
    this.#running = this.#work().finally(() => {
      this.#running = undefined;
      // Records queued while the worker was finishing (by a push it woke) found it still running.
      if (!this.#controller.signal.aborted) this.#kick();
    });
  }

  async #work(): Promise<void> {
    const signal = this.#controller.signal;
    while (this.#queue.length > 0 && !signal.aborted) {
      const count = this.#batchSize();
      this.#inFlight = count;
      const outcome =
        count === 1
          ? await this.#deliverOne(this.#queue[0] as SinkRecord, signal)
          : await this.#deliverBatch(this.#queue.slice(0, count), signal);
      this.#inFlight = 0;
      if (outcome === 'aborted') return;
      if (outcome === 'failed') {
        this.#singles = count;
        continue;
      }
      if (this.#singles > 0) this.#singles--;
      this.#remove(count);
    }
    if (this.#queue.length === 0) this.#idleWaiters.wake();
  }

  /** How many head records the next write takes: 1 without `writeMany`, after a failed batch, or for an awaited record. */
  #batchSize(): number {
    if (this.sink.writeMany === undefined || this.#singles > 0) return 1;
    let count = 0;
    while (count < this.#queue.length && !this.#waiting.has(this.#queue[count] as SinkRecord)) count++;
    return Math.max(1, count);
  }

  /** One `writeMany` attempt; `failed` hands its records to {@link SinkChannel.#deliverOne}. */
  async #deliverBatch(records: readonly SinkRecord[], signal: AbortSignal): Promise<Outcome> {
    try {
      await this.#attempt(signal, (writeSignal) =>
        (this.sink.writeMany as NonNullable<Sink['writeMany']>)(records, {
          get signal() {
            return writeSignal();
          },
        }),
      );
      this.#attempted(true);
      return 'done';
    } catch (error) {
      if (signal.aborted) return 'aborted';
      this.#attempted(false);
      this.#options.onFailedAttempt(error);
      return 'failed';
    }
  }

  /** Writes one record with retries; `done` once written or dead-lettered. */
  async #deliverOne(record: SinkRecord, signal: AbortSignal): Promise<Outcome> {
    const { clock, maxAttempts } = this.#options;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.#attempt(signal, (writeSignal) =>
          this.sink.write(record, {
            get signal() {
              return writeSignal();
            },
          }),
        );
        this.#attempted(true);
        this.#waiting.get(record)?.resolve(result ?? undefined);
        this.#waiting.delete(record);
        return 'done';
      } catch (error) {
        if (signal.aborted) return 'aborted';
        this.#attempted(false);
        const retryable = !isSinkError(error) || error.retryable;
        if (!retryable || attempt >= maxAttempts) {
          this.#options.onDeadLetter(record, error, attempt);
          this.#waiting.get(record)?.reject(error);
          this.#waiting.delete(record);
          return 'done';
        }
        this.#options.onFailedAttempt(error);
        try {
          await clock.sleep(this.#options.retryDelay(attempt), signal);
        } catch {
          return 'aborted';
        }
      }
    }
  }

  /** Runs one write under the time limit. */
  #attempt<T>(signal: AbortSignal, write: (writeSignal: () => AbortSignal) => Promise<T>): Promise<T> {
    const { writeTimeoutMs } = this.#options;
    return this.#options.deadlines.run(
      writeTimeoutMs,
      signal,
      () => new DOMException(`Sink ${this.sink.name} did not answer within ${writeTimeoutMs} ms`, 'TimeoutError'),
      write,
    );
  }
}
