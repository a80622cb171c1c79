import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import {
  aggregateOhlcv,
  Pipeline,
  type Ohlcv,
  type PipelineCheckpoint,
  type RevisedBar,
  type Store,
  type Timeframe,
} from 'market-data-pipeline';
import { ManualClock, MemorySink, SimulatedSource } from 'market-data-pipeline/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteSink } from './sqlite-sink.js';
import { SqliteStore } from './sqlite-store.js';
import { describeStoreContract } from '../../test/contracts/store-contract.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);
const SYMBOLS = ['BTCUSD', 'ETHUSD'];
const TIMEFRAMES: Timeframe[] = ['1m', '5m', '15m', '1H'];
const END = T0 + 150 * MIN;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sqlite-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function bar(timestamp: number, price: number, revision: number, extra: Partial<RevisedBar> = {}): RevisedBar {
  return { timestamp, open: price, high: price + 1, low: price - 1, close: price, volume: 10, revision, ...extra };
}

describeStoreContract({
  name: 'SqliteStore',
  create: () => new SqliteStore(':memory:'),
  dispose: (store) => (store as SqliteStore).close(),
});

describe('SqliteStore', () => {
  it('runs in WAL mode and persists across reopening', () => {
    const file = join(dir, 'bars.db');
    const store = new SqliteStore(file);
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    store.upsert('BTCUSD', '1m', [bar(T0, 1, 0)]);
    store.close();
    const again = new SqliteStore(file);
    expect(again.last('BTCUSD', '1m')).toEqual(bar(T0, 1, 0));
    again.close();
  });
});

describe('examples/sqlite-store/main.ts', () => {
  it('adds an hour of bars per run and resumes after the newest stored bar', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const file = join(dir, 'main.db');
    const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', main, file]);
    expect((await run()).stdout).toContain('BTCUSD  1m: 60  5m: 12  15m: 4  1H: 1');
    expect((await run()).stdout).toContain('BTCUSD  1m: 120  5m: 24  15m: 8  1H: 2');
  });
});

describe('SqliteSink', () => {
  it('takes only closed bars and upserts them by revision', async () => {
    const store = new SqliteStore(':memory:');
    const sink = new SqliteSink(store);
    const signal = new AbortController().signal;
    expect(sink.accepts({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [] })).toBe(true);
    expect(sink.accepts({ kind: 'forming', symbol: 'BTCUSD', timeframe: '1m', bar: bar(T0, 1, 0) })).toBe(false);
    await sink.write({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [bar(T0, 1, 1), bar(T0 + MIN, 2, 0)] }, { signal });
    await sink.write({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [bar(T0, 9, 0)] }, { signal });
    expect(store.range('BTCUSD', '1m', 0, Infinity)).toEqual([bar(T0, 1, 1), bar(T0 + MIN, 2, 0)]);
    store.close();
  });

  it('holds what a MemorySink upserted after a pipeline run with a MemoryStore', async () => {
    const clock = new ManualClock(T0 + 90 * MIN + 1000);
    const primary = new SimulatedSource({ clock, symbols: ['BTCUSD'], generate: { start: T0, count: 120 } });
    const store = new SqliteStore(':memory:');
    const memory = new MemorySink({ clock });
    const pipeline = new Pipeline({
      primary,
      sinks: [new SqliteSink(store), memory],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: TIMEFRAMES },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    await pipeline.stop();
    for (const tf of TIMEFRAMES) {
      expect(store.range('BTCUSD', tf, 0, Infinity)).toEqual(memory.bars('BTCUSD', tf));
    }
    expect(store.size('BTCUSD', '1m')).toBe(90);
    store.close();
  });
});

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
 * A store that dies at its `killAt`-th call: the database handle is closed (nothing else is
 * flushed) and the call throws, like a process killed between two transactions — better-sqlite3
 * runs each call as one synchronous transaction, so every real kill leaves the database as one
 * of these prefixes. Later calls throw too ("The database connection is not open").
 */
/** One store call of the first process: the method, the series' timeframe and, for an upsert, what it wrote. */
interface StoreCall {
  readonly method: 'upsert' | 'range' | 'rangeColumns' | 'last' | 'prune';
  readonly timeframe: Timeframe;
  /** An upsert with an interpolated or forward-filled bar. */
  readonly synthetic?: boolean;
  /** An upsert with a bar of revision > 0 (a replacement). */
  readonly revised?: boolean;
}

class KillableStore implements Store {
  calls = 0;
  killed = false;
  readonly log: StoreCall[] = [];
  constructor(
    readonly inner: SqliteStore,
    readonly killAt: number,
    readonly controller: AbortController,
  ) {}

  #step(): void {
    if (++this.calls !== this.killAt) return;
    this.killed = true;
    this.controller.abort(new Error('killed'));
    this.inner.close();
    throw new Error('killed');
  }
  upsert(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): void {
    this.log.push({
      method: 'upsert',
      timeframe,
      synthetic: bars.some((b) => b.flag === 'interpolated' || b.flag === 'forward_filled'),
      revised: bars.some((b) => b.revision > 0),
    });
    this.#step();
    this.inner.upsert(symbol, timeframe, bars);
  }
  range(symbol: string, timeframe: Timeframe, start: number, end: number): RevisedBar[] {
    this.log.push({ method: 'range', timeframe });
    this.#step();
    return this.inner.range(symbol, timeframe, start, end);
  }
  rangeColumns(symbol: string, timeframe: Timeframe, start: number, end: number) {
    this.log.push({ method: 'rangeColumns', timeframe });
    this.#step();
    return this.inner.rangeColumns(symbol, timeframe, start, end);
  }
  last(symbol: string, timeframe: Timeframe): RevisedBar | undefined {
    this.log.push({ method: 'last', timeframe });
    this.#step();
    return this.inner.last(symbol, timeframe);
  }
  prune(symbol: string, timeframe: Timeframe, before: number): number {
    this.log.push({ method: 'prune', timeframe });
    this.#step();
    return this.inner.prune(symbol, timeframe, before);
  }
}

