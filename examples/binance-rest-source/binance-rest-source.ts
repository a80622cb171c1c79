import {
  fromBinanceKlines,
  SourceError,
  type OhlcvAnswer,
  type OhlcvRequest,
  type OrderBook,
  type OrderBookRequest,
  type Source,
  type SourceFailureKind,
  type Tick,
  type Timeframe,
  type TradesRequest,
} from 'market-data-pipeline';
import { binanceDepthWeight } from './binance-depth-weight.js';

/** Options of {@link BinanceRestSource}; every field has a default. */
export interface BinanceRestSourceOptions {
  /**
   * The source's name (`Source.name`), used in documents, alerts and events.
   * @defaultValue 'exchange_api' (the specification's primary source)
   */
  readonly name?: string;
  /**
   * Where the API lives, without a trailing slash; the paths `/api/v3/...` are appended.
   * @defaultValue 'https://api.binance.com'
   */
  readonly baseUrl?: string;
  /**
   * Maps the pipeline's symbol to Binance's.
   * @defaultValue a symbol ending in `USD` gets a `T` (`BTCUSD` → `BTCUSDT`); others are kept
   */
  readonly symbolMap?: (symbol: string) => string;
  /**
   * How long one request may take, in ms, before it fails with kind `timeout` (the pipeline's
   * own `feedFailure.timeoutMs` applies on top, through the request's signal).
   * @defaultValue 10000
   */
  readonly timeoutMs?: number;
  /**
   * The `fetch` to use (inject one for proxies or tests).
   * @defaultValue `globalThis.fetch`
   */
  readonly fetch?: typeof fetch;
  /**
   * The time, epoch ms: stamps order-book snapshots (Binance's spot depth has no time) and
   * reads a `Retry-After` given as an HTTP date.
   * @defaultValue `Date.now`
   */
  readonly now?: () => number;
}

/** Binance's spelling of a timeframe: hours, days and weeks in lower case; `1M` is a month. */
function binanceInterval(timeframe: Timeframe): string {
  return timeframe === '1M' ? '1M' : timeframe.toLowerCase();
}

