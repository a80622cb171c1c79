import { copyFile, mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Float64, Table, TimestampNanosecond, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { isSourceError, Pipeline, type Ohlcv, type Source, type SourceError, type Tick, type TradesRequest } from 'market-data-pipeline';
import { generateOhlcv, ManualClock, MemorySink } from 'market-data-pipeline/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveSource } from './archive-source.js';
import { archiveThenLive } from './archive-then-live.js';
import { writeBinanceDump } from './write-binance-dump.js';
import { writeBinanceTrades } from './write-binance-trades.js';

const MIN = 60_000;
const DAY = 86_400_000;
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/real/freqtrade/', import.meta.url));
const fixturesPresent = await stat(FIXTURES).then(
  () => true,
  () => false,
);
if (!fixturesPresent) console.warn(`archive-source: ${FIXTURES} is absent; the freqtrade fixture tests are skipped`);

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'archive-source-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `count` 1m bars from `start`, with 8-decimal values: what a Binance CSV holds and reads back exactly. */
function minuteBars(start: number, count: number, seed = 7): Ohlcv[] {
  const r = (x: number): number => Number(x.toFixed(8));
  return generateOhlcv({ seed, start, count, startPrice: 42_000, volatility: 0.0008, baseVolume: 3 }).bars.map((b) => ({
    timestamp: b.timestamp,
    open: r(b.open),
    high: r(b.high),
    low: r(b.low),
    close: r(b.close),
    volume: r(b.volume),
  }));
}

/** The six OHLCV fields of what a source served. */
function core(rows: readonly unknown[]): Ohlcv[] {
  return (rows as Ohlcv[]).map(({ timestamp, open, high, low, close, volume }) => ({ timestamp, open, high, low, close, volume }));
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSourceError(error)) throw new Error(`Expected a SourceError, got ${String(error)}`);
  return error;
}

/** One daily Binance dump per day from `day0`, 1440 bars each. */
async function dailyDumps(folder: string, day0: number, days: number, unit: 'ms' | 'us', zip = true): Promise<Ohlcv[]> {
  const bars = minuteBars(day0, days * 1440);
  for (let d = 0; d < days; d++) {
    const name = `BTCUSDT-1m-${new Date(day0 + d * DAY).toISOString().slice(0, 10)}`;
    await writeBinanceDump(folder, name, bars.slice(d * 1440, (d + 1) * 1440), MIN, { unit, zip });
  }
  return bars;
}

