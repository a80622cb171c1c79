/**
 * A local stand-in for Binance's spot REST API, for the tests of `examples/binance-rest-source`
 * and `examples/ccxt-source` (there is no internet in the test environment, and a test must not
 * depend on it anyway). It listens on 127.0.0.1, answers in Binance's wire format, follows a
 * clock the test controls, and misbehaves exactly as a fault script says.
 *
 * Endpoints (all `GET`, JSON, numbers as 8-decimal strings where Binance sends strings):
 *
 * | path | answer | weight |
 * |---|---|---|
 * | `/api/v3/klines?symbol&interval&startTime&endTime&limit` | 12-column kline arrays, oldest first, at most `limit` (default 500, max 1000); the bar forming at `now()` included | 2 |
 * | `/api/v3/trades?symbol&limit` | the newest `limit` trades (default 500, max 1000) | 25 |
 * | `/api/v3/historicalTrades?symbol&fromId&limit` | trades from id `fromId` on (without it, the newest), oldest first | 25 |
 * | `/api/v3/aggTrades?symbol&fromId&startTime&endTime&limit` | trades as aggregate trades (what ccxt's `fetchTrades` asks for) | 4 |
 * | `/api/v3/depth?symbol&limit` | `{ lastUpdateId, bids, asks }` around the last close (default 100 levels, max 5000) | 5 / 25 / 50 / 250 by `limit` |
 * | `/api/v3/exchangeInfo` | the served symbols (what ccxt's `loadMarkets` reads) | 20 |
 * | `/api/v3/time`, `/api/v3/ping` | `{ serverTime }`, `{}` | 1 |
 *
 * Every answer carries `X-MBX-USED-WEIGHT-1M`: the weight used in the current clock-aligned
 * minute of `now()`. Beyond `weightLimit` the server answers 429 with `Retry-After` (seconds to
 * the next minute), as Binance does. Errors use Binance's `{ code, msg }` bodies.
 *
 * @example
 * ```ts
 * const { bars } = generateOhlcv({ start: T0, count: 600 });
 * const server = await BinanceTestServer.start({ bars: { BTCUSDT: bars }, now: () => clock.now() });
 * await fetch(`${server.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=2`);
 * server.setFaults([{ kind: 'rate_limited', retryAfterSeconds: 10, times: 1 }]);
 * await server.close();
 * ```
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timeframeMs, type FixedTimeframe, type Ohlcv, type Tick } from 'market-data-pipeline';

/** The ways the server can be told to misbehave; see {@link BinanceFault}. */
export type BinanceFaultKind = 'rate_limited' | 'banned' | 'server_error' | 'outage' | 'bad_json' | 'hang';

/**
 * One step of the server's fault script: what to do, and to which requests. For each request
 * the first active step (in script order) decides the answer; a step is active when every
 * condition it has holds.
 *
 * | kind | answer |
 * |---|---|
 * | `rate_limited` | HTTP 429, `Retry-After: retryAfterSeconds` (default: seconds to the next minute), body code -1003 |
 * | `banned` | HTTP 418, `Retry-After: retryAfterSeconds` (default 120), body code -1003 "IP banned until …" |
 * | `server_error` | HTTP `status` (default 500; use 502, 503, 504 …), body code -1001 |
 * | `outage` | no HTTP answer: the connection is reset (the client sees a network error) |
 * | `bad_json` | HTTP 200 with an HTML page instead of JSON |
 * | `hang` | no answer until the client gives up (or the server closes) |
 */
export type BinanceFault = {
  /** What the server does. */
  readonly kind: BinanceFaultKind;
  /** Only requests to this path (e.g. `'/api/v3/klines'`). @defaultValue every path */
  readonly path?: string;
  /** Start of the step's window on the server's clock, epoch ms (inclusive). @defaultValue no lower bound */
  readonly from?: number;
  /** End of the window, epoch ms (exclusive). @defaultValue no upper bound */
  readonly to?: number;
  /** The step applies to this many requests, then it is spent. @defaultValue unlimited */
  readonly times?: number;
  /** `Retry-After` of `rate_limited` and `banned`, in seconds. */
  readonly retryAfterSeconds?: number;
  /** HTTP status of `server_error`. @defaultValue 500 */
  readonly status?: number;
};

/** One request as the server saw it. */
export interface BinanceServerRequest {
  /** Sequence number, from 0. */
  readonly seq: number;
  /** The path, e.g. `'/api/v3/klines'`. */
  readonly path: string;
  /** The query parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** Server clock time when it arrived, epoch ms. */
  readonly at: number;
  /** HTTP status answered; absent when there was no answer (`outage`, `hang`). */
  readonly status?: number;
  /** The fault step that decided the answer, if any. */
  readonly fault?: BinanceFaultKind;
  /** `X-MBX-USED-WEIGHT-1M` after this request (weight used in the current minute). */
  readonly usedWeight: number;
}

