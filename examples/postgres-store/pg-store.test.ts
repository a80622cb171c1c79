import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { aggregateOhlcv, Pipeline, type Alert, type Ohlcv, type RevisedBar, type Timeframe } from 'market-data-pipeline';
import { ManualClock, MemorySink, SimulatedSource } from 'market-data-pipeline/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../../test/contracts/store-contract.js';
import { PgSink } from './pg-sink.js';
import { PgStore } from './pg-store.js';
import { MARKET_START, MARKET_SYMBOLS, MARKET_TIMEFRAMES, simulatedMarket } from './simulated-market.js';
import { startPgCluster, type PgCluster } from './start-pg-cluster.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 30);

let cluster: PgCluster;
let pool: pg.Pool;
let schemas = 0;

beforeAll(async () => {
  // Throwaway data: no flushes to disk (a killed client, not a crashed server, is what is tested).
  cluster = await startPgCluster({ settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  pool = new pg.Pool({ connectionString: cluster.url, max: 8 });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop();
});

/** A store on a schema of its own, migrated. */
async function freshStore(on: pg.Pool = pool): Promise<PgStore> {
  const store = new PgStore(on, { schema: `test_${++schemas}` });
  await store.init();
  return store;
}

function bar(timestamp: number, price: number, revision: number, extra: Partial<RevisedBar> = {}): RevisedBar {
  return { timestamp, open: price, high: price + 1, low: price - 1, close: price, volume: 10, revision, ...extra };
}

describeStoreContract({
  name: 'PgStore',
  create: () => freshStore(),
  dispose: async (store) => {
    await pool.query(`DROP SCHEMA ${(store as PgStore).schema} CASCADE`);
  },
});

describe('PgStore', () => {
  it('applies each migration once, in order, with a version table, even when two processes start together', async () => {
    const schema = `test_${++schemas}`;
    const other = new pg.Pool({ connectionString: cluster.url, max: 2 });
    try {
      const applied = await Promise.all([new PgStore(pool, { schema }).init(), new PgStore(other, { schema }).init()]);
      expect(applied.flat().sort()).toEqual([1, 2]);
      expect(await new PgStore(pool, { schema }).init()).toEqual([]);
      const versions = await pool.query(`SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`);
      expect(versions.rows).toEqual([
        { version: 1, name: 'bars' },
        { version: 2, name: 'documents_alerts' },
      ]);
      const tables = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [
        schema,
      ]);
      expect(tables.rows.map((r: { table_name: string }) => r.table_name)).toEqual(['alerts', 'bars', 'documents', 'schema_migrations']);
    } finally {
      await other.end();
    }
  });

  it('stores open_time as timestamptz and rejects a flag outside the three', async () => {
    const store = await freshStore();
    await store.upsert('BTCUSD', '1m', [bar(Date.UTC(2025, 0, 30, 12, 34, 0, 567), 1, 0)]);
    const row = await pool.query(`SELECT open_time AT TIME ZONE 'UTC' AS t FROM ${store.schema}.bars`);
    expect((row.rows[0] as { t: Date }).t.toISOString()).toBe('2025-01-30T12:34:00.567Z');
    await expect(store.upsert('BTCUSD', '1m', [bar(T0, 1, 0, { flag: 'guessed' as 'clipped' })])).rejects.toThrow(/check constraint/);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => new PgStore(pool, { schema: 'market; DROP TABLE x' })).toThrow(
      'Expected `schema` to be a lower-case identifier, got `market; DROP TABLE x`',
    );
  });

  it("applies the specification's retention to every symbol, one timeframe's cut-off each, in one statement", async () => {
    const store = await freshStore();
    const now = Date.UTC(2025, 3, 30);
    // Retention (specification): 1m 90 d, 5m 180 d, 15m 365 d, 1H 730 d, 4H and 1D unlimited.
    for (const symbol of ['BTCUSD', 'ETHUSD']) {
      await store.upsert(symbol, '1m', [bar(now - 91 * DAY, 1, 0), bar(now - 89 * DAY, 2, 0)]);
      await store.upsert(symbol, '5m', [bar(now - 181 * DAY, 1, 0), bar(now - 179 * DAY, 2, 0)]);
      await store.upsert(symbol, '1H', [bar(now - 700 * DAY, 1, 0)]);
      await store.upsert(symbol, '1D', [bar(now - 3000 * DAY, 1, 0)]);
    }
    expect(await store.applyRetention(now)).toEqual({ '1m': 2, '5m': 2, '15m': 0, '1H': 0 });
    for (const symbol of ['BTCUSD', 'ETHUSD']) {
      expect((await store.range(symbol, '1m', -Infinity, Infinity)).map((b) => b.timestamp)).toEqual([now - 89 * DAY]);
      expect((await store.range(symbol, '5m', -Infinity, Infinity)).map((b) => b.timestamp)).toEqual([now - 179 * DAY]);
      expect(await store.size(symbol, '1H')).toBe(1);
      expect(await store.size(symbol, '1D')).toBe(1);
    }
  });

  it('keeps the highest revision of every bar when two writers race on the same series', async () => {
    // A worker and the one that takes over from it: separate pools (separate connections),
    // overlapping batches of the same 600 bars, each bar's revisions in an order of its own.
    const store = await freshStore();
    const otherPool = new pg.Pool({ connectionString: cluster.url, max: 4 });
    const other = new PgStore(otherPool, { schema: store.schema });
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const N = 600;
    // A revision's content is fixed (close = 1000 · revision + i), as a re-delivery's is.
    const version = (i: number, revision: number): RevisedBar => bar(T0 + i * MIN, 1000 * revision + i, revision);
    const highest = new Array<number>(N).fill(-1);
    const plan = (): RevisedBar[][] => {
      const batches: RevisedBar[][] = [];
      for (let round = 0; round < 4; round++) {
        for (let from = 0; from < N; from += 50) {
          const batch: RevisedBar[] = [];
          for (let i = from; i < from + 50; i++) {
            const revision = random(6);
            highest[i] = Math.max(highest[i] ?? -1, revision);
            batch.push(version(i, revision));
          }
          batches.push(batch.reverse());
        }
      }
      return batches;
    };
    const write = async (writer: PgStore, batches: RevisedBar[][]): Promise<void> => {
      for (const batch of batches) await writer.upsert('BTCUSD', '1m', batch);
    };
    try {
      await Promise.all([write(store, plan()), write(other, plan()), write(store, plan()), write(other, plan())]);
    } finally {
      await otherPool.end();
    }
    const stored = await store.range('BTCUSD', '1m', -Infinity, Infinity);
    expect(stored).toEqual(highest.map((revision, i) => version(i, revision)));
  });

  it('serves a backtest a year of 1m bars, read back month by month as columns', async () => {
    const store = await freshStore();
    const start = Date.UTC(2023, 0, 1);
    const count = 365 * 1440; // 2023 is not a leap year: 525,600 one-minute bars
    // Bar i by formula, written by the server (the write path has its own tests and benchmark):
    // close = 100 + (i mod 1000) / 8 (exact in binary), high = close + 1, volume = i mod 7,
    // forward-filled every 10,000th bar.
    await pool.query(
      `INSERT INTO ${store.schema}.bars (symbol, timeframe, open_time, open, high, low, close, volume, flag, revision)
       SELECT 'BTCUSD', '1m', to_timestamp(($1::bigint + i * 60000)::float8 / 1000), 100 + (i % 1000) / 8.0, 101 + (i % 1000) / 8.0,
              99 + (i % 1000) / 8.0, 100 + (i % 1000) / 8.0, i % 7, CASE WHEN i % 10000 = 0 THEN 'forward_filled' END, 0
       FROM generate_series(0::bigint, $2::bigint - 1) AS i`,
      [start, count],
    );
    let at = 0;
    for (let month = 0; month < 12; month++) {
      const from = Date.UTC(2023, month, 1);
      const to = Date.UTC(2023, month + 1, 1);
      const got = await store.rangeColumns('BTCUSD', '1m', from, to);
      // Minutes in the month, from the calendar (28, 30 or 31 days).
      expect(got.length).toBe(((to - from) / DAY) * 1440);
      const index = Array.from({ length: got.length }, (_, k) => at + k);
      expect([...got.timestamp]).toEqual(index.map((i) => start + i * MIN));
      expect([...got.close]).toEqual(index.map((i) => 100 + (i % 1000) / 8));
      expect([...got.high]).toEqual(index.map((i) => 101 + (i % 1000) / 8));
      expect([...got.volume]).toEqual(index.map((i) => i % 7));
      // BarFlagCode.ForwardFilled is 2.
      expect([...(got.flags ?? [])]).toEqual(index.map((i) => (i % 10_000 === 0 ? 2 : 0)));
      at += got.length;
    }
    expect(at).toBe(525_600);
  });
});