describe('ArchiveSource over Binance dumps', () => {
  it('serves zipped CSV with ms open times across file boundaries, page by page', async () => {
    const day0 = Date.UTC(2024, 2, 10);
    const bars = await dailyDumps(root, day0, 3, 'ms');
    const source = new ArchiveSource({ folder: root });
    // A page that starts 10 bars before midnight runs into the next day's file.
    const since = day0 + 1430 * MIN;
    const page = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since, limit: 20 });
    expect(core(page)).toEqual(bars.slice(1430, 1450));
    // A `since` between two bars starts at the next one; the last page is short.
    const tail = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: day0 + (3 * 1440 - 5) * MIN - 1, limit: 1000 });
    expect(core(tail)).toEqual(bars.slice(-5));
    // Without `since`: the newest bars.
    expect(core(await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', limit: 1500 }))).toEqual(bars.slice(-1000)); // maxLimit: 1000
    // The columns a Binance kline carries beyond OHLCV come along (`fromBinanceKlines`).
    expect(page[0]).toMatchObject({ quoteVolume: expect.any(Number) as number, trades: 1, takerBuyVolume: bars[1430]!.volume / 2 });
    const plain = await new ArchiveSource({ folder: root, extraColumns: false }).fetchOhlcv({
      symbol: 'BTCUSD',
      timeframe: '1m',
      since,
      limit: 2,
    });
    expect(plain).toEqual(bars.slice(1430, 1432));
    expect(await source.fetchOhlcv({ symbol: 'ETHUSD', timeframe: '1m', since, limit: 5 })).toEqual([]);
    expect(await source.lastOpen('BTCUSD', '1m')).toBe(day0 + (3 * 1440 - 1) * MIN);
  });

  it('reads µs open times (spot files from 2025 on) and unzipped CSV with a header line', async () => {
    const day0 = Date.UTC(2025, 0, 1);
    const bars = minuteBars(day0, 2 * 1440);
    await writeBinanceDump(root, 'BTCUSDT-1m-2025-01-01', bars.slice(0, 1440), MIN, { unit: 'us', zip: true });
    await writeBinanceDump(root, 'BTCUSDT-1m-2025-01-02', bars.slice(1440), MIN, { unit: 'us', zip: false, header: true });
    const source = new ArchiveSource({ folder: root });
    const page = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: day0 + 1000 * MIN, limit: 1000 });
    // Binance's µs 1735689600000000 is 2025-01-01T00:00:00Z = 1735689600000 ms.
    expect(core(page)).toEqual(bars.slice(1000, 2000));
    expect(page[440]?.timestamp).toBe(Date.UTC(2025, 0, 2));
  });

  it('takes a monthly file over the daily ones inside it, and a CSV over the zip of the same period', async () => {
    const month0 = Date.UTC(2024, 1, 1);
    const bars = minuteBars(month0, 29 * 1440);
    await writeBinanceDump(root, 'BTCUSDT-1m-2024-02', bars, MIN, { unit: 'ms', zip: true });
    // A daily file of the same month with other values: left out.
    await writeBinanceDump(root, 'BTCUSDT-1m-2024-02-03', minuteBars(month0 + 2 * DAY, 1440, 99), MIN, { unit: 'ms', zip: true });
    // March 1st as a zip and as the CSV unzipped from it (here with other values, to tell them apart).
    const march = minuteBars(Date.UTC(2024, 2, 1), 1440);
    await writeBinanceDump(root, 'BTCUSDT-1m-2024-03-01', minuteBars(Date.UTC(2024, 2, 1), 1440, 99), MIN, { unit: 'ms', zip: true });
    await writeBinanceDump(root, 'BTCUSDT-1m-2024-03-01', march, MIN, { unit: 'ms', zip: false });
    const source = new ArchiveSource({ folder: root });
    const page = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: month0 + 2 * DAY, limit: 10 });
    expect(core(page)).toEqual(bars.slice(2 * 1440, 2 * 1440 + 10));
    const seam = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: Date.UTC(2024, 2, 1) - 2 * MIN, limit: 4 });
    expect(core(seam)).toEqual([...bars.slice(-2), ...march.slice(0, 2)]);
  });

  it('backfills a month through the pipeline from the archive', async () => {
    const month0 = Date.UTC(2024, 1, 1);
    const month1 = Date.UTC(2024, 2, 1);
    const bars = minuteBars(month0, (month1 - month0) / MIN);
    await writeBinanceDump(root, 'BTCUSDT-1m-2024-02', bars, MIN, { unit: 'ms', zip: true });
    const clock = new ManualClock(month1 + 1500); // every February bar has closed
    const sink = new MemorySink({ keepLog: false });
    const pipeline = new Pipeline({
      primary: new ArchiveSource({ folder: root }),
      sinks: [sink],
      clock,
      start: month0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m', '1H'] },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    // 29 days × 1440 = 41,760 bars (2024 is a leap year), each once, as written.
    expect(core(sink.bars('BTCUSD', '1m'))).toEqual(bars);
    expect(sink.bars('BTCUSD', '1H')).toHaveLength(29 * 24);
  });

  it('opens only the files covering the range: a corrupt file outside it is never read', async () => {
    const day0 = Date.UTC(2024, 2, 10);
    const bars = await dailyDumps(root, day0, 3, 'ms');
    await writeFile(join(root, 'BTCUSDT-1m-2024-03-10.zip'), 'not a zip');
    const source = new ArchiveSource({ folder: root });
    const page = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: day0 + DAY, limit: 3 });
    expect(core(page)).toEqual(bars.slice(1440, 1443));
    const error = await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: day0, limit: 3 }));
    expect(error.kind).toBe('bad_data');
    expect(error.message).toContain('BTCUSDT-1m-2024-03-10.zip');
  });
});