type Resume = 'checkpoint' | 'none';

interface Outcome {
  readonly file: string;
  readonly market: SimulatedSource;
  /** Store calls made by the first process (all of them when it was not killed). */
  readonly calls: number;
  /** Those calls, in order. */
  readonly log: readonly StoreCall[];
  readonly killed: boolean;
}

/**
 * Two and a half hours of a two-symbol market whose primary sends bad rows for 20 minutes (the
 * pipeline removes them and fills the holes, then replaces the fills with real bars on later
 * fetches: revisions) and goes down for 15 minutes (failover to a backup, backfill on recovery).
 * The first process is killed at its `killAt`-th store call; a second process opens the same
 * file and runs to the end, resuming from the last checkpoint saved before the kill, or from
 * nothing but the database.
 */
async function simulate(killAt: number, resume: Resume): Promise<Outcome> {
  const file = join(dir, `bars-${killAt}-${resume}.db`);
  const clock = new ManualClock(T0 + 30 * MIN + 1000);
  const generate = { start: T0, count: 160 };
  const market = new SimulatedSource({
    clock,
    name: 'exchange_api',
    symbols: SYMBOLS,
    generate,
    faults: [
      { kind: 'bad_rows', rate: 0.2, from: T0 + 40 * MIN, to: T0 + 60 * MIN, seed: 7 },
      { kind: 'outage', from: T0 + 80 * MIN, durationMs: 15 * MIN },
    ],
  });
  const backup = new SimulatedSource({ clock, name: 'data_provider', symbols: SYMBOLS, generate });
  const options = { primary: market, backup, clock, start: T0, random: () => 0.5, config: { symbols: SYMBOLS, timeframes: TIMEFRAMES } };

  // The first process, killed at its killAt-th store call.
  const controller = new AbortController();
  const first = new KillableStore(new SqliteStore(file), killAt, controller);
  let pipeline = new Pipeline({ ...options, store: first });
  let saved: PipelineCheckpoint | undefined;
  while (clock.now() < END && !first.killed) {
    try {
      await drive(clock, pipeline.runOnce(controller.signal));
      // A checkpoint after every completed cycle, as JSON (as if written to a file).
      saved = JSON.parse(JSON.stringify(pipeline.checkpoint())) as PipelineCheckpoint;
    } catch (error) {
      if (!first.killed) throw error;
      break;
    }
    await clock.advance(MIN - (clock.now() % MIN) + 1000);
  }
  if (!first.killed) first.inner.close();

  // The second process: same file, a new Pipeline.
  const store = new SqliteStore(file);
  pipeline = new Pipeline({ ...options, store, ...(resume === 'checkpoint' && saved !== undefined ? { checkpoint: saved } : {}) });
  while (clock.now() < END) {
    await drive(clock, pipeline.runOnce());
    await clock.advance(MIN - (clock.now() % MIN) + 1000);
  }
  await drive(clock, pipeline.runOnce());
  await pipeline.stop();
  store.close();
  return { file, market, calls: first.calls, log: first.log, killed: first.killed };
}

const key = (b: Ohlcv): string => `${b.timestamp}:${b.open}:${b.high}:${b.low}:${b.close}:${b.volume.toFixed(9)}:${b.flag ?? ''}`;

