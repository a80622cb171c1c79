import type { DataFormat, DocumentRecord, Sink, SinkRecord, SinkWriteOptions, SinkWriteResult } from 'market-data-pipeline';
import { SinkError } from 'market-data-pipeline';
import { jetstream, type JetStreamClient, type PubAck } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { barMessageId } from './bar-message-id.js';
import { natsNames, type NatsNames } from './nats-names.js';
import { withinWindow } from './within-window.js';

/** Options of {@link NatsSink}. */
export interface NatsSinkOptions {
  /** The sink's name (`Sink.name`). @defaultValue 'nats' */
  readonly name?: string;
  /** Where things live (see `natsNames`; create them with `ensureNatsLayout` first). @defaultValue natsNames('md') */
  readonly names?: NatsNames;
  /**
   * Appended to the keys of the documents without a symbol (`data_status`, `quality_report`),
   * which each pipeline writes for its own symbols: with one pipeline per partition, the
   * partition (`p3` → key `data_status.p3`). Escaped like a symbol. Absent: the bare name. Also
   * put before an alert's `alert_id` in its `Nats-Msg-Id` (`p3|DATA-ALERT-001`), since each
   * pipeline numbers its alerts from 1 and the server would drop another partition's alert of the
   * same id as a duplicate.
   */
  readonly scope?: string;
  /**
   * Put between the scope and the `alert_id` in an alert's `Nats-Msg-Id`
   * (`p3|17|DATA-ALERT-001`): a worker passes its lease's revision, because a new owner resumes
   * numbering alerts from the partition's checkpoint and would reuse ids the old owner already
   * published after it (the server would drop the new alerts as duplicates). Absent: nothing.
   */
  readonly epoch?: number;
  /** Whether to take closed bars. Turn it off when the pipeline's store is a `NatsStore` on the same streams. @defaultValue true */
  readonly bars?: boolean;
  /**
   * Called before every message reaches the server: before each publish and each document write
   * (and before the read a document's first write needs). A rejection fails the write with a
   * retryable `SinkError` and nothing after it is sent: the pipeline retries it, which passes
   * once a brief stall is over and the lease renewed, and keeps failing after a loss until the
   * worker stops the pipeline (nothing is dead-lettered for good over a stall). A worker passes its lease check here, so a worker
   * that lost its partition writes nothing more (see `writeTimeoutMs`). With a fence, documents
   * are written with compare-and-set (see the class summary).
   */
  readonly fence?: () => void | Promise<void>;
  /**
   * How long one publish or document write may wait for the server's answer, ms. A worker sets it
   * no longer than its lease's fence margin, so that a write started while the lease was held
   * settles before the server can hand the lease to another worker. @defaultValue the connection's request timeout
   */
  readonly writeTimeoutMs?: number;
  /** Publishes awaiting their acknowledgement at once, at most (see `withinWindow`). @defaultValue 500 */
  readonly maxInFlight?: number;
}

/**
 * A {@link Sink} onto NATS JetStream:
 *
 * | record | where |
 * |---|---|
 * | bars | stream per timeframe, subject `md.bar.<tf>.<symbol>`, one message per bar, `Nats-Msg-Id` `<symbol>\|<tf>\|<open time>\|<revision>` |
 * | document | KV bucket `md_docs`, key `<name>.<symbol>` (`<name>[.<scope>]` without a symbol); agents `watch` it |
 * | alert | subject `md.alert.<severity>`, `Nats-Msg-Id` `[<scope>\|][<epoch>\|]<alert_id>` (alert ids are numbered per pipeline, so per partition and owner) |
 * | dataset (JSON) | subject `md.response.<request id>`; the answer's `output_path` is `nats:<subject>` |
 *
 * Every publish is acknowledged by the server before a write resolves; a missing or failed
 * acknowledgement fails the write, and the pipeline retries it. A retry publishes the same
 * message ids, so the server's de-duplication (within `duplicate_window`) stores each once.
 * `writeMany` publishes a whole batch with up to `maxInFlight` acknowledgements outstanding, which
 * is what makes it fast; documents of a batch are reduced to the latest per key first.
 *
 * A fenced sink (a worker's) writes each document with compare-and-set: `update` with the
 * revision it last wrote or read for the key (a key it never wrote is read first). A document put
 * by another writer meanwhile (a new owner of the partition) makes the write fail instead of
 * overwriting it; the pipeline's retry reads the key again.
 *
 * @example
 * ```ts
 * const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
 * await ensureNatsLayout(nc, natsNames(), { timeframes: ['1m', '1H'] });
 * const pipeline = new Pipeline({ primary, sinks: [new NatsSink(nc)], config: { symbols: ['BTCUSD'], timeframes: ['1m', '1H'] } });
 * ```
 */
export class NatsSink implements Sink {
  /** The sink's name. */
  readonly name: string;
  /** Datasets are published as JSON. */
  readonly datasetFormats: readonly DataFormat[] = ['json'];
  readonly #js: JetStreamClient;
  readonly #kvm: Kvm;
  readonly #names: NatsNames;
  readonly #scope: string | undefined;
  readonly #epoch: number | undefined;
  readonly #bars: boolean;
  readonly #fence: (() => void | Promise<void>) | undefined;
  readonly #maxInFlight: number;
  readonly #writeTimeoutMs: number | undefined;
  /** A fenced sink's revision of each document key it last wrote or read. */
  readonly #revisions = new Map<string, number>();
  #documents: Promise<KV> | undefined;

