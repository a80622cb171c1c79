/**
 * `npm run bench:archive`: a year of 1m bars (2024, 527,040 bars) in 12 monthly Binance zip
 * files, backfilled into a `Pipeline` (default timeframes, one `MemorySink`) end to end:
 * `new Pipeline` + `runOnce` + `flush`, as `bench/suites/pipeline.ts` times the same backfill
 * from an in-memory source (printed beside it). Also prints the time to read the 12 files
 * alone, page by page through `ArchiveSource`. Target: under 3 s. Median of 3 runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline, type Ohlcv, type Source } from 'market-data-pipeline';
import { generateOhlcv, ManualClock, MemorySink } from 'market-data-pipeline/testing';
import { ArchiveSource } from './archive-source.js';
import { writeBinanceDump } from './write-binance-dump.js';

const MIN = 60_000;
const START = Date.UTC(2024, 0, 1);
const END = Date.UTC(2025, 0, 1);
const RUNS = 3;
const TARGET_MS = 3000;

/** The year's bars, with the 8 decimals a Binance CSV holds. */
function yearOfBars(): Ohlcv[] {
  const r8 = (x: number): number => Number(x.toFixed(8));
  return generateOhlcv({ seed: 7, start: START, count: (END - START) / MIN, timeframe: '1m' }).bars.map((b): Ohlcv => ({
    timestamp: b.timestamp,
    open: r8(b.open),
    high: r8(b.high),
    low: r8(b.low),
    close: r8(b.close),
    volume: r8(b.volume),
    quoteVolume: r8(b.volume * b.close),
    trades: 10,
    takerBuyVolume: r8(b.volume / 2),
  }));
}
const folder = await mkdtemp(join(tmpdir(), 'archive-bench-'));
const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** The bench suite's in-memory source: the same bars by index arithmetic. */
function memorySource(year: readonly Ohlcv[]): Source {
  return {
    name: 'memory',
    maxLimit: 1000,
    fetchOhlcv: ({ since = START, limit = 1000 }) => {
      const from = Math.max(0, Math.ceil((since - START) / MIN));
      return Promise.resolve(year.slice(from, Math.min(year.length, from + limit)));
    },
  };
}

async function backfill(primary: Source): Promise<number> {
  const sink = new MemorySink({ keepLog: false });
  const pipeline = new Pipeline({
    primary,
    sinks: [sink],
    clock: new ManualClock(END + 1000),
    start: START,
    config: { symbols: ['BTCUSD'], delivery: { bufferSize: 10_000 } },
  });
  await pipeline.runOnce();
  await pipeline.flush();
  return sink.bars('BTCUSD', '1m').length;
}

async function readAll(): Promise<number> {
  const source = new ArchiveSource({ folder });
  let n = 0;
  for (let since = START; ;) {
    const page = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since, limit: 1000 });
    n += page.length;
    if (page.length < 1000) return n;
    since = (page[page.length - 1] as Ohlcv).timestamp + MIN;
  }
}

async function time(label: string, run: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    collect();
    const started = performance.now();
    count = await run();
    times.push(performance.now() - started);
  }
  const median = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
  console.log(`${label}: ${median.toFixed(0)} ms (median of ${RUNS}; ${count} 1m bars)`);
  return median;
}

try {
  const year = yearOfBars();
  for (let m = 0; m < 12; m++) {
    const from = (Date.UTC(2024, m, 1) - START) / MIN;
    const to = (Date.UTC(2024, m + 1, 1) - START) / MIN;
    await writeBinanceDump(folder, `BTCUSDT-1m-2024-${String(m + 1).padStart(2, '0')}`, year.slice(from, to), MIN, {
      unit: 'ms',
      zip: true,
    });
  }
  year.length = 0; // the archive runs hold no copy of the year, as a real backfill would not
  await time('read 12 monthly zips through ArchiveSource, 1000-bar pages', readAll);
  const archive = await time('backfill from 12 monthly zips (ArchiveSource, extraColumns: false), end to end', () =>
    backfill(new ArchiveSource({ folder, extraColumns: false })),
  );
  await time('backfill from 12 monthly zips (ArchiveSource, with quoteVolume, trades, takerBuyVolume), end to end', () =>
    backfill(new ArchiveSource({ folder })),
  );
  const all = yearOfBars();
  const ohlcv = memorySource(all.map(({ timestamp, open, high, low, close, volume }) => ({ timestamp, open, high, low, close, volume })));
  await time('backfill from an in-memory source, OHLCV only (bench/suites/pipeline.ts)', () => backfill(ohlcv));
  const nine = memorySource(all);
  await time('backfill from an in-memory source, with quoteVolume, trades, takerBuyVolume', () => backfill(nine));
  console.log(`${archive < TARGET_MS ? 'PASS' : 'FAIL'}: target < ${TARGET_MS} ms`);
} finally {
  await rm(folder, { recursive: true, force: true });
}
