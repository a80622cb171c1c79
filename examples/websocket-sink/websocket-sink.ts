import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Sink, SinkRecord } from 'market-data-pipeline';
import { readSubscription, wants, type ClientSubscription } from './client-subscription.js';
import { toSinkFrame, type ByeFrame, type HelloFrame, type SinkFrame } from './sink-frame.js';

/** Options of {@link WebSocketSink.start}. */
export interface WebSocketSinkOptions {
  /** The shared secret a client must present (`Authorization: Bearer <token>`, or `?token=` where headers cannot be set). */
  readonly token: string;
  /** The sink's name (`Sink.name`). @defaultValue 'websocket' */
  readonly name?: string;
  /** Interface to listen on. @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /**
   * Bytes a client may have waiting to be sent before it counts as too slow: it is told why
   * (a `bye` frame and close code 4008) and disconnected, and nobody else waits for it.
   * @defaultValue 1048576 (1 MiB)
   */
  readonly maxBufferedBytes?: number;
  /** Frames kept for clients that reconnect with `from_rev`. @defaultValue 10000 */
  readonly historySize?: number;
  /** A closing client that does not finish the close handshake within this many ms is cut off. @defaultValue 2000 */
  readonly closeTimeoutMs?: number;
}

/** Close code sent to a client dropped for being too slow (a private-use code, RFC 6455 §7.4.2). */
export const SLOW_CLIENT_CLOSE_CODE = 4008;

interface Client {
  readonly socket: WebSocket;
  readonly subscription: ClientSubscription;
  closing: boolean;
}

interface Sent {
  readonly frame: SinkFrame;
  readonly text: string;
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/**
 * A {@link Sink} that runs a WebSocket server and streams what the pipeline delivers to the
 * agents connected to it, as JSON frames following the package's wire schemas (see
 * `sink-frame.ts`; a client validates each with `parseSinkFrame` or the schemas themselves).
 *
 * - **Connecting.** `ws://host:port/?token=…&symbols=BTCUSD&timeframes=1m,1H&kinds=bars,document,alert`
 *   (every filter optional and comma-separated; absent: everything). Without the shared token the
 *   upgrade is refused with HTTP 401.
 * - **On connect** a client gets a `hello` frame, then the latest document of each name (and
 *   symbol) it asked for; or, when it reconnects with `from_rev=<the last rev it saw>` and the
 *   sink still holds what followed (`historySize` frames), every frame it missed, in order.
 * - **Slow clients.** `write` never waits for a client: each frame is serialised once and
 *   queued on every interested socket. A client with more than `maxBufferedBytes` waiting is
 *   sent a `bye` frame (`reason: 'slow_client'`), closed with code 4008 and cut off after
 *   `closeTimeoutMs`; the pipeline and the other clients never wait for it.
 *
 * @example
 * ```ts
 * const sink = await WebSocketSink.start({ token: process.env.SINK_TOKEN!, port: 8765 });
 * const pipeline = new Pipeline({ primary, sinks: [sink], config: { symbols: ['BTCUSD'] } });
 * // agent: new WebSocket('ws://127.0.0.1:8765/?symbols=BTCUSD&kinds=bars,document', { headers: { Authorization: `Bearer ${token}` } })
 * ```
 */
export class WebSocketSink implements Sink {
  /** The sink's name. */
  readonly name: string;
  /** `ws://host:port` (no trailing slash). */
  readonly url: string;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #token: string;
  readonly #maxBufferedBytes: number;
  readonly #historySize: number;
  readonly #closeTimeoutMs: number;
  readonly #clients = new Set<Client>();
  readonly #latest = new Map<string, Sent>();
  #history: Sent[] = [];
  #rev = 0;
  #dropped = 0;