describe('ArchiveSource on corrupt files', () => {
  const day0 = Date.UTC(2024, 2, 10);
  const ask = (source: ArchiveSource): Promise<SourceError> =>
    failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: day0, limit: 10 }));

  it('reports a truncated zip by name, and serves none of it', async () => {
    const path = await writeBinanceDump(root, 'BTCUSDT-1m-2024-03-10', minuteBars(day0, 1440), MIN, { unit: 'ms', zip: true });
    await truncate(path, (await stat(path)).size - 100); // the central directory is gone
    const error = await ask(new ArchiveSource({ folder: root }));
    expect(error).toMatchObject({ kind: 'bad_data', code: 'ERR_SOURCE' });
    expect(error.message).toMatch(/BTCUSDT-1m-2024-03-10\.zip: not a readable zip/);
  });

  it('reports damaged compressed data with the line reached', async () => {
    const path = await writeBinanceDump(root, 'BTCUSDT-1m-2024-03-10', minuteBars(day0, 1440), MIN, { unit: 'ms', zip: true });
    const bytes = await readFile(path);
    // Bytes in the middle of the deflate stream, zeroed: inflate fails or the CRC-32 no longer matches.
    bytes.fill(0, 2000, 2400);
    await writeFile(path, bytes);
    const error = await ask(new ArchiveSource({ folder: root }));
    expect(error.kind).toBe('bad_data');
    expect(error.message).toMatch(/BTCUSDT-1m-2024-03-10\.zip: line \d+: /);
  });

  it('reports a CSV cut in the middle of its last line with that line, not served as a shorter day', async () => {
    const path = await writeBinanceDump(root, 'BTCUSDT-1m-2024-03-10', minuteBars(day0, 1440), MIN, { unit: 'ms', zip: false });
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 30)); // line 1440 keeps 30 characters
    const error = await ask(new ArchiveSource({ folder: root }));
    expect(error.kind).toBe('bad_data');
    expect(error.message).toContain('BTCUSDT-1m-2024-03-10.csv: line 1440:');
  });

  it('reports a bad value and a bar outside the file’s day with their lines', async () => {
    const bars = minuteBars(day0, 1440);
    const path = await writeBinanceDump(root, 'BTCUSDT-1m-2024-03-10', bars, MIN, { unit: 'ms', zip: false });
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[99] = lines[99]!.replace(/^(\d+),[^,]+,/, '$1,abc,');
    await writeFile(path, lines.join('\n'));
    expect((await ask(new ArchiveSource({ folder: root }))).message).toMatch(/BTCUSDT-1m-2024-03-10\.csv: line 100: .*open/);
    // The same day's rows under the next day's name.
    await rm(path);
    await writeBinanceDump(root, 'BTCUSDT-1m-2024-03-09', bars, MIN, { unit: 'ms', zip: true });
    const error = await failure(
      new ArchiveSource({ folder: root }).fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: day0 - DAY, limit: 10 }),
    );
    expect(error.message).toContain('BTCUSDT-1m-2024-03-09.zip: line 1: open time 2024-03-10T00:00:00.000Z is outside the period');
  });
});

