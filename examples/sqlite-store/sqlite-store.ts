import Database from 'better-sqlite3';
import { barFlagCode, type BarFlag, type OhlcvColumns, type RevisedBar, type Store, type Timeframe } from 'market-data-pipeline';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * SQLite's `synchronous` setting in WAL mode. `NORMAL` survives a crash of the process (every
   * committed transaction is in the WAL file) but may lose the last transactions on a power
   * loss — harmless here: the pipeline fetches again everything after the newest stored bar.
   * `FULL` syncs the WAL on every commit.
   * @defaultValue 'NORMAL'
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

/** A row as `raw()` statements return it, in {@link COLUMNS} order. */
type Row = [
  timestamp: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  quoteVolume: number | null,
  trades: number | null,
  takerBuyVolume: number | null,
  flag: string | null,
  count: number | null,
  revision: number,
];

const COLUMNS = 'timestamp, open, high, low, close, volume, quote_volume, trades, taker_buy_volume, flag, count, revision';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bars (
  symbol           TEXT    NOT NULL,
  timeframe        TEXT    NOT NULL,
  timestamp        INTEGER NOT NULL, -- bar open time, epoch ms UTC
  open             REAL    NOT NULL,
  high             REAL    NOT NULL,
  low              REAL    NOT NULL,
  close            REAL    NOT NULL,
  volume           REAL    NOT NULL,
  quote_volume     REAL,
  trades           INTEGER,
  taker_buy_volume REAL,
  flag             TEXT,             -- interpolated | forward_filled | clipped | NULL (real bar)
  count            INTEGER,          -- source bars in an aggregated bar
  revision         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (symbol, timeframe, timestamp)
) WITHOUT ROWID;
`;

/** Keeps the stored bar unless the new one has an equal or higher revision. */
const UPSERT = `
INSERT INTO bars (symbol, timeframe, ${COLUMNS})
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (symbol, timeframe, timestamp) DO UPDATE SET
  open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
  volume = excluded.volume, quote_volume = excluded.quote_volume, trades = excluded.trades,
  taker_buy_volume = excluded.taker_buy_volume, flag = excluded.flag, count = excluded.count,
  revision = excluded.revision
