import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertSchema, DataStatusSchema, LatestOhlcvSchema } from 'market-data-pipeline';
import { generateOhlcv, type GeneratedOhlcv } from 'market-data-pipeline/testing';
import { BACKUP_HOLES, DAY_START, DEMO_SYMBOLS, DEPTH_SYMBOL, LIVE_FROM, MARKET_GAPS, OUTAGE, main, type DemoSummary } from './main.js';

const MINUTE = 60_000;
const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);
const hhmmss = (t: number): string => new Date(t).toISOString().slice(11, 19);

// The truth: the simulated market rebuilt straight from the generator with the demo's inputs.
const truth = new Map<string, GeneratedOhlcv>(
  DEMO_SYMBOLS.map(({ symbol, ...settings }) => [
    symbol,
    generateOhlcv({ ...settings, ...MARKET_GAPS, start: DAY_START, count: 1440, timeframe: '1m' }),
  ]),
);

/** Runs of consecutive open times, as [start, length]. */
function runs(times: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last !== undefined && last[0] + last[1] * MINUTE === t) last[1]++;
    else out.push([t, 1]);
  }
  return out;
}

/** The specification's gap strategies: 1–3 bars interpolated, 4–10 forward-filled, longer marked missing. */
const resolutionOf = (bars: number): string => (bars <= 3 ? 'interpolated' : bars <= 10 ? 'forward_filled' : 'marked_missing');

