/**
 * Serialises the work on each symbol: a poll, a streamed bar, the documents' store reads and a
 * data request on the same symbol run one after another, in the order they asked; different
 * symbols never wait for each other.
 */
export class SymbolLocks {
  readonly #tails = new Map<string, Promise<void>>();

  /**
   * Runs `task` once the symbol's earlier tasks have settled.
   *
   * @param signal - Checked after the wait: an aborted run rejects with its reason and does not run `task`.
   */
  async run(symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
    const previous = this.#tails.get(symbol) ?? Promise.resolve();
    let release: () => void = () => undefined;
    this.#tails.set(
      symbol,
      new Promise((resolve) => {
        release = resolve;
      }),
    );
    try {
      await previous;
      signal?.throwIfAborted();
      await task();
    } finally {
      release();
    }
  }
}
