import type { RequestPriority } from '../../schemas/data-request-schema.js';
import type { Clock } from '../clock.js';
import type { Source } from '../source.js';

/** Rank of each priority: a higher rank is served first. */
const RANK: Readonly<Record<RequestPriority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** One request waiting for its source's rate limiter. */
interface Waiter {
  readonly rank: number;
  /** Clock time by which it must be sent (its wait budget ends), epoch ms. */
  readonly latest: number;
  /** Sends the request now (called by the pump). */
  readonly start: () => void;
}

/** The waiters of one source, highest rank first, then by arrival, and the pump's sleep. */
interface SourceQueue {
  readonly waiters: Waiter[];
  pumping: boolean;
  /** Aborts the pump's sleep when the last waiter leaves. */
  sleep: AbortController | undefined;
}

/**
 * Orders the data requests that wait for a source's rate limiter by their `priority` (`urgent`,
 * `high`, `normal`, `low`), then by arrival. A request sent while its source's limiter has room
 * and nobody waits goes at once; otherwise it joins the source's queue, and one pump per source
 * sleeps (on the pipeline's clock) until the limiter has room, then sends the first waiter. A
 * waiter the limiter cannot take within its wait budget (`maxWaitMs`) is sent at once with what is
 * left of the budget, and the feed controller then refuses it (`Throttled`), as it refuses a
 * request that would wait too long without a queue. Only data requests queue here: polls ask the
 * limiter directly. Not exported from the package.
 *
 * `send` is called synchronously by the pump, and the feed controller's `request` takes its
 * limiter slot in the synchronous part of the call, so the pump sees the slot gone before it
 * looks at the next waiter.
 */
export class RequestQueue {
  readonly #clock: Clock;
  readonly #waitMs: (source: Source) => number;
  readonly #queues = new Map<string, SourceQueue>();

  /**
   * @param clock - The pipeline's clock (the pump sleeps on it).
   * @param waitMs - How long (ms) a request to the source would wait for its limiter now; 0 when it would go at once.
   */
  constructor(clock: Clock, waitMs: (source: Source) => number) {
    this.#clock = clock;
    this.#waitMs = waitMs;
  }

  /**
   * Sends a request to `source` in its turn.
   *
   * @param maxWaitMs - The request's wait budget from now, ms of the clock.
   * @param send - Sends the request (through the rate limiter) with what is left of the budget,
   *   ms; called once, when the request's turn comes or its budget cannot be met.
   * @param signal - Aborting it while the request waits takes it out of the queue and rejects with the signal's reason.
   * @returns What `send` returns.
   */
  send<T>(
    source: Source,
    priority: RequestPriority,
    maxWaitMs: number,
    signal: AbortSignal | undefined,
    send: (maxWaitMs: number) => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    const queue = this.#queue(source.name);
    if (queue.waiters.length === 0 && this.#waitMs(source) === 0) return send(maxWaitMs);
    const latest = this.#clock.now() + maxWaitMs;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const at = queue.waiters.indexOf(waiter);
        if (at >= 0) queue.waiters.splice(at, 1);
        if (queue.waiters.length === 0) queue.sleep?.abort();
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        rank: RANK[priority],
        latest,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          // Called now (the executor runs at once); a synchronous throw becomes a rejection.
          resolve(new Promise<T>((sent) => sent(send(Math.max(0, latest - this.#clock.now())))));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // After every waiter of a higher rank, and of the same rank that came earlier.
      const at = queue.waiters.findIndex((other) => other.rank < waiter.rank);
      queue.waiters.splice(at < 0 ? queue.waiters.length : at, 0, waiter);
      void this.#pump(source, queue);
    });
  }

  #queue(name: string): SourceQueue {
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      queue = { waiters: [], pumping: false, sleep: undefined };
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /** Sends the waiters of `source` in order, each when the limiter has room; returns when none is left. */
  async #pump(source: Source, queue: SourceQueue): Promise<void> {
    if (queue.pumping) return;
    queue.pumping = true;
    try {
      for (;;) {
        const first = queue.waiters[0];
        if (first === undefined) return;
        // A limiter that cannot say (a weight over its limit) lets the request find out itself.
        let wait = 0;
        try {
          wait = this.#waitMs(source);
        } catch {
          wait = 0;
        }
        if (wait === 0) {
          queue.waiters.shift();
          first.start();
          continue;
        }
        // Waiters whose budget ends before the limiter's next room go now (and are refused).
        const now = this.#clock.now();
        for (const waiter of queue.waiters.filter((w) => w.latest < now + wait)) {
          queue.waiters.splice(queue.waiters.indexOf(waiter), 1);
          waiter.start();
        }
        if (queue.waiters.length === 0) return;
        const sleep = new AbortController();
        queue.sleep = sleep;
        try {
          await this.#clock.sleep(wait, sleep.signal);
        } catch {
          // Woken because the queue emptied: the loop sees it.
        }
        queue.sleep = undefined;
      }
    } finally {
      queue.pumping = false;
    }
  }
}