WHERE excluded.revision >= bars.revision
`;

function toBar(row: Row): RevisedBar {
  const [timestamp, open, high, low, close, volume, quoteVolume, trades, takerBuyVolume, flag, count, revision] = row;
  return {
    timestamp,
    open,
    high,
    low,
    close,
    volume,
    ...(quoteVolume === null ? {} : { quoteVolume }),
    ...(trades === null ? {} : { trades }),
    ...(takerBuyVolume === null ? {} : { takerBuyVolume }),
    ...(flag === null ? {} : { flag: flag as BarFlag }),
    ...(count === null ? {} : { count }),
    revision,
  };
}

/**
 * A {@link Store} on SQLite (better-sqlite3): the pipeline's history on disk, so a restarted
 * process resumes after the newest stored bar instead of backfilling from scratch.
 *
 * One table, `bars`, keyed by `(symbol, timeframe, timestamp)` (a `WITHOUT ROWID` table, so a
 * range of one series is one contiguous scan of the primary key). `upsert` inserts or replaces
 * in one transaction per call, and a stored bar is replaced only by one with an equal or higher
 * `revision` (`ON CONFLICT … DO UPDATE … WHERE excluded.revision >= bars.revision`), so
 * re-deliveries and late, older revisions never undo a correction. The database runs in WAL
 * mode: readers (another process, a notebook) never block the pipeline, and every committed
 * `upsert` survives a crash of the process.
 *
 * better-sqlite3 is synchronous: every method returns its value directly (a `Store` may), and
 * one call is one transaction — a process killed at any point leaves the database as it was
 * after some whole number of calls.
 *
 * @example
 * ```ts
 * const store = new SqliteStore('market-data.db');
 * const pipeline = new Pipeline({ primary, store, config: { symbols: ['BTCUSD'] } });
 * await pipeline.runOnce();
 * store.last('BTCUSD', '1m')   // the newest stored 1m bar, e.g. { timestamp: 1738232940000, …, revision: 0 }
 * store.close();
 * ```
 */
export class SqliteStore implements Store {
  /** The better-sqlite3 connection (for your own queries; do not close it behind the store's back). */
  readonly database: Database.Database;
  readonly #upsert: Database.Statement<unknown[]>;
  readonly #range: Database.Statement<unknown[], Row>;
  readonly #last: Database.Statement<unknown[], Row>;
  readonly #prune: Database.Statement<unknown[]>;
  readonly #size: Database.Statement<unknown[], number>;
  readonly #upsertMany: (symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]) => void;

  /**
   * Opens (or creates) the database file and its table.
   *
   * @param filename - Path of the database file; `':memory:'` for a throwaway database.
   * @param options - See {@link SqliteStoreOptions}.
   */
  constructor(filename: string, options: SqliteStoreOptions = {}) {
    this.database = new Database(filename);
    this.database.pragma('journal_mode = WAL');
    this.database.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.database.exec(SCHEMA);
    this.#upsert = this.database.prepare(UPSERT);
    const where = 'WHERE symbol = ? AND timeframe = ?';
    this.#range = this.database
      .prepare<unknown[], Row>(`SELECT ${COLUMNS} FROM bars ${where} AND timestamp >= ? AND timestamp < ? ORDER BY timestamp`)
      .raw(true);
    this.#last = this.database.prepare<unknown[], Row>(`SELECT ${COLUMNS} FROM bars ${where} ORDER BY timestamp DESC LIMIT 1`).raw(true);
    this.#prune = this.database.prepare(`DELETE FROM bars ${where} AND timestamp < ?`);
    this.#size = this.database.prepare<unknown[], number>(`SELECT count(*) FROM bars ${where}`).pluck(true);
    this.#upsertMany = this.database.transaction((symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]) => {
      for (const b of bars) {
        this.#upsert.run(
          symbol,
          timeframe,
          b.timestamp,
          b.open,
          b.high,
          b.low,
          b.close,
          b.volume,
          b.quoteVolume ?? null,
          b.trades ?? null,
          b.takerBuyVolume ?? null,
          b.flag ?? null,
          b.count ?? null,
          b.revision,
        );
      }
    });
  }

  /**
   * Inserts or replaces bars in one transaction; a stored bar is replaced only by one with an
   * equal or higher `revision`.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param bars - The bars, any order.
   */
  upsert(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): void {
    if (bars.length > 0) this.#upsertMany(symbol, timeframe, bars);
  }

  /**
   * Bars with `start <= timestamp < end`, oldest first.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param start - Inclusive lower bound, epoch ms.
   * @param end - Exclusive upper bound, epoch ms (may be `Infinity`).
   * @returns The stored bars.
   */
  range(symbol: string, timeframe: Timeframe, start: number, end: number): RevisedBar[] {
    return this.#range.all(symbol, timeframe, start, end).map(toBar);
  }

  /**
   * The same bars as {@link SqliteStore.range}, as columns with `flags` (optional fields are
   * left out, as `MemoryStore` does), filled straight from the rows without building bar objects.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param start - Inclusive lower bound, epoch ms.
   * @param end - Exclusive upper bound, epoch ms.
   * @returns The stored bars as columns.
   */
  rangeColumns(symbol: string, timeframe: Timeframe, start: number, end: number): OhlcvColumns {
    const rows = this.#range.all(symbol, timeframe, start, end);
    const n = rows.length;
    const columns = {
      length: n,
      timestamp: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
      flags: new Uint8Array(n),
    };
    rows.forEach((row, i) => {
      columns.timestamp[i] = row[0];
      columns.open[i] = row[1];
      columns.high[i] = row[2];
      columns.low[i] = row[3];
      columns.close[i] = row[4];
      columns.volume[i] = row[5];
      columns.flags[i] = barFlagCode((row[9] ?? undefined) as BarFlag | undefined);
    });
    return columns;
  }

  /**
   * The newest stored bar of a series.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @returns The bar, or `undefined` when the series is empty.
   */
  last(symbol: string, timeframe: Timeframe): RevisedBar | undefined {
    const row = this.#last.get(symbol, timeframe);
    return row === undefined ? undefined : toBar(row);
  }

  /**
   * Removes bars older than `before`.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param before - Epoch ms; bars with `timestamp < before` are deleted.
   * @returns How many bars were removed.
   */
  prune(symbol: string, timeframe: Timeframe, before: number): number {
    return this.#prune.run(symbol, timeframe, before).changes;
  }

  /**
   * Number of bars stored for a series.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @returns The row count.
   */
  size(symbol: string, timeframe: Timeframe): number {
    return this.#size.get(symbol, timeframe) ?? 0;
  }

  /** Closes the database (checkpointing the WAL into the main file). Further calls throw. */
  close(): void {
    this.database.close();
  }
}
