import type { Sink, SinkRecord, SinkWriteOptions } from 'market-data-pipeline';
import type { SqliteStore } from './sqlite-store.js';

/** Options of {@link SqliteSink}. */
export interface SqliteSinkOptions {
  /**
   * The sink's name (`Sink.name`).
   * @defaultValue 'sqlite'
   */
  readonly name?: string;
}

/**
 * A {@link Sink} that upserts delivered closed bars into a {@link SqliteStore}'s `bars` table
 * (same table, same rule: the highest `revision` wins). It takes only `bars` records.
 *
 * Use it when the database is a delivery target — e.g. the pipeline keeps its history in a
 * `MemoryStore` and another program reads the bars from SQLite. When the pipeline's `store` is
 * already a `SqliteStore`, every bar is in it before it is delivered: you need no sink for it
 * (pointing both at the same file is harmless, only redundant).
 *
 * A write is durable when its promise resolves (one transaction per record); at-least-once
 * re-deliveries are absorbed by the upsert.
 *
 * @example
 * ```ts
 * const db = new SqliteStore('bars.db');
 * const pipeline = new Pipeline({ primary, sinks: [new SqliteSink(db)], config: { symbols: ['BTCUSD'] } });
 * await pipeline.runOnce();
 * await pipeline.flush();
 * db.size('BTCUSD', '1m') // number of closed 1m bars delivered so far
 * ```
 */
export class SqliteSink implements Sink {
  /** The sink's name. */
  readonly name: string;
  readonly #store: SqliteStore;

  /**
   * @param store - The database to write to.
   * @param options - See {@link SqliteSinkOptions}.
   */
  constructor(store: SqliteStore, options: SqliteSinkOptions = {}) {
    this.#store = store;
    this.name = options.name ?? 'sqlite';
  }

  /**
   * Only closed bars.
   *
   * @param record - A record the pipeline is about to deliver.
   * @returns Whether it is a `bars` record.
   */
  accepts(record: SinkRecord): boolean {
    return record.kind === 'bars';
  }

  /**
   * Upserts the record's bars in one transaction.
   *
   * @param record - A `bars` record (anything else is ignored).
   * @param options - `signal`: an aborted write is not started.
   * @returns Nothing (a promise that resolves once the transaction committed).
   */
  write(record: SinkRecord, options: SinkWriteOptions): Promise<void> {
    // better-sqlite3 is synchronous; a throw inside the executor rejects the promise.
    return new Promise((resolve) => {
      options.signal.throwIfAborted();
      if (record.kind === 'bars') this.#store.upsert(record.symbol, record.timeframe, record.bars);
      resolve();
    });
  }
}
