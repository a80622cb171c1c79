import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectGaps } from '../../src/gaps/detect-gaps.js';
import { fillGaps } from '../../src/gaps/fill-gaps.js';
import type { GapReport } from '../../src/gaps/gap.js';
import { isConfigError } from '../../src/errors/config-error.js';
import { BarFlagCode } from '../../src/schemas/bar-flag.js';
import type { Timeframe } from '../../src/time/timeframe.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import { CME_6EH4_BREAKS, cmeCalendar, cmeRows, describeFixtures, freqtradeBars } from '../support/fixtures.js';

const M = 60_000;
const row = (minute: number, open: number, close: number, volume = 5): Ohlcv =>
  Object.freeze({ timestamp: minute * M, open, high: Math.max(open, close) + 1, low: Math.min(open, close) - 1, close, volume });
const frozen = (rows: Ohlcv[]): readonly Ohlcv[] => Object.freeze(rows);

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
    quoteVolume: pick((r) => r.volume * 2),
  };
}

describe('fillGaps', () => {
  it('throws a ConfigError naming `timeframe` for an unknown timeframe', () => {
    try {
      fillGaps([], '7m' as Timeframe);
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error) && error.path).toEqual(['timeframe']);
    }
  });

  it('interpolates a small gap in equal steps from the last close to the next open', () => {
    // Close 10 at 00:00, open 13 at 00:03: 3 steps of 1 → closes 11, 12; opens 10, 11.
    const input = frozen([row(0, 9, 10), row(3, 13, 14)]);
    const { bars, reports } = fillGaps(input, '1m');
    expect(bars.slice(1, 3)).toEqual([
      { timestamp: 1 * M, open: 10, high: 11, low: 10, close: 11, volume: 0, flag: 'interpolated' },
      { timestamp: 2 * M, open: 11, high: 12, low: 11, close: 12, volume: 0, flag: 'interpolated' },
    ]);
    expect(bars[0]).toBe(input[0]);
    expect(bars[3]).toBe(input[1]);
    expect(reports).toEqual([
      expect.objectContaining({ resolution: 'interpolated', size: 'small', missingBars: 2, filledBars: 2, notify: false, escalate: false }),
    ]);
  });

  it('interpolates downwards with high and low taken from open and close', () => {
    const { bars } = fillGaps(frozen([row(0, 10, 10), row(2, 8, 8)]), '1m');
    expect(bars[1]).toMatchObject({ open: 10, close: 9, high: 10, low: 9 });
  });

  it('forward-fills a medium gap and asks to notify', () => {
    const { bars, reports } = fillGaps(frozen([row(0, 9, 10), row(6, 13, 14)]), '1m');
    expect(bars).toHaveLength(7);
    for (const b of bars.slice(1, 6))
      expect(b).toMatchObject({ open: 10, high: 10, low: 10, close: 10, volume: 0, flag: 'forward_filled' });
    expect(reports[0]).toMatchObject({ resolution: 'forward_filled', size: 'medium', notify: true, escalate: false, filledBars: 5 });
  });

  it('inserts nothing for a large gap, escalates and returns a break after it', () => {
    const input = frozen([row(0, 9, 10), row(1, 10, 11), row(13, 13, 14), row(14, 14, 15)]);
    const { bars, reports, breaks } = fillGaps(input, '1m');
    expect(bars).toEqual(input);
    expect(reports[0]).toMatchObject({ resolution: 'marked_missing', size: 'large', missingBars: 11, filledBars: 0, escalate: true });
    expect(breaks).toEqual([2]);
  });

  it('honours custom strategies', () => {
    const { reports } = fillGaps(frozen([row(0, 9, 10), row(3, 13, 14)]), '1m', { smallMaxBars: 1, mediumMaxBars: 1 });
    expect(reports[0]?.resolution).toBe('marked_missing');
  });

  it('returns columns for columns, with flags and zeroed optional volumes', () => {
    const input = columnsOf([row(0, 9, 10), row(3, 13, 14), row(10, 1, 1)]);
    Object.freeze(input);
    const before = input.close.slice();
    const { bars } = fillGaps(input, '1m');
    expect(bars.length).toBe(3 + 2 + 6);
    expect(Array.from(bars.flags ?? [])).toEqual([0, 1, 1, 0, 2, 2, 2, 2, 2, 2, 0]);
    expect(Array.from(bars.close.subarray(0, 4))).toEqual([10, 11, 12, 14]);
    expect(Array.from(bars.quoteVolume ?? []).filter((_, i) => (bars.flags?.[i] ?? 0) !== 0)).toEqual(new Array(8).fill(0));
    expect(Array.from(bars.timestamp)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => m * M));
    expect(input.close).toEqual(before);
  });

  it('does not fill a gap that borders a closed calendar period', () => {
    const calendar = (t: number): boolean => t < 3 * M || t >= 6 * M;
    const { bars, reports } = fillGaps(frozen([row(0, 1, 1), row(7, 2, 2)]), '1m', undefined, { calendar });
    expect(bars).toHaveLength(2);
    expect(reports.map((r) => [r.resolution, r.sessionEdge, r.missingBars])).toEqual([
      ['marked_missing', true, 2],
      ['marked_missing', true, 1],
    ]);
  });

  it('never changes a real bar and leaves only large gaps (property)', () => {
    const series = fc
      .uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 60 })
      .chain((minutes) =>
        fc.tuple(
          fc.constant([...minutes].sort((a, b) => a - b)),
          fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: minutes.length * 2, maxLength: minutes.length * 2 }),
        ),
      );
    fc.assert(
      fc.property(series, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 12 }), ([minutes, prices], small, extra) => {
        const input = frozen(minutes.map((m, i) => row(m, prices[2 * i] as number, prices[2 * i + 1] as number)));
        const strategies = { smallMaxBars: small, mediumMaxBars: small + extra };
        for (const kind of ['rows', 'columns'] as const) {
          const source = kind === 'rows' ? input : columnsOf(input);
          const { bars } = fillGaps(source, '1m', strategies);
          const rows: Ohlcv[] = Array.isArray(bars)
            ? bars
            : Array.from({ length: bars.length }, (_, i) => {
                const c = bars;
                return {
                  timestamp: c.timestamp[i]!,
                  open: c.open[i]!,
                  high: c.high[i]!,
                  low: c.low[i]!,
                  close: c.close[i]!,
                  volume: c.volume[i]!,
                  ...(c.flags?.[i]
                    ? { flag: c.flags[i] === BarFlagCode.Interpolated ? ('interpolated' as const) : ('forward_filled' as const) }
                    : {}),
                };
              });
          const real = rows.filter((b) => b.flag === undefined);
          expect(real).toEqual([...input]);
          for (const b of rows) {
            expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
            expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
          }
          const left = detectGaps(rows, '1m').gaps;
          expect(left.filter((g) => !(g.missingBars > small + extra))).toEqual([]);
          expect(rows[0]?.timestamp).toBe(input[0]?.timestamp);
          expect(rows[rows.length - 1]?.timestamp).toBe(input[input.length - 1]?.timestamp);
        }
      }),
    );
  });
});

