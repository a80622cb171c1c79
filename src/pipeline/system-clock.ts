import { ConfigError } from '../errors/config-error.js';
import type { Clock } from './clock.js';

// setTimeout fires almost at once for delays above 2^31 - 1 ms (about 24.8 days).
const MAX_TIMER_MS = 2_147_483_647;

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      // `reason` is what `abort()` was given (an `AbortError` DOMException by default).
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  if (Number.isNaN(ms)) throw new ConfigError('Expected `ms` to be a number of milliseconds, got `NaN`', { path: ['ms'], value: ms });
  let left = ms;
  while (left > 0) {
    const step = Math.min(left, MAX_TIMER_MS);
    await wait(step, signal);
    left -= step;
  }
}

/**
 * The real clock: `Date.now()` and `setTimeout`, with `AbortSignal` support. Waits longer
 * than `setTimeout`'s limit (2^31 − 1 ms) are split into several timers instead of firing
 * early; `Infinity` waits until aborted.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const slept = systemClock.sleep(5_000, controller.signal);
 * controller.abort(new Error('stop'));
 * await slept; // rejects with Error('stop')
 * systemClock.now(); // e.g. 1738233000000
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
};