/** Options of {@link BinanceTestServer.start}. */
export interface BinanceTestServerOptions {
  /**
   * Bars served per Binance symbol (`BTCUSDT`), of `timeframe`, oldest first. Prices go out as
   * 8-decimal strings (as Binance sends them), so a client reads each value rounded to 8
   * decimals. Kline columns a bar lacks are derived: quote volume = volume × close, trades =
   * max(1, round(volume)), taker buy volume = volume / 2.
   */
  readonly bars: Readonly<Record<string, readonly Ohlcv[]>>;
  /** Trades served per symbol, oldest first. @defaultValue none */
  readonly trades?: Readonly<Record<string, readonly Tick[]>>;
  /** The bars' timeframe; klines of any other interval are refused (code -1120). @defaultValue '1m' */
  readonly timeframe?: FixedTimeframe;
  /** The server's clock, epoch ms: only bars that opened by `now()` exist. @defaultValue `Date.now` */
  readonly now?: () => number;
  /** The fault script (see {@link BinanceFault}); `setFaults` replaces it. @defaultValue [] */
  readonly faults?: readonly BinanceFault[];
  /** Request weight allowed per clock-aligned minute before answering 429. @defaultValue 6000 (Binance's) */
  readonly weightLimit?: number;
}

const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BTC', 'ETH', 'BNB', 'EUR'];
const MINUTE = 60_000;

function str(value: number): string {
  return value.toFixed(8);
}

function depthWeight(limit: number): number {
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
}

