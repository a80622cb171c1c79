import { PipelineStoppedError } from '../../errors/pipeline-stopped-error.js';
import type { Clock } from '../clock.js';

/**
 * Owns whether the pipeline is stopped, and the operations (cycles, flushes) running until it
 * is. Each runs with a signal that aborts when its caller's signal aborts or when the pipeline
 * stops (with a {@link PipelineStoppedError}); once stopped, every operation rejects with one.
 */
export class Lifecycle {
  readonly #controller = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #clock: Clock;

  /** @param clock - Whose time {@link Lifecycle.stop}'s time limit is measured in. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Whether `stop` was called. */
  get stopped(): boolean {
    return this.#controller.signal.aborted;
  }

  /**
   * Runs `task` with a signal aborted by `signal` or by `stop`.
   *
   * @returns The task's result.
   * @throws {@link PipelineStoppedError} when stopped before or while it runs; `signal.reason`
   *   when `signal` aborts first; else the task's error.
   */
  run<T>(signal: AbortSignal | undefined, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const stop = this.#controller.signal;
    if (stop.aborted) return Promise.reject(new PipelineStoppedError());
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    const both = new AbortController();
    const onStop = (): void => both.abort(stop.reason);
    const onAbort = (): void => both.abort(signal?.reason);
    stop.addEventListener('abort', onStop, { once: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    const running = (async (): Promise<T> => {
      try {
        const value = await task(both.signal);
        // A task that swallowed the abort still does not report success once stopped.
        if (stop.aborted) throw stop.reason as Error;
        return value;
      } finally {
        stop.removeEventListener('abort', onStop);
        signal?.removeEventListener('abort', onAbort);
      }
    })();
    this.#inFlight.add(running);
    const forget = (): void => {
      this.#inFlight.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  /**
   * Marks the pipeline stopped, aborts the operations in flight and waits for them (and
   * `others`) to settle, at most `limitMs` of clock time: an operation stuck in code that
   * ignores its signal does not hold `stop` up.
   *
   * @param limitMs - The time limit, ms of the clock.
   * @param others - More work to wait for (the loop and the streams).
   */
  async stop(limitMs: number, others: readonly Promise<unknown>[]): Promise<void> {
    if (!this.stopped) this.#controller.abort(new PipelineStoppedError('The pipeline stopped'));
    const settled = Promise.allSettled([...this.#inFlight, ...others]);
    const timer = new AbortController();
    try {
      await Promise.race([settled, this.#clock.sleep(limitMs, timer.signal)]);
    } finally {
      timer.abort();
    }
  }
}
