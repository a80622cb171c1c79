import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectGaps } from '../../src/gaps/detect-gaps.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import type { Timeframe } from '../../src/time/timeframe.js';
import { CME_6EH4_BREAKS, cmeCalendar, cmeRows, describeFixtures, freqtradeBars } from '../support/fixtures.js';

const M = 60_000;
const bar = (timestamp: number, close = 1): Ohlcv => ({ timestamp, open: close, high: close, low: close, close, volume: 1 });
const at = (...minutes: number[]): Ohlcv[] => Object.freeze(minutes.map((m) => Object.freeze(bar(m * M)))) as Ohlcv[];

function columnsOf(rows: readonly Ohlcv[]): OhlcvColumns {
  const pick = (f: (r: Ohlcv) => number): Float64Array => Float64Array.from(rows, f);
  return {
    length: rows.length,
    timestamp: pick((r) => r.timestamp),
    open: pick((r) => r.open),
    high: pick((r) => r.high),
    low: pick((r) => r.low),
    close: pick((r) => r.close),
    volume: pick((r) => r.volume),
  };
}

describe('detectGaps', () => {
  it('reports each run of missing bars with its bounds and neighbours', () => {
    const { gaps, issues } = detectGaps(at(0, 1, 4, 5, 7), '1m');
    expect(gaps).toEqual([
      { start: 2 * M, end: 4 * M, missingBars: 2, before: 1, after: 2 },
      { start: 6 * M, end: 7 * M, missingBars: 1, before: 3, after: 4 },
    ]);
    expect(issues).toEqual([]);
  });

  it('finds nothing before the first or after the last bar', () => {
    expect(detectGaps(at(5), '1m').gaps).toEqual([]);
    expect(detectGaps([], '1m').gaps).toEqual([]);
  });

  it('accepts columns and gives the same answer as rows', () => {
    const rows = at(0, 3, 4, 10);
    expect(detectGaps(columnsOf(rows), '1m')).toEqual(detectGaps(rows, '1m'));
  });

  it('steps by calendar month on 1M', () => {
    const rows = [bar(Date.UTC(2024, 0, 1)), bar(Date.UTC(2024, 3, 1))];
    expect(detectGaps(rows, '1M').gaps).toEqual([
      { start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 3, 1), missingBars: 2, before: 0, after: 1 },
    ]);
  });

  it('aligns weeks on Monday', () => {
    const monday = Date.UTC(2025, 0, 27);
    const week = 7 * 24 * 60 * M;
    expect(detectGaps([bar(monday), bar(monday + 3 * week)], '1W').gaps[0]?.missingBars).toBe(2);
    expect(detectGaps([bar(monday + M)], '1W').issues[0]?.code).toBe('timestamp_unaligned');
  });

  it('does not count closed calendar slots and splits a run at a closed period', () => {
    // Closed from minute 3 to minute 6 (exclusive): bars at 0 and 9 leave 1–2 and 6–8 open and missing.
    const calendar = (t: number): boolean => t < 3 * M || t >= 6 * M;
    expect(detectGaps(at(0, 9), '1m', { calendar }).gaps).toEqual([
      { start: 1 * M, end: 3 * M, missingBars: 2, before: 0, after: 1 },
      { start: 6 * M, end: 9 * M, missingBars: 3, before: 0, after: 1 },
    ]);
    expect(detectGaps(at(2, 6), '1m', { calendar }).gaps).toEqual([]);
  });

  it('reports descending input and then reports no gap rather than guessing', () => {
    const { gaps, issues } = detectGaps(at(0, 5, 3, 9), '1m');
    expect(gaps).toEqual([]);
    expect(issues).toMatchObject([{ code: 'timestamp_not_ascending', index: 2, timestamp: 3 * M, path: [2, 'timestamp'] }]);
  });

  it('reports duplicates and treats their slot as present', () => {
    const { gaps, issues } = detectGaps(at(0, 1, 1, 3), '1m');
    expect(issues).toMatchObject([{ code: 'timestamp_duplicate', index: 2 }]);
    expect(gaps).toEqual([{ start: 2 * M, end: 3 * M, missingBars: 1, before: 2, after: 3 }]);
  });

  it('does not snap an unaligned bar to a slot and leaves its stretch unjudged', () => {
    const rows = [bar(0), bar(M), bar(2 * M + 500), bar(5 * M), bar(8 * M)];
    const { gaps, issues } = detectGaps(rows, '1m');
    expect(issues).toMatchObject([{ code: 'timestamp_unaligned', index: 2, timestamp: 2 * M + 500 }]);
    expect(gaps).toEqual([{ start: 6 * M, end: 8 * M, missingBars: 2, before: 3, after: 4 }]);
  });

  it('reports a non-finite timestamp', () => {
    expect(detectGaps([bar(0), bar(Number.NaN), bar(M)], '1m').issues[0]?.code).toBe('timestamp_not_finite');
  });

  it('throws ConfigError on an unknown timeframe or a calendar that is not a function', () => {
    expect(() => detectGaps([], '7m' as Timeframe)).toThrow(/timeframe.*7m/);
    try {
      detectGaps([], '7m' as Timeframe);
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error) && error.path).toEqual(['timeframe']);
    }
    try {
      detectGaps([], '1m', { calendar: 42 as unknown as () => boolean });
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
    }
  });

  it('counts exactly the slots a set of aligned timestamps leaves out (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 80 }), (minutes) => {
        const sorted = [...minutes].sort((a, b) => a - b);
        const { gaps, issues } = detectGaps(at(...sorted), '1m');
        const first = sorted[0] as number;
        const last = sorted[sorted.length - 1] as number;
        const present = new Set(sorted);
        const missing: number[] = [];
        for (let m = first; m <= last; m++) if (!present.has(m)) missing.push(m);
        const reported: number[] = [];
        for (const g of gaps) for (let t = g.start; t < g.end; t += M) reported.push(t / M);
        expect(issues).toEqual([]);
        expect(reported).toEqual(missing);
        expect(gaps.reduce((s, g) => s + g.missingBars, 0)).toBe(missing.length);
      }),
    );
  });
});