/** What the database should hold: every closed bar of the market, real, and its exact aggregates. */
function problems(outcome: Outcome): string[] {
  const db = new Database(outcome.file, { readonly: true });
  const out: string[] = [];
  try {
    const end = Date.UTC(2025, 0, 30, 0, 150);
    for (const symbol of SYMBOLS) {
      const truth = outcome.market.closedBars(symbol, end + 1000);
      for (const tf of TIMEFRAMES) {
        const want = tf === '1m' ? truth : aggregateOhlcv(truth, tf, { source: '1m' }).bars;
        const rows = db
          .prepare<[string, string], Ohlcv>(
            'SELECT timestamp, open, high, low, close, volume, flag FROM bars WHERE symbol = ? AND timeframe = ? ORDER BY timestamp',
          )
          .all(symbol, tf)
          .map((r) => ({ ...r, flag: r.flag ?? undefined }));
        const have = rows.map(key);
        const expected = want.map(key);
        if (have.join() !== expected.join()) {
          const missing = expected.filter((k) => !have.includes(k)).length;
          const extra = have.filter((k) => !expected.includes(k));
          out.push(
            `${symbol} ${tf}: ${have.length} rows vs ${expected.length} (${missing} missing or different; extra: ${extra.slice(0, 2).join(' | ')})`,
          );
        }
      }
    }
  } finally {
    db.close();
  }
  return out;
}

/**
 * Kill points, as 1-based store-call numbers of the first process (the scenario is
 * deterministic, so its unkilled run tells where each kind of call falls). A kill at call
 * `i + 1` leaves call `i` done and nothing after it. Besides evenly spread points, the windows
 * a sweep once found to lose data before the pipeline checked the store at warm-up: right
 * after storing a filled (synthetic) base bar, before the next checkpoint; right after storing
 * base bars, before the aggregates they complete (first and last such); right after storing
 * real bars that replace fills, before the aggregates recomputed from them.
 * `SQLITE_KILL_STEP=n` sweeps every n-th store call instead, `SQLITE_KILL_POINTS=27,404` runs
 * the given ones.
 */
function killPoints(log: readonly StoreCall[]): number[] {
  const listed = process.env['SQLITE_KILL_POINTS']?.split(',').map(Number);
  if (listed !== undefined) return listed;
  const n = log.length;
  const step = Number(process.env['SQLITE_KILL_STEP'] ?? 0);
  if (step > 0) return Array.from({ length: Math.ceil(n / step) }, (_, i) => 1 + i * step);
  const base = (c: StoreCall | undefined): boolean => c?.method === 'upsert' && c.timeframe === '1m';
  const after = (i: number): number => i + 2; // call i (0-based) done, call i + 1 (0-based) dies
  // Base upserts whose next upsert is of a higher timeframe (the aggregates they complete).
  const baseBeforeAggregate: number[] = [];
  let nextUpsert: Timeframe | undefined;
  for (let i = n - 1; i >= 0; i--) {
    const c = log[i] as StoreCall;
    if (c.method !== 'upsert') continue;
    if (base(c) && nextUpsert !== undefined && nextUpsert !== '1m') baseBeforeAggregate.unshift(i);
    nextUpsert = c.timeframe;
  }
  const picks = [
    log.findIndex((c) => base(c) && c.synthetic === true),
    log.findLastIndex((c) => base(c) && c.synthetic === true),
    baseBeforeAggregate[0] ?? -1,
    baseBeforeAggregate.at(-1) ?? -1,
    log.findIndex((c) => base(c) && c.revised === true),
    log.findLastIndex((c) => base(c) && c.revised === true),
  ]
    .filter((i) => i >= 0)
    .map(after);
  const spread = Array.from({ length: 6 }, (_, k) => 1 + Math.floor((k * n) / 6));
  return [...new Set([...spread, ...picks])].sort((a, b) => a - b);
}

describe('SqliteStore under a kill', () => {
  it('makes the unkilled scenario hold exactly the market, with revisions', async () => {
    const outcome = await simulate(Number.POSITIVE_INFINITY, 'none');
    expect(outcome.killed).toBe(false);
    expect(problems(outcome)).toEqual([]);
    // The scenario the kill points are taken from has fills and replacements.
    expect(outcome.log).toContainEqual(expect.objectContaining({ method: 'upsert', synthetic: true }));
    expect(outcome.log).toContainEqual(expect.objectContaining({ method: 'upsert', revised: true }));
    const db = new Database(outcome.file, { readonly: true });
    // Filled bars were replaced by real ones (revision > 0), and none is left synthetic.
    expect(db.prepare('SELECT count(*) FROM bars WHERE revision > 0').pluck().get()).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) FROM bars WHERE flag IS NOT NULL').pluck().get()).toBe(0);
    db.close();
  });

  for (const resume of ['checkpoint', 'none'] as const) {
    it(`loses nothing when killed and reopened ${resume === 'checkpoint' ? 'from the last checkpoint' : 'with no checkpoint'}`, async () => {
      const points = killPoints((await simulate(Number.POSITIVE_INFINITY, 'none')).log);
      expect(points.length).toBeGreaterThanOrEqual(10);
      const failures: string[] = [];
      for (const killAt of points) {
        const outcome = await simulate(killAt, resume);
        if (!outcome.killed) failures.push(`kill at ${killAt}: never reached`);
        failures.push(...problems(outcome).map((p) => `kill at ${killAt}: ${p}`));
      }
      expect(failures).toEqual([]);
    }, 600_000);
  }
});
