import {
  DEFAULT_RETRY_POLICY,
  isFixedTimeframe,
  SourceError,
  timeframeMs,
  type OhlcvAnswer,
  type OhlcvRequest,
  type OrderBook,
  type OrderBookRequest,
  type RetryPolicy,
  type Source,
  type Tick,
  type Timeframe,
  type TradesRequest,
} from 'market-data-pipeline';
import { BinanceStreamHub, type BinanceWsEvent } from './binance-stream-hub.js';
import { KlineBuffer } from './kline-buffer.js';
import { readDepth, readKline, readTrade, type KlineEvent } from './read-binance-frame.js';
import { StreamQueue } from './stream-queue.js';

export type { BinanceWsEvent } from './binance-stream-hub.js';

/** Options of {@link BinanceWsSource}; every field has a default. */
export interface BinanceWsSourceOptions {
  /**
   * The source's name (`Source.name`).
   * @defaultValue 'data_provider' (the specification's websocket backup)
   */
  readonly name?: string;
  /**
   * Where the streams live, without a trailing slash; `/stream?streams=…` is appended.
   * @defaultValue 'wss://stream.binance.com:9443'
   */
  readonly baseUrl?: string;
  /**
   * Maps the pipeline's symbol to Binance's.
   * @defaultValue a symbol ending in `USD` gets a `T` (`BTCUSD` → `BTCUSDT`); others are kept
   */
  readonly symbolMap?: (symbol: string) => string;
  /**
   * Answers `fetchOhlcv` when the bars received by websocket do not cover the request (a
   * backfill, the bars missed while the connection was down). Omitted: the received bars are
   * all there is.
   * @defaultValue none
   */
  readonly rest?: Source;
  /** Backoff between failed connections (`retryDelay`'s policy). @defaultValue `DEFAULT_RETRY_POLICY` */
  readonly retry?: RetryPolicy;
  /** The backoff's jitter, a number in [0, 1) (`retryDelay`'s `random`). @defaultValue `Math.random` */
  readonly random?: () => number;
  /** The opening handshake must finish within this many ms. @defaultValue 10000 */
  readonly connectTimeoutMs?: number;
  /** A ping frame is sent this often, ms (Binance pings every 20 s itself). @defaultValue 20000 */
  readonly pingIntervalMs?: number;
  /** A connection that delivers no frame at all (event, ping, pong) for this many ms has failed. @defaultValue 60000 */
  readonly silenceMs?: number;
  /**
   * A connection carrying a kline stream (Binance sends each kline stream's update every 1–2 s,
   * bar closed or not) that delivers no event for this many ms has failed, even if it answers
   * pings: its data stopped. Streams that may be quiet (trades, depth) have no such deadline.
   * @defaultValue 30000
   */
  readonly dataSilenceMs?: number;
  /**
   * A connection is replaced by a fresh one once it is this many ms old (Binance closes each at 24 h).
   * @defaultValue 85800000 (23 h 50 min)
   */
  readonly rolloverMs?: number;
  /** The replaced connection is closed this many ms after its successor opened. @defaultValue 2000 */
  readonly overlapMs?: number;
  /**
   * A forming kline is passed on only while its bar still runs `formingGuardMs` beyond `now()`:
   * a late update of a bar that has closed by the pipeline's clock would be taken for the closed bar.
   * @defaultValue 1000
   */
  readonly formingGuardMs?: number;
  /** Values waiting in one subscription before it fails (its reader fell behind). @defaultValue 10000 */
  readonly maxQueued?: number;
  /** Closed bars kept per stream for `fetchOhlcv`. @defaultValue 1000 */
  readonly bufferBars?: number;
  /** The time, epoch ms (stamps depth snapshots; judges forming klines). @defaultValue `Date.now` */
  readonly now?: () => number;
  /** Told of connections opened, rolled over and failed, and of malformed frames (each skipped). @defaultValue ignore */
  readonly onEvent?: (event: BinanceWsEvent) => void;
}