describe('PgSink', () => {
  const signal = new AbortController().signal;
  const alert = (id: string): Alert =>
    ({
      alert_id: id,
      timestamp: '2025-01-30T00:00:00Z',
      severity: 'high',
      type: 'source_failure',
      message: `alert ${id}`,
      details: {},
    }) as unknown as Alert;

  it('takes bars (unless told not to), documents and alerts, datasets only with a root, never the forming bar', async () => {
    const store = await freshStore();
    const bars = { kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [] } as const;
    const forming = { kind: 'forming', symbol: 'BTCUSD', timeframe: '1m', bar: bar(T0, 1, 0) } as const;
    const dataset = {
      kind: 'dataset',
      requestId: 'R',
      symbol: 'BTCUSD',
      timeframe: '1m',
      format: 'json',
      path: 'data/x.json',
      bars: [],
    } as const;
    const sink = new PgSink(store);
    expect([sink.accepts(bars), sink.accepts(forming), sink.accepts(dataset), sink.accepts({ kind: 'alert', alert: alert('A') })]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(sink.datasetFormats).toBeUndefined();
    const files = new PgSink(store, { bars: false, datasets: { root: tmpdir() } });
    expect([files.accepts(bars), files.accepts(dataset)]).toEqual([false, true]);
    expect(files.datasetFormats).toEqual(['json', 'parquet']);
  });

  it('writes a batch in one transaction: bars by revision, the latest document per name and symbol, alerts in order', async () => {
    const store = await freshStore();
    const sink = new PgSink(store);
    const status = (n: number) => ({ kind: 'document', name: 'data_status', body: { n } }) as never;
    const latest = (symbol: string, n: number) => ({ kind: 'document', name: 'latest_ohlcv', symbol, body: { symbol, n } }) as never;
    await sink.writeMany(
      [
        { kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [bar(T0, 1, 0, { flag: 'forward_filled' }), bar(T0 + MIN, 2, 0)] },
        status(1),
        latest('BTCUSD', 1),
        { kind: 'alert', alert: alert('DATA-ALERT-001') },
        { kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [bar(T0, 5, 1)] }, // the fill replaced, same batch
        { kind: 'bars', symbol: 'ETHUSD', timeframe: '5m', bars: [bar(T0, 7, 0)] },
        status(2),
        latest('ETHUSD', 1),
        { kind: 'alert', alert: alert('DATA-ALERT-002') },
      ],
      { signal },
    );
    expect(await store.range('BTCUSD', '1m', -Infinity, Infinity)).toEqual([bar(T0, 5, 1), bar(T0 + MIN, 2, 0)]);
    expect(await store.range('ETHUSD', '5m', -Infinity, Infinity)).toEqual([bar(T0, 7, 0)]);
    const docs = await pool.query(`SELECT name, symbol, body FROM ${store.schema}.documents ORDER BY name, symbol`);
    expect(docs.rows).toEqual([
      { name: 'data_status', symbol: '', body: { n: 2 } },
      { name: 'latest_ohlcv', symbol: 'BTCUSD', body: { symbol: 'BTCUSD', n: 1 } },
      { name: 'latest_ohlcv', symbol: 'ETHUSD', body: { symbol: 'ETHUSD', n: 1 } },
    ]);
    await sink.write(status(3), { signal });
    await sink.write({ kind: 'alert', alert: alert('DATA-ALERT-001') }, { signal }); // a re-delivery is appended
    expect((await pool.query(`SELECT body FROM ${store.schema}.documents WHERE name = 'data_status'`)).rows).toEqual([{ body: { n: 3 } }]);
    const alerts = await pool.query(`SELECT alert_id FROM ${store.schema}.alerts ORDER BY id`);
    expect(alerts.rows.map((r: { alert_id: string }) => r.alert_id)).toEqual(['DATA-ALERT-001', 'DATA-ALERT-002', 'DATA-ALERT-001']);
  });

  it('leaves nothing behind when a batch fails', async () => {
    const store = await freshStore();
    const sink = new PgSink(store);
    const broken = { ...alert('X'), alert_id: null } as unknown as Alert; // alert_id is NOT NULL
    await expect(
      sink.writeMany(
        [
          { kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [bar(T0, 1, 0)] },
          { kind: 'alert', alert: alert('A') },
          { kind: 'alert', alert: broken },
        ],
        { signal },
      ),
    ).rejects.toThrow(/null value/);
    expect(await store.size('BTCUSD', '1m')).toBe(0);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${store.schema}.alerts`)).rows).toEqual([{ n: 0 }]);
  });

  it('exports a dataset as the fs sink does and answers its absolute path', async () => {
    const store = await freshStore();
    const root = await mkdtemp(join(tmpdir(), 'pg-sink-'));
    try {
      const sink = new PgSink(store, { datasets: { root } });
      const bars = [bar(T0, 1, 0), bar(T0 + MIN, 2, 1)];
      const record = {
        kind: 'dataset',
        requestId: 'DATA-001',
        symbol: 'BTCUSD',
        timeframe: '1m',
        format: 'json',
        path: 'data/BTCUSD_1m.json',
        bars,
      } as const;
      const result = await sink.write(record, { signal });
      expect(result).toEqual({ outputPath: join(root, 'data', 'BTCUSD_1m.json') });
      expect(JSON.parse(await readFile(join(root, 'data', 'BTCUSD_1m.json'), 'utf8'))).toEqual(bars);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('holds what a MemorySink upserted after a pipeline run with a MemoryStore', async () => {
    const store = await freshStore();
    const timeframes: Timeframe[] = ['1m', '5m', '15m', '1H'];
    const clock = new ManualClock(T0 + 90 * MIN + 1000);
    const primary = new SimulatedSource({ clock, symbols: ['BTCUSD'], generate: { start: T0, count: 120 } });
    const memory = new MemorySink({ clock });
    const pipeline = new Pipeline({
      primary,
      sinks: [new PgSink(store), memory],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    await pipeline.stop();
    for (const tf of timeframes) expect(await store.range('BTCUSD', tf, -Infinity, Infinity)).toEqual(memory.bars('BTCUSD', tf));
    expect(await store.size('BTCUSD', '1m')).toBe(90);
    const docs = await pool.query(`SELECT name, symbol FROM ${store.schema}.documents ORDER BY name, symbol`);
    expect(docs.rows).toEqual([
      { name: 'data_status', symbol: '' },
      { name: 'latest_ohlcv', symbol: 'BTCUSD' },
      { name: 'market_context', symbol: 'BTCUSD' },
      { name: 'quality_report', symbol: '' },
    ]);
  });
});

describe('examples/postgres-store/main.ts under SIGKILL', () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const END_MINUTE = 150;

  /** Starts main.ts until minute 150 and SIGKILLs it as soon as it has printed the cycle of minute `killAfter`. */
  function runAndKill(url: string, killAfter: number): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      // 25 ms of wall clock per simulated minute: the kill lands well before the end even when this machine is loaded.
      const child = spawn(process.execPath, ['--import', 'tsx', main, url, String(END_MINUTE), '25'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const cycles = [...stdout.matchAll(/^cycle (\S+)$/gm)];
        const latest = cycles.at(-1)?.[1];
        if (latest !== undefined && Date.parse(latest) >= MARKET_START + killAfter * MIN) child.kill('SIGKILL');
      });
      child.once('error', reject);
      child.once('exit', (_code, signal) => resolve({ signal, stdout }));
    });
  }

  // Minute 50: inside the bad-rows window (fills not yet replaced); minute 90: the primary is down.
  it.each([50, 90])(
    'loses nothing and doubles nothing when killed after minute %i: every bar of the market once, with its values, and exact aggregates',
    async (killAfter) => {
      await pool.query(`CREATE DATABASE kill_${killAfter}`);
      const url = cluster.url.replace(/\/postgres$/, `/kill_${killAfter}`);
      const first = await runAndKill(url, killAfter);
      expect(first.signal).toBe('SIGKILL');
      expect(first.stdout).not.toContain('BTCUSD  1m:'); // killed before its summary
      const db = new pg.Pool({ connectionString: url, max: 2 });
      try {
        const partial = await db.query(`SELECT count(*)::int AS n FROM market_data.bars WHERE symbol = 'BTCUSD' AND timeframe = '1m'`);
        expect((partial.rows[0] as { n: number }).n).toBeLessThan(END_MINUTE - 10); // killed well before the end

        const second = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, url, String(END_MINUTE)]);

        // The truth: the market's closed bars at minute 150 and their batch aggregates.
        const { primary } = simulatedMarket(new ManualClock(MARKET_START));
        const key = (b: Ohlcv): string => `${b.timestamp}:${b.open}:${b.high}:${b.low}:${b.close}:${b.volume.toFixed(9)}:${b.flag ?? ''}`;
        for (const symbol of MARKET_SYMBOLS) {
          const truth = primary.closedBars(symbol, MARKET_START + END_MINUTE * MIN + 1000);
          expect(truth.length).toBe(END_MINUTE);
          const store = new PgStore(db);
          for (const tf of MARKET_TIMEFRAMES) {
            const want = tf === '1m' ? truth : aggregateOhlcv(truth, tf, { source: '1m' }).bars;
            const have = await store.range(symbol, tf, -Infinity, Infinity);
            expect(have.map(key), `${symbol} ${tf}`).toEqual(want.map(key));
          }
        }
        expect(second.stdout).toContain('BTCUSD  1m: 150  5m: 30  15m: 10  1H: 2');
        // The bad rows were filled, then replaced by real bars (revisions), none left synthetic.
        const revised = await db.query(`SELECT count(*)::int AS n FROM market_data.bars WHERE revision > 0`);
        expect((revised.rows[0] as { n: number }).n).toBeGreaterThan(0);
        const docs = await db.query(`SELECT name, symbol FROM market_data.documents ORDER BY name, symbol`);
        expect(docs.rows.length).toBe(6); // data_status, quality_report, and latest_ohlcv + market_context per symbol
      } finally {
        await db.end();
      }
    },
  );
});
