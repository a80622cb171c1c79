/**
 * `npm run bench:nats`: NATS JetStream beside SQLite on this machine, on a private
 * `nats-server -js` (file storage, the server's defaults).
 *
 * 1. Bars per second written through `NatsSink.writeMany` (records of 100 bars as the pipeline
 *    delivers them, every publish acknowledged), for batches of 1,000 and 10,000 bars, beside
 *    `SqliteSink.write` (one transaction per record) and `SqliteStore.upsert` of each batch, in
 *    the same run.
 * 2. Latency from a bar's close to the agent receiving it, p50 and p99, with three worker
 *    processes over 24 simulated symbols (the cluster demo without the kill), simulated time
 *    running 60 times faster than the wall clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toRows, type RevisedBar, type SinkRecord } from 'market-data-pipeline';
import { generateOhlcvColumns } from 'market-data-pipeline/testing';
import { connect } from '@nats-io/transport-node';
import { SqliteSink } from '../sqlite-store/sqlite-sink.js';
import { SqliteStore } from '../sqlite-store/sqlite-store.js';
import { ensureNatsLayout } from './ensure-nats-layout.js';
import { natsNames } from './nats-names.js';
import { NatsSink } from './nats-sink.js';
import { runCluster } from './run-cluster.js';
import { startNatsServer } from './start-nats-server.js';

const START = Date.UTC(2023, 0, 1);
const ROWS = 100_000;
const RECORD_BARS = 100;
const signal = new AbortController().signal;

const bars: RevisedBar[] = toRows(generateOhlcvColumns({ start: START, count: ROWS, seed: 42 }).columns).map((b) => ({
  ...b,
  revision: 0,
}));

/** The bars as `bars` records of {@link RECORD_BARS} bars, in batches of `batch` bars. */
function batches(batch: number): SinkRecord[][] {
  const out: SinkRecord[][] = [];
  for (let i = 0; i < ROWS; i += batch) {
    const records: SinkRecord[] = [];
    for (let j = i; j < Math.min(i + batch, ROWS); j += RECORD_BARS)
      records.push({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: bars.slice(j, Math.min(j + RECORD_BARS, i + batch)) });
    out.push(records);
  }
  return out;
}

async function time(task: () => unknown): Promise<number> {
  const t = performance.now();
  await task();
  return performance.now() - t;
}

const rate = (ms: number): string => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en-US')} bars/s`;
const line = (label: string, text: string): void => console.log(`${label.padEnd(58)} ${text}`);

const server = await startNatsServer();
const dir = mkdtempSync(join(tmpdir(), 'bench-nats-sqlite-'));
try {
  const nc = await connect({ servers: server.url, timeout: 5000 });
  console.log(
    `${ROWS.toLocaleString('en-US')} new 1m bars, records of ${RECORD_BARS} bars (nats-server file storage; SQLite WAL, synchronous=NORMAL)`,
  );
  let n = 0;
  for (const batch of [1_000, 10_000]) {
    const names = natsNames(`bench${++n}`);
    await ensureNatsLayout(nc, names, { timeframes: ['1m'] });
    const sink = new NatsSink(nc, { names });
    const natsMs = await time(async () => {
      for (const records of batches(batch)) await sink.writeMany(records, { signal });
    });
    line(`NatsSink.writeMany, ${batch.toLocaleString('en-US')} bars per batch`, rate(natsMs));
    const sqlite = new SqliteStore(join(dir, `bench-${n}.db`));
    const sqliteMs = await time(() => {
      for (const records of batches(batch))
        sqlite.upsert(
          'BTCUSD',
          '1m',
          records.flatMap((r) => (r.kind === 'bars' ? r.bars : [])),
        );
    });
    line(`SqliteStore.upsert, ${batch.toLocaleString('en-US')} bars per call`, rate(sqliteMs));
    sqlite.close();
  }
  const sqlite = new SqliteStore(join(dir, 'bench-sink.db'));
  const sqliteSink = new SqliteSink(sqlite);
  const sinkMs = await time(async () => {
    for (const records of batches(ROWS)) for (const record of records) await sqliteSink.write(record, { signal });
  });
  line(`SqliteSink.write, one record (${RECORD_BARS} bars) per call`, rate(sinkMs));
  sqlite.close();
  await nc.close();

  console.log('\nClose-to-agent latency, 3 workers, 24 symbols (1m and 5m), 8 partitions, 60x simulated time, 20 s');
  const { account } = await runCluster(server, { prefix: 'latency', kill: false, killAfterMs: 0, runAfterMs: 20_000 });
  const at = (q: number): number =>
    account.latencies[Math.min(account.latencies.length - 1, Math.floor(q * account.latencies.length))] ?? NaN;
  line(`bars received live`, `${account.latencies.length} (${account.missing.length} missing)`);
  line('p50', `${at(0.5)} ms`);
  line('p99', `${at(0.99)} ms`);
  line('max', `${at(1)} ms`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