/** Binance's kline intervals. */
const INTERVALS = new Set(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M']);

function defaultSymbolMap(symbol: string): string {
  return symbol.endsWith('USD') ? `${symbol}T` : symbol;
}

/** `baseUrl` without its trailing slashes, once it is known to be a ws: or wss: URL. */
function streamBase(baseUrl: string): string {
  let protocol: string;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'ws:' && protocol !== 'wss:') throw new RangeError(`Expected \`baseUrl\` to be a ws: or wss: URL, got \`${baseUrl}\``);
  return baseUrl.replace(/\/+$/, '');
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`Expected \`${name}\` to be a positive integer, got \`${value}\``);
  return value;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`Expected \`${name}\` to be a positive number of ms, got \`${value}\``);
  return value;
}

/**
 * A `Source` over Binance's public websocket market streams, with the `ws` package (the
 * specification's backup `data_provider`, `type: websocket`):
 *
 * - `subscribe` streams klines (`<symbol>@kline_<interval>`): a closed kline (`x: true`) is a
 *   closed bar, the forming one is passed on while it forms (the pipeline emits it as `update`);
 * - `subscribeTrades` streams `<symbol>@trade` as `Tick`s, `subscribeOrderBook` streams
 *   `<symbol>@depth<5|10|20>@100ms` snapshots as `OrderBook`s;
 * - every stream of the source shares one combined-stream connection; a failed connection
 *   (dropped, refused, or silent for `silenceMs` despite pings) fails its subscriptions with a
 *   `SourceError` (the pipeline then polls, and reopens the stream after its `retryDelay`) and the
 *   next connection waits `retryDelay` after the failure;
 * - a connection is replaced before Binance's 24-hour cut (`rolloverMs`) or on `serverShutdown`,
 *   with an overlap, so that no bar is lost or repeated;
 * - a malformed frame is reported (`onEvent`) and skipped;
 * - `fetchOhlcv` answers from the klines received (so the source also serves as a polled
 *   backup), and from `rest` when they do not cover the request: after a reconnect the pipeline's
 *   backfill fetches the missed bars through it.
 *
 * Call {@link BinanceWsSource.close} when done: it closes the connection.
 *
 * @example
 * ```ts
 * const rest = new BinanceRestSource();
 * const ws = new BinanceWsSource({ rest });                       // wss://stream.binance.com:9443
 * const pipeline = new Pipeline({ primary: ws, sinks: [sink], config: { symbols: ['BTCUSD', 'ETHUSD'] } });
 * pipeline.start();                                               // one connection: btcusdt@kline_1m/ethusdt@kline_1m
 * ```
 */
export class BinanceWsSource implements Source {
  /** The source's name. */
  readonly name: string;
  readonly #symbolMap: (symbol: string) => string;
  readonly #rest: Source | undefined;
  readonly #hub: BinanceStreamHub;
  readonly #formingGuardMs: number;
  readonly #maxQueued: number;
  readonly #bufferBars: number;
  readonly #connectTimeoutMs: number;
  readonly #now: () => number;
  readonly #onEvent: (event: BinanceWsEvent) => void;
  readonly #buffers = new Map<string, { buffer: KlineBuffer; arrived: Promise<void>; stop: () => void }>();

  /**
   * @param options - see {@link BinanceWsSourceOptions}.
   * @throws RangeError when a duration is not a positive number (`formingGuardMs`: finite, 0 or
   *   more), `maxQueued` or `bufferBars` is not a positive integer, or `baseUrl` is not a ws: or wss: URL.
   */
  constructor(options: BinanceWsSourceOptions = {}) {
    this.name = options.name ?? 'data_provider';
    this.#symbolMap = options.symbolMap ?? defaultSymbolMap;
    this.#rest = options.rest;
    this.#formingGuardMs = options.formingGuardMs ?? 1000;
    if (!(Number.isFinite(this.#formingGuardMs) && this.#formingGuardMs >= 0))
      throw new RangeError(`Expected \`formingGuardMs\` to be a finite number of ms, 0 or more, got \`${this.#formingGuardMs}\``);
    this.#maxQueued = positiveInteger('maxQueued', options.maxQueued ?? 10_000);
    this.#bufferBars = positiveInteger('bufferBars', options.bufferBars ?? 1000);
    this.#connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs ?? 10_000);
    this.#now = options.now ?? Date.now;
    this.#onEvent = options.onEvent ?? ((): void => undefined);
    this.#hub = new BinanceStreamHub({
      baseUrl: streamBase(options.baseUrl ?? 'wss://stream.binance.com:9443'),
      source: this.name,
      connectTimeoutMs: this.#connectTimeoutMs,
      pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs ?? 20_000),
      silenceMs: positive('silenceMs', options.silenceMs ?? 60_000),
      dataSilenceMs: positive('dataSilenceMs', options.dataSilenceMs ?? 30_000),
      rolloverMs: positive('rolloverMs', options.rolloverMs ?? 85_800_000),
      overlapMs: positive('overlapMs', options.overlapMs ?? 2000),
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
      random: options.random ?? Math.random,
      onEvent: (event) => this.#onEvent(event),
    });
  }