  /**
   * @param nc - The connection (yours: close it when done).
   * @param options - See {@link NatsSinkOptions}.
   */
  constructor(nc: NatsConnection, options: NatsSinkOptions = {}) {
    this.name = options.name ?? 'nats';
    this.#js = jetstream(nc);
    this.#kvm = new Kvm(this.#js);
    this.#names = options.names ?? natsNames();
    this.#scope = options.scope;
    this.#epoch = options.epoch;
    this.#bars = options.bars ?? true;
    this.#fence = options.fence;
    this.#maxInFlight = options.maxInFlight ?? 500;
    this.#writeTimeoutMs = options.writeTimeoutMs;
  }

  /**
   * Documents, alerts and JSON datasets; bars unless the `bars` option is off; never the forming
   * bar, nor raw trades and order books (`ticks`, `orderBook`: it has no subject for them; the
   * `order_book` document summarises the books).
   *
   * @param record - A record the pipeline is about to deliver.
   * @returns Whether this sink takes it.
   */
  accepts(record: SinkRecord): boolean {
    if (record.kind === 'forming' || record.kind === 'ticks' || record.kind === 'orderBook') return false;
    if (record.kind === 'bars') return this.#bars;
    if (record.kind === 'dataset') return record.format === 'json';
    return true;
  }

  /**
   * Writes one record (see the class summary).
   *
   * @param record - The record.
   * @param options - `signal`: an aborted write is not started.
   * @returns For a dataset, `outputPath` `nats:<subject>`.
   */
  async write(record: SinkRecord, options: SinkWriteOptions): Promise<SinkWriteResult | void> {
    options.signal.throwIfAborted();
    if (record.kind === 'dataset') {
      const subject = this.#names.responseSubject(record.requestId);
      await this.#guard();
      await this.#js.publish(subject, JSON.stringify(record), { msgID: `response|${record.requestId}`, ...this.#timeout() });
      return { outputPath: `nats:${subject}` };
    }
    await this.#publish([record]);
  }

  /**
   * Writes a batch: every bar and alert published at once, then the latest document per key put,
   * resolving when the server acknowledged all of them.
   *
   * @param records - The records of one batch.
   * @param options - `signal`: checked before anything is published.
   */
  async writeMany(records: readonly SinkRecord[], options: SinkWriteOptions): Promise<void> {
    options.signal.throwIfAborted();
    await this.#publish(records);
  }

  /** The fence, its rejection as a `SinkError`. */
  async #guard(): Promise<void> {
    if (this.#fence === undefined) return;
    try {
      await this.#fence();
    } catch (cause) {
      throw new SinkError(`${this.name}: fenced off (${cause instanceof Error ? cause.message : String(cause)})`, {
        sink: this.name,
        retryable: true,
        cause,
      });
    }
  }

  /** Alert ids are numbered per pipeline: with one pipeline per partition, the scope keeps them apart, and the epoch one owner's from the next. */
  #alertMessageId(alertId: string): string {
    return [this.#scope, this.#epoch, alertId].filter((part) => part !== undefined).join('|');
  }

  #timeout(): { timeout?: number } {
    return this.#writeTimeoutMs === undefined ? {} : { timeout: this.#writeTimeoutMs };
  }

  async #publish(records: readonly SinkRecord[]): Promise<void> {
    const acks: (() => Promise<PubAck>)[] = [];
    const fenced = (publish: () => Promise<PubAck>) => async (): Promise<PubAck> => {
      await this.#guard();
      return publish();
    };
    const documents = new Map<string, DocumentRecord>();
    for (const record of records) {
      if (record.kind === 'bars' && this.#bars) {
        const subject = this.#names.barSubject(record.symbol, record.timeframe);
        for (const bar of record.bars)
          acks.push(
            fenced(() =>
              this.#js.publish(subject, JSON.stringify(bar), {
                msgID: barMessageId(record.symbol, record.timeframe, bar.timestamp, bar.revision),
                ...this.#timeout(),
              }),
            ),
          );
      } else if (record.kind === 'alert') {
        acks.push(
          fenced(() =>
            this.#js.publish(this.#names.alertSubject(record.alert.severity), JSON.stringify(record.alert), {
              msgID: this.#alertMessageId(record.alert.alert_id),
              ...this.#timeout(),
            }),
          ),
        );
      } else if (record.kind === 'document') {
        const key = this.#names.documentKey(record.name, record.symbol ?? this.#scope);
        documents.delete(key);
        documents.set(key, record);
      }
    }
    await withinWindow(acks, this.#maxInFlight);
    if (documents.size === 0) return;
    this.#documents ??= this.#kvm.open(this.#names.documentBucket, this.#timeout());
    const kv = await this.#documents;
    await Promise.all([...documents].map(([key, record]) => this.#putDocument(kv, key, JSON.stringify(record.body))));
  }

  /** Writes one document: a plain `put`, or with a fence compare-and-set (see the class summary). */
  async #putDocument(kv: KV, key: string, body: string): Promise<void> {
    await this.#guard();
    if (this.#fence === undefined) {
      await kv.put(key, body);
      return;
    }
    try {
      let revision = this.#revisions.get(key);
      if (revision === undefined) {
        revision = (await kv.get(key))?.revision ?? 0;
        await this.#guard();
      }
      this.#revisions.set(key, revision === 0 ? await kv.create(key, body) : await kv.update(key, body, revision));
    } catch (error) {
      this.#revisions.delete(key);
      throw error;
    }
  }
}