describeFixtures('detectGaps on real data (fixtures/real/README.md)', () => {
  it('finds 538 gaps and 717 missing bars in freqtrade UNITTEST_BTC-1m', () => {
    const { gaps, issues } = detectGaps(freqtradeBars('real/freqtrade/UNITTEST_BTC-1m.json'), '1m');
    expect(issues).toEqual([]);
    expect(gaps).toHaveLength(538);
    expect(gaps.reduce((s, g) => s + g.missingBars, 0)).toBe(717);
    expect(gaps.filter((g) => g.missingBars === 1)).toHaveLength(423);
    expect(gaps.filter((g) => g.missingBars === 2)).toHaveLength(78);
    const longest = gaps.reduce((a, b) => (b.missingBars > a.missingBars ? b : a));
    // 03:12 → 03:20: the bars at 03:12 and 03:20 are real, 03:13 … 03:19 are missing.
    expect(longest).toMatchObject({ missingBars: 7, start: Date.UTC(2017, 10, 5, 3, 13), end: Date.UTC(2017, 10, 5, 3, 20) });
  });

  it('finds the 2018-01-15 cluster in freqtrade ADA_BTC-5m, with its 33-bar outage', () => {
    const gaps = detectGaps(freqtradeBars('real/freqtrade/ADA_BTC-5m.json'), '5m').gaps;
    expect(gaps.reduce((s, g) => s + g.missingBars, 0)).toBe(40);
    const day = (h: number, m: number): number => Date.UTC(2018, 0, 15, h, m);
    expect(gaps.map((g) => [g.start, g.missingBars])).toEqual([
      [day(10, 10), 1],
      [day(10, 30), 1],
      [day(11, 10), 4],
      [day(11, 45), 1],
      [day(12, 0), 33],
    ]);
    expect(gaps[4]?.end).toBe(day(14, 45));
  });

  it('finds the two isolated bars missing from freqtrade ZEC_BTC-5m', () => {
    expect(detectGaps(freqtradeBars('real/freqtrade/ZEC_BTC-5m.json'), '5m').gaps.map((g) => [g.start, g.missingBars])).toEqual([
      [Date.UTC(2018, 0, 26, 20, 25), 1],
      [Date.UTC(2018, 0, 27, 0, 55), 1],
    ]);
  });

  it('finds in the feather-derived XRP_ETH-5m exactly the zero-volume bars the feather lost', () => {
    const json = freqtradeBars('real/freqtrade/XRP_ETH-5m.json');
    expect(detectGaps(json, '5m').gaps).toEqual([]);
    const lost = json.filter((r) => r.volume === 0).map((r) => r.timestamp);
    expect(lost).toHaveLength(6);
    const gaps = detectGaps(freqtradeBars('real/freqtrade/derived/XRP_ETH-5m.from-feather.json'), '5m').gaps;
    expect(gaps.map((g) => g.start)).toEqual(lost);
    expect(gaps.filter((g) => g.missingBars !== 1)).toEqual([]);
  });

  describe('CME 6EH4 1m (nautilus_trader)', () => {
    // The fixture README's counts. Fri 22:00 → Sun 23:00 (open times) is 49 h; the README's
    // "61 minutes" for a daily break is from the last bar (22:00) to the next (23:01).
    const { missingBars: TOTAL, daily: DAILY, weekends: WEEKEND, weekendBars: WEEKEND_BARS, dailyBars: DAILY_BARS } = CME_6EH4_BREAKS;

    it('without a calendar, finds the session breaks as gaps', () => {
      const rows = cmeRows();
      const { gaps, issues } = detectGaps(rows, '1m');
      expect(issues).toEqual([]);
      expect(gaps.reduce((s, g) => s + g.missingBars, 0)).toBe(TOTAL);
      expect(gaps.filter((g) => g.missingBars === WEEKEND_BARS)).toHaveLength(WEEKEND);
      const daily = gaps.filter((g) => g.missingBars === DAILY_BARS);
      expect(daily).toHaveLength(DAILY);
      for (const g of daily) {
        expect(g.end - (rows[g.before] as Ohlcv).timestamp).toBe(61 * M);
        expect(new Date(g.start).getUTCHours()).toBe(22);
      }
    });

    it('with the CME calendar, reports only the short no-trade gaps inside sessions', () => {
      const rows = cmeRows(-M);
      const { gaps } = detectGaps(rows, '1m', { calendar: cmeCalendar });
      const missing = gaps.reduce((s, g) => s + g.missingBars, 0);
      expect(missing).toBe(TOTAL - DAILY * DAILY_BARS - WEEKEND * WEEKEND_BARS);
      expect(gaps.length).toBeGreaterThan(300);
      expect(Math.max(...gaps.map((g) => g.missingBars))).toBeLessThan(DAILY_BARS);
      for (const g of gaps) {
        // Every gap sits inside a session: real bars on both sides, no closed slot within.
        expect(g.start).toBe((rows[g.before] as Ohlcv).timestamp + M);
        expect(g.end).toBe((rows[g.after] as Ohlcv).timestamp);
      }
    });
  });
});
