import {
  BadResponse,
  DDoSProtection,
  ExchangeError,
  ExchangeNotAvailable,
  NetworkError,
  OperationFailed,
  RateLimitExceeded,
  RequestTimeout,
  type Exchange,
} from 'ccxt';
import {
  fromCcxtOhlcv,
  fromCcxtTrades,
  isFixedTimeframe,
  SourceError,
  type OhlcvAnswer,
  type OhlcvRequest,
  type OrderBook,
  type OrderBookRequest,
  type Source,
  type SourceFailureKind,
  type Timeframe,
  type TradesRequest,
} from 'market-data-pipeline';
import { watchOhlcvRows, watchTradeRows, type CcxtWatcher, type WatchContext } from './watch-ccxt.js';

/** The parts of a ccxt exchange instance that {@link CcxtSource} uses (any `new ccxt.<exchange>()` has them). */
export type CcxtExchange = Pick<
  Exchange,
  'id' | 'fetchOHLCV' | 'fetchTrades' | 'fetchOrderBook' | 'last_response_headers' | 'last_http_response'
>;

/** Options of {@link CcxtSource}; every field but `exchange` has a default. */
export interface CcxtSourceOptions {
  /** The ccxt exchange instance, configured as you like (keys, `enableRateLimit`, `timeout`, proxies, URLs). */
  readonly exchange: CcxtExchange;
  /**
   * The source's name (`Source.name`).
   * @defaultValue the exchange's id, e.g. `'binance'`
   */
  readonly name?: string;
  /**
   * Maps the pipeline's symbol to ccxt's unified symbol.
   * @defaultValue `XXXUSD` → `XXX/USDT` (`BTCUSD` → `BTC/USDT`); a symbol with a `/` is kept
   */
  readonly symbolMap?: (symbol: string) => string;
  /**
   * Rate-limit weight of one `fetchOhlcv` (`Source.requestWeight`); Binance's klines weigh 2.
   * @defaultValue 1
   */
  readonly requestWeight?: number;
  /**
   * The largest `limit` of one `fetchOHLCV` (`Source.maxLimit`); Binance spot allows 1000.
   * @defaultValue 1000
   */
  readonly maxLimit?: number;
  /**
   * The time, epoch ms: stamps order books that carry none (Binance spot depth).
   * @defaultValue `Date.now`
   */
  readonly now?: () => number;
}

/** ccxt's spelling of a timeframe: hours, days and weeks in lower case; `1M` is a month. */
function ccxtTimeframe(timeframe: Timeframe): string {
  return timeframe === '1M' ? '1M' : timeframe.toLowerCase();
}

function defaultSymbolMap(symbol: string): string {
  if (symbol.includes('/')) return symbol;
  return symbol.endsWith('USD') ? `${symbol.slice(0, -3)}/USDT` : symbol;
}

