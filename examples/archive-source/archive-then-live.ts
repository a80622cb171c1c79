import { bucketEnd, type OhlcvAnswer, type OhlcvRequest, type Source, type TradesRequest } from 'market-data-pipeline';
import type { ArchiveSource } from './archive-source.js';

/**
 * One `Source` that answers from the archive up to its last bar and from the live source
 * after it, so that a pipeline whose history starts years back backfills from files and then
 * goes on live, with no gap and no duplicate at the hand-over:
 *
 * - a request whose `since` is before the end of the archive's last bar is served from the
 *   archive; when the archive runs out before `limit`, the rest of the page comes from the
 *   live source asked from exactly that end (`since` = the last archived bar's close), so
 *   the page has no hole at the seam and no bar twice (the archive's bars all open before
 *   it, the live bars at or after it);
 * - trades alike: a request whose `fromId` (or `since`) is at or before the archive's last
 *   trade is served from its trades dumps, and a page the archive cannot fill is completed
 *   from the live source asked from `fromId` = the last archived trade's id + 1 (Binance:
 *   `/api/v3/historicalTrades`), so the seam has no hole and no trade twice — provided the
 *   live source honours `fromId`;
 * - any other request (after the archive, or without a start: the newest bars or trades),
 *   and books and streams, go to the live source.
 *
 * It takes the live source's name, weight and `maxLimit`, so the pipeline's rate limiter and
 * pages stay the exchange's (archive pages cost a request slot each, nothing more).
 *
 * @param archive - The archive.
 * @param live - The exchange.
 * @returns The composed source; use it as the pipeline's `primary`.
 *
 * @example
 * ```ts
 * const primary = archiveThenLive(new ArchiveSource({ folder: 'data/binance' }), new BinanceRestSource());
 * const pipeline = new Pipeline({ primary, start: Date.UTC(2024, 0, 1), config: { symbols: ['BTCUSD'] } });
 * pipeline.start(); // 2024 from the zips, then /api/v3/klines from the day after the last file
 * ```
 */
export function archiveThenLive(archive: ArchiveSource, live: Source): Source {
  const fetchOhlcv = async (request: OhlcvRequest): Promise<readonly unknown[] | OhlcvAnswer> => {
    const { since } = request;
    const last = since === undefined ? undefined : await archive.lastOpen(request.symbol, request.timeframe);
    if (since === undefined || last === undefined) return live.fetchOhlcv(request);
    const end = bucketEnd(last, request.timeframe);
    if (since >= end) return live.fetchOhlcv(request);
    const limit = Math.min(request.limit ?? live.maxLimit ?? 1000, live.maxLimit ?? 1000);
    const archived = await archive.fetchOhlcv({ ...request, limit });
    if (archived.length >= limit) return archived;
    const answer = await live.fetchOhlcv({ ...request, since: end, limit: limit - archived.length });
    if (Array.isArray(answer)) return [...archived, ...(answer as readonly unknown[])];
    const { rows, usedWeight } = answer as OhlcvAnswer;
    return { rows: [...archived, ...rows], ...(usedWeight === undefined ? {} : { usedWeight }) };
  };
  const tradesFrom = async (fetchLiveTrades: NonNullable<Source['fetchTrades']>, request: TradesRequest): Promise<readonly unknown[]> => {
    const { fromId, since } = request;
    const last = fromId === undefined && since === undefined ? undefined : await archive.lastTrade(request.symbol);
    if (last === undefined || (fromId !== undefined ? fromId > last.tradeId : (since as number) > last.timestamp))
      return fetchLiveTrades(request);
    const limit = Math.min(request.limit ?? archive.maxLimit, archive.maxLimit);
    const archived = await archive.fetchTrades({ ...request, limit });
    if (archived.length >= limit) return archived;
    const rest: TradesRequest = {
      symbol: request.symbol,
      fromId: last.tradeId + 1,
      limit: limit - archived.length,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    };
    return [...archived, ...(await fetchLiveTrades(rest))];
  };
  const fetchLiveTrades = live.fetchTrades?.bind(live);
  return {
    name: live.name,
    ...(live.requestWeight === undefined ? {} : { requestWeight: live.requestWeight }),
    ...(live.maxLimit === undefined ? {} : { maxLimit: live.maxLimit }),
    fetchOhlcv,
    ...(fetchLiveTrades === undefined ? {} : { fetchTrades: (request: TradesRequest) => tradesFrom(fetchLiveTrades, request) }),
    ...(live.fetchOrderBook === undefined ? {} : { fetchOrderBook: live.fetchOrderBook.bind(live) }),
    ...(live.subscribe === undefined ? {} : { subscribe: live.subscribe.bind(live) }),
  };
}
