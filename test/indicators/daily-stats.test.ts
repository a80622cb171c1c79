import { describe, expect, it } from 'vitest';
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
});