describe('ArchiveSource over freqtrade data folders', () => {
  const t0 = Date.UTC(2024, 4, 1);
  const bars = minuteBars(t0, 3000);
  const rows = (from: number, to: number): number[][] =>
    bars.slice(from, to).map((b) => [b.timestamp, b.open, b.high, b.low, b.close, b.volume]);

  it('reads <PAIR>-<tf>.json', async () => {
    await writeFile(join(root, 'BTC_USDT-1m.json'), JSON.stringify(rows(0, 3000)));
    const source = new ArchiveSource({ folder: root });
    expect(core(await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: t0 + 2500 * MIN, limit: 1000 }))).toEqual(
      bars.slice(2500),
    );
  });

  it('reads <PAIR>-<tf>.feather (pandas layout: a UTC ns `date` column) a record batch at a time', async () => {
    const batch = (from: number, to: number): Table =>
      new Table({
        date: vectorFromArray(
          bars.slice(from, to).map((b) => b.timestamp),
          new TimestampNanosecond('UTC'),
        ),
        ...Object.fromEntries(
          (['open', 'high', 'low', 'close', 'volume'] as const).map((field) => [
            field,
            vectorFromArray(
              bars.slice(from, to).map((b) => b[field]),
              new Float64(),
            ),
          ]),
        ),
      });
    const table = new Table([...batch(0, 1000).batches, ...batch(1000, 2000).batches, ...batch(2000, 3000).batches]);
    await writeFile(join(root, 'BTC_USDT-1m.feather'), tableToIPC(table, 'file'));
    const source = new ArchiveSource({ folder: root });
    const page = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: t0 + 1900 * MIN, limit: 200 });
    expect(core(page)).toEqual(bars.slice(1900, 2100));
  });

  it('reads <PAIR>-<tf>.parquet (TIMESTAMP(MILLIS, UTC) `date`) a row group at a time', async () => {
    const columnData = [
      { name: 'date', data: BigInt64Array.from(bars.map((b) => BigInt(b.timestamp))) },
      ...(['open', 'high', 'low', 'close', 'volume'] as const).map((name) => ({ name, data: Float64Array.from(bars.map((b) => b[name])) })),
    ];
    const schema = [
      { name: 'root', num_children: 6 },
      {
        name: 'date',
        type: 'INT64' as const,
        converted_type: 'TIMESTAMP_MILLIS' as const,
        logical_type: { type: 'TIMESTAMP' as const, isAdjustedToUTC: true, unit: 'MILLIS' as const },
        repetition_type: 'REQUIRED' as const,
      },
      ...(['open', 'high', 'low', 'close', 'volume'] as const).map((name) => ({
        name,
        type: 'DOUBLE' as const,
        repetition_type: 'REQUIRED' as const,
      })),
    ];
    await writeFile(join(root, 'BTC_USDT-1m.parquet'), new Uint8Array(parquetWriteBuffer({ columnData, schema, rowGroupSize: 1000 })));
    const source = new ArchiveSource({ folder: root });
    const page = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: t0 + 990 * MIN, limit: 1000 });
    expect(core(page)).toEqual(bars.slice(990, 1990));
  });

  it('reports a cut JSON file with its line', async () => {
    const text = rows(0, 100)
      .map((r) => JSON.stringify(r))
      .join(',\n');
    await writeFile(join(root, 'BTC_USDT-1m.json'), `[${text.slice(0, text.length - 20)}`);
    const error = await failure(new ArchiveSource({ folder: root }).fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: t0, limit: 5 }));
    expect(error.kind).toBe('bad_data');
    expect(error.message).toContain('BTC_USDT-1m.json: line 100: not JSON');
  });

  describe.skipIf(!fixturesPresent)('freqtrade test data (../shared/fixtures/real/freqtrade)', () => {
    const identity = (s: string): string => s;
    async function folderWith(name: string): Promise<string> {
      const folder = join(root, name.replace(/\W/g, '_'));
      await mkdir(folder);
      await copyFile(join(FIXTURES, name), join(folder, name));
      return folder;
    }
    async function all(source: Source, symbol: string, timeframe: '1m' | '5m'): Promise<Ohlcv[]> {
      const out: Ohlcv[] = [];
      for (let since = 0; ;) {
        const page = core((await source.fetchOhlcv({ symbol, timeframe, since, limit: 1000 })) as unknown[]);
        out.push(...page);
        if (page.length < 1000) return out;
        since = page[page.length - 1]!.timestamp + 1;
      }
    }

    it('serves UNITTEST_BTC-1m from its JSON and its LZ4 feather alike (README: 13,681 rows, 2017-11-04 23:02 → 11-14 22:59)', async () => {
      const json = await all(
        new ArchiveSource({ folder: await folderWith('UNITTEST_BTC-1m.json'), symbolMap: identity }),
        'UNITTEST_BTC',
        '1m',
      );
      const feather = await all(
        new ArchiveSource({ folder: await folderWith('UNITTEST_BTC-1m.feather'), symbolMap: identity }),
        'UNITTEST_BTC',
        '1m',
      );
      expect(json).toHaveLength(13_681);
      expect(json[0]!.timestamp).toBe(Date.UTC(2017, 10, 4, 23, 2));
      expect(json[json.length - 1]!.timestamp).toBe(Date.UTC(2017, 10, 14, 22, 59));
      expect(feather.map((b) => b.timestamp)).toEqual(json.map((b) => b.timestamp));
      // README: freqtrade's JSON→feather conversion is off by up to 1 ulp (relative 2.2e-16).
      feather.forEach((bar, i) => {
        for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) {
          expect(Math.abs(bar[field] - json[i]![field])).toBeLessThanOrEqual(Math.abs(json[i]![field]) * 4.5e-16);
        }
      });
    });

    it('serves XRP_ETH-5m.feather with the 706 rows it holds (README: 6 zero-volume bars lost against the JSON’s 712)', async () => {
      const feather = await all(
        new ArchiveSource({ folder: await folderWith('XRP_ETH-5m.feather'), symbolMap: identity }),
        'XRP_ETH',
        '5m',
      );
      const json = await all(new ArchiveSource({ folder: await folderWith('XRP_ETH-5m.json'), symbolMap: identity }), 'XRP_ETH', '5m');
      expect(feather).toHaveLength(706);
      expect(json).toHaveLength(712);
    });
  });
});

