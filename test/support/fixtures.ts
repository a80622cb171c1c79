/**
 * The one loader of the third-party fixtures in `../shared/fixtures` (never copied into this
 * repository: their licences differ). Tests that need them use `describeFixtures`, which
 * skips with a visible reason when the folder is absent; CI always has it. The readers below
 * turn each fixture format into the library's shapes; paths are relative to the fixtures folder
 * (`real/freqtrade/XRP_ETH-1m.json`), and `real/README.md` there documents every file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import type { Ohlcv, Tick } from '../../src/index.js';

/** Absolute path of `../shared/fixtures` beside the checkout. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));

/** Whether the shared fixtures are present. */
export const hasFixtures = existsSync(FIXTURES_DIR);

/** Absolute path of a fixture, e.g. `fixturePath('real/freqtrade/XRP_ETH-1m.json')`. */
export function fixturePath(relative: string): string {
  return FIXTURES_DIR + relative;
}

/** A fixture's text; `.gz` files are gunzipped. */
export function readFixture(relative: string): string {
  const bytes = readFileSync(fixturePath(relative));
  return (relative.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** A fixture parsed as JSON. */
export function readFixtureJson(relative: string): unknown {
  return JSON.parse(readFixture(relative)) as unknown;
}

/** `describe` when the fixtures exist, otherwise a skipped block whose title says why. */
export function describeFixtures(name: string, body: () => void): void {
  if (hasFixtures) describe(name, body);
  else describe.skip(`${name} (skipped: ../shared/fixtures not found beside the checkout)`, body);
}

/** A freqtrade OHLCV JSON file (`[[open_time_ms, o, h, l, c, v], …]`) as rows. */
export function freqtradeBars(relative: string): Ohlcv[] {
  const raw = readFixtureJson(relative) as [number, number, number, number, number, number][];
  return raw.map(([timestamp, open, high, low, close, volume]) => ({ timestamp, open, high, low, close, volume }));
}

/** trading-signals' candle objects (decimal strings) as rows. */
export function tradingSignalsBars(relative: string): Ohlcv[] {
  return (readFixtureJson(relative) as Record<string, string | number>[]).map((c) => ({
    timestamp: Number(c['openTimeInMillis']),
    open: Number(c['open']),
    high: Number(c['high']),
    low: Number(c['low']),
    close: Number(c['close']),
    volume: Number(c['volume']),
  }));
}

/** ccxt list-form trades `[ts, id, type, side, price, amount, cost]` as ticks. */
export function ccxtTrades(relative: string): Tick[] {
  return (readFixtureJson(relative) as [number, string, null, 'buy' | 'sell', number, number, number][]).map(
    ([timestamp, id, , side, price, quantity]) => ({ timestamp, tradeId: Number(id), side, price, quantity }),
  );
}

/**
 * nautilus_trader's `timestamp,open,high,low,close,volume` CSV (naive-UTC datetimes, with or
 * without microseconds; `.gz` allowed) as rows, each timestamp shifted by `shiftMs`.
 */
export function nautilusBars(relative: string, shiftMs = 0): Ohlcv[] {
  const lines = readFixture(relative).trim().split('\n').slice(1);
  return lines.map((line) => {
    const [time = '', open = '', high = '', low = '', close = '', volume = ''] = line.split(',');
    return {
      timestamp: Date.parse(`${time.replace(' ', 'T').slice(0, 23)}Z`) + shiftMs,
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    };
  });
}

/** nautilus_trader's CME EUR/USD futures (6EH4), January 2024, 1m bars. */
export const CME_6EH4 = 'real/nautilus_trader/xcme/6EH4.XCME_1min_bars_20240101_20240131.csv.gz';

/**
 * The session breaks of {@link CME_6EH4} as its README (`real/README.md`) counts them: 13,263
 * missing minutes in all, of which 18 daily 22:00→23:00 UTC breaks (60 bars each, open times)
 * and 4 weekends (Fri 22:00 → Sun 23:00, 2,940 bars each); the rest are no-trade minutes inside sessions.
 */
export const CME_6EH4_BREAKS = { missingBars: 13_263, daily: 18, dailyBars: 60, weekends: 4, weekendBars: 2_940 } as const;

/**
 * {@link CME_6EH4} as rows, shifted by `shiftMs`. The file labels each bar by its close time
 * (each session's first bar is at 23:01 and its last at 22:00, for a 23:00–22:00 UTC session),
 * so `shiftMs = -60_000` gives open times.
 */
export function cmeRows(shiftMs = 0): Ohlcv[] {
  return nautilusBars(CME_6EH4, shiftMs);
}

/**
 * CME Globex FX hours in UTC (winter, no DST in January): closed from Friday 22:00 to Sunday
 * 23:00 and every day from 22:00 to 23:00 (CME: Sunday–Friday 5:00 p.m.–4:00 p.m. CT, CT = UTC−6).
 */
export function cmeCalendar(timestamp: number): boolean {
  const date = new Date(timestamp);
  const day = date.getUTCDay();
  const hour = date.getUTCHours();
  if (day === 6 || (day === 5 && hour >= 22) || (day === 0 && hour < 23)) return false;
  return hour !== 22;
}
