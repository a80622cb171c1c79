import type { Timeframe } from '../time/timeframe.js';

/** What the pipeline asks a source for when it fetches bars. */
export interface OhlcvRequest {
  /** The symbol as the pipeline names it (a source maps it to its own spelling). */
  readonly symbol: string;
  /** The bars' timeframe. */
  readonly timeframe: Timeframe;
  /** Open time of the first bar wanted, epoch ms (inclusive). Omitted: the source's most recent bars. */
  readonly since?: number;
  /** At most this many bars. */
  readonly limit?: number;
  /** Aborted when the request times out or the pipeline stops; a source should stop work and reject with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** What the pipeline asks a source for when it fetches trades. */
export interface TradesRequest {
  /** The symbol. */
  readonly symbol: string;
  /** Time of the first trade wanted, epoch ms (inclusive). */
  readonly since?: number;
  /**
   * The first trade id wanted (inclusive); when set it wins over `since`. The pipeline asks by id
   * to resume after the last trade it has and to re-fetch a gap in consecutive ids (Binance's
   * `historicalTrades?fromId=`).
   */
  readonly fromId?: number;
  /** At most this many trades. */
  readonly limit?: number;
  /** Aborted on timeout or stop. */
  readonly signal?: AbortSignal;
}

/** What the pipeline asks a source for when it fetches an order book. */
export interface OrderBookRequest {
  /** The symbol. */
  readonly symbol: string;
  /** Levels per side wanted. */
  readonly depth?: number;
  /** Aborted on timeout or stop. */
  readonly signal?: AbortSignal;
}

/**
 * An answer of `fetchOhlcv` that also carries what the server said about the rate limit.
 */
export interface OhlcvAnswer {
  /** The bars, oldest first. */
  readonly rows: readonly unknown[];
  /** Request weight the server reports as used in the current window (Binance's `X-MBX-USED-WEIGHT-1M`). */
  readonly usedWeight?: number;
}

/**
 * Where market data comes from: an exchange client, a data vendor, a file, a simulator.
 * The library ships no I/O; `examples/` has sources over ccxt and Binance's REST API, and
 * `market-data-pipeline/testing` has `SimulatedSource`.
 *
 * Answers are untrusted: the pipeline parses and validates every row, so a source may return
 * rows exactly as its client produced them, as long as they are shaped like `Ohlcv` (numbers,
 * `timestamp` in epoch ms or any unit `toEpochMs` detects). A failure should reject with a
 * `SourceError` whose `kind` says why (network, timeout, rate_limited with `retryAfterMs`,
 * banned, server_error, bad_data) so failover and rate limiting can act on it; any other
 * rejection counts as a network failure.
 */
export interface Source {
  /** Unique name, used in documents, alerts and events (e.g. `'exchange_api'`). */
  readonly name: string;
  /**
   * Rate-limit weight of one `fetchOhlcv` request (Binance: 2 for klines up to 1000 bars).
   * @defaultValue 1
   */
  readonly requestWeight?: number;
  /**
   * Rate-limit weight of one `fetchTrades` request (Binance: `/api/v3/trades` and
   * `/api/v3/historicalTrades` weigh 25).
   * @defaultValue `requestWeight`
   */
  readonly tradesRequestWeight?: number;
  /**
   * Rate-limit weight of one `fetchOrderBook` request asking for `depth` levels a side: on
   * Binance it grows with the limit (see `binanceDepthWeight` in the Binance REST example).
   * @defaultValue `requestWeight` whatever the depth
   */
  orderBookWeight?(depth: number): number;
  /**
   * The largest `limit` the source accepts in one request.
   * @defaultValue 1000
   */
  readonly maxLimit?: number;
  /**
   * Bars of `timeframe` from `since` on, oldest first. The last one may still be forming.
   * Return the rows, or an {@link OhlcvAnswer} to report the server's used rate-limit weight.
   */
  fetchOhlcv(request: OhlcvRequest): Promise<readonly unknown[] | OhlcvAnswer>;
  /** Trades from `since` on, oldest first, shaped like `Tick`. */
  fetchTrades?(request: TradesRequest): Promise<readonly unknown[]>;
  /** An order-book snapshot shaped like `OrderBook`. */
  fetchOrderBook?(request: OrderBookRequest): Promise<unknown>;
  /** Bars as they happen (closed bars, and updates of the forming bar), until `signal` aborts. */
  subscribe?(request: OhlcvRequest): AsyncIterable<unknown>;
  /**
   * Trades as they happen, each message one trade or an array of trades shaped like `Tick`,
   * until `request.signal` aborts. `fromId`, when given, is the first trade id wanted.
   */
  subscribeTrades?(request: TradesRequest): AsyncIterable<unknown>;
  /**
   * Order-book snapshots shaped like `OrderBook` as they change, until `request.signal` aborts.
   * Under `start()` the pipeline takes them as polled snapshots, and polls none while the stream is up.
   */
  subscribeOrderBook?(request: OrderBookRequest): AsyncIterable<unknown>;
}