describe('archiveThenLive', () => {
  /** A live exchange holding `bars` (distinct values from the archive's), answering `since`/`limit` as Binance does. */
  function exchange(bars: readonly Ohlcv[], clock: ManualClock): Source & { asked: number[] } {
    const asked: number[] = [];
    return {
      name: 'exchange_api',
      maxLimit: 1000,
      asked,
      fetchOhlcv({ since = 0, limit = 1000 }) {
        asked.push(since);
        const closedEnd = Math.floor(clock.now() / MIN) * MIN;
        return Promise.resolve(bars.filter((b) => b.timestamp >= since && b.timestamp < closedEnd + MIN).slice(0, limit));
      },
    };
  }

  it('backfills from the archive up to its last file, then from the exchange: no gap, no duplicate at the hand-over', async () => {
    const day0 = Date.UTC(2024, 2, 10);
    const archived = await dailyDumps(root, day0, 2, 'ms');
    const seam = day0 + 2 * DAY;
    // The exchange has the whole span too, with other values: which bars came from where shows.
    const liveBars = minuteBars(day0, 2 * 1440 + 600, 99);
    const clock = new ManualClock(seam + 500 * MIN + 1500);
    const live = exchange(liveBars, clock);
    const sink = new MemorySink({ keepLog: false });
    const pipeline = new Pipeline({
      primary: archiveThenLive(new ArchiveSource({ folder: root }), live),
      sinks: [sink],
      clock,
      start: day0,
      // The two sources' values differ on purpose (to show which bar came from where): the jump at
      // the seam is an outlier the default preprocessing would clip.
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], preprocessing: { outliers: 'none' } },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    const got = core(sink.bars('BTCUSD', '1m'));
    // Every minute from day0 to the last closed one, once: 2 days from the files, then 500 live minutes.
    expect(got.map((b) => b.timestamp)).toEqual(Array.from({ length: 2 * 1440 + 500 }, (_, i) => day0 + i * MIN));
    expect(got.slice(0, 2 * 1440)).toEqual(archived);
    expect(got.slice(2 * 1440)).toEqual(liveBars.slice(2 * 1440, 2 * 1440 + 500));
    // Pages of 1000: the third takes the archive's last 880 bars and the next 120 from the exchange,
    // asked from exactly the seam.
    expect(live.asked[0]).toBe(seam);

    // Then live: the next minute comes from the exchange.
    await clock.advance(MIN);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(core(sink.bars('BTCUSD', '1m')).slice(-1)).toEqual([liveBars[2 * 1440 + 500]]);
  });

  it('completes a page that crosses the archive’s end from the exchange', async () => {
    const day0 = Date.UTC(2024, 2, 10);
    const archived = await dailyDumps(root, day0, 1, 'ms');
    const liveBars = minuteBars(day0, 1440 + 100, 99);
    const clock = new ManualClock(day0 + DAY + 100 * MIN);
    const live = exchange(liveBars, clock);
    const source = archiveThenLive(new ArchiveSource({ folder: root }), live);
    const page = core((await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: day0 + 1430 * MIN, limit: 20 })) as unknown[]);
    expect(page).toEqual([...archived.slice(1430), ...liveBars.slice(1440, 1450)]);
    expect(live.asked).toEqual([day0 + DAY]);
  });
});

