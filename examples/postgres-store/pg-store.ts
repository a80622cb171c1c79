import {
  barFlagCode,
  DEFAULT_RETENTION,
  retentionCutoff,
  type BarFlag,
  type OhlcvColumns,
  type Retention,
  type RevisedBar,
  type Store,
  type Timeframe,
} from 'market-data-pipeline';
import type { Pool } from 'pg';
import { applyMigrations } from './apply-migrations.js';
import { upsertBars, type SeriesBars } from './upsert-bars.js';

/** Options of {@link PgStore}. */
export interface PgStoreOptions {
  /**
   * The PostgreSQL schema holding the tables (`bars`, `documents`, `alerts`,
   * `schema_migrations`); created by `init()` when missing. A lower-case identifier.
   * @defaultValue 'market_data'
   */
  readonly schema?: string;
}

/** A row as the range queries return it (`rowMode: 'array'`). */
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
  flag: BarFlag | null,
  count: number | null,
  revision: number,
];

/**
 * Epoch ms of `open_time` (exact: `extract` gives a numeric), then the bar's columns. Rows come
 * in text format: node-postgres decodes every result value as UTF-8 text first, so its binary
 * result format cannot carry arbitrary bytes.
 */
const COLUMNS =
  '(extract(epoch FROM open_time) * 1000)::float8, open, high, low, close, volume, quote_volume, trades::float8, taker_buy_volume, flag, count, revision';

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
    ...(flag === null ? {} : { flag }),
    ...(count === null ? {} : { count }),
    revision,
  };
}

/**
 * A {@link Store} on PostgreSQL (node-postgres): history that several workers write and
 * backtests read. Bars live in `<schema>.bars`, keyed `(symbol, timeframe, open_time)` with
 * `open_time` a `timestamptz` (millisecond precision; the store speaks epoch ms). Every `upsert`
 * is one statement, so a process killed at any point leaves the table as it was after some
 * whole number of calls; a stored bar is replaced only by one with an equal or higher `revision`
 * (`ON CONFLICT … DO UPDATE … WHERE excluded.revision >= bars.revision`), so two writers racing
 * on one series always leave the highest revision.
 *
 * Call `init()` once before use: it applies the migration files (`migrations/NNN_*.sql`) the
 * schema lacks. The pool is yours: end it when done.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: 'postgres://app@db/market' });
 * const store = new PgStore(pool);
 * await store.init();
 * const pipeline = new Pipeline({ primary, store, config: { symbols: ['BTCUSD'] } });
 * await pipeline.runOnce();
 * await store.last('BTCUSD', '1m') // the newest stored 1m bar, e.g. { timestamp: 1738232940000, …, revision: 0 }
 * ```
 */
export class PgStore implements Store {
  /** The connection pool (for your own queries). */
  readonly pool: Pool;
  /** The schema holding the tables. */
  readonly schema: string;