function header(headers: Readonly<Record<string, string>> | undefined, name: string): number | undefined {
  if (headers === undefined) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const raw = key === undefined ? undefined : headers[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The `SourceFailureKind` of an error ccxt threw, by ccxt's error hierarchy (most specific
 * class first).
 */
function failureKind(error: unknown): { kind: SourceFailureKind; status?: number } | undefined {
  if (error instanceof RateLimitExceeded) return { kind: 'rate_limited' };
  // Binance (and others) throw DDoSProtection for both HTTP 429 and 418; the status is in the message.
  if (error instanceof DDoSProtection)
    return /^\S+ 418 /.test(error.message) ? { kind: 'banned', status: 418 } : { kind: 'rate_limited', status: 429 };
  if (error instanceof RequestTimeout) return { kind: 'timeout' };
  if (error instanceof ExchangeNotAvailable) return { kind: 'server_error' };
  if (error instanceof NetworkError) return { kind: 'network' };
  if (error instanceof BadResponse) return { kind: 'bad_data' };
  // Other OperationFailed: the exchange failed to process a valid request (Binance -1001, a 5xx).
  if (error instanceof OperationFailed) return { kind: 'server_error' };
  // ExchangeError: the exchange answered, but refused (bad symbol, bad request, authentication).
  if (error instanceof ExchangeError) return { kind: 'bad_data' };
  // Outside ccxt's hierarchy (e.g. a TypeError from ccxt's parser): the caller decides.
  return undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What ccxt makes of a body that is not JSON: no rows, or a book without levels. */
function isEmptyAnswer(answer: unknown): boolean {
  if (Array.isArray(answer)) return answer.length === 0;
  const book = answer as { bids?: unknown; asks?: unknown } | null;
  return Array.isArray(book?.bids) && Array.isArray(book?.asks) && book.bids.length === 0 && book.asks.length === 0;
}

/**
 * A `Source` over a ccxt exchange instance: bars from `fetchOHLCV`, trades from `fetchTrades`,
 * order books from `fetchOrderBook`, read with `fromCcxtOhlcv` and `fromCcxtTrades`.
 *
 * - A row the converter refuses is passed on as it came, so the pipeline rejects and reports
 *   it (`rejected` event) instead of it vanishing here.
 * - ccxt's errors become `SourceError`s: `RateLimitExceeded` → `rate_limited`;
 *   `DDoSProtection` → `banned` for HTTP 418, else `rate_limited`; `RequestTimeout` →
 *   `timeout`; `ExchangeNotAvailable` (and `OnMaintenance`) → `server_error`; any other
 *   `NetworkError` → `network`; `BadResponse` → `bad_data`; any other `OperationFailed` →
 *   `server_error`; `ExchangeError` (a bad symbol, a refused request) → `bad_data`; anything
 *   else → `bad_data` after a body that is not JSON, else `network`. The original error is the
 *   `cause`.
 * - `Retry-After` and Binance's `X-MBX-USED-WEIGHT-1M` are read from the exchange's
 *   `last_response_headers`, so share one exchange instance between sources only if they do
 *   not fetch at the same time (the pipeline fetches one request at a time per source).
 * - ccxt answers `[]` (or an empty book, or a `TypeError`) when a 200 response is not JSON;
 *   the source tells that apart from a real empty answer by `last_http_response` and rejects
 *   with `bad_data`.
 * - ccxt takes no `AbortSignal`: when the request's signal aborts, the promise rejects at once
 *   with `signal.reason` and ccxt's request runs on until its own `timeout`.
 *
 * @example
 * ```ts
 * import ccxt from 'ccxt';
 * const primary = new CcxtSource({ exchange: new ccxt.binance(), requestWeight: 2 });
 * const pipeline = new Pipeline({ primary, sinks: [sink], config: { symbols: ['BTCUSD'] } });
 * await pipeline.runOnce();   // exchange.fetchOHLCV('BTC/USDT', '1m', since, 1000)
 * ```
 */
export class CcxtSource implements Source {
  /** The source's name. */
  readonly name: string;
  /** Rate-limit weight of one `fetchOhlcv`. */
  readonly requestWeight: number;
  /** The largest `limit` of one `fetchOhlcv`. */
  readonly maxLimit: number;
  /**
   * Bars as they happen, through ccxt's `watchOHLCV` ({@link watchOhlcvRows}); present only when
   * the exchange instance streams them (`new ccxt.pro.<exchange>()`, `has.watchOHLCV`).
   */
  readonly subscribe?: (request: OhlcvRequest) => AsyncIterable<unknown>;
  /** Trades as they happen, through ccxt's `watchTrades` ({@link watchTradeRows}); present only when the exchange has it. */
  readonly subscribeTrades?: (request: TradesRequest) => AsyncIterable<unknown>;
  readonly #exchange: CcxtExchange;
  readonly #symbolMap: (symbol: string) => string;
  readonly #now: () => number;

  /**
   * @param options - the exchange and the rest; see {@link CcxtSourceOptions}.
   */
  constructor(options: CcxtSourceOptions) {
    this.#exchange = options.exchange;
    this.name = options.name ?? options.exchange.id;
    this.requestWeight = options.requestWeight ?? 1;
    this.maxLimit = options.maxLimit ?? 1000;
    this.#symbolMap = options.symbolMap ?? defaultSymbolMap;
    this.#now = options.now ?? Date.now;
    const watcher = options.exchange as Partial<CcxtWatcher>;
    const context = (signal: AbortSignal | undefined): WatchContext => ({ signal, toSourceError: (error) => this.#sourceError(error) });
    if (watcher.has?.['watchOHLCV'] === true && watcher.watchOHLCV !== undefined) {
      this.subscribe = (request) => {
        if (!isFixedTimeframe(request.timeframe)) throw new RangeError(`\`${request.timeframe}\` has no fixed width to stream`);
        const symbol = this.#symbolMap(request.symbol);
        return watchOhlcvRows(watcher as CcxtWatcher, symbol, request.timeframe, {
          ...context(request.signal),
          now: this.#now,
          formingGuardMs: 1000,
        });
      };
    }
    if (watcher.has?.['watchTrades'] === true && watcher.watchTrades !== undefined) {
      this.subscribeTrades = (request) =>
        watchTradeRows(watcher as CcxtWatcher, this.#symbolMap(request.symbol), request.since, context(request.signal));
    }
  }

  /**
   * Bars of `timeframe` from `since` on, oldest first, as ccxt's `fetchOHLCV` returns them
   * (on most exchanges the forming bar is the last one).
   *
   * @param request - symbol (the pipeline's spelling), timeframe, `since` (epoch ms), `limit`, `signal`.
   * @returns The bars as `Ohlcv` rows, with the used weight when the exchange reports it.
   * @throws SourceError (as a rejection) when ccxt throws; see the class documentation.
   */
  async fetchOhlcv(request: OhlcvRequest): Promise<OhlcvAnswer> {
    const limit = request.limit === undefined ? undefined : Math.min(request.limit, this.maxLimit);
    const candles = await this.#call(request.signal, (ex) =>
      ex.fetchOHLCV(this.#symbolMap(request.symbol), ccxtTimeframe(request.timeframe), request.since, limit),
    );
    const rows = candles.map((candle) => fromCcxtOhlcv([candle]).rows[0] ?? candle);
    const usedWeight = header(this.#exchange.last_response_headers, 'x-mbx-used-weight-1m');
    return usedWeight === undefined ? { rows } : { rows, usedWeight };
  }

  /**
   * Trades from `since` on, oldest first, as `Tick`s; with `fromId`, from that trade id on
   * (passed to ccxt as the exchange parameter `fromId`, which Binance's `aggTrades` reads; the
   * pipeline asks by id to resume and to re-fetch a gap in ids).
   *
   * @param request - symbol, `since` (epoch ms), `fromId`, `limit`, `signal`.
   * @returns The trades (rows `fromCcxtTrades` refuses are passed on as they came).
   * @throws SourceError (as a rejection) when ccxt throws.
   */
  async fetchTrades(request: TradesRequest): Promise<readonly unknown[]> {
    const { fromId } = request;
    const trades = await this.#call(request.signal, (ex) =>
      fromId === undefined
        ? ex.fetchTrades(this.#symbolMap(request.symbol), request.since, request.limit)
        : ex.fetchTrades(this.#symbolMap(request.symbol), undefined, request.limit, { fromId }),
    );
    return trades.map((trade) => fromCcxtTrades([trade]).rows[0] ?? trade);
  }

  /**
   * An order-book snapshot, stamped with the exchange's time or, when it gives none, `now()`.
   *
   * @param request - symbol, `depth` (levels per side), `signal`.
   * @returns The book, best levels first.
   * @throws SourceError (as a rejection) when ccxt throws.
   */
  async fetchOrderBook(request: OrderBookRequest): Promise<OrderBook> {
    const book = await this.#call(request.signal, (ex) => ex.fetchOrderBook(this.#symbolMap(request.symbol), request.depth));
    const levels = (side: readonly (readonly [number | undefined, number | undefined])[]): { price: number; quantity: number }[] =>
      side.map(([price, quantity]) => ({ price: price ?? Number.NaN, quantity: quantity ?? Number.NaN }));
    return {
      timestamp: book.timestamp ?? this.#now(),
      bids: levels(book.bids),
      asks: levels(book.asks),
      depthLevels: request.depth ?? Math.max(book.bids.length, book.asks.length),
    };
  }

  /** Runs a ccxt call, mapping its errors and honouring `signal`. */
  async #call<T>(signal: AbortSignal | undefined, task: (exchange: CcxtExchange) => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    const work = task(this.#exchange).then(
      (answer) => {
        const body = this.#notJson();
        if (body !== undefined && isEmptyAnswer(answer)) {
          throw new SourceError(`${this.name}: the answer is not JSON: ${body.slice(0, 80)}`, { kind: 'bad_data', source: this.name });
        }
        return answer;
      },
      (error: unknown) => {
        throw this.#sourceError(error);
      },
    );
    if (signal === undefined) return work;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** The last response body, when it is not JSON. */
  #notJson(): string | undefined {
    const body = this.#exchange.last_http_response;
    return typeof body === 'string' && !isJson(body) ? body : undefined;
  }

  #sourceError(error: unknown): SourceError {
    // An error from outside ccxt's hierarchy is ccxt choking on a body that is not JSON, or else
    // counts as a network failure (as the pipeline counts unknown failures).
    const { kind, status } = failureKind(error) ?? { kind: this.#notJson() === undefined ? 'network' : 'bad_data' };
    // Without an HTTP answer (network, timeout) the exchange's last headers are an earlier request's.
    const headers = kind === 'network' || kind === 'timeout' ? undefined : this.#exchange.last_response_headers;
    const retryAfter = kind === 'rate_limited' || kind === 'banned' ? header(headers, 'retry-after') : undefined;
    const usedWeight = header(headers, 'x-mbx-used-weight-1m');
    return new SourceError(error instanceof Error ? error.message : String(error), {
      kind,
      source: this.name,
      cause: error,
      ...(status === undefined ? {} : { status }),
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter * 1000 }),
      ...(usedWeight === undefined ? {} : { usedWeight }),
    });
  }
}