describeFixtures('fillGaps on real data', () => {
  it('fills every gap of freqtrade UNITTEST_BTC-1m (all ≤ 7 bars) and keeps the 13,681 real bars', () => {
    const input = freqtradeBars('real/freqtrade/UNITTEST_BTC-1m.json');
    const { bars, reports } = fillGaps(input, '1m');
    expect(bars).toHaveLength(13_681 + 717);
    expect(
      reports.filter((r) => r.resolution === 'interpolated').length + reports.filter((r) => r.resolution === 'forward_filled').length,
    ).toBe(538);
    expect(detectGaps(bars, '1m').gaps).toEqual([]);
  });

  it('marks the 33-bar outage of ADA_BTC-5m missing and fills the rest', () => {
    const { bars, reports } = fillGaps(freqtradeBars('real/freqtrade/ADA_BTC-5m.json'), '5m');
    expect(reports.map((r) => r.resolution)).toEqual(['interpolated', 'interpolated', 'forward_filled', 'interpolated', 'marked_missing']);
    expect(bars).toHaveLength(5_720 + 7);
  });

  it('fills no session break of the CME series when given its calendar', () => {
    const input = cmeRows(-M);
    const { bars, reports } = fillGaps(input, '1m', undefined, { calendar: cmeCalendar });
    // Known answers from outside our code: the calendar itself, and the fixture README's counts.
    // A report whose gap holds a closed minute treated a session break as a gap.
    const closedMinutes = (r: GapReport): number => {
      let closed = 0;
      for (let t = r.gap.start; t < r.gap.end; t += M) if (!cmeCalendar(t)) closed++;
      return closed;
    };
    expect(reports.filter((r) => closedMinutes(r) > 0).map((r) => new Date(r.gap.start).toISOString())).toEqual([]);
    // Without the session breaks, what is missing is the README's no-trade minutes inside
    // sessions, all short (one to four minutes), so every one of them is filled.
    const { missingBars, daily, dailyBars, weekends, weekendBars } = CME_6EH4_BREAKS;
    const inSessions = missingBars - daily * dailyBars - weekends * weekendBars;
    expect(reports.reduce((s, r) => s + r.missingBars, 0)).toBe(inSessions);
    expect(reports.filter((r) => r.resolution === 'marked_missing' || r.sessionEdge)).toEqual([]);
    expect(bars.filter((b) => b.flag !== undefined && !cmeCalendar(b.timestamp)).map((b) => new Date(b.timestamp).toISOString())).toEqual(
      [],
    );
    expect(bars).toHaveLength(input.length + inSessions);
  });
});
