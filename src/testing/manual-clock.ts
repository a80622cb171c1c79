import { ConfigError } from '../errors/config-error.js';
import type { Clock } from '../pipeline/clock.js';

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fire: () => void;
}

// One macrotask: lets every promise continuation run (and schedule its next sleep)
// before the next timer fires.
function settle(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/**
 * A `Clock` whose time moves only when a test says so. `sleep` registers a timer; `advance`
 * moves time forward and fires the timers that fall due, one at a time in due-time order
 * (ties in the order they were scheduled), with `now()` equal to each timer's due time
 * when it fires. Between two timers it lets pending promise continuations run, so code
 * that sleeps in a loop (retries, polling) schedules its next timer and, if that is due
 * within the same `advance`, sees it fire too.
 *
 * `advance` waits on one real `setTimeout(0)` per fired timer to let continuations run, so
 * do not combine `ManualClock` with fake global timers.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(1_738_233_000_000);
 * const order: string[] = [];
 * void clock.sleep(2_000).then(() => order.push('2s'));
 * void clock.sleep(1_000).then(() => order.push('1s'));
 * await clock.advance(5_000);
 * order         // ['1s', '2s']
 * clock.now()   // 1738233005000
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers: Timer[] = [];

  /**
   * @param start - the initial time, epoch ms.
   *   Defaults to 1735689600000 (2025-01-01T00:00:00Z).
   * @throws ConfigError when `start` is not a finite number.
   */
  constructor(start = 1_735_689_600_000) {
    if (!Number.isFinite(start))
      throw new ConfigError(`Expected \`start\` to be epoch milliseconds, got \`${start}\``, { path: ['start'], value: start });
    this.#now = start;
  }

  /**
   * The clock's current time.
   *
   * @returns Epoch milliseconds.
   */
  now(): number {
    return this.#now;
  }

  /** Number of sleeps waiting for time to reach them. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Resolves when `advance` moves the clock to `now() + ms` or beyond; `ms <= 0` resolves at
   * once. Rejects with `signal.reason` when `signal` aborts first (or already has), and the
   * timer is removed.
   *
   * @param ms - how long to wait, in this clock's milliseconds.
   * @param signal - cancels the wait.
   * @returns A promise that settles when the time comes or the signal aborts.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (Number.isNaN(ms))
      return Promise.reject(new ConfigError('Expected `ms` to be a number of milliseconds, got `NaN`', { path: ['ms'], value: ms }));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#timers.indexOf(timer);
        if (at >= 0) this.#timers.splice(at, 1);
        reject(signal?.reason as Error);
      };
      const timer: Timer = {
        due: this.#now + ms,
        seq: this.#seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Keep the list sorted by (due, seq); new timers usually go near the end.
      let at = this.#timers.length;
      while (at > 0 && (this.#timers[at - 1] as Timer).due > timer.due) at--;
      this.#timers.splice(at, 0, timer);
    });
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way.
   *
   * @param ms - milliseconds to move forward; must be finite and non-negative.
   * @returns A promise that resolves once time is `now() + ms` and the continuations of the
   *   fired timers have run.
   * @throws ConfigError (as a rejection) when `ms` is negative or not finite.
   */
  async advance(ms: number): Promise<void> {
    if (!(Number.isFinite(ms) && ms >= 0)) {
      throw new ConfigError(`Expected \`ms\` to be a finite, non-negative number of milliseconds, got \`${ms}\``, {
        path: ['ms'],
        value: ms,
      });
    }
    await this.advanceTo(this.#now + ms);
  }

  /**
   * Moves time forward to `time`, firing every timer due at or before it.
   *
   * @param time - the new time, epoch ms; not before `now()`.
   * @returns A promise that resolves once time is `time` and the continuations of the fired
   *   timers have run.
   * @throws ConfigError (as a rejection) when `time` is before `now()` or not finite.
   */
  async advanceTo(time: number): Promise<void> {
    if (!(Number.isFinite(time) && time >= this.#now)) {
      throw new ConfigError(`Expected \`time\` to be at or after now (${this.#now}), got \`${time}\``, { path: ['time'], value: time });
    }
    await settle();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.due > time) break;
      this.#timers.shift();
      this.#now = next.due;
      next.fire();
      await settle();
    }
    this.#now = time;
  }
}
