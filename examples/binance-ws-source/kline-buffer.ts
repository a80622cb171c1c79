import type { KlineEvent } from './read-binance-frame.js';

/** An answer of {@link KlineBuffer.read}. */
export interface BufferedAnswer {
  /** Closed bars from `since` on (at most `limit`), then the forming one if any; oldest first. */
  readonly rows: readonly KlineEvent['row'][];
  /**
   * Whether the buffer holds every closed bar from `since` up to the last one due by `now`
   * (no hole, nothing older than it was kept, nothing late), so that the answer is complete:
   * the first bar answered opens at `since` rounded up to the width, and each next bar one width later.
   */
  readonly complete: boolean;
}

/**
 * The klines of one stream as they arrived: the last `capacity` closed bars and the forming one.
 * What a websocket source answers a poll with when it serves as the backup.
 */
export class KlineBuffer {
  readonly #widthMs: number;
  readonly #capacity: number;
  readonly #closed: KlineEvent['row'][] = [];
  #forming: KlineEvent | undefined;

  /**
   * @param widthMs - The klines' width, ms.
   * @param capacity - Closed bars kept (the oldest go first).
   */
  constructor(widthMs: number, capacity: number) {
    this.#widthMs = widthMs;
    this.#capacity = capacity;
  }

  /** Whether anything arrived yet. */
  get empty(): boolean {
    return this.#closed.length === 0 && this.#forming === undefined;
  }

  /** Open time of the newest closed bar, epoch ms; `undefined` before the first. */
  get newestClosed(): number | undefined {
    return this.#closed.at(-1)?.timestamp;
  }

  /** Adds a kline event (events arrive in order, without copies). */
  add(event: KlineEvent): void {
    if (!event.closed) {
      this.#forming = event;
      return;
    }
    if (this.#forming !== undefined && this.#forming.row.timestamp <= event.row.timestamp) this.#forming = undefined;
    const last = this.#closed.at(-1);
    if (last !== undefined && last.timestamp >= event.row.timestamp) return;
    this.#closed.push(event.row);
    if (this.#closed.length > this.#capacity) this.#closed.splice(0, this.#closed.length - this.#capacity);
  }

  /**
   * The bars from `since` on, and whether they are complete.
   *
   * @param since - Open time of the first bar wanted, epoch ms; omitted: the most recent `limit`.
   * @param limit - At most this many closed bars.
   * @param now - The time, epoch ms: the bar forming at `now` is included while its kline is open.
   */
  read(since: number | undefined, limit: number, now: number): BufferedAnswer {
    const closed = this.#closed;
    const first = since === undefined ? Math.max(0, closed.length - limit) : closed.findIndex((bar) => bar.timestamp >= since);
    const picked = first < 0 ? [] : closed.slice(first, first + limit);
    let contiguous = true;
    for (let i = 1; i < picked.length; i++)
      if ((picked[i] as KlineEvent['row']).timestamp - (picked[i - 1] as KlineEvent['row']).timestamp !== this.#widthMs) contiguous = false;
    const oldest = closed[0]?.timestamp;
    const newest = closed.at(-1)?.timestamp;
    // The last bar due by now opened one width before the bar forming at `now`.
    const lastDue = Math.floor(now / this.#widthMs) * this.#widthMs - this.#widthMs;
    // The first bar wanted opens at `since` rounded up to the width: a bar missing there (after a reconnect) is a hole too.
    const startsAtSince = since === undefined || picked[0]?.timestamp === Math.ceil(since / this.#widthMs) * this.#widthMs;
    const reachesBack = since === undefined ? oldest !== undefined : oldest !== undefined && oldest <= since && startsAtSince;
    const reachesNow = newest !== undefined && newest >= lastDue;
    const forming = this.#forming;
    const rows = forming !== undefined && forming.closeTime >= now ? [...picked, forming.row] : picked;
    return { rows, complete: contiguous && reachesBack && reachesNow };
  }
}
