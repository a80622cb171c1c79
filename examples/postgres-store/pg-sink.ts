import type { AlertRecord, DataFormat, DocumentRecord, Sink, SinkRecord, SinkWriteOptions, SinkWriteResult } from 'market-data-pipeline';
import type { ClientBase } from 'pg';
import { FsStateSink } from '../fs-state-sink/fs-state-sink.js';
import type { PgStore } from './pg-store.js';
import { upsertBars, type SeriesBars } from './upsert-bars.js';

/** Options of {@link PgSink}. */
export interface PgSinkOptions {
  /**
   * The sink's name (`Sink.name`).
   * @defaultValue 'postgres'
   */
  readonly name?: string;
  /**
   * Whether to take closed bars (upserted into the store's `bars` table). Leave it on when the
   * pipeline keeps its history elsewhere; turn it off when the pipeline's `store` is this same
   * `PgStore` (every bar is then in the table before it is delivered).
   * @defaultValue true
   */
  readonly bars?: boolean;
  /**
   * Where data-request datasets are exported, as files, exactly as `FsStateSink` writes them
   * (`<root>/data/<SYMBOL>_<TF>_<YYYYMMDD>_<YYYYMMDD>.json` or `.parquet`; the answer's
   * `output_path` is the absolute path). Absent: the sink takes no datasets.
   */
  readonly datasets?: { readonly root: string; readonly formats?: readonly DataFormat[] };
}

/**
 * The latest document per `(name, symbol)` of a batch, sorted by that key (so concurrent writers
 * lock rows in one order and never deadlock).
 */
function latestDocuments(records: readonly DocumentRecord[]): DocumentRecord[] {
  const byKey = new Map<string, DocumentRecord>();
  for (const record of records) byKey.set(`${record.name}\u0000${record.symbol ?? ''}`, record);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, record]) => record);
}

/**
 * A {@link Sink} into the same schema as {@link PgStore}:
 *
 * | record | table |
 * |---|---|
 * | bars | `bars`, upserted by `(symbol, timeframe, open_time)`, the highest `revision` wins |
 * | document | `documents`, one row per `(name, symbol)` (`symbol` `''` for `data_status` and `quality_report`), the latest delivery wins |
 * | alert | `alerts`, appended (at-least-once: a retried alert may appear twice, same `alert_id`) |
 * | dataset | a file, as `FsStateSink` writes it (only with the `datasets` option) |
 *
 * `writeMany` writes a whole batch in one transaction: one statement for all its bars (every
 * series), one for its documents, one for its alerts; it resolves after `COMMIT`, and a batch
 * that fails leaves nothing behind (the pipeline then writes its records one by one).
 *
 * @example
 * ```ts
 * const store = new PgStore(pool);
 * await store.init();
 * const sink = new PgSink(store, { bars: false, datasets: { root: '/var/lib/market-data' } });
 * const pipeline = new Pipeline({ primary, store, sinks: [sink], config: { symbols: ['BTCUSD'] } });
 * await pipeline.runOnce();
 * await pipeline.flush();
 * // SELECT body FROM market_data.documents WHERE name = 'data_status' → the latest data_status document
 * ```
 */
export class PgSink implements Sink {
  /** The sink's name. */
  readonly name: string;
  /** Formats of datasets it writes (only with the `datasets` option). */
  readonly datasetFormats?: readonly DataFormat[];
  readonly #store: PgStore;
  readonly #bars: boolean;
  readonly #files: FsStateSink | undefined;

  /**
   * @param store - The store whose pool and schema it writes to (`init()` it first).
   * @param options - See {@link PgSinkOptions}.
   */
  constructor(store: PgStore, options: PgSinkOptions = {}) {
    this.#store = store;
    this.name = options.name ?? 'postgres';
    this.#bars = options.bars ?? true;
    const datasets = options.datasets;
    this.#files =
      datasets === undefined
        ? undefined
        : new FsStateSink({
            root: datasets.root,
            name: this.name,
            ...(datasets.formats === undefined ? {} : { datasetFormats: datasets.formats }),
          });
    if (this.#files !== undefined) this.datasetFormats = this.#files.datasetFormats;
  }

  /**
   * Documents and alerts; bars unless the `bars` option is off; datasets with the `datasets`
   * option; never the forming bar.
   *
   * @param record - A record the pipeline is about to deliver.
   * @returns Whether this sink takes it.
   */
  accepts(record: SinkRecord): boolean {
    switch (record.kind) {
      case 'bars':
        return this.#bars;
      case 'dataset':
        return this.#files !== undefined;
      case 'forming':
        return false;
      default:
        return true;
    }
  }

  /**
   * Writes one record (one statement; a dataset as a file).
   *
   * @param record - The record.
   * @param options - `signal`: an aborted write is not started.
   * @returns For a dataset, the absolute path of its file as `outputPath`.
   */
  async write(record: SinkRecord, options: SinkWriteOptions): Promise<SinkWriteResult | void> {
    options.signal.throwIfAborted();
    if (record.kind === 'dataset') {
      if (this.#files === undefined) return;
      return this.#files.write(record, options);
    }
    await this.#writeRows(this.#store.pool, [record]);
  }

  /**
   * Writes records in order, in one transaction (see the class summary). Datasets among them are
   * written as files after the commit.
   *
   * @param records - The records of one batch.
   * @param options - `signal`: checked before the transaction starts and before it commits (an
   *   aborted batch is rolled back).
   * @returns Nothing (a promise that resolves once the transaction committed).
   */
  async writeMany(records: readonly SinkRecord[], options: SinkWriteOptions): Promise<void> {
    options.signal.throwIfAborted();
    const client = await this.#store.pool.connect();
    try {
      await client.query('BEGIN');
      await this.#writeRows(client, records);
      options.signal.throwIfAborted();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    for (const record of records) if (record.kind === 'dataset' && this.#files !== undefined) await this.#files.write(record, options);
  }

  /** Bars, documents and alerts of `records`, one statement each (none for an empty kind). */
  async #writeRows(client: PgStore['pool'] | ClientBase, records: readonly SinkRecord[]): Promise<void> {
    const schema = this.#store.schema;
    const bars: SeriesBars[] = [];
    const documents: DocumentRecord[] = [];
    const alerts: AlertRecord[] = [];
    for (const record of records) {
      if (record.kind === 'bars' && this.#bars) bars.push(record);
      else if (record.kind === 'document') documents.push(record);
      else if (record.kind === 'alert') alerts.push(record);
    }
    await upsertBars(client, schema, bars);
    const latest = latestDocuments(documents);
    if (latest.length > 0) {
      await client.query(
        `INSERT INTO ${schema}.documents (name, symbol, body, updated_at)
         SELECT name, symbol, body::jsonb, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS u(name, symbol, body)
         ON CONFLICT (name, symbol) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
        [latest.map((d) => d.name), latest.map((d) => d.symbol ?? ''), latest.map((d) => JSON.stringify(d.body))],
      );
    }
    if (alerts.length > 0) {
      await client.query(
        `INSERT INTO ${schema}.alerts (alert_id, body)
         SELECT alert_id, body::jsonb FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(alert_id, body, i) ORDER BY i`,
        [alerts.map((a) => a.alert.alert_id), alerts.map((a) => JSON.stringify(a.alert))],
      );
    }
  }
}
