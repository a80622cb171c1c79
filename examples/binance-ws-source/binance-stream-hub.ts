import { retryDelay, SourceError, type RetryPolicy } from 'market-data-pipeline';
import { BinanceStreamConnection, type ConnectionTiming } from './binance-stream-connection.js';
import { eventOrder, readBinanceFrame } from './read-binance-frame.js';

/** One listener of a stream: its events, and the failure that ends it. */
export interface StreamListener {
  /** An event of the stream (the `data` of the envelope), in order, without copies. */
  readonly event: (data: Readonly<Record<string, unknown>>) => void;
  /** The connection failed: the listener is removed and hears nothing more. */
  readonly fail: (error: SourceError) => void;
}

/** What happened on the hub's connections, for logs and tests. */
export type BinanceWsEvent =
  | { readonly kind: 'open'; readonly streams: readonly string[] }
  | { readonly kind: 'rollover'; readonly reason: 'age' | 'server_shutdown' }
  /** The replaced connection ended before its successor opened: the successor takes over. */
  | { readonly kind: 'handover' }
  | { readonly kind: 'failed'; readonly error: SourceError; readonly retryInMs: number }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Settings of a {@link BinanceStreamHub}. */
export interface HubSettings extends ConnectionTiming {
  /** Base URL; `/stream?streams=…` is appended. */
  readonly baseUrl: string;
  /** The source's name, for errors. */
  readonly source: string;
  /** A connection is replaced by a fresh one once it is this old, ms (before the exchange's 24 h cut). */
  readonly rolloverMs: number;
  /** How long the replaced connection is kept after its successor opened, ms (events in flight on it still count). */
  readonly overlapMs: number;
  /** Backoff between failed connections (`retryDelay`'s policy). */
  readonly retry: RetryPolicy;
  /** The backoff's jitter, in [0, 1) (`retryDelay`'s `random`). */
  readonly random: () => number;
  /** Told what happens. */
  readonly onEvent: (event: BinanceWsEvent) => void;
}

/**
 * Every stream of one source on one combined-stream connection. Listeners join and leave at any
 * time (a live `SUBSCRIBE` / `UNSUBSCRIBE` on the open connection); the first listener opens the
 * connection and the last one leaving closes it.
 *
 * - A connection that fails (dropped, refused, silent past `silenceMs`) fails every listener
 *   (the pipeline then polls and reopens its stream); the next connection waits
 *   `retryDelay(failures)` after the last failure, reset by the first event delivered.
 * - A connection `rolloverMs` old, or one announcing `serverShutdown`, is replaced: a new
 *   connection opens with every stream, and the old one is closed `overlapMs` after the new one
 *   opened. Both deliver meanwhile and copies are dropped by their order in the stream
 *   ({@link eventOrder}), so no event is lost or repeated. When the old one ends before its
 *   successor opened, the successor takes over (listeners fail only if it fails to open). A
 *   successor that fails to open is retried after `retryDelay(n)`, `n` the successors that
 *   failed in a row, while the old connection keeps serving.
 * - Each malformed frame is reported (`onEvent`) and skipped.
 */
export class BinanceStreamHub {
  readonly #settings: HubSettings;
  readonly #listeners = new Map<string, Set<StreamListener>>();
  /** Per stream, the order of the last event delivered. */
  readonly #last = new Map<string, number>();
  #current: BinanceStreamConnection | undefined;
  #successor: BinanceStreamConnection | undefined;
  /** The connection a roll-over replaced, kept open `overlapMs` after its successor opened. */
  #retiring: BinanceStreamConnection | undefined;
  #rollTimer: ReturnType<typeof setTimeout> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #overlapTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  /** Successors that failed to open in a row (the roll-over's own backoff; the old connection kept serving). */
  #rolloverFailures = 0;
  #retryAt = 0;

  constructor(settings: HubSettings) {
    this.#settings = settings;
  }

  /**
   * Adds `listener` to `stream` (lower case, e.g. `btcusdt@kline_1m`), opening the connection if
   * needed.
   *
   * @returns Removes the listener (and unsubscribes the stream when it was the last).
   */
  listen(stream: string, listener: StreamListener): () => void {
    let set = this.#listeners.get(stream);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(stream, set);
      this.#current?.send({ method: 'SUBSCRIBE', params: [stream], id: Date.now() });
    }
    set.add(listener);
    this.#ensure();
    return () => {
      const listeners = this.#listeners.get(stream);
      if (listeners === undefined || !listeners.delete(listener) || listeners.size > 0) return;
      this.#listeners.delete(stream);
      this.#current?.send({ method: 'UNSUBSCRIBE', params: [stream], id: Date.now() });
      if (this.#listeners.size === 0) this.close();
    };
  }

