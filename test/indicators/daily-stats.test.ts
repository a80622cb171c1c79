import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { dailyStats } from '../../src/indicators/daily-stats.js';

const day = Date.UTC(2025, 0, 30);
const H = 3_600_000;
const bars = [
  { timestamp: day - 60_000, high: 999, low: 1, volume: 100 }, // 23:59 the day before
  { timestamp: day, high: 101, low: 97, volume: 2 },
  { timestamp: day + 10 * H, high: 103, low: 98, volume: 3.5 },
  { timestamp: day + 11 * H, high: 200, low: 50, volume: 0, flag: 'forward_filled' as const },
  { timestamp: day + 23 * H, high: 102, low: 96, volume: 1 },
  { timestamp: day + 24 * H, high: 500, low: 5, volume: 9 }, // next day's midnight
];

describe('dailyStats', () => {
  it('gives the high, low and volume of the real bars opening within the UTC day', () => {
    expect(dailyStats(bars, day + 10.5 * H)).toEqual({ dayStart: day, high: 103, low: 96, volume: 6.5, bars: 3 });
  });

  it('accepts midnight itself and columns with a flags column', () => {
    const columns = {
      length: bars.length,
      timestamp: Float64Array.from(bars, (b) => b.timestamp),
      high: Float64Array.from(bars, (b) => b.high),
      low: Float64Array.from(bars, (b) => b.low),
      volume: Float64Array.from(bars, (b) => b.volume),
      flags: Uint8Array.from(bars, (b) => ('flag' in b ? 2 : 0)),
    };
    expect(dailyStats(columns, day)).toEqual({ dayStart: day, high: 103, low: 96, volume: 6.5, bars: 3 });
  });

  it('gives undefined fields for a day without bars', () => {
    expect(dailyStats(bars, day + 5 * 24 * H)).toEqual({
      dayStart: day + 5 * 24 * H,
      high: undefined,
      low: undefined,
      volume: undefined,
      bars: 0,
    });
  });

  it('floors instants before 1970 to their own UTC day', () => {
    expect(dailyStats([], -1).dayStart).toBe(-86_400_000);
  });

  it('throws ConfigError naming a non-finite day', () => {
    expect(() => dailyStats(bars, NaN)).toThrow(/`NaN`/);
  });

  it('takes the highest high and the lowest low wherever they fall in the day, on rows and columns', () => {
    // The extremes are in the middle of the day: neither the first nor the last bar holds them.
    const day2 = [
      { timestamp: day, high: 101, low: 97, volume: 1 },
      { timestamp: day + H, high: 105, low: 90, volume: 1 },
      { timestamp: day + 2 * H, high: 102, low: 98, volume: 1 },
    ];
    const expected = { dayStart: day, high: 105, low: 90, volume: 3, bars: 3 };
    expect(dailyStats(day2, day)).toEqual(expected);
    const columns = {
      length: 3,
      timestamp: Float64Array.from(day2, (b) => b.timestamp),
      high: Float64Array.from(day2, (b) => b.high),
      low: Float64Array.from(day2, (b) => b.low),
      volume: Float64Array.from(day2, (b) => b.volume),
    };
    expect(dailyStats(columns, day)).toEqual(expected);
    // Over-allocated columns: the unused tail (a bar of the same day) is not read.
    const longer = {
      length: 2,
      timestamp: Float64Array.of(day, day + H, day + 2 * H),
      high: Float64Array.of(101, 105, 999),
      low: Float64Array.of(97, 90, 1),
      volume: Float64Array.of(1, 1, 1),
    };
    expect(dailyStats(longer, day)).toEqual({ dayStart: day, high: 105, low: 90, volume: 2, bars: 2 });
  });

  it('names `day` in its ConfigError, for NaN, Infinity and a non-number', () => {
    for (const bad of [NaN, Infinity, String(day)]) {
      try {
        dailyStats(bars, bad as number);
        expect.unreachable();
      } catch (error) {
        expect(isConfigError(error) && error.path).toEqual(['day']);
      }
    }
  });
});
