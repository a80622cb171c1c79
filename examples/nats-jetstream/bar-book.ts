import type { RevisedBar } from 'market-data-pipeline';

/** What {@link BarBook.offer} did with a bar. */
export type BarBookOutcome = 'new' | 'higher' | 'stale' | 'duplicate';

/**
 * What a consuming agent keeps of the bars it receives: per `(symbol, timeframe, open time)` the
 * highest revision. Delivery is at-least-once and, after redeliveries, out of order; a bar of a
 * lower revision than the one kept is ignored (`stale`), one of the same revision too
 * (`duplicate`, a redelivery or a re-publish), so the book ends the same whatever the order.
 */
export class BarBook {
  readonly #bars = new Map<string, RevisedBar>();
  /** Offers ignored because the same revision was kept already. */
  duplicates = 0;
  /** Offers ignored because a higher revision was kept already. */
  stale = 0;

  /**
   * Offers a received bar.
   *
   * @param symbol - Its symbol.
   * @param timeframe - Its timeframe.
   * @param bar - The bar.
   * @returns `new` (first of its key), `higher` (replaced a lower revision), `stale` or `duplicate` (ignored).
   */
  offer(symbol: string, timeframe: string, bar: RevisedBar): BarBookOutcome {
    const key = `${symbol}|${timeframe}|${bar.timestamp}`;
    const kept = this.#bars.get(key);
    if (kept !== undefined && kept.revision > bar.revision) {
      this.stale++;
      return 'stale';
    }
    if (kept !== undefined && kept.revision === bar.revision) {
      this.duplicates++;
      return 'duplicate';
    }
    this.#bars.set(key, bar);
    return kept === undefined ? 'new' : 'higher';
  }

  /**
   * The kept bar of a key.
   *
   * @param symbol - The symbol.
   * @param timeframe - The timeframe.
   * @param timestamp - The open time, epoch ms.
   * @returns The highest revision received, or `undefined`.
   */
  get(symbol: string, timeframe: string, timestamp: number): RevisedBar | undefined {
    return this.#bars.get(`${symbol}|${timeframe}|${timestamp}`);
  }

  /** How many kept bars are at a revision above 0 (replaced at least once at the source). */
  get revised(): number {
    let n = 0;
    for (const bar of this.#bars.values()) if (bar.revision > 0) n++;
    return n;
  }

  /** How many distinct `(symbol, timeframe, open time)` were received. */
  get size(): number {
    return this.#bars.size;
  }
}