  /** Closes every connection; listeners still registered fail with a `network` `SourceError`. */
  close(): void {
    const left = [...this.#listeners.values()].flatMap((set) => [...set]);
    this.#listeners.clear();
    const error = new SourceError('the source was closed', { kind: 'network', source: this.#settings.source });
    for (const listener of left) listener.fail(error);
    clearTimeout(this.#rollTimer);
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#overlapTimer);
    this.#connectTimer = undefined;
    this.#overlapTimer = undefined;
    const open = [this.#current, this.#successor, this.#retiring];
    this.#current = undefined;
    this.#successor = undefined;
    this.#retiring = undefined;
    for (const c of open) c?.close();
  }

  #url(): string {
    return `${this.#settings.baseUrl}/stream?streams=${[...this.#listeners.keys()].join('/')}`;
  }

  /** Opens a connection when there are listeners and none is open or due. */
  #ensure(): void {
    if (this.#current !== undefined || this.#connectTimer !== undefined || this.#listeners.size === 0) return;
    const wait = Math.max(0, this.#retryAt - Date.now());
    this.#connectTimer = setTimeout(() => {
      this.#connectTimer = undefined;
      if (this.#current === undefined && this.#listeners.size > 0) this.#connect();
    }, wait);
  }

  #connect(): void {
    const connection = this.#open();
    this.#current = connection;
    connection.opened.then(
      () => {
        if (this.#current !== connection) return;
        this.#settings.onEvent({ kind: 'open', streams: [...this.#listeners.keys()] });
        this.#scheduleRollover();
      },
      () => undefined,
    );
  }

  #open(): BinanceStreamConnection {
    const named = new Set(this.#listeners.keys());
    const connection: BinanceStreamConnection = new BinanceStreamConnection(this.#url(), this.#settings.source, this.#settings, {
      message: (text) => this.#message(connection, text),
      closed: (error) => this.#closed(connection, error),
      expectsData: () => [...this.#listeners.keys()].some((stream) => stream.includes('@kline_')),
    });
    // Streams added while it was opening (a request sent then would be lost) are subscribed once it is open.
    connection.opened.then(
      () => {
        const added = [...this.#listeners.keys()].filter((stream) => !named.has(stream));
        if (added.length > 0) connection.send({ method: 'SUBSCRIBE', params: added, id: Date.now() });
      },
      () => undefined,
    );
    return connection;
  }

  #scheduleRollover(): void {
    clearTimeout(this.#rollTimer);
    this.#rollTimer = setTimeout(() => this.#rollover('age'), this.#settings.rolloverMs);
  }

  /** Opens the successor of the current connection; the current one is closed once it opened. */
  #rollover(reason: 'age' | 'server_shutdown'): void {
    const old = this.#current;
    if (old === undefined || this.#successor !== undefined) return;
    this.#settings.onEvent({ kind: 'rollover', reason });
    const next = this.#open();
    this.#successor = next;
    next.opened.then(
      () => {
        this.#rolloverFailures = 0;
        // Promoted already: the old connection ended while this one was opening.
        if (this.#current === next) {
          this.#scheduleRollover();
          return;
        }
        if (this.#successor !== next) return;
        this.#successor = undefined;
        this.#current = next;
        this.#settings.onEvent({ kind: 'open', streams: [...this.#listeners.keys()] });
        this.#scheduleRollover();
        this.#retire(old);
      },
      () => {
        // The old connection keeps serving; the next attempt comes after a backoff that grows
        // with the successors that failed in a row. (A promoted successor that fails is the
        // current connection's failure, handled by `#closed`.)
        if (this.#successor !== next) return;
        this.#successor = undefined;
        this.#rolloverFailures++;
        clearTimeout(this.#rollTimer);
        this.#rollTimer = setTimeout(
          () => this.#rollover(reason),
          retryDelay(this.#rolloverFailures, this.#settings.retry, this.#settings.random),
        );
      },
    );
  }

  /** Closes `old` `overlapMs` from now (events in flight on it still count meanwhile); `close()` closes it at once. */
  #retire(old: BinanceStreamConnection): void {
    clearTimeout(this.#overlapTimer);
    this.#retiring?.close();
    this.#retiring = old;
    this.#overlapTimer = setTimeout(() => {
      this.#overlapTimer = undefined;
      this.#retiring = undefined;
      old.close();
    }, this.#settings.overlapMs);
  }

  #message(from: BinanceStreamConnection, text: string): void {
    const frame = readBinanceFrame(text);
    if (frame.kind === 'reply') return;
    if (frame.kind === 'malformed') {
      this.#settings.onEvent({ kind: 'malformed', reason: frame.reason });
      return;
    }
    if (frame.kind === 'shutdown') {
      if (from === this.#current) this.#rollover('server_shutdown');
      return;
    }
    const listeners = this.#listeners.get(frame.stream);
    if (listeners === undefined) return;
    const order = eventOrder(frame.data);
    if (order !== undefined) {
      const last = this.#last.get(frame.stream);
      if (last !== undefined && (order < last || (order === last && order % 2 === 1))) return;
      this.#last.set(frame.stream, order);
    }
    this.#failures = 0;
    for (const listener of listeners) listener.event(frame.data);
  }

  #closed(connection: BinanceStreamConnection, error: SourceError): void {
    if (connection === this.#retiring) this.#retiring = undefined;
    if (connection === this.#successor) return;
    if (connection !== this.#current) return;
    if (this.#successor !== undefined) {
      // The old connection ended (a `serverShutdown` cut, say) before its successor opened: the
      // successor, subscribed to every stream, takes over; it fails the listeners only if it fails.
      this.#current = this.#successor;
      this.#successor = undefined;
      clearTimeout(this.#rollTimer);
      this.#settings.onEvent({ kind: 'handover' });
      return;
    }
    // The current connection failed.
    this.#current = undefined;
    clearTimeout(this.#rollTimer);
    this.#failures++;
    const retryInMs = retryDelay(this.#failures, this.#settings.retry, this.#settings.random);
    this.#retryAt = Date.now() + retryInMs;
    this.#settings.onEvent({ kind: 'failed', error, retryInMs });
    const all = [...this.#listeners.values()].flatMap((set) => [...set]);
    this.#listeners.clear();
    for (const listener of all) listener.fail(error);
  }
}
