import WebSocket from 'ws';
import { SourceError } from 'market-data-pipeline';

/** Timing of one {@link BinanceStreamConnection}, all in ms. */
export interface ConnectionTiming {
  /** The opening handshake must finish within this. */
  readonly connectTimeoutMs: number;
  /** A ping frame is sent this often (Binance answers with a pong). */
  readonly pingIntervalMs: number;
  /** The connection fails when no frame at all (event, ping, pong) arrived for this long. */
  readonly silenceMs: number;
  /**
   * The connection fails when, while it carries a stream that ticks steadily (see
   * {@link ConnectionHandlers.expectsData}), no text frame arrived for this long: pongs alone do
   * not keep it alive.
   */
  readonly dataSilenceMs: number;
}

/** What a {@link BinanceStreamConnection} tells its owner. */
export interface ConnectionHandlers {
  /** A text frame arrived. */
  readonly message: (text: string) => void;
  /** The connection ended; `error` says why (a `SourceError`), whoever closed it. */
  readonly closed: (error: SourceError) => void;
  /** Whether the connection carries a stream that ticks steadily (klines), so that its data has a deadline. */
  readonly expectsData: () => boolean;
}

/**
 * One websocket connection to Binance's combined streams, with a client ping every
 * `pingIntervalMs` and a silence watchdog: a connection that stays open but delivers no frame
 * (no event, and neither ping nor pong) for `silenceMs` is terminated and reported as a
 * `timeout`; so is one that carries a steadily ticking stream ({@link ConnectionHandlers.expectsData})
 * and delivers no text frame for `dataSilenceMs`, even though it answers pings. `closed` is called exactly once, also after {@link BinanceStreamConnection.close}.
 */
export class BinanceStreamConnection {
  /** Resolves when the connection is open; rejects (with a `SourceError`) when it could not open. */
  readonly opened: Promise<void>;
  /** `undefined` when `ws` refused the URL (the connection failed at once). */
  readonly #socket: WebSocket | undefined;
  readonly #source: string;
  readonly #timing: ConnectionTiming;
  readonly #handlers: ConnectionHandlers;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #dataWatchdog: ReturnType<typeof setTimeout> | undefined;
  #pinger: ReturnType<typeof setInterval> | undefined;
  #reason: SourceError | undefined;
  #ended = false;

  /**
   * Opens `url` at once.
   *
   * @param source - The source's name, for errors.
   */
  constructor(url: string, source: string, timing: ConnectionTiming, handlers: ConnectionHandlers) {
    this.#source = source;
    this.#timing = timing;
    this.#handlers = handlers;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, { handshakeTimeout: timing.connectTimeoutMs });
    } catch (error) {
      // An URL `ws` refuses: a connection that failed to open, not a throw in the owner's timer.
      this.#socket = undefined;
      const failure = this.#error('network', `${url}: ${error instanceof Error ? error.message : String(error)}`, undefined, error);
      this.#reason = failure;
      this.opened = Promise.reject(failure);
      this.opened.catch(() => undefined);
      queueMicrotask(() => this.#end(failure));
      return;
    }
    this.#socket = socket;
    this.opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => {
        this.#alive();
        this.#data();
        this.#pinger = setInterval(() => socket.ping(), timing.pingIntervalMs);
        resolve();
      });
      socket.once('close', () => reject(this.#reason ?? this.#error('network', `${url} closed before it opened`)));
    });
    this.opened.catch(() => undefined);
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      this.#alive();
      this.#data();
      if (!isBinary)
        handlers.message(
          Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'),
        );
    });
    socket.on('ping', () => this.#alive());
    socket.on('pong', () => this.#alive());
    socket.on('unexpected-response', (_req, res) => {
      this.#reason ??= this.#error(
        res.statusCode === 429 ? 'rate_limited' : 'server_error',
        `${url} answered HTTP ${res.statusCode}`,
        res.statusCode,
      );
      socket.terminate();
    });
    socket.on('error', (error: Error) => {
      this.#reason ??= this.#error('network', `${url}: ${error.message}`, undefined, error);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.#end(this.#reason ?? this.#error('network', `${url} closed (code ${code}${reason.length > 0 ? `, ${reason.toString()}` : ''})`));
    });
  }

  /** Sends a request frame (`SUBSCRIBE`, `UNSUBSCRIBE`); ignored unless the connection is open. */
  send(request: unknown): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(request));
  }

  /** Closes the connection (a close frame; reset if the other side does not answer it in time). */
  close(): void {
    this.#reason ??= this.#error('network', 'closed by the client');
    const socket = this.#socket;
    if (socket === undefined) return;
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close(1000);
    // The close handshake is bounded: a peer that never answers it is cut off.
    setTimeout(() => socket.terminate(), this.#timing.connectTimeoutMs).unref();
  }

  #alive(): void {
    clearTimeout(this.#watchdog);
    if (this.#ended) return;
    this.#watchdog = setTimeout(() => {
      this.#reason ??= this.#error('timeout', `no frame for ${this.#timing.silenceMs} ms: the stream is silent`);
      this.#socket?.terminate();
    }, this.#timing.silenceMs);
  }

  /** A text frame arrived (or the connection opened): the data deadline starts again. */
  #data(): void {
    clearTimeout(this.#dataWatchdog);
    if (this.#ended) return;
    this.#dataWatchdog = setTimeout(() => {
      if (!this.#handlers.expectsData()) {
        this.#data();
        return;
      }
      this.#reason ??= this.#error('timeout', `no event for ${this.#timing.dataSilenceMs} ms on a kline stream: its data stopped`);
      this.#socket?.terminate();
    }, this.#timing.dataSilenceMs);
  }

  #end(error: SourceError): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#watchdog);
    clearTimeout(this.#dataWatchdog);
    clearInterval(this.#pinger);
    this.#handlers.closed(error);
  }

  #error(kind: 'network' | 'timeout' | 'rate_limited' | 'server_error', message: string, status?: number, cause?: unknown): SourceError {
    return new SourceError(message, {
      kind,
      source: this.#source,
      ...(status === undefined ? {} : { status }),
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
