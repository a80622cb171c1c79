/**
 * The values of `rows` until it ends or `signal` aborts: a pending `next()` is raced against the
 * signal, so that a source whose iterator never answers cannot hold up `stop()`. On abort the
 * iteration rejects with `signal.reason`; the source's iterator is asked to `return` (its
 * answer, like that of the abandoned `next()`, is ignored). `stops` holds what the one abort
 * listener of all streams calls.
 */
export async function* untilAborted<T>(
  rows: AsyncIterable<T>,
  signal: AbortSignal,
  stops: Set<() => void>,
): AsyncGenerator<T, void, undefined> {
  const iterator = rows[Symbol.asyncIterator]();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else stops.add(onAbort);
  });
  // Observed here so that an abort while no `next()` waits is not an unhandled rejection.
  aborted.catch(() => undefined);
  let done = false;
  try {
    for (;;) {
      const next = iterator.next();
      next.catch(() => undefined);
      let result: IteratorResult<T>;
      try {
        result = await Promise.race([next, aborted]);
      } catch (error) {
        // The source's own failure ends its iterator; an abort leaves it waiting.
        done = !signal.aborted;
        throw error;
      }
      if (result.done === true) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    stops.delete(onAbort);
    // An iterator that ended or threw needs no `return`; one left early (abort, or a failure
    // of the caller) is closed without waiting for it.
    if (!done) void (async () => iterator.return?.())().catch(() => undefined);
  }
}
