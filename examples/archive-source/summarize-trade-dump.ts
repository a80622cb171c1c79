import { badArchiveData } from './bad-archive-data.js';
import { binanceTradeBatches } from './binance-trade-batches.js';
import type { ArchiveFile } from './list-archive-files.js';

/** What a whole, checked trades dump holds. */
export interface TradeDumpSummary {
  /** Trades in the file (≥ 1). */
  readonly count: number;
  /** Id of its first trade. */
  readonly firstId: number;
  /** Id of its last trade. */
  readonly lastId: number;
  /** Time of its first trade, epoch ms. */
  readonly firstTime: number;
  /** Time of its last trade, epoch ms. */
  readonly lastTime: number;
}

/**
 * Reads a Binance trades dump through once, checking every line and the zip's CRC-32, and
 * returns what it holds. A trades dump is too large to keep (a month of BTCUSDT is tens of
 * millions of trades), so it is checked whole by this pass before any of it is served, and
 * served by a second, streamed pass.
 *
 * @param file - A Binance trades dump.
 * @param signal - Stops the pass (rejecting with `signal.reason`).
 * @returns Its count, first and last ids and times.
 * @throws SourceError of kind `bad_data` naming the file and the line, or when it holds no trade.
 */
export async function summarizeTradeDump(file: ArchiveFile, signal?: AbortSignal): Promise<TradeDumpSummary> {
  let count = 0;
  let firstId = Number.NaN;
  let firstTime = Number.NaN;
  let lastId = Number.NaN;
  let lastTime = Number.NaN;
  for await (const ticks of binanceTradeBatches(file)) {
    signal?.throwIfAborted();
    const head = ticks[0];
    const tail = ticks[ticks.length - 1];
    if (head === undefined || tail === undefined) continue;
    if (count === 0) {
      firstId = head.tradeId;
      firstTime = head.timestamp;
    }
    lastId = tail.tradeId;
    lastTime = tail.timestamp;
    count += ticks.length;
  }
  if (count === 0) throw badArchiveData(file.path, undefined, 'holds no trade');
  return { count, firstId, lastId, firstTime, lastTime };
}
