/**
 * A bounded queue between a websocket's callbacks and one async iterator: `push` never blocks,
 * `next()` waits for a value, the failure or the end. A value may replace the last one queued
 * (a newer update of the same forming bar), so a slow reader sees the latest state, not every
 * step. More than `capacity` values waiting is a failure of the stream (the reader fell behind).
 */
export class StreamQueue<T> implements AsyncIterableIterator<T> {
  readonly #capacity: number;
  readonly #onReturn: () => void;
  readonly #overflow: () => Error;
  readonly #values: T[] = [];
  #failure: { readonly error: Error } | undefined;
  #ended = false;
  /** Calls of `next()` waiting for a value, oldest first (each is answered once, in order). */
  readonly #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void }[] = [];

  /**
   * @param capacity - The most values waiting before the queue fails.
   * @param onReturn - Called once when the reader leaves or the queue fails or ends (unsubscribe here).
   * @param overflow - The error the queue fails with when `capacity` is exceeded.
   */
  constructor(capacity: number, onReturn: () => void, overflow: () => Error) {
    this.#capacity = capacity;
    this.#overflow = overflow;
    this.#onReturn = onReturn;
  }

  /**
   * Queues `value`, or replaces the last value queued when `replaces(last)` holds.
   */
  push(value: T, replaces?: (last: T) => boolean): void {
    if (this.#ended) return;
    const waiting = this.#waiting.shift();
    if (waiting !== undefined) {
      waiting.resolve({ value, done: false });
      return;
    }
    const last = this.#values.at(-1);
    if (last !== undefined && replaces?.(last) === true) this.#values[this.#values.length - 1] = value;
    else this.#values.push(value);
    if (this.#values.length > this.#capacity) this.fail(this.#overflow());
  }

  /** Ends the queue with `error`: values already queued are read first, then `next()` rejects. */
  fail(error: Error): void {
    if (this.#ended) return;
    this.#failure = { error };
    this.#finish();
  }

  /** Ends the queue normally: values already queued are read first. */
  end(): void {
    this.#finish();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#values.length > 0) return Promise.resolve({ value: this.#values.shift() as T, done: false });
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#values.length = 0;
    this.#failure = undefined;
    this.#finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#onReturn();
    const failure = this.#failure;
    for (const waiting of this.#waiting.splice(0)) {
      if (failure !== undefined) waiting.reject(failure.error);
      else waiting.resolve({ value: undefined, done: true });
    }
  }
}