  private constructor(http: Server, options: WebSocketSinkOptions) {
    this.name = options.name ?? 'websocket';
    this.#http = http;
    this.#token = options.token;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 1_048_576;
    this.#historySize = options.historySize ?? 10_000;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 2000;
    this.#wss = new WebSocketServer({ noServer: true });
    const address = http.address() as AddressInfo;
    this.url = `ws://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
  }

  /**
   * Starts the server.
   *
   * @param options - see {@link WebSocketSinkOptions}.
   * @returns The sink, listening.
   * @throws RangeError when `token` is empty or a size is not a positive integer.
   */
  static async start(options: WebSocketSinkOptions): Promise<WebSocketSink> {
    if (options.token === '') throw new RangeError('Expected `token` to be a non-empty string, got ``');
    for (const [key, value] of [
      ['maxBufferedBytes', options.maxBufferedBytes],
      ['historySize', options.historySize],
      ['closeTimeoutMs', options.closeTimeoutMs],
    ] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value > 0))
        throw new RangeError(`Expected \`${key}\` to be a positive integer, got \`${value}\``);
    }
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain' }).end('websocket only');
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    return new WebSocketSink(http, options);
  }

  /** Clients connected now. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Clients dropped so far for being too slow. */
  get droppedCount(): number {
    return this.#dropped;
  }

  /** The revision of the last frame sent. */
  get rev(): number {
    return this.#rev;
  }

  /** Datasets answer data requests; they are not streamed. */
  accepts(record: SinkRecord): boolean {
    return record.kind !== 'dataset';
  }

  /** Sends the record's frame to every client that asked for it; never waits for a client. */
  write(record: SinkRecord): Promise<void> {
    const frame = toSinkFrame(record, this.#rev + 1);
    if (frame === undefined) return Promise.resolve();
    this.#rev = frame.rev;
    const sent: Sent = { frame, text: JSON.stringify(frame) };
    this.#history.push(sent);
    // Trimmed in batches, so that keeping the history costs O(1) per frame.
    if (this.#history.length >= 2 * this.#historySize) this.#history = this.#history.slice(-this.#historySize);
    if (frame.type === 'document') this.#latest.set(`${frame.name}\u0000${frame.symbol ?? ''}`, sent);
    for (const client of this.#clients) if (wants(client.subscription, frame)) this.#send(client, sent.text);
    return Promise.resolve();
  }

  /** As `write`, for each record in order. */
  async writeMany(records: readonly SinkRecord[]): Promise<void> {
    for (const record of records) await this.write(record);
  }

  /**
   * Tells every client the sink closes, closes them and stops listening.
   *
   * @returns Resolves once the server is closed (within `closeTimeoutMs` for clients that do not answer).
   */
  async close(): Promise<void> {
    for (const client of this.#clients) this.#drop(client, 1001, { type: 'bye', reason: 'closing', message: 'the sink is closing' });
    this.#wss.close();
    await new Promise<void>((resolve) => {
      const cut = setTimeout(() => this.#http.closeAllConnections(), this.#closeTimeoutMs);
      this.#http.close(() => {
        clearTimeout(cut);
        resolve();
      });
    });
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') === true ? header.slice(7) : (url.searchParams.get('token') ?? '');
    if (!sameSecret(given, this.#token)) {
      refuse(socket, 401, 'Unauthorized');
      return;
    }
    const subscription = readSubscription(url.searchParams);
    if (typeof subscription === 'string') {
      refuse(socket, 400, subscription);
      return;
    }
    const fromRaw = url.searchParams.get('from_rev');
    const from = fromRaw === null ? undefined : Number(fromRaw);
    if (from !== undefined && !(Number.isInteger(from) && from >= 0)) {
      refuse(socket, 400, `from_rev must be a non-negative integer, got ${fromRaw}`);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, subscription, from));
  }

  #accept(socket: WebSocket, subscription: ClientSubscription, from: number | undefined): void {
    const client: Client = { socket, subscription, closing: false };
    this.#clients.add(client);
    socket.on('close', () => this.#clients.delete(client));
    socket.on('error', () => this.#clients.delete(client));
    const oldest = this.#history[0]?.frame.rev ?? this.#rev + 1;
    const resumed = from !== undefined && from <= this.#rev && from + 1 >= oldest;
    const hello: HelloFrame = { type: 'hello', rev: this.#rev, resumed };
    this.#send(client, JSON.stringify(hello));
    const catchUp = resumed
      ? this.#history.filter((sent) => sent.frame.rev > from)
      : [...this.#latest.values()].sort((a, b) => a.frame.rev - b.frame.rev);
    for (const sent of catchUp) if (wants(subscription, sent.frame)) this.#send(client, sent.text);
  }

  #send(client: Client, text: string): void {
    if (client.closing) return;
    if (client.socket.bufferedAmount + Buffer.byteLength(text) > this.#maxBufferedBytes) {
      this.#dropped++;
      const message = `more than ${this.#maxBufferedBytes} bytes were waiting to be sent: the client reads too slowly`;
      this.#drop(client, SLOW_CLIENT_CLOSE_CODE, { type: 'bye', reason: 'slow_client', message });
      return;
    }
    client.socket.send(text);
  }

  /** Says `bye`, closes with `code` and cuts the connection off if the close handshake does not finish in time. */
  #drop(client: Client, code: number, bye: ByeFrame): void {
    client.closing = true;
    this.#clients.delete(client);
    client.socket.send(JSON.stringify(bye));
    client.socket.close(code, bye.reason);
    setTimeout(() => client.socket.terminate(), this.#closeTimeoutMs).unref();
  }
}