/** `count` trades from `start`, ids consecutive from `firstId`, 8-decimal values, times spread over `spanMs`. */
function trades(start: number, count: number, firstId: number, spanMs = DAY): Tick[] {
  const r = (x: number): number => Number(x.toFixed(8));
  return Array.from({ length: count }, (_, i) => ({
    timestamp: start + Math.floor((i * spanMs) / count),
    price: r(42_000 + 50 * Math.sin(i / 17)),
    quantity: r(0.001 + (i % 13) / 1000),
    side: i % 3 === 0 ? ('sell' as const) : ('buy' as const),
    tradeId: firstId + i,
  }));
}

/** Pages through the archive's trades from `fromId` on as a pipeline re-fetching by id would: `fromId` = the last id + 1. */
async function pageById(source: Pick<ArchiveSource, 'fetchTrades'>, fromId: number, limit: number): Promise<Tick[]> {
  const all: Tick[] = [];
  for (let next = fromId, pages = 0; pages < 100; pages++) {
    const page = await source.fetchTrades({ symbol: 'BTCUSD', fromId: next, limit });
    if (page.length === 0) return all;
    all.push(...page);
    next = page[page.length - 1]!.tradeId + 1;
  }
  throw new Error('more than 100 pages');
}

describe('ArchiveSource over Binance trades dumps', () => {
  const day0 = Date.UTC(2024, 2, 10);

  it('serves zipped spot dumps (ms) page by page across file boundaries, every trade once, as written', async () => {
    const first = trades(day0, 3000, 1_000_000);
    const second = trades(day0 + DAY, 2500, 1_003_000);
    await writeBinanceTrades(root, 'BTCUSDT-trades-2024-03-10', first, { unit: 'ms', zip: true });
    await writeBinanceTrades(root, 'BTCUSDT-trades-2024-03-11', second, { unit: 'ms', zip: true });
    // A kline dump of the same days is another series: not served as trades.
    await dailyDumps(root, day0, 1, 'ms');
    const source = new ArchiveSource({ folder: root });
    expect(await pageById(source, 1_000_000, 700)).toEqual([...first, ...second]);
    // By time: the first trade at or after `since`, across the seam.
    const since = second[0]!.timestamp - 1;
    expect(await source.fetchTrades({ symbol: 'BTCUSD', since, limit: 3 })).toEqual(second.slice(0, 3));
    expect(await source.fetchTrades({ symbol: 'BTCUSD', since: first[2990]!.timestamp, limit: 20 })).toEqual([
      ...first.slice(2990),
      ...second.slice(0, 10),
    ]);
    // By id, from the middle of the second file; and the newest trades, spanning both files.
    expect(await source.fetchTrades({ symbol: 'BTCUSD', fromId: 1_004_000, limit: 5 })).toEqual(second.slice(1000, 1005));
    expect(await source.fetchTrades({ symbol: 'BTCUSD', limit: 2600 })).toEqual([...first.slice(-100), ...second].slice(-1000)); // maxLimit 1000
    expect(await new ArchiveSource({ folder: root, maxLimit: 5000 }).fetchTrades({ symbol: 'BTCUSD', limit: 2600 })).toEqual([
      ...first.slice(-100),
      ...second,
    ]);
    expect(await source.lastTrade('BTCUSD')).toEqual({ tradeId: 1_005_499, timestamp: second[2499]!.timestamp });
    // Going back to an earlier start reopens the file.
    expect(await source.fetchTrades({ symbol: 'BTCUSD', fromId: 1_000_001, limit: 2 })).toEqual(first.slice(1, 3));
    expect(await source.fetchTrades({ symbol: 'ETHUSD', since: day0, limit: 5 })).toEqual([]);
  });

  it('reads µs times (spot from 2025 on), unzipped CSV, and the USD-M futures layout with its header', async () => {
    const jan1 = Date.UTC(2025, 0, 1);
    const spot = trades(jan1, 1000, 7);
    await writeBinanceTrades(root, 'BTCUSDT-trades-2025-01-01', spot, { unit: 'us', zip: true });
    const futures = trades(jan1 + DAY, 1000, 1007);
    await writeBinanceTrades(root, 'BTCUSDT-trades-2025-01-02', futures, { unit: 'ms', zip: false, market: 'futures' });
    const source = new ArchiveSource({ folder: root });
    // Binance's µs 1735689600000000 is 2025-01-01T00:00:00Z = 1735689600000 ms.
    const page = await source.fetchTrades({ symbol: 'BTCUSD', since: jan1, limit: 1000 });
    expect(page[0]?.timestamp).toBe(jan1);
    expect(page).toEqual(spot);
    // isBuyerMaker true: the buyer made the price, so the taker sold.
    expect(page[0]?.side).toBe('sell');
    expect(await pageById(source, 1007, 300)).toEqual(futures);
  });

  it('reports a truncated zip, a bad value, ids that go back and a trade outside the file’s day, each with its file and line, serving none of it', async () => {
    const ask = async (): Promise<SourceError> =>
      failure(new ArchiveSource({ folder: root }).fetchTrades({ symbol: 'BTCUSD', since: day0, limit: 10 }));
    const ticks = trades(day0, 2000, 1);
    const zip = await writeBinanceTrades(root, 'BTCUSDT-trades-2024-03-10', ticks, { unit: 'ms', zip: true });
    await truncate(zip, (await stat(zip)).size - 100);
    expect((await ask()).message).toMatch(/BTCUSDT-trades-2024-03-10\.zip: not a readable zip/);
    await rm(zip);

    const csv = await writeBinanceTrades(root, 'BTCUSDT-trades-2024-03-10', ticks, { unit: 'ms', zip: false });
    const lines = (await readFile(csv, 'utf8')).split('\n');
    const edit = async (k: number, line: string): Promise<SourceError> => {
      const changed = [...lines];
      changed[k] = line;
      await writeFile(csv, changed.join('\n'));
      return ask();
    };
    // The damage is near the end: the first page (line 1 on) is not served from a file that is not whole.
    expect((await edit(1899, lines[1899]!.replace(/^(\d+),[^,]+,/, '$1,abc,'))).message).toMatch(
      /trades-2024-03-10\.csv: line 1900: .*price is NaN/,
    );
    expect((await edit(1949, lines[1949]!.replace(/^\d+,/, '0,'))).message).toMatch(
      /trades-2024-03-10\.csv: line 1950: trade id 0 is below/,
    );
    expect((await edit(1999, lines[1999]!.replace(/,(\d+),(True|False),True$/, `,${day0 + DAY},$2,True`))).message).toMatch(
      /trades-2024-03-10\.csv: line 2000: time 2024-03-11T00:00:00.000Z is outside the period/,
    );
    expect((await edit(1998, '1999,42000.1,0.5')).message).toMatch(/line 1999: expected 6 or 7 columns/);
  });
});

