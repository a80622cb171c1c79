import type { Clock } from 'market-data-pipeline';

/**
 * A {@link Clock} running `speed` times faster than the wall clock from a shared origin:
 * `now()` is `start + (Date.now() - origin) * speed`. Processes given the same `start`, `origin`
 * and `speed` agree on the time, so the demo's workers and agent see one simulated market.
 */
export class ScaledClock implements Clock {
  readonly #start: number;
  readonly #origin: number;
  readonly #speed: number;

  /**
   * @param start - Simulated time at `origin`, epoch ms.
   * @param origin - Wall-clock time (epoch ms) at which the simulation is at `start`.
   * @param speed - Simulated ms per wall ms, > 0 (60: a simulated minute per second).
   * @throws When `speed` is not a positive number.
   */
  constructor(start: number, origin: number, speed: number) {
    if (!(speed > 0)) throw new Error(`Expected \`speed\` to be a positive number, got \`${speed}\``);
    this.#start = start;
    this.#origin = origin;
    this.#speed = speed;
  }

  /** The simulated time, epoch ms. */
  now(): number {
    return this.#start + (Date.now() - this.#origin) * this.#speed;
  }

  /**
   * The wall-clock time (epoch ms) at which the simulation reaches `simulated`.
   *
   * @param simulated - A simulated time, epoch ms.
   * @returns Its wall-clock time.
   */
  wallTime(simulated: number): number {
    return this.#origin + (simulated - this.#start) / this.#speed;
  }

  /**
   * Resolves after `ms` simulated milliseconds (`ms / speed` of wall time).
   *
   * @param ms - Simulated milliseconds.
   * @param signal - Rejects with its reason when aborted.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms / this.#speed),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
