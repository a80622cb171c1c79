import type { RevisedBar, Store, Timeframe } from 'market-data-pipeline';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { barMessageId } from './bar-message-id.js';
import { natsNames, type NatsNames } from './nats-names.js';
import { withinWindow } from './within-window.js';

/** Options of {@link NatsStore}. */
export interface NatsStoreOptions {
  /** Where things live (create them with `ensureNatsLayout` first). @defaultValue natsNames('md') */
  readonly names?: NatsNames;
  /**
   * Called before every write reaches the server: at the start of `upsert` and `prune`, again once
   * the series is loaded, and before each publish and each message deletion. A rejection fails the
   * call and nothing after it is sent (a worker's lease check: see `writeTimeoutMs`).
   */
  readonly fence?: () => void | Promise<void>;
  /**
   * How long one publish (or message deletion) may wait for the server's answer, ms. A worker sets
   * it no longer than its lease's fence margin, so that a write started while the lease was held
   * settles before the server can hand the lease to another worker. @defaultValue the connection's request timeout
   */
  readonly writeTimeoutMs?: number;
  /** How long loading one series from the server may take, ms. @defaultValue 30000 */
  readonly loadTimeoutMs?: number;
}

/** One stored bar and the stream sequences of every message of its timestamp. */
interface Slot {
  bar: RevisedBar;
  readonly seqs: number[];
}

/** A series as loaded: its bars by open time. */
type Series = Map<number, Slot>;

/**
 * A {@link Store} over the bar streams that `NatsSink` publishes to (`md.bar.<tf>.<symbol>`, one
 * message per bar revision). A series is read from JetStream the first time it is asked for: the
 * last message of its subject by direct get (none: the series is empty), then every message up
 * to it through an ordered consumer, keeping per open time the highest revision (the later
 * message on a tie). After that its reads are answered from memory and its writes are published
 * (acknowledged, `Nats-Msg-Id` as `NatsSink`'s) and applied. A worker that takes over a symbol
 * therefore needs no local disk: its new `NatsStore` reads the symbol's history from the server.
 *
 * It assumes one writer per series at a time, which the worker's leases guarantee (and its
 * `fence` enforces): bars another process publishes to a series this store already loaded are
 * not seen until a new store loads it.
 *
 * `prune` deletes the messages of the bars before a time; the streams' `max_age` (the
 * specification's retention, set by `ensureNatsLayout`) removes old bars without it.
 */
export class NatsStore implements Store {
  readonly #js: JetStreamClient;
  readonly #jsm: Promise<JetStreamManager>;
  readonly #names: NatsNames;
  readonly #fence: (() => void | Promise<void>) | undefined;
  readonly #loadTimeoutMs: number;
  readonly #writeTimeoutMs: number | undefined;
  readonly #series = new Map<string, Promise<Series>>();

  /**
   * @param nc - The connection (yours: close it when done).
   * @param options - See {@link NatsStoreOptions}.
   */
  constructor(nc: NatsConnection, options: NatsStoreOptions = {}) {
    this.#js = jetstream(nc);
    this.#writeTimeoutMs = options.writeTimeoutMs;
    this.#jsm = jetstreamManager(nc, this.#writeTimeoutMs === undefined ? {} : { timeout: this.#writeTimeoutMs });
    this.#names = options.names ?? natsNames();
    this.#fence = options.fence;
    this.#loadTimeoutMs = options.loadTimeoutMs ?? 30_000;
  }

