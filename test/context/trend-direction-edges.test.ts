import { describe, expect, it } from 'vitest';
import { trendDirection } from '../../src/context/trend-direction.js';
import type { HighLowCloseColumns, HighLowCloseRow } from '../../src/indicators/indicator-input.js';
import { BarFlagCode } from '../../src/schemas/bar-flag.js';

/**
 * The TSDoc example: closes 100 … 119 with high = close + 1 and low = close − 1. The fitted
 * line travels 19 (slope 1 × (20 − 1)) and every true range is 2 (the first bar's is its
 * high − low; each next one is high − previous close = 2), a travel of 9.5 mean true ranges.
 */
const rising = (): HighLowCloseRow[] => Array.from({ length: 20 }, (_, i) => ({ high: 101 + i, low: 99 + i, close: 100 + i }));
/** The same bars mirrored: closes 119 … 100, a travel of −9.5 mean true ranges. */
const falling = (): HighLowCloseRow[] => rising().reverse();

describe('trendDirection at its threshold', () => {
  it('is bullish at exactly `threshold` mean true ranges up, and bearish at exactly `threshold` down', () => {
    expect(trendDirection(rising(), { threshold: 9.5 })).toBe('bullish');
    expect(trendDirection(falling(), { threshold: 9.5 })).toBe('bearish');
  });

  it('is ranging just above the travel', () => {
    expect(trendDirection(rising(), { threshold: 9.6 })).toBe('ranging');
    expect(trendDirection(falling(), { threshold: 9.6 })).toBe('ranging');
  });

  it('reads a window of 3 bars', () => {
    // Closes 117, 118, 119: slope 1, travel 2; true ranges 2: a travel of 1 mean true range.
    expect(trendDirection(rising(), { period: 3, threshold: 1 })).toBe('bullish');
    expect(trendDirection(rising().slice(0, 2), { period: 3 })).toBeNull();
  });
});

describe('trendDirection skips synthetic bars in the mean true range', () => {
  /** Bar 10 (in the window) is filled and has a range of 100 that must not count. */
  const withFilledBar = (): HighLowCloseRow[] =>
    rising().map((b, i) => (i === 10 ? { high: b.close + 50, low: b.close - 50, close: b.close, flag: 'interpolated' } : b));

  it('as rows flagged interpolated', () => {
    // The 19 real true ranges are 2 (the bar after the filled one: high − previous real close = 3,
    // so the mean is (18 × 2 + 3) / 19 ≈ 2.05, a travel of 9.26 mean true ranges).
    expect(trendDirection(withFilledBar(), { threshold: 9 })).toBe('bullish');
  });

  it('as columns with a flags column', () => {
    const rows = withFilledBar();
    const columns: HighLowCloseColumns = {
      length: rows.length,
      high: Float64Array.from(rows, (r) => r.high),
      low: Float64Array.from(rows, (r) => r.low),
      close: Float64Array.from(rows, (r) => r.close),
      flags: Uint8Array.from(rows, (_, i) => (i === 10 ? BarFlagCode.Interpolated : BarFlagCode.None)),
    };
    expect(trendDirection(columns, { threshold: 9 })).toBe('bullish');
  });

  it('is null when every bar of the window is synthetic (no usable true range)', () => {
    expect(trendDirection(rising().map((b) => ({ ...b, flag: 'interpolated' })))).toBeNull();
  });
});

describe('trendDirection with a mean true range of 0', () => {
  it('is ranging when the closes do not move', () => {
    expect(trendDirection(Array.from({ length: 20 }, () => ({ high: 100, low: 100, close: 100 })))).toBe('ranging');
  });

  it('follows the sign of the travel when only synthetic bars move (any travel is infinitely many true ranges)', () => {
    // Window of 3: closes 101 (filled), 105 (real, high = low = close: true range 0), 110 (filled).
    const up: HighLowCloseRow[] = [
      { high: 100, low: 100, close: 100, flag: 'interpolated' },
      { high: 101, low: 101, close: 101, flag: 'interpolated' },
      { high: 105, low: 105, close: 105 },
      { high: 110, low: 110, close: 110, flag: 'interpolated' },
    ];
    const down = up.map((b) => ({ ...b, high: 200 - b.high, low: 200 - b.low, close: 200 - b.close }));
    expect(trendDirection(up, { period: 3 })).toBe('bullish');
    expect(trendDirection(down, { period: 3 })).toBe('bearish');
  });
});

describe('trendDirection of plain-array columns longer than the window', () => {
  it('reads the last `period` bars, each flag on its own bar', () => {
    // 25 rising bars (closes 100 … 124, high = close + 1, low = close − 1). Bar 22, in the last
    // 20, has a range of 100 (high 172, low 72) and is real; bar 3, before the window, is flagged.
    // The window's true ranges are 19 of 2 and bar 22's 100: a mean of 6.9, and the line travels
    // 19, which is 2.75 mean true ranges: below a threshold of 5.
    const rows = Array.from({ length: 25 }, (_, i) => ({ high: 101 + i, low: 99 + i, close: 100 + i }));
    rows[22] = { high: 172, low: 72, close: 122 };
    const columns: HighLowCloseColumns = {
      length: 25,
      high: rows.map((r) => r.high),
      low: rows.map((r) => r.low),
      close: rows.map((r) => r.close),
      flags: rows.map((_, i) => (i === 3 ? BarFlagCode.Interpolated : BarFlagCode.None)),
    };
    expect(trendDirection(columns, { threshold: 5 })).toBe('ranging');
    // Without bar 22's range every true range is 2: 9.5 mean true ranges, bullish.
    rows[22] = { high: 123, low: 121, close: 122 };
    expect(trendDirection({ ...columns, high: rows.map((r) => r.high), low: rows.map((r) => r.low) }, { threshold: 5 })).toBe('bullish');
  });
});

describe('trendDirection measures the window’s first bar from the last usable close before it', () => {
  it('reaches back past a synthetic bar, as trueRange over the whole series does (Wilder, synthetic bars skipped)', () => {
    // Closes 50, then 100 (interpolated), 101, 102, 103; high = close + 1, low = close − 1; period 3.
    // The window is the last three bars. Bar 2 measures from bar 0's close (50), the last real one:
    // max(2, |102 − 50|, |100 − 50|) = 52; bars 3 and 4 give 2 each. Mean true range 56 / 3 ≈ 18.7;
    // the line travels 2 (slope 1 over 2 steps): 0.11 mean true ranges, ranging.
    const rows: HighLowCloseRow[] = [50, 100, 101, 102, 103].map((close) => ({ high: close + 1, low: close - 1, close }));
    rows[1] = { ...rows[1]!, flag: 'interpolated' };
    expect(trendDirection(rows, { period: 3 })).toBe('ranging');
    // A bar before the window with a non-finite price is skipped the same way.
    rows[1] = { high: Number.NaN, low: 99, close: 100 };
    expect(trendDirection(rows, { period: 3 })).toBe('ranging');
    // With bar 1 real, bar 2 measures from its close (100): every true range is 2, a travel of 1 mean true range: bullish.
    rows[1] = { high: 101, low: 99, close: 100 };
    expect(trendDirection(rows, { period: 3 })).toBe('bullish');
  });
});
