/**
 * The `Nats-Msg-Id` of a bar, `<symbol>|<tf>|<open time>|<revision>` (the raw symbol, open time in
 * epoch ms): the same bar revision published twice within the stream's `duplicate_window` (a
 * retried write, a worker and its successor) is stored once.
 *
 * @param symbol - The symbol, e.g. `BRK.B`.
 * @param timeframe - The timeframe, e.g. `1m`.
 * @param timestamp - The bar's open time, epoch ms.
 * @param revision - The bar's revision.
 * @returns The id, e.g. `BRK.B|1m|1738195200000|0`.
 */
export function barMessageId(symbol: string, timeframe: string, timestamp: number, revision: number): string {
  return `${symbol}|${timeframe}|${timestamp}|${revision}`;
}