  /**
   * @param pool - Where the tables are (any role allowed to create them in `schema` at `init()`).
   * @param options - See {@link PgStoreOptions}.
   * @throws When `schema` is not a lower-case identifier.
   */
  constructor(pool: Pool, options: PgStoreOptions = {}) {
    const schema = options.schema ?? 'market_data';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Expected \`schema\` to be a lower-case identifier, got \`${schema}\``);
    this.pool = pool;
    this.schema = schema;
  }

  /**
   * Creates the schema and applies the migrations it lacks (see `applyMigrations`). Safe to call
   * from several processes at once.
   *
   * @returns The migration versions applied now (empty when up to date).
   */
  init(): Promise<number[]> {
    return applyMigrations(this.pool, this.schema);
  }

  /**
   * Inserts or replaces bars in one statement; a stored bar is replaced only by one with an
   * equal or higher `revision`.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param bars - The bars, any order.
   */
  async upsert(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): Promise<void> {
    await this.upsertMany([{ symbol, timeframe, bars }]);
  }

  /**
   * Upserts the bars of several series in one statement (what `PgSink` does with a batch).
   *
   * @param series - The series and their bars.
   * @returns How many rows were inserted or replaced.
   */
  upsertMany(series: readonly SeriesBars[]): Promise<number> {
    return upsertBars(this.pool, this.schema, series);
  }

  /** Rows of one series' bars, as arrays; `condition` follows the series' `WHERE`. */
  async #select(condition: string, values: readonly unknown[]): Promise<Row[]> {
    const result = await this.pool.query<Row>({
      text: `SELECT ${COLUMNS} FROM ${this.schema}.bars WHERE symbol = $1 AND timeframe = $2 ${condition}`,
      values: [...values],
      rowMode: 'array',
    });
    return result.rows;
  }

  #rows(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<Row[]> {
    return this.#select(
      'AND open_time >= to_timestamp($3::float8 / 1000) AND open_time < to_timestamp($4::float8 / 1000) ORDER BY open_time',
      [symbol, timeframe, start, end],
    );
  }

  /**
   * Bars with `start <= timestamp < end`, oldest first.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param start - Inclusive lower bound, epoch ms (may be `-Infinity`).
   * @param end - Exclusive upper bound, epoch ms (may be `Infinity`).
   * @returns The stored bars.
   */
  async range(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<RevisedBar[]> {
    return (await this.#rows(symbol, timeframe, start, end)).map(toBar);
  }

  /**
   * The same bars as {@link PgStore.range}, as columns with `flags` (optional fields are left
   * out, as `MemoryStore` does), filled straight from the rows without building bar objects.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param start - Inclusive lower bound, epoch ms.
   * @param end - Exclusive upper bound, epoch ms.
   * @returns The stored bars as columns.
   */
  async rangeColumns(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<OhlcvColumns> {
    const rows = await this.#rows(symbol, timeframe, start, end);
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
      columns.flags[i] = barFlagCode(row[9] ?? undefined);
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
  async last(symbol: string, timeframe: Timeframe): Promise<RevisedBar | undefined> {
    const [row] = await this.#select('ORDER BY open_time DESC LIMIT 1', [symbol, timeframe]);
    return row === undefined ? undefined : toBar(row);
  }

  /**
   * Removes bars of one series older than `before`.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @param before - Epoch ms; bars with `timestamp < before` are deleted.
   * @returns How many bars were removed.
   */
  async prune(symbol: string, timeframe: Timeframe, before: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM ${this.schema}.bars WHERE symbol = $1 AND timeframe = $2 AND open_time < to_timestamp($3::float8 / 1000)`,
      [symbol, timeframe, before],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Applies retention to every symbol at once, in one `DELETE` for all timeframes: the bars whose
   * open time is before their timeframe's `retentionCutoff(tf, now)`. A per-timeframe condition
   * cannot use the `(symbol, timeframe, open_time)` key, so one statement means one scan of
   * `bars` per run where a `DELETE` per timeframe would scan it once per timeframe. Meant for a
   * shared database, run by one job (e.g. hourly) rather than by every worker's per-series `prune`.
   *
   * @param now - Current time, epoch ms.
   * @param retention - Retention per timeframe in ms; the specification's table by default
   *   (1m 90 d, 5m 180 d, 15m 365 d, 1H 730 d, 4H and 1D unlimited).
   * @returns Bars removed per timeframe with a limited retention (0 when none was due).
   */
  async applyRetention(now: number, retention: Retention = DEFAULT_RETENTION): Promise<Partial<Record<Timeframe, number>>> {
    const removed: Partial<Record<Timeframe, number>> = {};
    const cutoffs: number[] = [];
    for (const tf of Object.keys(retention) as Timeframe[]) {
      const cutoff = retentionCutoff(tf, now, retention);
      if (cutoff === undefined) continue;
      removed[tf] = 0;
      cutoffs.push(cutoff);
    }
    const timeframes = Object.keys(removed);
    if (timeframes.length === 0) return removed;
    const result = await this.pool.query<{ timeframe: Timeframe; n: number }>(
      `WITH deleted AS (
         DELETE FROM ${this.schema}.bars AS bars USING unnest($1::text[], $2::float8[]) AS r(timeframe, cutoff)
         WHERE bars.timeframe = r.timeframe AND bars.open_time < to_timestamp(r.cutoff / 1000)
         RETURNING bars.timeframe
       )
       SELECT timeframe, count(*)::int AS n FROM deleted GROUP BY timeframe`,
      [timeframes, cutoffs],
    );
    for (const { timeframe, n } of result.rows) removed[timeframe] = n;
    return removed;
  }

  /**
   * Number of bars stored for a series.
   *
   * @param symbol - The series' symbol.
   * @param timeframe - The series' timeframe.
   * @returns The row count.
   */
  async size(symbol: string, timeframe: Timeframe): Promise<number> {
    const result = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.schema}.bars WHERE symbol = $1 AND timeframe = $2`,
      [symbol, timeframe],
    );
    return result.rows[0]?.n ?? 0;
  }
}
