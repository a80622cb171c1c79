/**
 * A local stand-in for Binance's spot websocket market streams, for the tests of
 * `examples/binance-ws-source` and `examples/ccxt-source` (no internet in the test environment).
 * It listens on 127.0.0.1 and speaks Binance's wire format (developers.binance.com, "WebSocket
 * Streams for Binance", General WSS information):
 *
 * - raw streams at `/ws/<stream>` (after any prefix: ccxt is pointed at `/stream/ws`, since it
 *   tells spot from futures by `/stream` in the URL) and combined streams at
 *   `/stream?streams=<a>/<b>`, where a combined connection gets each event wrapped as
 *   `{ "stream": "<name>", "data": <payload> }`;
 * - live `{ "method": "SUBSCRIBE" | "UNSUBSCRIBE", "params": [...], "id": n }` requests, answered
 *   `{ "result": null, "id": n }`;
 * - a ping frame every `pingIntervalMs` (Binance: 20 s), and a connection that sends no pong
 *   within `pongTimeoutMs` (Binance: a minute) is dropped;
 * - every connection is closed once it is `maxConnectionMs` old (Binance: 24 hours; configurable
 *   so that a test sees the roll-over in milliseconds).
 *
 * The test publishes events itself ({@link BinanceWsTestServer.kline}, `trade`, `depth`) and
 * scripts faults: {@link BinanceWsTestServer.drop} (connections reset), `stall` (connections stay
 * open and say nothing: no events, no pings, no pongs), `mute` (pings and pongs go on, events
 * stop), `sendRaw` (malformed frames),
 * `refuseConnections` (upgrades answered 503), `shutdown` (Binance's `serverShutdown` event).
 *
 * @example
 * ```ts
 * const server = await BinanceWsTestServer.start({ maxConnectionMs: 200 });
 * server.kline('BTCUSDT', '1m', bar, true);   // → {"stream":"btcusdt@kline_1m","data":{"e":"kline",…,"k":{…,"x":true}}}
 * server.stall(true);                        // silent from now on
 * await server.close();
 * ```
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { timeframeMs, type FixedTimeframe, type Ohlcv, type OrderBook, type Tick } from 'market-data-pipeline';

/** Options of {@link BinanceWsTestServer.start}. */
export interface BinanceWsTestServerOptions {
  /** Ping frame interval, ms. @defaultValue 20000 (Binance) */
  readonly pingIntervalMs?: number;
  /** A connection that answers no ping within this many ms is dropped. @defaultValue 60000 (Binance) */
  readonly pongTimeoutMs?: number;
  /** Every connection is closed once it is this old, ms. @defaultValue 86400000 (Binance's 24 hours) */
  readonly maxConnectionMs?: number;
  /** The event time `E` stamped on events, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** One connection the server accepted, as a test inspects it. */
export interface BinanceWsConnectionInfo {
  /** Order of arrival, from 0. */
  readonly seq: number;
  /** The path the client asked for (`/stream?streams=…` or `/ws/…`). */
  readonly path: string;
  /** The streams it is subscribed to now. */
  readonly streams: ReadonlySet<string>;
  /** Whether it is still open. */
  readonly open: boolean;
  /** Why the server closed it, if it did: `'age'`, `'no_pong'`, `'drop'`, `'shutdown'`. */
  readonly closedBy: string | undefined;
}

interface Connection {
  readonly seq: number;
  readonly path: string;
  readonly socket: WebSocket;
  readonly combined: boolean;
  readonly streams: Set<string>;
  open: boolean;
  closedBy: string | undefined;
  awaitingPong: boolean;
  /** Timers still pending (each removes itself when it fires). */
  readonly timers: Set<ReturnType<typeof setTimeout>>;
}

function str(value: number): string {
  return value.toFixed(8);
}

/** A local server answering like Binance's websocket market streams; see the module documentation. */
export class BinanceWsTestServer {
  /** Base URL, `ws://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #pingIntervalMs: number;
  readonly #pongTimeoutMs: number;
  readonly #maxConnectionMs: number;
  readonly #now: () => number;
  readonly #connections: Connection[] = [];
  readonly #upgradeTimes: number[] = [];
  #stalled = false;
  #muted = false;
  #holding = false;
  readonly #held: (() => void)[] = [];
  #refusals = 0;

  private constructor(http: Server, options: BinanceWsTestServerOptions) {
    this.#http = http;
    this.#pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.#pongTimeoutMs = options.pongTimeoutMs ?? 60_000;
    this.#maxConnectionMs = options.maxConnectionMs ?? 86_400_000;
    this.#now = options.now ?? Date.now;
    // Pongs are answered by hand, so that a stalled server can keep quiet.
    this.#wss = new WebSocketServer({ noServer: true, autoPong: false });
    this.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
  }

  /**
   * Starts a server on 127.0.0.1 at an ephemeral port.
   *
   * @param options - timing of pings, pongs and the connection age limit.
   * @returns The listening server.
   */
  static async start(options: BinanceWsTestServerOptions = {}): Promise<BinanceWsTestServer> {
    const http = createServer((_req, res) => {
      res.writeHead(426).end('websocket only');
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    return new BinanceWsTestServer(http, options);
  }

  /** Every connection so far, in arrival order. */
  get connections(): readonly BinanceWsConnectionInfo[] {
    return this.#connections.map(({ seq, path, streams, open, closedBy }) => ({ seq, path, streams: new Set(streams), open, closedBy }));
  }

  /** When each upgrade request arrived, accepted or refused, in order: `performance.now()` ms. */
  get upgradeTimes(): readonly number[] {
    return [...this.#upgradeTimes];
  }

  /** How many connections are open now. */
  get openConnections(): number {
    return this.#connections.filter((c) => c.open).length;
  }

  /**
   * Publishes a kline event on `<symbol>@kline_<interval>`.
   *
   * @param symbol - Binance's symbol (`BTCUSDT`).
   * @param timeframe - The kline interval.
   * @param bar - The kline's values; its `timestamp` is the open time `t`.
   * @param closed - The `x` flag: whether this is the kline's final update.
   * @returns How many connections it was sent to.
   */
  kline(symbol: string, timeframe: FixedTimeframe, bar: Ohlcv, closed: boolean): number {
    const interval = timeframe.toLowerCase();
    const now = this.#now();
    return this.publish(`${symbol.toLowerCase()}@kline_${interval}`, {
      e: 'kline',
      E: now,
      s: symbol,
      k: {
        t: bar.timestamp,
        T: bar.timestamp + timeframeMs(timeframe) - 1,
        s: symbol,
        i: interval,
        f: 100,
        L: 200,
        o: str(bar.open),
        c: str(bar.close),
        h: str(bar.high),
        l: str(bar.low),
        v: str(bar.volume),
        n: bar.trades ?? Math.max(1, Math.round(bar.volume)),
        x: closed,
        q: str(bar.quoteVolume ?? bar.volume * bar.close),
        V: str(bar.takerBuyVolume ?? bar.volume / 2),
        Q: str((bar.takerBuyVolume ?? bar.volume / 2) * bar.close),
        B: '0',
      },
    });
  }

  /**
   * Publishes a trade event on `<symbol>@trade` (`m`: the buyer is the maker, so the taker sold).
   *
   * @returns How many connections it was sent to.
   */
  trade(symbol: string, tick: Tick): number {
    return this.publish(`${symbol.toLowerCase()}@trade`, {
      e: 'trade',
      E: this.#now(),
      s: symbol,
      t: tick.tradeId,
      p: str(tick.price),
      q: str(tick.quantity),
      T: tick.timestamp,
      m: tick.side === 'sell',
      M: true,
    });
  }

  /**
   * Publishes a partial book depth snapshot on `<symbol>@depth<levels>@100ms` (Binance's payload
   * has no time and no symbol: `{ lastUpdateId, bids, asks }`).
   *
   * @returns How many connections it was sent to.
   */
  depth(symbol: string, levels: 5 | 10 | 20, book: OrderBook, lastUpdateId: number): number {
    return this.publish(`${symbol.toLowerCase()}@depth${levels}@100ms`, {
      lastUpdateId,
      bids: book.bids.slice(0, levels).map((l) => [str(l.price), str(l.quantity)]),
      asks: book.asks.slice(0, levels).map((l) => [str(l.price), str(l.quantity)]),
    });
  }

  /**
   * Sends `data` to every open connection subscribed to `stream` (wrapped for combined ones);
   * nothing while stalled.
   *
   * @returns How many connections it was sent to.
   */
  publish(stream: string, data: unknown): number {
    if (this.#stalled || this.#muted) return 0;
    let sent = 0;
    for (const c of this.#connections) {
      if (!c.open || !c.streams.has(stream)) continue;
      c.socket.send(JSON.stringify(c.combined ? { stream, data } : data));
      sent++;
    }
    return sent;
  }

  /** Sends `text` as it is (a malformed frame, say) to every open connection. */
  sendRaw(text: string): void {
    for (const c of this.#connections) if (c.open) c.socket.send(text);
  }

  /** Resets every open connection at the TCP level (no close frame), as a network drop does. */
  drop(): void {
    for (const c of this.#connections) if (c.open) this.#end(c, 'drop', true);
  }

  /**
   * While `on`, open connections stay open but hear nothing: no events, no pings, no pongs.
   * New connections are accepted but equally silent.
   */
  stall(on: boolean): void {
    this.#stalled = on;
  }

  /**
   * While `on`, open connections stay open and answer pings (and send their own) but carry no
   * events: a stream whose data stopped while its connection looks alive.
   */
  mute(on: boolean): void {
    this.#muted = on;
  }

  /**
   * While `on`, upgrade requests wait unanswered (a connection that takes long to open); turned
   * off, the waiting ones are answered in order.
   */
  holdUpgrades(on: boolean): void {
    this.#holding = on;
    if (!on) for (const answer of this.#held.splice(0)) answer();
  }

  /** Upgrade requests still to be refused (see {@link BinanceWsTestServer.refuseConnections}). */
  get refusalsLeft(): number {
    return this.#refusals;
  }

  /** Answers the next `count` upgrade requests with HTTP 503. */
  refuseConnections(count: number): void {
    this.#refusals = count;
  }

  /** Sends Binance's `serverShutdown` event to every open connection and closes them `afterMs` later. */
  shutdown(afterMs: number): void {
    for (const c of this.#connections) {
      if (!c.open) continue;
      c.socket.send(JSON.stringify({ e: 'serverShutdown', E: this.#now() }));
      this.#after(c, afterMs, () => this.#end(c, 'shutdown', false));
    }
  }

  /**
   * Closes every connection and stops listening.
   *
   * @returns A promise that resolves when the server is closed.
   */
  async close(): Promise<void> {
    for (const c of this.#connections) if (c.open) this.#end(c, 'drop', true);
    this.#wss.close();
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
      this.#http.closeAllConnections();
    });
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#upgradeTimes.push(performance.now());
    if (this.#holding) this.#held.push(() => this.#answer(req, socket, head));
    else this.#answer(req, socket, head);
  }

  #answer(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#refusals > 0) {
      this.#refusals--;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let streams: string[];
    let combined: boolean;
    if (url.pathname === '/stream') {
      streams = (url.searchParams.get('streams') ?? '').split('/').filter((s) => s !== '');
      combined = true;
    } else if (url.pathname.includes('/ws')) {
      // Any prefix before `/ws`: ccxt tells spot from futures by `/stream` in the URL, so it is pointed at `/stream/ws`.
      streams = url.pathname
        .slice(url.pathname.indexOf('/ws') + 3)
        .split('/')
        .filter((s) => s !== '');
      combined = false;
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, req.url ?? '/', streams, combined));
  }

  #accept(socket: WebSocket, path: string, streams: readonly string[], combined: boolean): void {
    const c: Connection = {
      seq: this.#connections.length,
      path,
      socket,
      combined,
      streams: new Set(streams.map((s) => s.toLowerCase())),
      open: true,
      closedBy: undefined,
      awaitingPong: false,
      timers: new Set(),
    };
    this.#connections.push(c);
    socket.on('ping', (payload: Buffer) => {
      if (!this.#stalled) socket.pong(payload);
    });
    socket.on('pong', () => {
      c.awaitingPong = false;
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary && !this.#stalled) this.#request(c, data.toString('utf8'));
    });
    socket.on('close', () => this.#forget(c));
    socket.on('error', () => this.#forget(c));
    this.#after(c, this.#maxConnectionMs, () => this.#end(c, 'age', false));
    const ping = setInterval(() => {
      if (this.#stalled) return;
      if (c.awaitingPong) {
        this.#end(c, 'no_pong', true);
        return;
      }
      c.awaitingPong = true;
      socket.ping();
      this.#after(c, this.#pongTimeoutMs, () => {
        if (c.awaitingPong && c.open) this.#end(c, 'no_pong', true);
      });
    }, this.#pingIntervalMs);
    c.timers.add(ping);
  }

  /** Runs `fire` on `c` after `ms`, as a timer of `c` (cleared when `c` ends, forgotten once it fired). */
  #after(c: Connection, ms: number, fire: () => void): void {
    const timer = setTimeout(() => {
      c.timers.delete(timer);
      fire();
    }, ms);
    c.timers.add(timer);
  }

  #request(c: Connection, text: string): void {
    let message: { method?: unknown; params?: unknown; id?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      c.socket.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' }, id: null }));
      return;
    }
    const params = Array.isArray(message.params) ? message.params.filter((p): p is string => typeof p === 'string') : [];
    const id = message.id ?? null;
    if (message.method === 'SUBSCRIBE') for (const p of params) c.streams.add(p.toLowerCase());
    else if (message.method === 'UNSUBSCRIBE') for (const p of params) c.streams.delete(p.toLowerCase());
    else if (message.method === 'LIST_SUBSCRIPTIONS') {
      c.socket.send(JSON.stringify({ result: [...c.streams], id }));
      return;
    } else {
      c.socket.send(JSON.stringify({ error: { code: 1, msg: 'Invalid request' }, id }));
      return;
    }
    c.socket.send(JSON.stringify({ result: null, id }));
  }

  /** Ends `c`: a close frame (`reset` false, as at the age limit) or a reset without one. */
  #end(c: Connection, why: string, reset: boolean): void {
    if (!c.open) return;
    c.closedBy = why;
    this.#forget(c);
    if (reset) c.socket.terminate();
    else c.socket.close(1000, why);
  }

  #forget(c: Connection): void {
    c.open = false;
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
  }
}
