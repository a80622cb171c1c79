/**
 * A promise that never resolves and rejects with `signal.reason` when `signal` aborts (at once
 * if it already has). The abort listener is added `{ once: true }`, so it is gone after it
 * fires; nothing else (no timer) is held. Without a signal the promise never settles.
 * Used by the test doubles' "hang" modes.
 *
 * @param signal - ends the wait.
 * @returns A promise that only ever rejects.
 */
export function waitForAbort(signal: AbortSignal | undefined): Promise<never> {
  if (signal === undefined) return new Promise<never>(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}
