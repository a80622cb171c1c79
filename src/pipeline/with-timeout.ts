import type { Clock } from './clock.js';

/** Reason used to release the timer once the task settled (cheaper than a fresh DOMException each time). */
const SETTLED = Symbol('settled');

/**
 * Runs `task` with a signal that aborts when `outer` aborts or when `ms` of `clock` time
 * pass, whichever is first; rejects with that signal's reason even if `task` ignores it.
 * Leaves no timer or listener behind. Not exported from the package.
 *
 * @param timeoutReason - Builds the rejection reason for a timeout.
 */
export async function withTimeout<T>(
  clock: Clock,
  ms: number,
  outer: AbortSignal | undefined,
  timeoutReason: () => unknown,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  outer?.throwIfAborted();
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = clock.sleep(ms, controller.signal).then(
    () => controller.abort(timeoutReason()),
    () => undefined,
  );
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason as Error);
    controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([task(controller.signal), aborted]);
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
    if (onAbort !== undefined) controller.signal.removeEventListener('abort', onAbort);
    if (!controller.signal.aborted) controller.abort(SETTLED);
    await timer;
  }
}
