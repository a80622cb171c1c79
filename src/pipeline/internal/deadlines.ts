import type { Clock } from '../clock.js';

interface Entry {
  /** When the operation times out, epoch ms of the clock. */
  readonly deadline: number;
  readonly controller: AbortController;
  readonly outer: AbortSignal | undefined;
  readonly timeoutReason: () => unknown;
  reject: (reason: unknown) => void;
}

/** The abort listener on one caller signal, and how many operations in flight use that signal. */
interface Listener {
  readonly onAbort: () => void;
  inFlight: number;
}

/**
 * Time limits for many operations with one timer. Not exported from the package.
 *
 * `run` gives each operation its own `AbortSignal`, aborted when its time is up or when the
 * caller's signal aborts, and rejects with that reason even if the operation ignores it. Where
 * a timer and abort listeners per operation would cost an `AbortSignal.abort()` and two
 * listener changes per call (about 20 µs in Node 20), here one watchdog sleep on the clock
 * covers every operation in flight, and one listener covers each distinct caller signal.
 *
 * Nothing is left behind: once no operation is in flight (checked one macrotask later, so a
 * steady stream of operations keeps the same watchdog), the watchdog's sleep is cancelled; a
 * caller signal's listener is removed the same way once none of its operations is in flight,
 * even while operations of other signals are. `close()` does that at once.
 */
export class Deadlines {
  readonly #clock: Clock;
  readonly #entries = new Set<Entry>();
  readonly #listeners = new Map<AbortSignal, Listener>();
  #watchdog: AbortController | undefined;
  #wakeAt = Number.POSITIVE_INFINITY;
  #idleCheck: ReturnType<typeof setTimeout> | undefined;

  /** @param clock - Whose time the limits are measured in. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Runs `task` with a signal that aborts when `outer` aborts or when `ms` of clock time pass,
   * whichever is first.
   *
   * @param ms - The time limit, ms of the clock.
   * @param outer - The caller's signal, if any.
   * @param timeoutReason - Builds the rejection reason for a timeout.
   * @param task - The operation. It gets its signal through a function, so that the signal
   *   is only made for an operation that reads it (Node builds an `AbortSignal` lazily, at
   *   about 5 µs).
   * @returns The task's result; rejects with the task's error, the timeout reason or
   *   `outer.reason`.
   */
  run<T>(
    ms: number,
    outer: AbortSignal | undefined,
    timeoutReason: () => unknown,
    task: (signal: () => AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (outer?.aborted === true) return Promise.reject(outer.reason as Error);
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = { deadline: this.#clock.now() + ms, controller, outer, timeoutReason, reject };
      this.#add(entry);
      // An async wrapper turns a task that throws synchronously into a rejection.
      const answer = (async (): Promise<T> => task(() => controller.signal))();
      answer.then(
        (value) => {
          if (this.#settle(entry)) resolve(value);
        },
        (error: Error) => {
          if (this.#settle(entry)) reject(error);
        },
      );
    });
  }

  /**
   * Cancels the watchdog and removes the listeners now, except those that operations still in
   * flight need: these keep their time limits and caller signals, and what they need goes
   * once they settle.
   */
  close(): void {
    if (this.#idleCheck !== undefined) clearTimeout(this.#idleCheck);
    this.#idleCheck = undefined;
    this.#sweep();
  }

  #add(entry: Entry): void {
    this.#entries.add(entry);
    const outer = entry.outer;
    if (outer !== undefined) {
      let listener = this.#listeners.get(outer);
      if (listener === undefined) {
        const onAbort = (): void => this.#abortWith(outer);
        outer.addEventListener('abort', onAbort, { once: true });
        listener = { onAbort, inFlight: 0 };
        this.#listeners.set(outer, listener);
      }
      listener.inFlight++;
    }
    if (entry.deadline < this.#wakeAt) this.#arm(entry.deadline);
  }

  /**
   * Removes a finished entry; `false` when it had already timed out or been aborted. Once
   * nothing is in flight, or nothing of the entry's caller signal, sweeps one macrotask later
   * (unless a new operation came by then).
   */
  #settle(entry: Entry): boolean {
    if (!this.#entries.delete(entry)) return false;
    const listener = entry.outer === undefined ? undefined : this.#listeners.get(entry.outer);
    if (listener !== undefined) listener.inFlight--;
    if ((this.#entries.size === 0 || listener?.inFlight === 0) && this.#idleCheck === undefined) {
      this.#idleCheck = setTimeout(() => {
        this.#idleCheck = undefined;
        this.#sweep();
      }, 0);
    }
    return true;
  }

  #fail(entry: Entry, reason: unknown): void {
    if (!this.#settle(entry)) return;
    entry.controller.abort(reason);
    entry.reject(reason);
  }

  #abortWith(outer: AbortSignal): void {
    this.#listeners.delete(outer);
    for (const entry of this.#entries) if (entry.outer === outer) this.#fail(entry, outer.reason);
  }

  #arm(deadline: number): void {
    this.#watchdog?.abort();
    const watchdog = new AbortController();
    this.#watchdog = watchdog;
    this.#wakeAt = deadline;
    this.#clock.sleep(deadline - this.#clock.now(), watchdog.signal).then(
      () => {
        if (this.#watchdog !== watchdog) return;
        this.#watchdog = undefined;
        this.#wakeAt = Number.POSITIVE_INFINITY;
        this.#expire();
      },
      () => undefined,
    );
  }

  /** Times out every entry whose deadline has passed and re-arms for the earliest left. */
  #expire(): void {
    const now = this.#clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries) {
      if (entry.deadline <= now) this.#fail(entry, entry.timeoutReason());
      else if (entry.deadline < next) next = entry.deadline;
    }
    if (next < Number.POSITIVE_INFINITY) this.#arm(next);
  }

  /** Cancels the watchdog when nothing is in flight and removes the listeners no operation in flight needs. */
  #sweep(): void {
    if (this.#entries.size === 0) {
      this.#watchdog?.abort();
      this.#watchdog = undefined;
      this.#wakeAt = Number.POSITIVE_INFINITY;
    }
    for (const [signal, listener] of this.#listeners) {
      if (listener.inFlight === 0) {
        signal.removeEventListener('abort', listener.onAbort);
        this.#listeners.delete(signal);
      }
    }
  }
}
