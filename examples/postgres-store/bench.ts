/**
 * `npm run bench:postgres`: PostgreSQL beside SQLite on this machine, on a private cluster with
 * the server's default (durable) settings.
 *
 * 1. Rows per second written through `PgSink.writeMany` (one transaction per batch, records of
 *    100 bars as the pipeline delivers them), beside `SqliteSink` (one transaction per record) and
 *    `SqliteStore.upsert` of the whole batch (one transaction per batch), for several batch sizes.
 * 2. One year of 1m bars (525,600) written in batches of 10,000, then read back as columns:
 *    the whole year in one `rangeColumns`, and month by month as a backtest reads it.
 *
 * Prints one line per measurement (median of three runs for the reads).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toRows, type RevisedBar, type SinkRecord } from 'market-data-pipeline';
import { generateOhlcvColumns } from 'market-data-pipeline/testing';
import pg from 'pg';
import { SqliteSink } from '../sqlite-store/sqlite-sink.js';
import { SqliteStore } from '../sqlite-store/sqlite-store.js';
import { PgSink } from './pg-sink.js';
import { PgStore } from './pg-store.js';
import { startPgCluster } from './start-pg-cluster.js';

const START = Date.UTC(2023, 0, 1);
const YEAR = 365 * 1440;
const WRITE_ROWS = 100_000;
const RECORD_BARS = 100;
const signal = new AbortController().signal;

const bars: RevisedBar[] = toRows(generateOhlcvColumns({ start: START, count: YEAR, seed: 42 }).columns).map((b) => ({
  ...b,
  revision: 0,
}));

/** The first `rows` bars as `bars` records of {@link RECORD_BARS} bars, in batches of `batch` rows. */
function batches(rows: number, batch: number): SinkRecord[][] {
  const out: SinkRecord[][] = [];
  for (let i = 0; i < rows; i += batch) {
    const records: SinkRecord[] = [];
    for (let j = i; j < Math.min(i + batch, rows); j += RECORD_BARS) {
      records.push({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: bars.slice(j, Math.min(j + RECORD_BARS, i + batch, rows)) });
    }
    out.push(records);
  }
  return out;
}

async function time(task: () => unknown): Promise<number> {
  const t = performance.now();
  await task();
  return performance.now() - t;
}

async function median3(task: () => unknown): Promise<number> {
  const runs = [await time(task), await time(task), await time(task)].sort((a, b) => a - b);
  return runs[1] as number;
}

const rate = (rows: number, ms: number): string => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
const line = (label: string, text: string): void => console.log(`${label.padEnd(58)} ${text}`);

const cluster = await startPgCluster();
const pool = new pg.Pool({ connectionString: cluster.url, max: 4 });
const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
try {
  const store = new PgStore(pool, { schema: 'bench' });
  await store.init();
  const sink = new PgSink(store);
  console.log(
    `${WRITE_ROWS.toLocaleString('en-US')} new 1m bars, records of ${RECORD_BARS} bars (PostgreSQL 15 default settings; SQLite WAL, synchronous=NORMAL)`,
  );
  let n = 0;
  for (const batch of [1_000, 10_000]) {
    await pool.query('TRUNCATE bench.bars');
    const pgMs = await time(async () => {
      for (const records of batches(WRITE_ROWS, batch)) await sink.writeMany(records, { signal });
    });
    line(`PgSink.writeMany, ${batch.toLocaleString('en-US')} rows per batch`, rate(WRITE_ROWS, pgMs));
    const sqlite = new SqliteStore(join(dir, `bench-${++n}.db`));
    const sqliteMs = await time(() => {
      for (const records of batches(WRITE_ROWS, batch)) {
        sqlite.upsert(
          'BTCUSD',
          '1m',
          records.flatMap((r) => (r.kind === 'bars' ? r.bars : [])),
        );
      }
    });
    line(`SqliteStore.upsert, ${batch.toLocaleString('en-US')} rows per call`, rate(WRITE_ROWS, sqliteMs));
    sqlite.close();
  }
  const sqlite = new SqliteStore(join(dir, 'bench-sink.db'));
  const sqliteSink = new SqliteSink(sqlite);
  const sinkMs = await time(async () => {
    for (const records of batches(WRITE_ROWS, WRITE_ROWS)) for (const record of records) await sqliteSink.write(record, { signal });
  });
  line(`SqliteSink.write, one record (${RECORD_BARS} rows) per call`, rate(WRITE_ROWS, sinkMs));
  sqlite.close();

  console.log(`\nOne year of 1m bars (${YEAR.toLocaleString('en-US')})`);
  await pool.query('TRUNCATE bench.bars');
  const yearPg = await time(async () => {
    for (const records of batches(YEAR, 10_000)) await sink.writeMany(records, { signal });
  });
  line('PgSink.writeMany, 10,000 rows per batch', rate(YEAR, yearPg));
  const yearSqlite = new SqliteStore(join(dir, 'year.db'));
  const yearSqliteMs = await time(() => {
    for (let i = 0; i < YEAR; i += 10_000) yearSqlite.upsert('BTCUSD', '1m', bars.slice(i, i + 10_000));
  });
  line('SqliteStore.upsert, 10,000 rows per call', rate(YEAR, yearSqliteMs));
  await pool.query('VACUUM ANALYZE bench.bars');
  const months = Array.from({ length: 12 }, (_, m) => [Date.UTC(2023, m, 1), Date.UTC(2023, m + 1, 1)] as const);
  const read = async (columns: (from: number, to: number) => unknown): Promise<void> => {
    for (const [from, to] of months) await columns(from, to);
  };
  const pgYear = await median3(() => store.rangeColumns('BTCUSD', '1m', START, Date.UTC(2024, 0, 1)));
  line('PgStore.rangeColumns, the whole year', `${pgYear.toFixed(0)} ms (${rate(YEAR, pgYear)})`);
  const pgMonths = await median3(() => read((from, to) => store.rangeColumns('BTCUSD', '1m', from, to)));
  line('PgStore.rangeColumns, month by month', `${pgMonths.toFixed(0)} ms (${rate(YEAR, pgMonths)})`);
  const sqliteYear = await median3(() => yearSqlite.rangeColumns('BTCUSD', '1m', START, Date.UTC(2024, 0, 1)));
  line('SqliteStore.rangeColumns, the whole year', `${sqliteYear.toFixed(0)} ms (${rate(YEAR, sqliteYear)})`);
  const sqliteMonths = await median3(() => read((from, to) => yearSqlite.rangeColumns('BTCUSD', '1m', from, to)));
  line('SqliteStore.rangeColumns, month by month', `${sqliteMonths.toFixed(0)} ms (${rate(YEAR, sqliteMonths)})`);
  yearSqlite.close();
} finally {
  await pool.end();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
