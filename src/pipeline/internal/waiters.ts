interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: Error) => void;
}

/**
 * Promises waiting for something (space in a queue, an empty queue), woken oldest first. A
 * waiter whose signal aborts leaves the line and rejects with `signal.reason`; no abort
 * listener is left behind once it settles.
 */
export class Waiters {
  readonly #line: Waiter[] = [];

  /** Waiters in line. */
  get size(): number {
    return this.#line.length;
  }

  /** Resolves when woken; rejects with `signal.reason` if it aborts first, or with what {@link Waiters.fail} gives. */
  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#line.indexOf(waiter);
        if (at >= 0) this.#line.splice(at, 1);
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#line.push(waiter);
    });
  }

  /** Wakes the `count` oldest waiters (all by default); returns how many were woken. */
  wake(count = Number.POSITIVE_INFINITY): number {
    const woken = this.#line.splice(0, count);
    for (const waiter of woken) waiter.resolve();
    return woken.length;
  }

  /** Rejects every waiter with `reason`. */
  fail(reason: Error): void {
    for (const waiter of this.#line.splice(0)) waiter.reject(reason);
  }
}