describe('demo main', () => {
  let root: string;
  let text = '';
  let summary: DemoSummary;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mdp-demo-'));
    summary = await main({ root, out: { isTTY: true, write: (chunk: string) => (text += chunk) } });
  }, 120_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('turns trades and order books on for one symbol and prints what arrived', () => {
    // The day's last 30 minutes: the simulated exchange trades each bar with volume four times
    // (open, high, low, close), and quotes 1 bp levels around the last trade.
    const from = DAY_START + (1440 - 30) * MINUTE;
    const traded = truth.get(DEPTH_SYMBOL)!.bars.filter((b) => b.timestamp >= from && b.volume > 0);
    expect(traded.length).toBeGreaterThan(20);
    expect(summary.depth).toMatchObject({
      symbol: DEPTH_SYMBOL,
      trades: 4 * traded.length,
      tradeBars: traded.length,
      disagreements: 0,
      books: 30,
    });
    expect(summary.depth.spreadBps).toBeCloseTo(2, 6); // ask − bid = 2 bp of mid
    expect(summary.depth.mid).toBeCloseTo(traded.at(-1)!.close, 6); // the last trade is the last bar's close
    expect(text).toContain(
      `${4 * traded.length} trades in 30 ticks records; ${traded.length} 1m bars built from them, 0 disagreeing with the klines`,
    );
  });

  it('prints a full day per timeframe, with the filled bars the market truth implies and none missing', () => {
    for (const [symbol, { bars, gaps }] of truth) {
      const present = new Set(bars.map((b) => b.timestamp));
      const ownGapBars = gaps.reduce((n, g) => n + g.missing, 0);
      // Every generator gap is at most MARKET_GAPS.maxGapBars (4) long, so it is filled, not left missing.
      expect(Math.max(...gaps.map((g) => g.missing))).toBeLessThanOrEqual(10);
      // Backup holes are filled while on the backup, then replaced by the primary's real bars.
      const replaced = BACKUP_HOLES.filter((t) => present.has(t)).length;
      expect(replaced).toBeGreaterThan(0);
      const lastClose = bars.at(-1)!.close.toFixed(2);
      expect(bars.at(-1)!.timestamp).toBe(DAY_START + 1439 * MINUTE);
      // 1440 one-minute bars in a UTC day: present bars plus the generator's gaps.
      expect(bars.length + ownGapBars).toBe(1440);
      expect(text).toMatch(
        new RegExp(`${symbol}  1m   1440/1440 +${ownGapBars} +0 +${replaced} +\\d\\.\\d\\d +\\d\\.\\d\\d +${lastClose}\\n`),
      );
      // A day has 288 5m, 96 15m, 24 1H, 6 4H and 1 1D bars; the close of each last bar is the day's last close.
      for (const [tf, n] of [
        ['5m', 288],
        ['15m', 96],
        ['1H', 24],
        ['4H', 6],
        ['1D', 1],
      ] as const) {
        expect(text).toMatch(new RegExp(`${symbol}  ${tf.padEnd(3)} +${n}/${n} +\\d+ +0 +\\d+ +[\\d.]+ +[\\d.]+ +${lastClose}\\n`));
      }
    }
    for (const s of summary.series) {
      expect(s.quality).not.toBeNull();
      expect(s.quality).toBeGreaterThanOrEqual(0);
      expect(s.quality).toBeLessThanOrEqual(1);
    }
  });

  it('lists every gap of the market and of the backup with the resolution the gap strategies give its size', () => {
    for (const [symbol, { gaps }] of truth) {
      for (const g of gaps) {
        expect(text).toContain(`${symbol}  ${hhmm(g.start)}  ${g.missing} bar${g.missing === 1 ? ' ' : 's'}  ${resolutionOf(g.missing)}\n`);
      }
      for (const [start, length] of runs(BACKUP_HOLES)) {
        expect(text).toContain(`${symbol}  ${hhmm(start)}  ${length} bars  ${resolutionOf(length)}\n`);
      }
      expect(summary.gaps.filter((g) => g.symbol === symbol)).toHaveLength(gaps.length + runs(BACKUP_HOLES).length);
    }
  });

  it('shows the outage detected, failed over, switched back and backfilled, on the protocol’s schedule', () => {
    // The outage starts at 19:00: the primary's stream breaks then, the poll 1 s after the 18:59
    // bar closes fails, and so does the poll that asks again for it retryDelayMs (5 s) later:
    // 3 errors (errorThreshold) detect it at 19:00:06.
    const both = 'BTCUSD, ETHUSD';
    const detected = OUTAGE.from + 6000;
    expect(text).toContain(`${hhmmss(detected)}  ${both}  healthy → detected\n`);
    // The specification: retry after 5 s, use the backup within 10 s — seconds, not cycles.
    expect(text).toContain(`${hhmmss(detected + 5000)}  ${both}  detected → retrying: retry the primary\n`);
    expect(text).toContain(`${hhmmss(detected + 15_000)}  ${both}  retrying → on_backup: fail over to the backup\n`);
    // The backup lacks 19:06: the bar closes at 19:07, so the backup is stale at 19:07:30 (no data
    // for 30 s) and cached data is served; 60 s of cache (haltAfterCachedMs) halt trading.
    const stale = BACKUP_HOLES[0]! + MINUTE + 30_000;
    expect(text).toContain(`${hhmmss(stale)}  ${both}  on_backup → cached: stale: no new bar from the backup by ${hhmmss(stale)}`);
    expect(text).toContain(`${hhmmss(stale + MINUTE)}  ${both}  cached → halted: halt trading; escalate: feed offline\n`);
    // The primary answers again from 19:20:01 and must stay well for 60 s before the switch back.
    const back = summary.failovers.find((f) => f.to === 'healthy');
    expect(back?.at).toBe(OUTAGE.from + OUTAGE.durationMs + MINUTE + 1000);
    expect(back?.actions.map((a) => a.kind)).toEqual(['switch_back', 'backfill']);
    expect(text).toMatch(
      new RegExp(
        `${hhmmss(OUTAGE.from + OUTAGE.durationMs + MINUTE + 1000)}  ${both}  on_backup → healthy: switch back to the primary; backfill \\d+ bars`,
      ),
    );
  });

  it('prints when the pipeline switched to the websocket backup and back', () => {
    expect(text).toMatch(/backup data_provider: websocket ws:\/\/127\.0\.0\.1:\d+/);
    // The specification's failover: the backup within 10 s of the retry (19:00:21, as in the timeline).
    for (const { symbol } of DEMO_SYMBOLS) {
      expect(text).toContain(`  ${hhmmss(OUTAGE.from + 21_000)}  ${symbol} switched to the websocket backup data_provider\n`);
      expect(text).toContain(
        `  ${hhmmss(OUTAGE.from + OUTAGE.durationMs + MINUTE + 1000)}  ${symbol} switched back from the websocket to exchange_api\n`,
      );
    }
    const moves = summary.failovers.flatMap((f) =>
      f.actions.some((a) => a.kind === 'failover' || a.kind === 'switch_back') ? f.symbols.map(() => f) : [],
    );
    expect(text.match(/ switched (to the websocket backup|back from the websocket)/g)).toHaveLength(moves.length);
  });

  it('counts alerts by type: a failover and a switch back per symbol, a notice per forward-filled gap', () => {
    const forwardFilled = [...truth.values()].reduce(
      (n, { gaps }) => n + gaps.filter((g) => g.missing >= 4).length + runs(BACKUP_HOLES).filter(([, length]) => length >= 4).length,
      0,
    );
    // One failover alert per failover, switch back and resume in the timeline.
    const moves = summary.failovers.reduce(
      (n, f) =>
        n + f.symbols.length * f.actions.filter((a) => a.kind === 'failover' || a.kind === 'switch_back' || a.kind === 'resume').length,
      0,
    );
    expect(moves).toBeGreaterThanOrEqual(2 * DEMO_SYMBOLS.length);
    expect(summary.alerts['failover']).toBe(moves);
    expect(summary.alerts['gap']).toBe(forwardFilled);
    const total = Object.values(summary.alerts).reduce((a, b) => a + b, 0);
    expect(text).toContain(`alerts: ${total} (`);
    expect(text).toContain(`failover ${moves}`);
  });

  it('counts the startup backfill on one updating line when the output is a terminal', () => {
    const dueBars = (LIVE_FROM - DAY_START) / MINUTE; // the closed bars 00:00–17:59
    const parts = DEMO_SYMBOLS.map(({ symbol }) => {
      // Rows received: the closed bars the market has (not its gaps), and the forming 18:00
      // bar, which the exchange includes in its last answer (progress counts rows, at most the total).
      const received = Math.min(truth.get(symbol)!.bars.filter((b) => b.timestamp <= LIVE_FROM).length, dueBars);
      return `${symbol} ${String(received).padStart(4)}/${dueBars}`;
    });
    expect(text).toContain(`\r  backfilling 1m bars: ${parts.join('  ')}\n`);
    expect(text.match(/\r/g)?.length).toBeGreaterThan(2);
  });

  it('writes the state files, which read back with the document schemas', async () => {
    const status = DataStatusSchema.parse(JSON.parse(await readFile(join(root, 'state', 'data', 'data_status.json'), 'utf8')));
    expect(Object.keys(status.symbols).sort()).toEqual(['BTCUSD', 'ETHUSD']);
    expect(status.symbols['BTCUSD']?.timeframes['1m']?.last_bar).toBe('2025-01-30T23:59:00Z');
    const latest = LatestOhlcvSchema.parse(JSON.parse(await readFile(join(root, 'state', 'data', 'latest_ohlcv.json'), 'utf8')));
    // One file for every symbol's latest_ohlcv (the specification's path): the last written, by
    // either symbol (they run side by side), shows the day's last bar.
    expect(['BTCUSD', 'ETHUSD']).toContain(latest.symbol);
    expect(latest.timeframes['1m']?.timestamp).toBe('2025-01-30T23:59:00Z');
    const alerts = (await readFile(join(root, 'state', 'data', 'alerts.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => AlertSchema.parse(JSON.parse(line)));
    expect(alerts).toHaveLength(Object.values(summary.alerts).reduce((a, b) => a + b, 0));
    await readFile(join(root, 'state', 'market_context.json'), 'utf8');
    await readFile(join(root, 'state', 'data', 'quality_report.json'), 'utf8');
    for (const file of summary.files) expect(text).toContain(file.slice(root.length + 1));
  });
});