  /**
   * Publishes bars (up to 500 acknowledgements outstanding, every one awaited) and applies them: a stored bar is
   * replaced only by one with an equal or higher `revision`. The fence is checked before loading, after
   * loading and before each publish; once it rejects (or a publish fails) no further bar is sent.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param bars - The bars, any order.
   */
  async upsert(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): Promise<void> {
    await this.#fence?.();
    const series = await this.#load(symbol, timeframe);
    await this.#fence?.();
    const subject = this.#names.barSubject(symbol, timeframe);
    const acks = await withinWindow(
      bars.map((bar) => async () => {
        await this.#fence?.();
        return this.#js.publish(subject, JSON.stringify(bar), {
          msgID: barMessageId(symbol, timeframe, bar.timestamp, bar.revision),
          ...(this.#writeTimeoutMs === undefined ? {} : { timeout: this.#writeTimeoutMs }),
        });
      }),
      500,
    );
    bars.forEach((bar, i) => apply(series, bar, acks[i]!.seq));
  }

  /**
   * Bars with `start <= timestamp < end`, oldest first.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param start - Inclusive lower bound, epoch ms.
   * @param end - Exclusive upper bound, epoch ms.
   * @returns The stored bars.
   */
  async range(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<RevisedBar[]> {
    const series = await this.#load(symbol, timeframe);
    return [...series.values()]
      .filter((slot) => slot.bar.timestamp >= start && slot.bar.timestamp < end)
      .sort((a, b) => a.bar.timestamp - b.bar.timestamp)
      .map((slot) => slot.bar);
  }

  /**
   * The newest stored bar of a series.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @returns The bar, or `undefined` when the series is empty.
   */
  async last(symbol: string, timeframe: Timeframe): Promise<RevisedBar | undefined> {
    let newest: RevisedBar | undefined;
    for (const slot of (await this.#load(symbol, timeframe)).values())
      if (newest === undefined || slot.bar.timestamp > newest.timestamp) newest = slot.bar;
    return newest;
  }

  /**
   * Deletes from the stream every message of the series' bars older than `before`, checking the
   * fence before loading, after loading and before each deletion.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param before - Epoch ms; bars with `timestamp < before` are removed.
   * @returns How many bars were removed.
   */
  async prune(symbol: string, timeframe: Timeframe, before: number): Promise<number> {
    await this.#fence?.();
    const series = await this.#load(symbol, timeframe);
    await this.#fence?.();
    const jsm = await this.#jsm;
    const stream = this.#names.barStream(timeframe);
    let removed = 0;
    for (const [timestamp, slot] of series) {
      if (timestamp >= before) continue;
      for (const seq of slot.seqs) {
        await this.#fence?.();
        await jsm.streams.deleteMessage(stream, seq, false).catch(() => false);
      }
      series.delete(timestamp);
      removed++;
    }
    return removed;
  }

  /** The series, read from the server once (see the class summary). */
  #load(symbol: string, timeframe: Timeframe): Promise<Series> {
    const key = `${timeframe}\u0000${symbol}`;
    let loading = this.#series.get(key);
    if (loading === undefined) {
      loading = this.#read(this.#names.barStream(timeframe), this.#names.barSubject(symbol, timeframe));
      loading.catch(() => this.#series.delete(key));
      this.#series.set(key, loading);
    }
    return loading;
  }

  async #read(stream: string, subject: string): Promise<Series> {
    const series: Series = new Map();
    const jsm = await this.#jsm;
    const last = await jsm.direct.getMessage(stream, { last_by_subj: subject });
    if (last === null) return series;
    const consumer = await this.#js.consumers.get(stream, { filter_subjects: subject });
    const messages = await consumer.consume({ max_messages: 1000 });
    const timer = setTimeout(
      () => messages.stop(new Error(`Loading ${subject} took more than ${this.#loadTimeoutMs} ms`)),
      this.#loadTimeoutMs,
    );
    try {
      for await (const message of messages) {
        apply(series, message.json<RevisedBar>(), message.seq);
        if (message.seq >= last.seq) break;
      }
    } finally {
      clearTimeout(timer);
      await messages.close();
    }
    const closed = await messages.closed();
    if (closed instanceof Error) throw closed;
    return series;
  }
}

/** Applies one message of a series: the highest revision at its open time wins, the later on a tie. */
function apply(series: Series, bar: RevisedBar, seq: number): void {
  const slot = series.get(bar.timestamp);
  if (slot === undefined) series.set(bar.timestamp, { bar, seqs: [seq] });
  else {
    if (!slot.seqs.includes(seq)) slot.seqs.push(seq);
    if (bar.revision >= slot.bar.revision) slot.bar = bar;
  }
}
