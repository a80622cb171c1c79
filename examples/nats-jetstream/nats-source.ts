import type { FixedTimeframe, OhlcvRequest, RevisedBar, Source, Store, Timeframe } from 'market-data-pipeline';
import { AckPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { escapeToken, unescapeToken } from './escape-token.js';
import { natsNames, type NatsNames } from './nats-names.js';

/** Options of {@link NatsSource}. */
export interface NatsSourceOptions {
  /** The partition whose raw bars to consume. */
  readonly partition: number;
  /** The exchange the gateway publishes for. */
  readonly exchange: string;
  /** The source's name (`Source.name`). @defaultValue 'nats' */
  readonly name?: string;
  /** Where things live (`ensureNatsLayout` with `raw: true`). @defaultValue natsNames('md') */
  readonly names?: NatsNames;
  /** The raw bars' timeframe. @defaultValue '1m' */
  readonly timeframe?: FixedTimeframe;
  /**
   * The consumer's `max_ack_pending`: raw bars delivered and not yet stored, at most. The server
   * delivers no more until some are acknowledged, so a slow worker holds a bounded backlog in
   * memory and the rest waits in the stream (its `num_pending`). @defaultValue 1000
   */
  readonly maxAckPending?: number;
  /** The consumer's `ack_wait`: a bar delivered and not stored for this long is redelivered, ms. @defaultValue 30000 */
  readonly ackWaitMs?: number;
  /** Raw bars kept per symbol after they were acknowledged (the pipeline may ask for them again). @defaultValue 2000 */
  readonly keep?: number;
}

/** A received raw bar and its messages not yet acknowledged (a correction or a redelivery adds one). */
interface Entry {
  row: { readonly timestamp: number };
  /** The row as received (JSON), to tell a correction from the same bar again. */
  text: string;
  readonly messages: JsMsg[];
  /** Whether the row as it is now was stored and every message of it acknowledged. */
  acked: boolean;
}

/** The messages of one entry an upsert covers: those it held when the upsert began. */
interface Covered {
  readonly entry: Entry;
  readonly messages: readonly JsMsg[];
}

const NS_PER_MS = 1_000_000;

/**
 * A {@link Source} for the split where a gateway publishes raw exchange bars into JetStream
 * (`names.rawInput(exchange, symbol)`, one JSON bar `{ timestamp, open, high, low, close, volume }`
 * per message, `Nats-Msg-Id` `<exchange>|<symbol>|<tf>|<open time>`) and the server's mapping
 * (`names.rawMapping(n)` in its configuration's `mappings`) files each under its partition. A worker holding
 * partition `p` consumes it through a durable pull consumer named `raw-p<p>` (one per
 * partition, so a new owner continues where the old one stopped), buffers the bars per symbol
 * and answers `fetchOhlcv` from that buffer.
 *
 * A bar is acknowledged only after it is stored: give the pipeline `source.acknowledging(store)`
 * as its store, whose `upsert` of the source's timeframe acknowledges, once the store resolved,
 * the messages of that symbol up to the newest upserted open time that had arrived when the upsert
 * began. A message arriving during the upsert stays unacknowledged; so does a correction (a
 * message with another row for an open time already stored), until a later upsert covers it. The
 * same row again (a redelivery) is acknowledged at once. A worker that dies before storing leaves
 * its bars unacknowledged; the server redelivers them to the partition's next owner after
 * `ackWaitMs`. `maxAckPending` bounds what is delivered and not stored.
 */
export class NatsSource implements Source {
  /** The source's name. */
  readonly name: string;
  /** The raw bars' timeframe. */
  readonly timeframe: FixedTimeframe;
  readonly #nc: NatsConnection;
  readonly #names: NatsNames;
  readonly #partition: number;
  readonly #exchange: string;
  readonly #maxAckPending: number;
  readonly #ackWaitMs: number;
  readonly #keep: number;
  readonly #buffers = new Map<string, Map<number, Entry>>();
  #starting: Promise<void> | undefined;
  #messages: ConsumerMessages | undefined;
  #reading: Promise<void> | undefined;

  /**
   * @param nc - The connection (yours: close it after `stop()`).
   * @param options - See {@link NatsSourceOptions}.
   */
  constructor(nc: NatsConnection, options: NatsSourceOptions) {
    this.#nc = nc;
    this.name = options.name ?? 'nats';
    this.timeframe = options.timeframe ?? '1m';
    this.#names = options.names ?? natsNames();
    this.#partition = options.partition;
    this.#exchange = options.exchange;
    this.#maxAckPending = options.maxAckPending ?? 1000;
    this.#ackWaitMs = options.ackWaitMs ?? 30_000;
    this.#keep = options.keep ?? 2000;
  }

  /** The durable consumer's name. */
  get consumer(): string {
    return `raw-p${this.#partition}`;
  }

  /** Bars received and not yet acknowledged. */
  get unacknowledged(): number {
    let n = 0;
    for (const buffer of this.#buffers.values()) for (const entry of buffer.values()) if (!entry.acked) n += entry.messages.length;
    return n;
  }

  /** Creates (or updates) the partition's durable consumer and starts receiving. Idempotent, also when called again before it resolved. */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const jsm = await jetstreamManager(this.#nc);
    const stream = this.#names.rawStream;
    await jsm.consumers.add(stream, {
      durable_name: this.consumer,
      filter_subject: `${this.#names.prefix}.raw.${this.#partition}.${escapeToken(this.#exchange)}.*`,
      ack_policy: AckPolicy.Explicit,
      ack_wait: this.#ackWaitMs * NS_PER_MS,
      max_ack_pending: this.#maxAckPending,
    });
    const consumer = await jetstream(this.#nc).consumers.get(stream, this.consumer);
    const messages = await consumer.consume({ max_messages: Math.min(this.#maxAckPending, 1000) });
    this.#messages = messages;
    this.#reading = (async () => {
      for await (const message of messages) this.#receive(message);
    })();
  }

  /** Stops receiving; bars not acknowledged are redelivered (to whoever consumes the partition next). */
  async stop(): Promise<void> {
    await this.#messages?.close();
    await this.#reading;
  }

  /**
   * The buffered raw bars of a symbol: from `since` on (inclusive) when given, else the newest;
   * oldest first; at most `limit`. Another timeframe, or a symbol with nothing received, answers `[]`.
   *
   * @param request - The request.
   * @returns The rows, as the gateway published them (the pipeline validates them).
   */
  fetchOhlcv(request: OhlcvRequest): Promise<readonly unknown[]> {
    request.signal?.throwIfAborted();
    if (request.timeframe !== this.timeframe) return Promise.resolve([]);
    const rows = [...(this.#buffers.get(request.symbol)?.values() ?? [])]
      .map((entry) => entry.row)
      .filter((row) => request.since === undefined || row.timestamp >= request.since)
      .sort((a, b) => a.timestamp - b.timestamp);
    const limit = request.limit ?? rows.length;
    return Promise.resolve(request.since === undefined ? rows.slice(Math.max(0, rows.length - limit)) : rows.slice(0, limit));
  }

  /**
   * A store that stores through `store` and then acknowledges the raw bars' messages it covered
   * (those that had arrived when the upsert began: see the class summary). Give it to the
   * pipeline as its store.
   *
   * @param store - Where bars are kept (e.g. a `NatsStore`).
   * @returns The acknowledging store (same methods, `upsert` acknowledging after it resolved).
   */
  acknowledging(store: Store): Store {
    return {
      upsert: async (symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): Promise<void> => {
        const covered =
          timeframe === this.timeframe && bars.length > 0 ? this.#covered(symbol, Math.max(...bars.map((bar) => bar.timestamp))) : [];
        await store.upsert(symbol, timeframe, bars);
        this.#acknowledge(symbol, covered);
      },
      range: (symbol, timeframe, start, end) => store.range(symbol, timeframe, start, end),
      last: (symbol, timeframe) => store.last(symbol, timeframe),
      prune: (symbol, timeframe, before) => store.prune(symbol, timeframe, before),
      ...(store.rangeColumns === undefined
        ? {}
        : {
            rangeColumns: (symbol: string, timeframe: Timeframe, start: number, end: number) =>
              store.rangeColumns!(symbol, timeframe, start, end),
          }),
    };
  }

  #receive(message: JsMsg): void {
    const symbolToken = message.subject.split('.').at(-1) ?? '';
    let row: { readonly timestamp: number };
    try {
      row = message.json<{ readonly timestamp: number }>();
    } catch {
      message.term();
      return;
    }
    if (typeof row !== 'object' || row === null || !Number.isFinite(row.timestamp)) {
      // It can never be stored: tell the server to stop redelivering it.
      message.term();
      return;
    }
    const symbol = unescapeToken(symbolToken);
    const text = message.string();
    let buffer = this.#buffers.get(symbol);
    if (buffer === undefined) this.#buffers.set(symbol, (buffer = new Map<number, Entry>()));
    const entry = buffer.get(row.timestamp);
    if (entry === undefined) buffer.set(row.timestamp, { row, text, messages: [message], acked: false });
    else if (entry.acked && entry.text === text)
      message.ack(); // the stored row again: nothing new to store
    else {
      entry.row = row;
      entry.text = text;
      entry.messages.push(message);
      entry.acked = false;
    }
  }

  /** The messages an upsert up to `upTo` covers: every unacknowledged entry's, as they are now. */
  #covered(symbol: string, upTo: number): Covered[] {
    const covered: Covered[] = [];
    for (const [timestamp, entry] of this.#buffers.get(symbol) ?? [])
      if (timestamp <= upTo && !entry.acked) covered.push({ entry, messages: [...entry.messages] });
    return covered;
  }

  #acknowledge(symbol: string, covered: readonly Covered[]): void {
    for (const { entry, messages } of covered) {
      for (const message of messages) {
        const i = entry.messages.indexOf(message);
        if (i === -1) continue; // acknowledged by another upsert meanwhile
        entry.messages.splice(i, 1);
        message.ack();
      }
      entry.acked = entry.messages.length === 0;
    }
    const buffer = this.#buffers.get(symbol);
    if (buffer === undefined) return;
    const acked = [...buffer].filter(([, entry]) => entry.acked).sort(([a], [b]) => a - b);
    for (const [timestamp] of acked.slice(0, Math.max(0, acked.length - this.#keep))) buffer.delete(timestamp);
  }
}
