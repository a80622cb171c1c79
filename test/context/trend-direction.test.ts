import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trendDirection } from '../../src/context/trend-direction.js';
import { isConfigError } from '../../src/errors/config-error.js';
import { mulberry32 } from '../../src/testing/internal/seeded-random.js';

interface Bar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** `n` bars whose closes follow `drift` per bar plus uniform noise of ±`noise`; each bar spans ±`spread` around its close. */
function series(n: number, drift: number, noise: number, spread: number, seed: number): Bar[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const close = 1000 + drift * i + noise * (2 * random() - 1);
    const up = spread * (0.5 + random());
    const down = spread * (0.5 + random());
    return { high: close + up, low: close - down, close };
  });
}

const columns = (bars: readonly Bar[]) => ({
  length: bars.length,
  high: Float64Array.from(bars, (b) => b.high),
  low: Float64Array.from(bars, (b) => b.low),
  close: Float64Array.from(bars, (b) => b.close),
});

describe('trendDirection', () => {
  it('calls a steady uptrend bullish and a steady downtrend bearish', () => {
    // Closes 100…119, high = close + 1, low = close − 1: the regression line rises exactly 19
    // over the window, the mean true range is 2 (9.5 ranges ≥ 1).
    const up = Array.from({ length: 20 }, (_, i) => ({ high: 101 + i, low: 99 + i, close: 100 + i }));
    const down = Array.from({ length: 20 }, (_, i) => ({ high: 201 - i, low: 199 - i, close: 200 - i }));
    expect(trendDirection(up)).toBe('bullish');
    expect(trendDirection(down)).toBe('bearish');
  });

  it('calls noisy trends by their drift and a flat noisy series ranging', () => {
    for (let seed = 1; seed <= 50; seed++) {
      // Drift of 1 per bar against bars about 4 wide: the line travels ~19, ~4–5 ranges.
      expect(trendDirection(series(60, 1, 2, 2, seed)), `seed ${seed}`).toBe('bullish');
      expect(trendDirection(series(60, -1, 2, 2, seed)), `seed ${seed}`).toBe('bearish');
      // No drift: the fitted travel has a standard deviation of about 0.74 × the noise's
      // (≈ 0.85 for ±2 uniform noise), a fraction of the ~4-wide true range.
      expect(trendDirection(series(60, 0, 2, 2, seed)), `seed ${seed}`).toBe('ranging');
    }
  });

  it('reads only the last `period` bars', () => {
    // A long rise followed by 20 flat noisy bars is ranging with the default window of 20.
    const rise = series(100, 5, 1, 2, 7);
    const last = rise[rise.length - 1]?.close ?? 0;
    const flat = series(20, 0, 2, 2, 8).map((b) => ({
      high: b.high - 1000 + last,
      low: b.low - 1000 + last,
      close: b.close - 1000 + last,
    }));
    expect(trendDirection([...rise, ...flat])).toBe('ranging');
    expect(trendDirection([...rise, ...flat], { period: 60 })).toBe('bullish');
  });

  it('moves its verdict with the threshold', () => {
    // Rises 19 over the window with a mean true range of 2: 9.5 ranges.
    const up = Array.from({ length: 20 }, (_, i) => ({ high: 101 + i, low: 99 + i, close: 100 + i }));
    expect(trendDirection(up, { threshold: 9.4 })).toBe('bullish');
    expect(trendDirection(up, { threshold: 9.6 })).toBe('ranging');
  });

  it('does not change when prices are scaled or shifted, and flips when they are mirrored', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        (seed, drift, scale) => {
          const bars = series(30, drift, 2, 2, seed);
          const base = trendDirection(bars);
          const scaled = trendDirection(bars.map((b) => ({ high: b.high * scale, low: b.low * scale, close: b.close * scale })));
          const shifted = trendDirection(bars.map((b) => ({ high: b.high + 500, low: b.low + 500, close: b.close + 500 })));
          const mirrored = trendDirection(bars.map((b) => ({ high: 3000 - b.low, low: 3000 - b.high, close: 3000 - b.close })));
          const flip = { bullish: 'bearish', bearish: 'bullish', ranging: 'ranging' } as const;
          expect(scaled).toBe(base);
          expect(shifted).toBe(base);
          expect(mirrored).toBe(base === null ? null : flip[base]);
        },
      ),
    );
  });

  it('gives the same answer for rows and columns', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const bars = series(40, (seed % 5) - 2, 3, 2, seed);
      expect(trendDirection(columns(bars))).toBe(trendDirection(bars));
    }
  });

  it('gives null with fewer than `period` bars or a non-finite close in the window', () => {
    expect(trendDirection(series(19, 1, 0, 1, 1))).toBeNull();
    const bars = series(30, 1, 0, 1, 1);
    expect(trendDirection(bars.map((b, i) => (i === 25 ? { ...b, close: Number.NaN } : b)))).toBeNull();
    // A bad close before the window does not matter.
    expect(trendDirection(bars.map((b, i) => (i === 2 ? { ...b, close: Number.NaN } : b)))).toBe('bullish');
  });

  it('does not modify its input', () => {
    const bars = Object.freeze(series(30, 1, 1, 1, 3).map((b) => Object.freeze(b)));
    expect(trendDirection(bars)).toBe('bullish');
  });

  it('throws ConfigError on a bad period or threshold', () => {
    for (const options of [{ period: 2 }, { period: 3.5 }, { threshold: 0 }, { threshold: Number.POSITIVE_INFINITY }]) {
      let error: unknown;
      try {
        trendDirection(series(30, 1, 1, 1, 1), options);
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error), JSON.stringify(options)).toBe(true);
    }
  });
});