function defaultSymbolMap(symbol: string): string {
  return symbol.endsWith('USD') ? `${symbol}T` : symbol;
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** `Retry-After` in ms: delta-seconds, or an HTTP date. */
function retryAfterMs(headers: Headers, now: number): number | undefined {
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function failureKind(status: number): SourceFailureKind {
  if (status === 429) return 'rate_limited';
  if (status === 418) return 'banned';
  if (status >= 500) return 'server_error';
  // Other 4xx (an unknown symbol, a bad parameter): the server answered, but not with data.
  return 'bad_data';
}

function numberOrNaN(value: unknown): number {
  return typeof value === 'string' || typeof value === 'number' ? Number(value) : Number.NaN;
}

/**
 * A `Source` over Binance's spot REST API (the specification's `exchange_api`): bars from
 * `GET /api/v3/klines`, trades from `/api/v3/trades`, order books from `/api/v3/depth`, with
 * the global `fetch`.
 *
 * - Bars are read with `fromBinanceKlines`; a row it refuses is passed on as it came, so the
 *   pipeline rejects and reports it (`rejected` event) instead of it vanishing here.
 * - Every answer reports the server's `X-MBX-USED-WEIGHT-1M` as `usedWeight`, which the
 *   pipeline feeds to its rate limiter (configure it with `BINANCE_WEIGHT_LIMIT`).
 * - Failures reject with a `SourceError`: HTTP 429 → `rate_limited` (with `retryAfterMs` from
 *   `Retry-After`), 418 → `banned`, 5xx → `server_error`, other 4xx and answers that are not
 *   the expected JSON → `bad_data`, no answer → `network`, no answer within `timeoutMs` →
 *   `timeout`. When the request's own `signal` aborts, it rejects with `signal.reason`.
 *
 * @example
 * ```ts
 * const primary = new BinanceRestSource();                       // https://api.binance.com
 * const pipeline = new Pipeline({ primary, sinks: [sink], config: { symbols: ['BTCUSD'], rateLimit: BINANCE_WEIGHT_LIMIT } });
 * await pipeline.runOnce();                                       // GET /api/v3/klines?symbol=BTCUSDT&interval=1m&...
 * ```
 */
export class BinanceRestSource implements Source {
  /** The source's name. */
  readonly name: string;
  /** Weight of one klines request on Binance (2 for any `limit` up to 1000). */
  readonly requestWeight = 2;
  /** Weight of one trades request on Binance (`/api/v3/trades` and `/api/v3/historicalTrades`: 25). */
  readonly tradesRequestWeight = 25;
  /** Binance's largest klines `limit`. */
  readonly maxLimit = 1000;
  readonly #baseUrl: string;
  readonly #symbolMap: (symbol: string) => string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;

  /**
   * @param options - see {@link BinanceRestSourceOptions}.
   */
  constructor(options: BinanceRestSourceOptions = {}) {
    this.name = options.name ?? 'exchange_api';
    this.#baseUrl = (options.baseUrl ?? 'https://api.binance.com').replace(/\/+$/, '');
    this.#symbolMap = options.symbolMap ?? defaultSymbolMap;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Bars of `timeframe` from `since` on (or the most recent ones), oldest first, the forming
   * bar included, as Binance answers them.
   *
   * @param request - symbol (the pipeline's spelling), timeframe, `since` (epoch ms), `limit`, `signal`.
   * @returns The bars as `Ohlcv` rows and the server's used weight.
   * @throws SourceError (as a rejection) when the request fails; see the class documentation.
   */
  async fetchOhlcv(request: OhlcvRequest): Promise<OhlcvAnswer> {
    const { body, usedWeight } = await this.#get(
      '/api/v3/klines',
      {
        symbol: this.#symbolMap(request.symbol),
        interval: binanceInterval(request.timeframe),
        ...(request.since === undefined ? {} : { startTime: String(request.since) }),
        ...(request.limit === undefined ? {} : { limit: String(Math.min(request.limit, this.maxLimit)) }),
      },
      request.signal,
    );
    if (!Array.isArray(body)) throw this.#badData('/api/v3/klines answered something other than an array of klines', usedWeight);
    const rows = (body as readonly unknown[]).map((row) => fromBinanceKlines([row]).rows[0] ?? row);
    return usedWeight === undefined ? { rows } : { rows, usedWeight };
  }

  /**
   * Rate-limit weight of one `/api/v3/depth` request of `depth` levels a side (see
   * {@link binanceDepthWeight}): the pipeline's limiter takes it per order-book snapshot.
   */
  orderBookWeight(depth: number): number {
    return binanceDepthWeight(depth);
  }

  /**
   * Trades, oldest first, as `Tick`s (`isBuyerMaker` means the taker sold): with `fromId`,
   * those from that trade id on (`/api/v3/historicalTrades`: how the pipeline resumes and
   * re-fetches a gap in ids); otherwise the most recent ones (`/api/v3/trades` serves only the
   * newest; trades before `since` are left out).
   *
   * @param request - symbol, `fromId`, `since` (epoch ms), `limit` (Binance: at most 1000), `signal`.
   * @returns The trades.
   * @throws SourceError (as a rejection) when the request fails.
   */
  async fetchTrades(request: TradesRequest): Promise<Tick[]> {
    const path = request.fromId === undefined ? '/api/v3/trades' : '/api/v3/historicalTrades';
    const { body, usedWeight } = await this.#get(
      path,
      {
        symbol: this.#symbolMap(request.symbol),
        ...(request.fromId === undefined ? {} : { fromId: String(request.fromId) }),
        ...(request.limit === undefined ? {} : { limit: String(Math.min(request.limit, 1000)) }),
      },
      request.signal,
    );
    if (!Array.isArray(body)) throw this.#badData(`${path} answered something other than an array of trades`, usedWeight);
    const since = request.since ?? Number.NEGATIVE_INFINITY;
    return (body as readonly unknown[]).flatMap((raw): Tick[] => {
      const t = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const timestamp = numberOrNaN(t['time']);
      if (timestamp < since) return [];
      // Values are handed on as read; the pipeline's `parseTicks` / `validateTicks` judge them.
      return [
        {
          timestamp,
          price: numberOrNaN(t['price']),
          quantity: numberOrNaN(t['qty']),
          side: t['isBuyerMaker'] === true ? 'sell' : 'buy',
          tradeId: numberOrNaN(t['id']),
        },
      ];
    });
  }

  /**
   * An order-book snapshot from `/api/v3/depth`, stamped with `now()` (spot depth carries no
   * time).
   *
   * @param request - symbol, `depth` (levels per side; Binance: 1–5000, default 100), `signal`.
   * @returns The book, best levels first.
   * @throws SourceError (as a rejection) when the request fails.
   */
  async fetchOrderBook(request: OrderBookRequest): Promise<OrderBook> {
    const { body, usedWeight } = await this.#get(
      '/api/v3/depth',
      { symbol: this.#symbolMap(request.symbol), ...(request.depth === undefined ? {} : { limit: String(request.depth) }) },
      request.signal,
    );
    const book = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const { bids, asks } = book;
    if (!Array.isArray(bids) || !Array.isArray(asks)) throw this.#badData('/api/v3/depth answered something other than a book', usedWeight);
    const levels = (side: readonly unknown[]): { price: number; quantity: number }[] =>
      side.map((level) => {
        const [price, quantity] = Array.isArray(level) ? (level as readonly unknown[]) : [];
        return { price: numberOrNaN(price), quantity: numberOrNaN(quantity) };
      });
    return {
      timestamp: this.#now(),
      bids: levels(bids as readonly unknown[]),
      asks: levels(asks as readonly unknown[]),
      depthLevels: request.depth ?? Math.max(bids.length, asks.length),
    };
  }

  #badData(message: string, usedWeight: number | undefined): SourceError {
    return new SourceError(message, {
      kind: 'bad_data',
      source: this.name,
      status: 200,
      ...(usedWeight === undefined ? {} : { usedWeight }),
    });
  }

  /** GET `path` with `params`; resolves with the parsed JSON body of a 2xx answer. */
  async #get(
    path: string,
    params: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ): Promise<{ body: unknown; usedWeight: number | undefined }> {
    signal?.throwIfAborted();
    const url = `${this.#baseUrl}${path}?${new URLSearchParams(params).toString()}`;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, { signal: combined, headers: { Accept: 'application/json' } });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      if (timeout.aborted) {
        throw new SourceError(`GET ${path}: no answer within ${this.#timeoutMs} ms`, { kind: 'timeout', source: this.name, cause: error });
      }
      throw new SourceError(`GET ${path}: ${error instanceof Error ? error.message : String(error)}`, {
        kind: 'network',
        source: this.name,
        cause: error,
      });
    }
    const usedWeight = headerNumber(response.headers, 'x-mbx-used-weight-1m');
    if (!response.ok) {
      const wait = retryAfterMs(response.headers, this.#now());
      throw new SourceError(`GET ${path}: HTTP ${response.status} ${text.slice(0, 200)}`, {
        kind: failureKind(response.status),
        source: this.name,
        status: response.status,
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
        ...(usedWeight === undefined ? {} : { usedWeight }),
      });
    }
    try {
      return { body: JSON.parse(text) as unknown, usedWeight };
    } catch (error) {
      throw new SourceError(`GET ${path}: the answer is not JSON: ${text.slice(0, 80)}`, {
        kind: 'bad_data',
        source: this.name,
        status: response.status,
        cause: error,
        ...(usedWeight === undefined ? {} : { usedWeight }),
      });
    }
  }
}