/** Index of the first element whose time is `>= t` (`times` sorted ascending). */
function lowerBound(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

function binanceError(status: number, code: number, msg: string): HttpAnswer {
  return new HttpAnswer(status, { code, msg });
}

/**
 * A local HTTP server answering like Binance's spot REST API; see the module documentation.
 * Start it with {@link BinanceTestServer.start}, stop it with {@link BinanceTestServer.close}.
 */
export class BinanceTestServer {
  /** Base URL, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly #server: Server;
  readonly #options: BinanceTestServerOptions;
  readonly #now: () => number;
  readonly #widthMs: number;
  readonly #interval: string;
  readonly #bars: ReadonlyMap<string, { readonly bars: readonly Ohlcv[]; readonly times: readonly number[] }>;
  readonly #requests: BinanceServerRequest[] = [];
  #faults: { fault: BinanceFault; left: number }[] = [];
  #weight = { minute: Number.NaN, used: 0 };

  private constructor(server: Server, options: BinanceTestServerOptions) {
    this.#server = server;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const timeframe = options.timeframe ?? '1m';
    this.#widthMs = timeframeMs(timeframe);
    // Binance spells hours, days and weeks in lower case; `1M` (a month) has no fixed width here.
    this.#interval = timeframe.toLowerCase();
    this.#bars = new Map(
      Object.entries(options.bars).map(([symbol, bars]) => {
        const sorted = [...bars].sort((a, b) => a.timestamp - b.timestamp);
        return [symbol, { bars: sorted, times: sorted.map((b) => b.timestamp) }];
      }),
    );
    this.setFaults(options.faults ?? []);
    const port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#handle(req, res));
  }

  /**
   * Starts a server on 127.0.0.1 at an ephemeral port.
   *
   * @param options - what to serve and how to misbehave.
   * @returns The listening server.
   */
  static async start(options: BinanceTestServerOptions): Promise<BinanceTestServer> {
    const server = createServer({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new BinanceTestServer(server, options);
  }

  /** Every request so far, in arrival order. */
  get requests(): readonly BinanceServerRequest[] {
    return this.#requests;
  }

  /**
   * Replaces the fault script (spent counts start again).
   *
   * @param faults - the new script; `[]` makes the server behave.
   */
  setFaults(faults: readonly BinanceFault[]): void {
    this.#faults = faults.map((fault) => ({ fault, left: fault.times ?? Number.POSITIVE_INFINITY }));
  }

  /**
   * Stops listening and drops every connection (hanging requests included).
   *
   * @returns A promise that resolves when the server is closed.
   */
  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const params = Object.fromEntries(url.searchParams);
    const at = this.#now();
    const minute = Math.floor(at / MINUTE);
    if (minute !== this.#weight.minute) this.#weight = { minute, used: 0 };
    this.#weight.used += this.#weightOf(url.pathname, params);
    const log = { seq: this.#requests.length, path: url.pathname, params, at, usedWeight: this.#weight.used };
    const step = this.#faults.find(
      (s) =>
        s.left > 0 &&
        (s.fault.path === undefined || s.fault.path === url.pathname) &&
        (s.fault.from === undefined || at >= s.fault.from) &&
        (s.fault.to === undefined || at < s.fault.to),
    );
    if (step !== undefined) step.left--;
    const fault = step?.fault;
    if (fault?.kind === 'outage') {
      this.#requests.push({ ...log, fault: 'outage' });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') {
      this.#requests.push({ ...log, fault: 'hang' });
      return;
    }
    const nextMinuteSeconds = String(Math.ceil(((minute + 1) * MINUTE - at) / 1000));
    let answer: HttpAnswer;
    if (fault !== undefined) {
      answer = this.#faultAnswer(fault, at, nextMinuteSeconds);
    } else if (this.#weight.used > (this.#options.weightLimit ?? 6000)) {
      answer = new HttpAnswer(
        429,
        { code: -1003, msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.' },
        { 'Retry-After': nextMinuteSeconds },
      );
    } else {
      answer = this.#route(url.pathname, params, at);
    }
    this.#requests.push({ ...log, status: answer.status, ...(fault === undefined ? {} : { fault: fault.kind }) });
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'Content-Type': typeof answer.body === 'string' ? 'text/html' : 'application/json;charset=UTF-8',
      'X-MBX-USED-WEIGHT-1M': String(this.#weight.used),
      ...answer.headers,
    });
    res.end(text);
  }

  #faultAnswer(fault: BinanceFault, at: number, nextMinuteSeconds: string): HttpAnswer {
    switch (fault.kind) {
      case 'rate_limited':
        return new HttpAnswer(
          429,
          { code: -1003, msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.' },
          { 'Retry-After': fault.retryAfterSeconds === undefined ? nextMinuteSeconds : String(fault.retryAfterSeconds) },
        );
      case 'banned': {
        const seconds = fault.retryAfterSeconds ?? 120;
        return new HttpAnswer(
          418,
          { code: -1003, msg: `Way too much request weight used; IP banned until ${at + seconds * 1000}.` },
          { 'Retry-After': String(seconds) },
        );
      }
      case 'server_error':
        return binanceError(fault.status ?? 500, -1001, 'Internal error; unable to process your request. Please try again.');
      case 'bad_json':
        return new HttpAnswer(200, '<html><body><h1>502 Bad Gateway</h1></body></html>');
      case 'outage':
      case 'hang':
        throw new Error(`${fault.kind} has no HTTP answer`);
    }
  }

  #weightOf(path: string, params: Readonly<Record<string, string>>): number {
    switch (path) {
      case '/api/v3/klines':
        return 2;
      case '/api/v3/trades':
      case '/api/v3/historicalTrades':
        return 25;
      case '/api/v3/aggTrades':
        return 4;
      case '/api/v3/depth':
        return depthWeight(Number(params['limit'] ?? 100));
      case '/api/v3/exchangeInfo':
        return 20;
      default:
        return 1;
    }
  }

  #route(path: string, params: Readonly<Record<string, string>>, now: number): HttpAnswer {
    switch (path) {
      case '/api/v3/ping':
        return new HttpAnswer(200, {});
      case '/api/v3/time':
        return new HttpAnswer(200, { serverTime: now });
      case '/api/v3/exchangeInfo':
        return new HttpAnswer(200, this.#exchangeInfo(now));
      case '/api/v3/klines':
        return this.#klines(params, now);
      case '/api/v3/trades':
      case '/api/v3/historicalTrades':
      case '/api/v3/aggTrades':
        return this.#trades(path, params, now);
      case '/api/v3/depth':
        return this.#depth(params, now);
      default:
        return binanceError(404, -1000, `Unknown path ${path}`);
    }
  }

  #limit(params: Readonly<Record<string, string>>, fallback: number, max: number): number | HttpAnswer {
    const raw = params['limit'];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      return binanceError(400, -1100, `Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.`);
    return Math.min(n, max);
  }

  #klines(params: Readonly<Record<string, string>>, now: number): HttpAnswer {
    const series = this.#bars.get(params['symbol'] ?? '');
    if (series === undefined) return binanceError(400, -1121, 'Invalid symbol.');
    if (params['interval'] !== this.#interval) return binanceError(400, -1120, 'Invalid interval.');
    const limit = this.#limit(params, 500, 1000);
    if (limit instanceof HttpAnswer) return limit;
    const { bars, times } = series;
    // Bars exist once they have opened: the one forming at `now` is served too, as Binance does.
    let end = lowerBound(times, now + 1);
    if (params['endTime'] !== undefined) end = Math.min(end, lowerBound(times, Number(params['endTime']) + 1));
    let begin: number;
    if (params['startTime'] !== undefined) {
      begin = lowerBound(times, Number(params['startTime']));
      end = Math.min(end, begin + limit);
    } else {
      begin = Math.max(0, end - limit);
    }
    const rows = bars
      .slice(begin, Math.max(begin, end))
      .map((b) => [
        b.timestamp,
        str(b.open),
        str(b.high),
        str(b.low),
        str(b.close),
        str(b.volume),
        b.timestamp + this.#widthMs - 1,
        str(b.quoteVolume ?? b.volume * b.close),
        b.trades ?? Math.max(1, Math.round(b.volume)),
        str(b.takerBuyVolume ?? b.volume / 2),
        str((b.takerBuyVolume ?? b.volume / 2) * b.close),
        '0',
      ]);
    return new HttpAnswer(200, rows);
  }

  #trades(path: string, params: Readonly<Record<string, string>>, now: number): HttpAnswer {
    const symbol = params['symbol'] ?? '';
    if (!this.#bars.has(symbol)) return binanceError(400, -1121, 'Invalid symbol.');
    const limit = this.#limit(params, 500, 1000);
    if (limit instanceof HttpAnswer) return limit;
    const all = (this.#options.trades?.[symbol] ?? []).filter((t) => t.timestamp <= now);
    if (path === '/api/v3/trades' || path === '/api/v3/historicalTrades') {
      const fromId = path === '/api/v3/historicalTrades' && params['fromId'] !== undefined ? Number(params['fromId']) : undefined;
      const picked = fromId === undefined ? all.slice(-limit) : all.filter((t) => t.tradeId >= fromId).slice(0, limit);
      return new HttpAnswer(
        200,
        picked.map((t) => ({
          id: t.tradeId,
          price: str(t.price),
          qty: str(t.quantity),
          quoteQty: str(t.price * t.quantity),
          time: t.timestamp,
          isBuyerMaker: t.side === 'sell',
          isBestMatch: true,
        })),
      );
    }
    const from = params['startTime'] === undefined ? undefined : Number(params['startTime']);
    const to = params['endTime'] === undefined ? undefined : Number(params['endTime']);
    const fromId = params['fromId'] === undefined ? undefined : Number(params['fromId']);
    const inWindow = all.filter(
      (t) =>
        (from === undefined || t.timestamp >= from) &&
        (to === undefined || t.timestamp <= to) &&
        (fromId === undefined || t.tradeId >= fromId),
    );
    const picked = from === undefined && fromId === undefined ? inWindow.slice(-limit) : inWindow.slice(0, limit);
    return new HttpAnswer(
      200,
      picked.map((t) => ({
        a: t.tradeId,
        p: str(t.price),
        q: str(t.quantity),
        f: t.tradeId,
        l: t.tradeId,
        T: t.timestamp,
        m: t.side === 'sell',
        M: true,
      })),
    );
  }

  #depth(params: Readonly<Record<string, string>>, now: number): HttpAnswer {
    const series = this.#bars.get(params['symbol'] ?? '');
    if (series === undefined) return binanceError(400, -1121, 'Invalid symbol.');
    const limit = this.#limit(params, 100, 5000);
    if (limit instanceof HttpAnswer) return limit;
    const last = series.bars[lowerBound(series.times, now + 1) - 1];
    if (last === undefined) return new HttpAnswer(200, { lastUpdateId: 0, bids: [], asks: [] });
    // A symmetric book around the last price: level i is (i + 1) basis points away, (i + 1) units deep.
    const level = (i: number, sign: number): [string, string] => [str(last.close * (1 + sign * (i + 1) * 1e-4)), str(i + 1)];
    return new HttpAnswer(200, {
      lastUpdateId: Math.floor(now / 1000),
      bids: Array.from({ length: limit }, (_, i) => level(i, -1)),
      asks: Array.from({ length: limit }, (_, i) => level(i, 1)),
    });
  }

  #exchangeInfo(now: number): unknown {
    return {
      timezone: 'UTC',
      serverTime: now,
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.#options.weightLimit ?? 6000 }],
      exchangeFilters: [],
      symbols: [...this.#bars.keys()].map((symbol) => {
        const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length) ?? 'USDT';
        return {
          symbol,
          status: 'TRADING',
          baseAsset: symbol.slice(0, symbol.length - quote.length),
          baseAssetPrecision: 8,
          quoteAsset: quote,
          quotePrecision: 8,
          quoteAssetPrecision: 8,
          orderTypes: ['LIMIT', 'MARKET'],
          isSpotTradingAllowed: true,
          isMarginTradingAllowed: false,
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: '0.00000001', maxPrice: '1000000.00000000', tickSize: '0.00000001' },
            { filterType: 'LOT_SIZE', minQty: '0.00000001', maxQty: '9000000.00000000', stepSize: '0.00000001' },
          ],
          permissions: [],
          permissionSets: [['SPOT']],
        };
      }),
    };
  }
}
