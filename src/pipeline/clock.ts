/**
 * Where the pipeline gets the time and waits. Only `Pipeline` and its helpers use a clock;
 * every other module takes `now` as an argument. Inject `ManualClock` (from
 * `market-data-pipeline/testing`) in tests to drive time by hand; `systemClock` is the
 * real one.
 */
export interface Clock {
  /**
   * The current time, epoch milliseconds (UTC).
   *
   * @returns Epoch milliseconds.
   */
  now(): number;
  /**
   * Resolves after `ms` milliseconds of this clock's time. Rejects with `signal.reason` if
   * `signal` is aborted before (or is already aborted when called).
   *
   * @param ms - how long to wait, in milliseconds; 0 or less resolves at once.
   * @param signal - cancels the wait.
   * @returns A promise that settles when the time has passed or the signal aborts.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
