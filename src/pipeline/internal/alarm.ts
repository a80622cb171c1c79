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
   * Sleeps on `clock` until `until` (epoch ms) or until the alarm rings; returns at once when it
   * rang since the last sleep. Never rejects: whoever stops the loop rings its alarm (one
   * listener for all loops, instead of one per sleeping loop on the same signal).
   */
  async sleepUntil(clock: Clock, until: number): Promise<void> {
    if (this.#rung) {
      this.#rung = false;
      return;
    }
    const sleeping = new AbortController();
    this.#sleeping = sleeping;
    try {
      await clock.sleep(until - clock.now(), sleeping.signal);
    } catch {
      // Rung.
    } finally {
      this.#sleeping = undefined;
      this.#rung = false;
    }
  }
}
