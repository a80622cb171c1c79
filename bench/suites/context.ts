/**
 * `context/`: sessions over a day of minutes against a `TZDate`-based check (what a user of
 * `@date-fns/tz` would write) and a fixed-offset loop (no daylight saving: the floor); weekly
 * levels and trend on the shared 1M bars; the volatility percentile against simple-statistics'
 * `quantileRank`; and one full `buildMarketContext`.
 */
import { TZDate } from '@date-fns/tz';
import { quantileRank } from 'simple-statistics';
import { buildMarketContext, currentSession, trendDirection, volatilityRegime, weeklyHighLow } from '../../src/index.js';
import type { Ohlcv } from '../../src/index.js';
import type { BenchData, BenchGroup, Suite } from '../harness.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const SESSIONS = [
  { name: 'asia', zone: 'Asia/Tokyo', start: 9 * 60, end: 18 * 60, fixed: 9 * 60 },
  { name: 'london', zone: 'Europe/London', start: 8 * 60, end: 17 * 60, fixed: 0 },
  { name: 'new_york', zone: 'America/New_York', start: 8 * 60, end: 17 * 60, fixed: -5 * 60 },
] as const;

/** Session by wall clock with `TZDate` (latest-opening wins), no killzones. */
function tzDateSession(t: number): string {
  let best = 'off_session';
  let bestStart = -Infinity;
  for (const s of SESSIONS) {
    const local = new TZDate(t, s.zone);
    const m = local.getHours() * 60 + local.getMinutes();
    const day = local.getDay();
    if (day === 0 || day === 6 || m < s.start || m >= s.end) continue;
    const opened = t - (m - s.start) * MINUTE;
    if (opened > bestStart) {
      bestStart = opened;
      best = s.name;
    }
  }
  return best;
}

/** The same with fixed winter offsets: wrong for half the year, the practical floor. */
function fixedOffsetSession(t: number): string {
  let best = 'off_session';
  let bestStart = -Infinity;
  for (const s of SESSIONS) {
    const wall = t + s.fixed * MINUTE;
    const m = Math.floor((((wall % DAY) + DAY) % DAY) / MINUTE);
    const day = (Math.floor(wall / DAY) + 4) % 7;
    if (day === 0 || day === 6 || m < s.start || m >= s.end) continue;
    const opened = t - (m - s.start) * MINUTE;
    if (opened > bestStart) {
      bestStart = opened;
      best = s.name;
    }
  }
  return best;
}

/** Bars of `width` ms built from 1m columns (untimed setup). */
function resample(data: BenchData, width: number): Ohlcv[] {
  const { timestamp, open, high, low, close, volume, length } = data.columns;
  const out: Ohlcv[] = [];
  for (let i = 0; i < length; i++) {
    const ts = Math.floor((timestamp[i] as number) / width) * width;
    const last = out[out.length - 1];
    if (last?.timestamp === ts) {
      out[out.length - 1] = {
        ...last,
        high: Math.max(last.high, high[i] as number),
        low: Math.min(last.low, low[i] as number),
        close: close[i] as number,
        volume: last.volume + (volume[i] as number),
      };
    } else {
      out.push({
        timestamp: ts,
        open: open[i] as number,
        high: high[i] as number,
        low: low[i] as number,
        close: close[i] as number,
        volume: volume[i] as number,
      });
    }
  }
  return out;
}

const suite: Suite = (data: BenchData): readonly BenchGroup[] => {
  const { columns, rows } = data;
  const n = columns.length;
  const last = columns.timestamp[n - 1] as number;
  const day0 = Date.parse('2025-03-10T00:00:00Z');
  const daily = resample(data, DAY);
  const fourHour = resample(data, 4 * 3_600_000);
  const history = Float64Array.from({ length: 10_000 }, (_, i) => 100 + Math.sin(i) * 50);
  const historyArray = Array.from(history);

  return [
    {
      title: 'session of each minute of a day (1,440 instants)',
      cases: [
        {
          name: 'currentSession (sessions + killzones)',
          role: 'ours',
          fn: () => {
            let k = 0;
            for (let t = day0; t < day0 + DAY; t += MINUTE) k += currentSession(t).current.length;
            return k;
          },
        },
        {
          name: 'TZDate wall-clock check (sessions only)',
          role: 'peer',
          fn: () => {
            let k = 0;
            for (let t = day0; t < day0 + DAY; t += MINUTE) k += tzDateSession(t).length;
            return k;
          },
        },
        {
          name: 'fixed offsets, no DST (wrong, floor)',
          role: 'limit',
          fn: () => {
            let k = 0;
            for (let t = day0; t < day0 + DAY; t += MINUTE) k += fixedOffsetSession(t).length;
            return k;
          },
        },
      ],
    },
    {
      title: `weekly high/low, ${n.toLocaleString('en-US')} bars`,
      cases: [
        { name: 'weeklyHighLow (columns)', role: 'ours', fn: () => weeklyHighLow(columns, last) },
        { name: 'weeklyHighLow (rows)', role: 'ours', fn: () => weeklyHighLow(rows, last) },
        {
          name: 'plain typed-array loop',
          role: 'limit',
          fn: () => {
            const from = Math.floor((last - 4 * DAY) / (7 * DAY)) * 7 * DAY + 4 * DAY - 7 * DAY;
            let hi = -Infinity;
            let lo = Infinity;
            for (let i = 0; i < n; i++) {
              const ts = columns.timestamp[i] as number;
              if (ts < from || ts >= from + 7 * DAY) continue;
              hi = Math.max(hi, columns.high[i] as number);
              lo = Math.min(lo, columns.low[i] as number);
            }
            return hi - lo;
          },
        },
      ],
    },
    {
      title: `trend of the last 20 of ${n.toLocaleString('en-US')} bars`,
      cases: [
        { name: 'trendDirection (columns)', role: 'ours', fn: () => trendDirection(columns) },
        { name: 'trendDirection (rows)', role: 'ours', fn: () => trendDirection(rows) },
      ],
    },
    {
      title: 'volatility percentile in a 10,000-value history',
      cases: [
        { name: 'volatilityRegime', role: 'ours', fn: () => volatilityRegime(history, 120) },
        { name: 'simple-statistics quantileRank', role: 'peer', fn: () => quantileRank(historyArray, 120) },
      ],
      targets: [{ ours: 'volatilityRegime', than: 'simple-statistics quantileRank', factor: 2 }],
    },
    {
      title: `market context document (${daily.length} daily, ${fourHour.length} 4H bars, ATR computed)`,
      cases: [
        {
          name: 'buildMarketContext',
          role: 'ours',
          fn: () => buildMarketContext({ symbol: 'BTCUSD', now: last, daily, fourHour }),
        },
      ],
    },
  ];
};

export default suite;
