/**
 * Pure readers of Binance's websocket frames (developers.binance.com, "WebSocket Streams for
 * Binance"): the combined-stream envelope, kline, trade and partial-depth payloads.
 *
 * @module
 */
import type { OrderBook, Tick } from 'market-data-pipeline';

/** What one text frame of a combined-stream connection is. */
export type BinanceFrame =
  /** An event of stream `stream` (lower case, e.g. `btcusdt@kline_1m`). */
  | { readonly kind: 'event'; readonly stream: string; readonly data: Readonly<Record<string, unknown>> }
  /** The answer to a `SUBSCRIBE` / `UNSUBSCRIBE` request. */
  | { readonly kind: 'reply' }
  /** Binance's `serverShutdown` event: the connection ends soon. */
  | { readonly kind: 'shutdown' }
  /** Not a frame Binance sends: not JSON, or JSON of another shape. */
  | { readonly kind: 'malformed'; readonly reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads one text frame of a combined-stream connection (`{ "stream": …, "data": … }`).
 *
 * @param text - The frame as received.
 * @returns What it is; never throws.
 */
export function readBinanceFrame(text: string): BinanceFrame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: `not JSON: ${text.slice(0, 80)}` };
  }
  if (!isRecord(parsed)) return { kind: 'malformed', reason: `not a JSON object: ${text.slice(0, 80)}` };
  if ('id' in parsed && ('result' in parsed || 'error' in parsed)) return { kind: 'reply' };
  if (parsed['e'] === 'serverShutdown') return { kind: 'shutdown' };
  const { stream, data } = parsed;
  if (typeof stream !== 'string' || !isRecord(data))
    return { kind: 'malformed', reason: `no { stream, data } envelope: ${text.slice(0, 80)}` };
  if (data['e'] === 'serverShutdown') return { kind: 'shutdown' };
  return { kind: 'event', stream: stream.toLowerCase(), data };
}

/** A kline event read: the bar as an `Ohlcv`-shaped row, its close time and its `x` flag. */
export interface KlineEvent {
  /** The bar, values as numbers (a value Binance sent badly is `NaN`, for the pipeline to refuse). */
  readonly row: {
    readonly timestamp: number;
    readonly open: number;
    readonly high: number;
    readonly low: number;
    readonly close: number;
    readonly volume: number;
    readonly quoteVolume: number;
    readonly trades: number;
    readonly takerBuyVolume: number;
  };
  /** Close time `T`, epoch ms (open time + width − 1). */
  readonly closeTime: number;
  /** Whether the kline is closed (`x`): its final values. */
  readonly closed: boolean;
}

function num(value: unknown): number {
  return typeof value === 'string' || typeof value === 'number' ? Number(value) : Number.NaN;
}

/**
 * Reads a kline payload (`{ e: 'kline', k: { t, T, o, h, l, c, v, q, n, V, x } }`).
 *
 * @returns The kline, or a reason when the payload is not a kline at all.
 */
export function readKline(data: Readonly<Record<string, unknown>>): KlineEvent | string {
  const k = data['k'];
  if (data['e'] !== 'kline' || !isRecord(k)) return 'not a kline event';
  const t = k['t'];
  const x = k['x'];
  const closeTime = k['T'];
  if (typeof t !== 'number' || typeof x !== 'boolean') return 'kline without a numeric open time `t` or a boolean `x`';
  // Without its close time a kline cannot be judged (forming or late): malformed, not dropped unseen.
  if (typeof closeTime !== 'number') return 'kline without a numeric close time `T`';
  return {
    row: {
      timestamp: t,
      open: num(k['o']),
      high: num(k['h']),
      low: num(k['l']),
      close: num(k['c']),
      volume: num(k['v']),
      quoteVolume: num(k['q']),
      trades: num(k['n']),
      takerBuyVolume: num(k['V']),
    },
    closeTime,
    closed: x,
  };
}

/**
 * Reads a trade payload (`{ e: 'trade', t, p, q, T, m }`) as a `Tick`: `m` (the buyer is the
 * maker) means the taker sold.
 *
 * @returns The tick, or a reason when the payload is not a trade.
 */
export function readTrade(data: Readonly<Record<string, unknown>>): Tick | string {
  if (data['e'] !== 'trade' || typeof data['t'] !== 'number') return 'not a trade event';
  return {
    timestamp: num(data['T']),
    price: num(data['p']),
    quantity: num(data['q']),
    side: data['m'] === true ? 'sell' : 'buy',
    tradeId: data['t'],
  };
}

/**
 * Reads a partial book depth payload (`{ lastUpdateId, bids, asks }`, levels as `[price, qty]`
 * strings). Binance stamps it with no time: `receivedAt` is used.
 *
 * @param receivedAt - When the frame arrived, epoch ms.
 * @returns The book, or a reason when the payload is not a book.
 */
export function readDepth(data: Readonly<Record<string, unknown>>, receivedAt: number): OrderBook | string {
  const { bids, asks, lastUpdateId } = data;
  if (!Array.isArray(bids) || !Array.isArray(asks) || typeof lastUpdateId !== 'number') return 'not a partial depth snapshot';
  const levels = (side: readonly unknown[]): { price: number; quantity: number }[] =>
    side.map((level) => {
      const [price, quantity] = Array.isArray(level) ? (level as readonly unknown[]) : [];
      return { price: num(price), quantity: num(quantity) };
    });
  return { timestamp: receivedAt, bids: levels(bids), asks: levels(asks), depthLevels: Math.max(bids.length, asks.length) };
}

/**
 * The order of an event within its stream, for dropping the copies two connections deliver
 * while one replaces the other: `2t` for a forming kline opened at `t`, `2t + 1` for its final
 * update, `2·id + 1` for a trade, `2·lastUpdateId + 1` for a depth snapshot. An event is a copy
 * when its order is below the last delivered, or equal to it and odd (final).
 *
 * @returns The order, or `undefined` when the payload has none.
 */
export function eventOrder(data: Readonly<Record<string, unknown>>): number | undefined {
  const k = data['k'];
  if (data['e'] === 'kline' && isRecord(k) && typeof k['t'] === 'number') return 2 * k['t'] + (k['x'] === true ? 1 : 0);
  if (data['e'] === 'trade' && typeof data['t'] === 'number') return 2 * data['t'] + 1;
  if (typeof data['lastUpdateId'] === 'number') return 2 * data['lastUpdateId'] + 1;
  return undefined;
}
