import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMA } from 'technicalindicators';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bucketStart,
  fromCcxtOhlcv,
  joinHigherTimeframe,
  toCcxtOhlcv,
  toColumns,
  validateOhlcv,
  type JoinedBar,
  type Ohlcv,
} from 'market-data-pipeline';
import { loadCleanBars, type CleanBars } from './load-clean-bars.js';
import { main } from './main.js';
import { runBacktest } from './run-backtest.js';
import { toDateBars } from './to-date-bars.js';

const M5 = 300_000;
const H1 = 3_600_000;
const ohlcv = (bar: Ohlcv): Ohlcv => ({
  timestamp: bar.timestamp,
  open: bar.open,
  high: bar.high,
  low: bar.low,
  close: bar.close,
  volume: bar.volume,
});

describe('backtest example', () => {
  let clean: CleanBars;
  let joined: JoinedBar[];

  beforeAll(async () => {
    clean = await loadCleanBars();
    joined = joinHigherTimeframe(clean.bars5m, '5m', clean.bars1h, '1H');
  });

  it('gets complete, valid bars from the pipeline, with every bad row of the market refused and every hole filled', () => {
    const truth = clean.source.truth('BTCUSD');
    expect(truth).toBeDefined();
    // A week has 7 × 288 5m bars and 7 × 24 1H bars.
    expect(clean.bars5m).toHaveLength(7 * 288);
    expect(clean.bars1h).toHaveLength(7 * 24);
    // Each generated anomaly breaks an OHLCV rule and is refused; its minute and the market's
    // own missing minutes (all short) are filled.
    expect(clean.rejected).toBe(truth!.anomalies.length);
    expect(clean.filled).toBe(truth!.gaps.reduce((n, g) => n + g.missing, 0) + truth!.anomalies.length);
  });

  // This found a bug (BTCUSD 2025-01-04 02:35 closed below its low: the close came from an
  // interpolated last bar, high and low only from traded bars); synthetic bars no longer set
  // the close of a bucket that has a real bar.
  it('gets 5m bars that all keep the OHLC rules', () => {
    expect(validateOhlcv(clean.bars5m, { timeframe: '5m' }).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('runs deterministically on the seeded market', async () => {
    const again = await loadCleanBars();
    expect(again.bars5m).toEqual(clean.bars5m);
    const first = runBacktest(joined);
    const second = runBacktest(joinHigherTimeframe(again.bars5m, '5m', again.bars1h, '1H'));
    expect(second).toEqual(first);
    expect(first.trades.length).toBeGreaterThan(0);
  });

  it('signals where an outside SMA (technicalindicators) crosses up in a rising last closed hour, and fills at the next open', () => {
    const closes = clean.bars5m.map((b) => b.close);
    // SMA.calculate returns values from index period - 1 on.
    const fast = [...Array<number>(11).fill(Number.NaN), ...SMA.calculate({ period: 12, values: closes })];
    const slow = [...Array<number>(47).fill(Number.NaN), ...SMA.calculate({ period: 48, values: closes })];
    const expected: number[] = [];
    let holding = false;
    for (let i = 48; i < joined.length - 1; i++) {
      const before = fast[i - 1]! - slow[i - 1]!;
      const now = fast[i]! - slow[i]!;
      const bar = joined[i]!;
      if (
        !holding &&
        before <= 1e-9 &&
        now > 1e-9 &&
        bar.higher !== undefined &&
        bar.higher.close > bar.higher.open &&
        bar.flag !== 'interpolated' &&
        bar.flag !== 'forward_filled'
      ) {
        expected.push(bar.timestamp);
        holding = true;
      } else if (holding && before >= -1e-9 && now < -1e-9) {
        holding = false;
      }
    }
    const result = runBacktest(joined, { fast: 12, slow: 48 });
    expect(result.signals).toEqual(expected);
    for (const trade of result.trades) {
      const at = clean.bars5m.findIndex((b) => b.timestamp === trade.entryTime);
      expect(result.signals).toContain(clean.bars5m[at - 1]!.timestamp);
      expect(trade.entryPrice).toBe(clean.bars5m[at]!.open);
    }
  });

  it('attaches to each 5m bar only a 1H bar that had closed when the 5m bar closed, unlike a join by bucket start', () => {
    for (const bar of joined) {
      // The last closed hour: the 1H bucket before the one the 5m bar closes in.
      const closed = bucketStart(bar.timestamp + M5, '1H') - H1;
      if (bar.higher === undefined) {
        expect(closed).toBeLessThan(clean.bars1h[0]!.timestamp);
        continue;
      }
      expect(bar.higher.timestamp + H1).toBeLessThanOrEqual(bar.timestamp + M5);
      expect(bar.higher.timestamp).toBe(closed);
    }
    // The classic leak: the hour the 5m bar is in, whose close is still in the future.
    const byStart = new Map(clean.bars1h.map((h) => [h.timestamp, h]));
    const leaky: JoinedBar[] = clean.bars5m.map((bar) => ({ ...bar, higher: byStart.get(bucketStart(bar.timestamp, '1H')) }));
    const peeks = leaky.filter((bar) => bar.higher !== undefined && bar.higher.timestamp + H1 > bar.timestamp + M5);
    expect(peeks.length).toBe((11 / 12) * clean.bars5m.length); // all but the last 5m bar of each hour
    expect(runBacktest(leaky).signals).not.toEqual(runBacktest(joined).signals);
  });

  it('exports bars that round-trip as ccxt arrays, Date bars and columns', () => {
    const bars = clean.bars5m;
    const back = fromCcxtOhlcv(toCcxtOhlcv(bars));
    expect(back.issues).toEqual([]);
    expect(back.rows).toEqual(bars.map(ohlcv));
    const dated = toDateBars(bars);
    expect(
      dated.map((b) => ({ timestamp: b.date.getTime(), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume })),
    ).toEqual(bars.map(ohlcv));
    const columns = toColumns(bars);
    expect(columns.length).toBe(bars.length);
    expect(Array.from(columns.timestamp)).toEqual(bars.map((b) => b.timestamp));
    expect(Array.from(columns.close)).toEqual(bars.map((b) => b.close));
  });

  it('writes the 5m bars as ccxt arrays in freqtrade’s JSON layout', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mdp-backtest-'));
    try {
      const lines: string[] = [];
      const { file, result } = await main(root, (line) => lines.push(line));
      expect(file).toBe(join(root, 'data', 'backtest', 'BTCUSD-5m.json'));
      const parsed = fromCcxtOhlcv(JSON.parse(await readFile(file, 'utf8')) as unknown[]);
      expect(parsed.rows).toEqual(clean.bars5m.map(ohlcv));
      expect(lines.join('\n')).toContain(`${result.trades.length} trades`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