describe('archiveThenLive with trades', () => {
  it('serves trades from the dumps up to the last archived one, then from the exchange by id: no gap, no duplicate', async () => {
    const day0 = Date.UTC(2024, 2, 10);
    const archived = trades(day0, 1500, 500);
    await writeBinanceTrades(root, 'BTCUSDT-trades-2024-03-10', archived, { unit: 'ms', zip: true });
    // The exchange holds the archived ids too, with other values, and 800 more.
    const liveTrades = trades(day0, 2300, 500).map((t) => ({ ...t, quantity: t.quantity + 1 }));
    const asked: TradesRequest[] = [];
    const live: Source = {
      name: 'exchange_api',
      fetchOhlcv: () => Promise.resolve([]),
      fetchTrades(request: TradesRequest) {
        asked.push(request);
        const from = request.fromId ?? 0;
        return Promise.resolve(liveTrades.filter((t) => t.tradeId >= from).slice(0, request.limit ?? 1000));
      },
    };
    const source = archiveThenLive(new ArchiveSource({ folder: root }), live) as Source & Pick<ArchiveSource, 'fetchTrades'>;
    const got = await pageById(source, 500, 1000);
    expect(got.map((t) => t.tradeId)).toEqual(Array.from({ length: 2300 }, (_, i) => 500 + i));
    expect(got.slice(0, 1500)).toEqual(archived);
    expect(got.slice(1500)).toEqual(liveTrades.slice(1500));
    // The second page took the archive's last 500 and 500 from the exchange, asked from the id after the seam.
    expect(asked[0]).toMatchObject({ fromId: 2000, limit: 500 });
  });
});
