/** Loaders for the third-party fixtures the gap and preprocessing tests read. */
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { readFixture, readFixtureJson } from '../support/fixtures.js';

/** A freqtrade OHLCV JSON file (`[[open_time_ms, o, h, l, c, v], ...]`) as rows. */
export function freqtradeRows(relative: string): Ohlcv[] {
  const raw = readFixtureJson(`real/freqtrade/${relative}`) as [number, number, number, number, number, number][];
  return raw.map(([timestamp, open, high, low, close, volume]) => ({ timestamp, open, high, low, close, volume }));
}

/**
 * nautilus_trader's CME 6EH4 1m bars as rows, `timestamp_utc` shifted by `shiftMs`.
 * The file labels each bar by its close time (each session's first bar is at 23:01 and its
 * last at 22:00, for a 23:00–22:00 UTC session), so `shiftMs = -60_000` gives open times.
 */
export function cmeRows(shiftMs = 0): Ohlcv[] {
  const lines = readFixture('real/nautilus_trader/xcme/6EH4.XCME_1min_bars_20240101_20240131.csv.gz').trim().split('\n');
  return lines.slice(1).map((line) => {
    const [time = '', open = '', high = '', low = '', close = '', volume = ''] = line.split(',');
    return {
      timestamp: Date.parse(`${time.replace(' ', 'T')}Z`) + shiftMs,
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    };
  });
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
