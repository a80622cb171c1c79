import type { Clock } from '../clock.js';

/**
 * Wakes one sleeping loop early: the loop sleeps until its next due time, and whoever changes
 * what the loop works on rings the alarm. A ring while the loop is awake is remembered, so the
 * loop's next sleep returns at once and it looks again; a ring costs nothing while nobody
 * sleeps.
 */
export class Alarm {
  #sleeping: AbortController | undefined;
  #rung = false;

  /** Something the loop depends on changed. */
  ring(): void {
    this.#rung = true;
    this.#sleeping?.abort();
  }

  /**
   * Sleeps on `clock` until `until` (epoch ms), until the alarm rings, or until `signal` aborts
   * (then rejects with its reason). Returns at once when it rang since the last sleep.
   */
  async sleepUntil(clock: Clock, until: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#rung) {
      this.#rung = false;
      return;
    }
    const sleeping = new AbortController();
    this.#sleeping = sleeping;
    const onAbort = (): void => sleeping.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await clock.sleep(until - clock.now(), sleeping.signal);
    } catch {
      // Rung or stopped: told apart below.
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#sleeping = undefined;
      this.#rung = false;
    }
    signal.throwIfAborted();
  }
}
