import type { Tick } from 'market-data-pipeline';
import { binanceTradeBatches } from './binance-trade-batches.js';
import type { ArchiveFile } from './list-archive-files.js';

/** Where a read of a trades dump starts: the first trade with this id or later, at this time or later, or after this many trades. */
export type TradeStart = { readonly fromId: number } | { readonly since: number } | { readonly skip: number };

/** Whether `tick`, the `index`-th trade of the file (from 0), is at or after `start`. */
function reached(start: TradeStart, tick: Tick, index: number): boolean {
  if ('fromId' in start) return tick.tradeId >= start.fromId;
  if ('since' in start) return tick.timestamp >= start.since;
  return index >= start.skip;
}

/**
 * A streamed read position in one trades dump (checked whole beforehand by
 * `summarizeTradeDump`). A backfill pages forward through a file: each read continues where
 * the previous one stopped, so a file is inflated once per pass, not once per page. A read
 * that starts before the position reopens the file.
 */
export class TradeDumpCursor {
  readonly #file: ArchiveFile;
  #batches: AsyncGenerator<Tick[], void, undefined> | undefined;
  #buffer: Tick[] = [];
  #at = 0;
  /** Trades of the file passed so far. */
  #passed = 0;
  /** The last trade passed. */
  #last: Tick | undefined;
  /** The read in progress, if any. */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * @param file - A Binance trades dump.
   */
  constructor(file: ArchiveFile) {
    this.#file = file;
  }

  /**
   * Up to `limit` trades of the file from `start` on, oldest first.
   *
   * @param start - Where to start.
   * @param limit - At most this many.
   * @param signal - Stops the read (rejecting with `signal.reason`).
   * @returns The trades; fewer than `limit` when the file ends.
   * @throws SourceError of kind `bad_data` when the file changed since it was checked.
   */
  read(start: TradeStart, limit: number, signal?: AbortSignal): Promise<Tick[]> {
    // One read at a time: two requests on the same file would otherwise share one position.
    const read = this.#queue.then(() => this.#read(start, limit, signal));
    this.#queue = read.catch(() => undefined);
    return read;
  }

  async #read(start: TradeStart, limit: number, signal: AbortSignal | undefined): Promise<Tick[]> {
    if (this.#last !== undefined && reached(start, this.#last, this.#passed - 1)) this.#reset();
    const out: Tick[] = [];
    while (out.length < limit) {
      if (this.#at === this.#buffer.length) {
        signal?.throwIfAborted();
        this.#batches ??= binanceTradeBatches(this.#file);
        const next = await this.#batches.next();
        if (next.done === true) break;
        this.#buffer = next.value;
        this.#at = 0;
        continue;
      }
      const tick = this.#buffer[this.#at] as Tick;
      if (reached(start, tick, this.#passed)) out.push(tick);
      this.#at++;
      this.#passed++;
      this.#last = tick;
    }
    return out;
  }

  /** Closes the file once the read in progress, if any, is done; the next read starts from its beginning. */
  close(): void {
    this.#queue = this.#queue.then(() => this.#reset());
  }

  #reset(): void {
    void this.#batches?.return();
    this.#batches = undefined;
    this.#buffer = [];
    this.#at = 0;
    this.#passed = 0;
    this.#last = undefined;
  }
}
