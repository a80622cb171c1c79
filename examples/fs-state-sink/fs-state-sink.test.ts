import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { asyncBufferFromFile, parquetMetadata, parquetReadObjects } from 'hyparquet';
import {
  AlertSchema,
  DataStatusSchema,
  isSinkError,
  LatestOhlcvSchema,
  MarketContextSchema,
  MemoryStore,
  Pipeline,
  QualityReportSchema,
  type LatestOhlcv,
  type RevisedBar,
  type Timeframe,
} from 'market-data-pipeline';
import { ManualClock, SimulatedSource } from 'market-data-pipeline/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { barsToParquet } from './bars-to-parquet.js';
import { FsStateSink } from './fs-state-sink.js';
import { writeFileAtomic } from './write-file-atomic.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);
const SYMBOLS = ['BTCUSD', 'ETHUSD'];
const TIMEFRAMES: Timeframe[] = ['1m', '5m', '1H'];

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-state-sink-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under `dir`, relative, sorted. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** Runs `task` while advancing the clock five seconds at a time, so sleeps and timeouts can fire. */
async function drive<T>(clock: ManualClock, task: Promise<T>): Promise<T> {
  let settled = false;
  // Handled at once (a rejection is re-thrown after the loop, not reported as unhandled).
  const done = task.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  void done.then(() => {
    settled = true;
  });
  for (let i = 0; !settled && i < 10_000; i++) await clock.advance(5000);
  const result = await done;
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Two hours of a simulated market with a 10-minute outage of the primary (so there are alerts:
 * a failover and a switch back), run minute by minute into an `FsStateSink`.
 */
async function run(sinkOptions: Partial<ConstructorParameters<typeof FsStateSink>[0]> = {}) {
  const clock = new ManualClock(T0 + 30 * MIN + 1000);
  const generate = { start: T0, count: 180 };
  const primary = new SimulatedSource({
    clock,
    name: 'exchange_api',
    symbols: SYMBOLS,
    generate,
    faults: [{ kind: 'outage', from: T0 + 60 * MIN, durationMs: 10 * MIN }],
  });
  const backup = new SimulatedSource({ clock, name: 'data_provider', symbols: SYMBOLS, generate });
  const store = new MemoryStore();
  const sink = new FsStateSink({ root, ...sinkOptions });
  // The write timeout is measured on the injected clock, which `drive` moves 5 s per real
  // macrotask: give real file writes a day of simulated time so none is aborted as too slow.
  const pipeline = new Pipeline({
    primary,
    backup,
    store,
    clock,
    sinks: [sink],
    sinkTimeoutMs: 86_400_000,
    start: T0,
    random: () => 0.5,
    config: { symbols: SYMBOLS, timeframes: TIMEFRAMES },
  });
  const alerts: string[] = [];
  pipeline.on('alert', (alert) => alerts.push(alert.alert_id));
  const end = T0 + 120 * MIN;
  while (clock.now() < end) {
    await drive(clock, pipeline.runOnce());
    await clock.advance(MIN - (clock.now() % MIN) + 1000);
  }
  await drive(clock, pipeline.runOnce());
  await pipeline.flush();
  return { clock, pipeline, store, sink, primary, alerts };
}

describe('FsStateSink', () => {
  it('writes the four state documents where the specification says, each valid under its schema', async () => {
    const { pipeline } = await run();
    await pipeline.stop();
    const state = join(root, 'state');
    DataStatusSchema.parse(await readJson(join(state, 'data', 'data_status.json')));
    QualityReportSchema.parse(await readJson(join(state, 'data', 'quality_report.json')));
    const latest = LatestOhlcvSchema.parse(await readJson(join(state, 'data', 'latest_ohlcv.json')));
    const context = MarketContextSchema.parse(await readJson(join(state, 'market_context.json')));
    // The fixed paths hold the document written last, byte for byte its symbol's own file.
    expect(await readFile(join(state, 'data', 'latest_ohlcv.json'), 'utf8')).toBe(
      await readFile(join(state, 'data', 'latest_ohlcv', `${latest.symbol}.json`), 'utf8'),
    );
    expect(await readFile(join(state, 'market_context.json'), 'utf8')).toBe(
      await readFile(join(state, 'market_context', `${context.symbol}.json`), 'utf8'),
    );
    for (const symbol of SYMBOLS) {
      const own = LatestOhlcvSchema.parse(await readJson(join(state, 'data', 'latest_ohlcv', `${symbol}.json`)));
      expect(own.symbol).toBe(symbol);
      expect(MarketContextSchema.parse(await readJson(join(state, 'market_context', `${symbol}.json`))).symbol).toBe(symbol);
    }
    expect(await files(root)).toEqual([
      'state/data/alerts.jsonl',
      'state/data/data_status.json',
      'state/data/latest_ohlcv.json',
      'state/data/latest_ohlcv/BTCUSD.json',
      'state/data/latest_ohlcv/ETHUSD.json',
      'state/data/quality_report.json',
      'state/market_context.json',
      'state/market_context/BTCUSD.json',
      'state/market_context/ETHUSD.json',
    ]);
  });

  it('puts the newest closed bar of each timeframe in latest_ohlcv', async () => {
    const { pipeline, primary, clock } = await run();
    await pipeline.stop();
    const doc = (await readJson(join(root, 'state', 'data', 'latest_ohlcv', 'BTCUSD.json'))) as LatestOhlcv;
    // The market's last closed 1m bar is the one that opened a minute before the current minute.
    const last = primary.closedBars('BTCUSD', clock.now()).at(-1);
    expect(last).toBeDefined();
    expect(doc.timeframes['1m']).toMatchObject({
      timestamp: new Date(last?.timestamp ?? 0).toISOString().replace('.000Z', 'Z'),
      close: last?.close,
    });
  });

  it('appends every alert as one JSON line in the specification’s format', async () => {
    const { pipeline, alerts } = await run();
    await pipeline.stop();
    const lines = (await readFile(join(root, 'state', 'data', 'alerts.jsonl'), 'utf8')).trimEnd().split('\n');
    const written = lines.map((line) => AlertSchema.parse(JSON.parse(line)));
    // The outage raised at least a failover and a switch back.
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    expect(written.map((a) => a.alert_id)).toEqual(alerts);
    expect(written.map((a) => a.type)).toContain('failover');
  });

  it('answers a Parquet data request with the absolute path of a file holding the stored bars', async () => {
    const { pipeline, store } = await run();
    const response = await pipeline.request({
      request_id: 'DATA-001',
      requester: 'feature-engineer',
      request_type: 'historical_data',
      parameters: { symbol: 'BTCUSD', timeframe: '5m', start_date: '2025-01-30', end_date: '2025-01-30', format: 'parquet' },
      priority: 'normal',
    });
    await pipeline.stop();
    if (response.status !== 'completed') expect.fail(`request ${response.status}: ${JSON.stringify(response)}`);
    expect(response.output_path).toBe(join(root, 'data', 'BTCUSD_5m_20250130_20250130.parquet'));
    const held = store.range('BTCUSD', '5m', T0, T0 + 86_400_000);
    expect(held.length).toBeGreaterThan(20);
    expect(response.rows).toBe(held.length);
    const file = await asyncBufferFromFile(response.output_path ?? '');
    type Row = Omit<RevisedBar, 'timestamp' | 'flag' | 'count'> & { timestamp: Date; flag: string | null; count: bigint | null };
    const rows = (await parquetReadObjects({ file })) as Row[];
    const back = rows.map(({ timestamp, flag, count, ...rest }) => ({
      ...rest,
      timestamp: timestamp.getTime(),
      ...(flag === null ? {} : { flag }),
      ...(count === null ? {} : { count: Number(count) }),
    }));
    expect(back).toEqual(held);
  });

  it('answers a JSON data request with a file that parses back to the stored bars', async () => {
    const { pipeline, store } = await run();
    const response = await pipeline.request({
      request_id: 'DATA-002',
      requester: 'feature-engineer',
      request_type: 'historical_data',
      parameters: {
        symbol: 'ETHUSD',
        timeframe: '1m',
        start_date: '2025-01-30T00:00:00Z',
        end_date: '2025-01-30T01:30:00Z',
        format: 'json',
      },
      priority: 'normal',
    });
    await pipeline.stop();
    if (response.status !== 'completed') expect.fail(`request ${response.status}: ${JSON.stringify(response)}`);
    expect(response.output_path).toBe(join(root, 'data', 'ETHUSD_1m_20250130_20250130.json'));
    const held = store.range('ETHUSD', '1m', T0, T0 + 90 * MIN);
    expect(held).toHaveLength(90);
    expect(await readJson(response.output_path ?? '')).toEqual(held);
  });

  it('writes Parquet with a UTC millisecond timestamp, double prices, a nullable flag and an int32 revision', () => {
    const bars: RevisedBar[] = [
      { timestamp: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, revision: 0 },
      { timestamp: T0 + MIN, open: 1.5, high: 1.5, low: 1.5, close: 1.5, volume: 0, flag: 'forward_filled', revision: 3 },
    ];
    const { schema } = parquetMetadata(barsToParquet(bars));
    const byName = new Map(schema.map((e) => [e.name, e]));
    expect(byName.get('timestamp')).toMatchObject({
      type: 'INT64',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    });
    for (const name of ['open', 'high', 'low', 'close', 'volume'])
      expect(byName.get(name)).toMatchObject({ type: 'DOUBLE', repetition_type: 'REQUIRED' });
    expect(byName.get('flag')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    expect(byName.get('revision')).toMatchObject({ type: 'INT32' });
    // No bar has quote volume or trades: those columns are left out.
    expect([...byName.keys()]).not.toContain('quote_volume');
  });

  it('writes the optional fields as nullable columns when some bar has them', async () => {
    const bars: RevisedBar[] = [
      { timestamp: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, quoteVolume: 15, trades: 7, revision: 0 },
      { timestamp: T0 + MIN, open: 1.5, high: 1.5, low: 1.5, close: 1.5, volume: 0, revision: 1 },
    ];
    const rows = (await parquetReadObjects({ file: barsToParquet(bars) })) as { quote_volume: number | null; trades: bigint | null }[];
    expect(rows.map((r) => [r.quote_volume, r.trades])).toEqual([
      [15, 7n],
      [null, null],
    ]);
  });

  it('never lets a reader see a partial file while it rewrites one', async () => {
    const sink = new FsStateSink({ root, fsync: false });
    const path = join(root, 'state', 'data', 'latest_ohlcv.json');
    // Two documents of very different sizes (a few bytes and about a megabyte): a torn or
    // truncated write would show up as invalid JSON or a mixed body.
    const small = { symbol: 'A', updated_at: '2025-01-30T00:00:00Z', timeframes: {}, derived: {} };
    const large = { ...small, symbol: 'B', padding: 'x'.repeat(1_000_000) };
    const document = (body: object) =>
      ({ kind: 'document', name: 'latest_ohlcv', symbol: 'X', body }) as unknown as Parameters<FsStateSink['write']>[0];
    const signal = new AbortController().signal;
    await sink.write(document(small), { signal });
    let writing = true;
    const seen = new Set<string>();
    const torn: string[] = [];
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(path, 'utf8');
        reads++;
        try {
          const body = JSON.parse(text) as { symbol: string; padding?: string };
          if (body.symbol === 'B' && body.padding?.length !== 1_000_000) torn.push(`B with ${body.padding?.length} bytes of padding`);
          seen.add(body.symbol);
        } catch (error) {
          torn.push(`${String(error)} after ${text.length} bytes`);
        }
      }
    })();
    for (let i = 0; i < 20; i++) await sink.write(document(i % 2 === 0 ? large : small), { signal });
    writing = false;
    await reader;
    expect(torn).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(0);
    // Only renames: no temporary file is left behind.
    expect(await files(root)).toEqual(['state/data/latest_ohlcv.json', 'state/data/latest_ohlcv/X.json']);
  });

  it('leaves the old file and no temporary file when the write is aborted', async () => {
    const path = join(root, 'state', 'data', 'data_status.json');
    await writeFileAtomic(path, '{"old":true}');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(writeFileAtomic(path, '{"new":true}', { signal: controller.signal })).rejects.toThrow('stop');
    expect(await readFile(path, 'utf8')).toBe('{"old":true}');
    expect(await files(root)).toEqual(['state/data/data_status.json']);
  });

  it('takes no bars unless asked, and then appends them as JSON lines whose upserted view is the store', async () => {
    const plain = new FsStateSink({ root });
    expect(plain.accepts({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [] })).toBe(false);
    expect(
      plain.accepts({
        kind: 'forming',
        symbol: 'BTCUSD',
        timeframe: '1m',
        bar: { timestamp: T0, open: 1, high: 1, low: 1, close: 1, volume: 0 },
      }),
    ).toBe(false);
    const { pipeline, store } = await run({ bars: true, fsync: false });
    await pipeline.stop();
    for (const tf of TIMEFRAMES) {
      const lines = (await readFile(join(root, 'data', 'bars', `BTCUSD_${tf}.jsonl`), 'utf8')).trimEnd().split('\n');
      const view = new Map<number, RevisedBar>();
      for (const line of lines) {
        const bar = JSON.parse(line) as RevisedBar;
        const seen = view.get(bar.timestamp);
        if (seen === undefined || bar.revision >= seen.revision) view.set(bar.timestamp, bar);
      }
      const upserted = [...view.values()].sort((a, b) => a.timestamp - b.timestamp);
      expect(upserted).toEqual(store.range('BTCUSD', tf, 0, Number.POSITIVE_INFINITY));
    }
  });

  it('refuses, without retry, a dataset path that leaves the root', async () => {
    const sink = new FsStateSink({ root });
    const write = sink.write(
      { kind: 'dataset', requestId: 'X', symbol: 'BTCUSD', timeframe: '1m', format: 'json', path: '../outside.json', bars: [] },
      { signal: new AbortController().signal },
    );
    await expect(write).rejects.toSatisfy((error: unknown) => isSinkError(error) && !error.retryable);
    await writeFile(join(root, 'marker'), '');
    expect(await files(root)).toEqual(['marker']);
  });

  it('runs as an example with one command (main.ts)', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, root]);
    expect(stdout).toContain(`data response: 24 rows -> ${join(root, 'data', 'BTCUSD_5m_20250130_20250130.parquet')}`);
    DataStatusSchema.parse(await readJson(join(root, 'state', 'data', 'data_status.json')));
  });
});