  /**
   * Bars of `timeframe` as they happen, until `signal` aborts: each closed kline once, and the
   * forming one's updates while it forms (a slow reader gets the latest update, not each one).
   *
   * @param request - symbol (the pipeline's spelling), timeframe, `signal`.
   * @returns `Ohlcv`-shaped rows; the iteration rejects with a `SourceError` when the connection fails.
   */
  subscribe(request: OhlcvRequest): AsyncIterable<unknown> {
    return this.#stream<KlineEvent['row']>(this.#klineStream(request.symbol, request.timeframe), request.signal, (data, queue) => {
      const kline = this.#kline(data);
      if (kline === undefined || !this.#passes(kline)) return;
      queue.push(kline.row, (last) => last.timestamp === kline.row.timestamp);
    });
  }

  /**
   * Trades as they happen (`<symbol>@trade`), from `since` on, until `signal` aborts.
   *
   * @returns `Tick`s; the iteration rejects with a `SourceError` when the connection fails.
   */
  subscribeTrades(request: TradesRequest): AsyncIterable<unknown> {
    const since = request.since ?? Number.NEGATIVE_INFINITY;
    return this.#stream<Tick>(`${this.#symbolMap(request.symbol).toLowerCase()}@trade`, request.signal, (data, queue) => {
      const tick = readTrade(data);
      if (typeof tick === 'string') this.#onEvent({ kind: 'malformed', reason: tick });
      else if (tick.timestamp >= since) queue.push(tick);
    });
  }

  /**
   * Order-book snapshots as they happen (`<symbol>@depth<levels>@100ms`, levels 5, 10 or 20: the
   * smallest that holds `depth`, 20 at most), stamped with `now()`, until `signal` aborts. A slow
   * reader gets the newest snapshot, not each one.
   *
   * @returns `OrderBook`s; the iteration rejects with a `SourceError` when the connection fails.
   */
  subscribeOrderBook(request: OrderBookRequest): AsyncIterable<unknown> {
    const depth = request.depth ?? 20;
    const levels = depth <= 5 ? 5 : depth <= 10 ? 10 : 20;
    return this.#stream<OrderBook>(
      `${this.#symbolMap(request.symbol).toLowerCase()}@depth${levels}@100ms`,
      request.signal,
      (data, queue) => {
        const read = readDepth(data, this.#now());
        if (typeof read === 'string') this.#onEvent({ kind: 'malformed', reason: read });
        else queue.push(read, () => true);
      },
    );
  }

  /**
   * Bars of `timeframe` from `since` on: the klines received by websocket when they cover the
   * request (every closed bar from `since` to the last one due, then the forming one), else
   * `rest`'s answer. Without `rest`, the received bars as they are (waiting up to
   * `connectTimeoutMs` for the stream's first kline).
   *
   * @throws SourceError (as a rejection) `network` when no kline arrived in time and there is no `rest`.
   */
  async fetchOhlcv(request: OhlcvRequest): Promise<readonly unknown[] | OhlcvAnswer> {
    request.signal?.throwIfAborted();
    const watched = this.#watch(request.symbol, request.timeframe);
    const limit = request.limit ?? 1000;
    const answer = watched.buffer.read(request.since, limit, this.#now());
    if (answer.complete) return answer.rows;
    if (this.#rest !== undefined) return this.#rest.fetchOhlcv(request);
    if (watched.buffer.empty) await this.#firstKline(watched.arrived, request.signal);
    return watched.buffer.read(request.since, limit, this.#now()).rows;
  }

  /**
   * Starts receiving `symbol`'s klines now, for `fetchOhlcv` (which otherwise starts at its first
   * call): a backup that is polled only during a failover should be watched from the start.
   *
   * @throws RangeError when Binance has no kline stream of `timeframe`.
   */
  watch(symbol: string, timeframe: Timeframe): void {
    this.#watch(symbol, timeframe);
  }

  /**
   * Open time of the newest closed kline received for `symbol` and `timeframe` (watched by
   * `watch` or `fetchOhlcv`), epoch ms; `undefined` before the first.
   */
  newestClosed(symbol: string, timeframe: Timeframe): number | undefined {
    return this.#buffers.get(this.#klineStream(symbol, timeframe))?.buffer.newestClosed;
  }

  /** Closes the connection and stops the streams `fetchOhlcv` watches. Subscriptions still open fail with a `network` `SourceError`. */
  close(): void {
    for (const watched of this.#buffers.values()) watched.stop();
    this.#buffers.clear();
    this.#hub.close();
  }

  #klineStream(symbol: string, timeframe: Timeframe): string {
    const interval = timeframe === '1M' ? '1M' : timeframe.toLowerCase();
    if (!INTERVALS.has(interval)) throw new RangeError(`Binance has no \`${timeframe}\` kline stream`);
    return `${this.#symbolMap(symbol).toLowerCase()}@kline_${interval}`;
  }

  #kline(data: Readonly<Record<string, unknown>>): KlineEvent | undefined {
    const kline = readKline(data);
    if (typeof kline !== 'string') return kline;
    this.#onEvent({ kind: 'malformed', reason: kline });
    return undefined;
  }

  /** Whether a kline goes on: closed ones do; a forming one while its bar runs `formingGuardMs` past now. */
  #passes(kline: KlineEvent): boolean {
    return kline.closed || kline.closeTime >= this.#now() + this.#formingGuardMs;
  }

  /** One subscription of `stream`: a queue fed by `onData` until `signal` aborts or the connection fails. */
  #stream<T>(
    stream: string,
    signal: AbortSignal | undefined,
    onData: (data: Readonly<Record<string, unknown>>, queue: StreamQueue<T>) => void,
  ): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<T> => {
        let unlisten = (): void => undefined;
        const onAbort = (): void => queue.end();
        const queue = new StreamQueue<T>(
          this.#maxQueued,
          () => {
            unlisten();
            signal?.removeEventListener('abort', onAbort);
          },
          () => new SourceError(`${stream}: more than ${this.#maxQueued} values wait to be read`, { kind: 'network', source: this.name }),
        );
        if (signal?.aborted === true) {
          queue.end();
          return queue;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        unlisten = this.#hub.listen(stream, { event: (data) => onData(data, queue), fail: (error) => queue.fail(error) });
        return queue;
      },
    };
  }

  /** The buffer of `symbol`'s klines, watched from the first call on (a failed connection is watched again). */
  #watch(symbol: string, timeframe: Timeframe): { buffer: KlineBuffer; arrived: Promise<void> } {
    const stream = this.#klineStream(symbol, timeframe);
    const known = this.#buffers.get(stream);
    if (known !== undefined) return known;
    if (!isFixedTimeframe(timeframe)) throw new RangeError(`\`${timeframe}\` has no fixed width to buffer`);
    const buffer = new KlineBuffer(timeframeMs(timeframe), this.#bufferBars);
    let stopped = false;
    let unlisten = (): void => undefined;
    let arrive = (): void => undefined;
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const listen = (): void => {
      if (stopped) return;
      unlisten = this.#hub.listen(stream, {
        event: (data) => {
          const kline = this.#kline(data);
          if (kline === undefined) return;
          buffer.add(kline);
          arrive();
        },
        fail: () => listen(),
      });
    };
    listen();
    const watched = {
      buffer,
      arrived,
      stop: (): void => {
        stopped = true;
        unlisten();
      },
    };
    this.#buffers.set(stream, watched);
    return watched;
  }

  async #firstKline(arrived: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = (): void => undefined;
    try {
      await Promise.race([
        arrived,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new SourceError(`no kline within ${this.#connectTimeoutMs} ms`, { kind: 'network', source: this.name })),
            this.#connectTimeoutMs,
          );
          onAbort = (): void => reject(signal?.reason as Error);
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
