import { describe, expect, it } from 'vitest';
import { checkValidity } from '../../src/quality/check-validity.js';
import { detectOutliers } from '../../src/quality/detect-outliers.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const bar = (i: number, close: number, volume = 1): Ohlcv => ({
  timestamp: T0 + i * MIN,
  open: close,
  high: close,
  low: close,
  close,
  volume,
});

/** Closes whose returns are the given fractions, from 100. */
function withReturns(returns: readonly number[]): Ohlcv[] {
  const closes = [100];
  for (const r of returns) closes.push((closes[closes.length - 1] as number) * (1 + r));
  return closes.map((c, i) => bar(i, c));
}

describe('detectOutliers messages', () => {
  it('explains a volume spike with the volume, its multiple, the mean and the window', () => {
    // 20 bars of volume 1, then 21: 21× the mean 1 of the previous 20 bars.
    const bars = [...Array.from({ length: 20 }, (_, i) => bar(i, 100)), bar(20, 100, 21)];
    expect(detectOutliers(bars).outliers).toEqual([
      {
        rule: 'volume_spike',
        index: 20,
        timestamp: T0 + 20 * MIN,
        value: 21,
        threshold: 20,
        message: 'Bar 20: volume 21 is 21.0× the mean 1.00000 of the previous 20 bars (limit 20×)',
      },
    ]);
  });

  it('explains zero volume and a price fall', () => {
    const result = detectOutliers([bar(0, 100), bar(1, 100, 0), bar(2, 85)]);
    expect(result.outliers.map((o) => o.message)).toEqual([
      'Bar 1: volume is 0',
      'Bar 2: close changed -15.00 % from 100 to 85 (limit 10 %)',
    ]);
  });

  // Window of four returns 1 %, 3 %, 1 %, 3 %: mean 2 %, sample standard deviation √(4 × 0.01² / 3) ≈ 1.1547 %;
  // median 2 %, every deviation 1 %, so 1.4826 × MAD = 1.4826 %. A 10 % return is 8 points from the centre:
  // 6.93 standard deviations, 5.40 robust deviations.
  const bars = withReturns([0.01, 0.03, 0.01, 0.03, 0.1]);
  const config = { outlierWindow: 4, priceChangeThreshold: 0.5 };

  it('explains a return outlier in standard deviations from the window mean', () => {
    const [found] = detectOutliers(bars, config).outliers;
    expect(found?.value).toBeCloseTo(0.08 / Math.sqrt((4 * 0.01 ** 2) / 3), 6);
    expect(found?.message).toBe('Bar 5: return 0.1000 is 6.9 standard deviations from the window mean 0.02000 (limit 5)');
  });

  it('explains a robust return outlier in scaled MADs from the window median', () => {
    const [found] = detectOutliers(bars, { ...config, outlierMethod: 'mad' }).outliers;
    expect(found?.value).toBeCloseTo(0.08 / 0.014826, 6);
    expect(found?.message).toBe('Bar 5: return 0.1000 is 5.4 robust deviations (1.4826 × MAD) from the window median 0.02000 (limit 5)');
  });
});

describe('checkValidity messages', () => {
  it('counts the bars of each rule in the singular and the plural', () => {
    const bad = (i: number): Ohlcv => ({ ...bar(i, 100), high: 99 });
    const one = checkValidity([bar(0, 100), bad(1), bar(2, 100, 0)]);
    expect(one.issues.map((i) => i.message)).toEqual([
      '1 bar breaks high_gte_low',
      '1 bar breaks high_gte_open_close',
      '1 bar flagged by zero_volume',
    ]);
    const two = checkValidity([bar(0, 100), bad(1), bad(2), bar(3, 100, 0), bar(4, 100, 0)]);
    expect(two.issues.map((i) => i.message)).toEqual([
      '2 bars break high_gte_low',
      '2 bars break high_gte_open_close',
      '2 bars flagged by zero_volume',
    ]);
  });

  it('counts a bar both invalid and an outlier once, and an outlier alone as bad', () => {
    // Bar 1 breaks a rule and has zero volume; bar 2 has zero volume only.
    const result = checkValidity([bar(0, 100), { ...bar(1, 100, 0), high: 99 }, bar(2, 100, 0), bar(3, 100)]);
    expect(result).toMatchObject({ bars: 4, invalidBars: 1, outlierBars: 2, badBars: 2, score: 0.5 });
  });

  it('spans a finding over the finite times of its bars only', () => {
    // Two bars break high ≥ low; the second has no time: the finding starts and ends at the first.
    const broken = (timestamp: number): Ohlcv => ({ ...bar(0, 100), timestamp, high: 98, low: 99 });
    const result = checkValidity([bar(0, 100), broken(T0 + 3 * MIN), broken(Number.NaN)]);
    expect(result.issues.find((i) => i.rule === 'high_gte_low')).toMatchObject({
      count: 2,
      timestamp: T0 + 3 * MIN,
      endTimestamp: T0 + 3 * MIN,
    });
  });

  it('spans a finding from the earliest to the latest time of its bars, in any order', () => {
    const broken = (m: number): Ohlcv => ({ ...bar(m, 100), high: 98, low: 99 });
    const result = checkValidity([broken(5), broken(1), broken(3)]);
    expect(result.issues.find((i) => i.rule === 'high_gte_low')).toMatchObject({
      count: 3,
      timestamp: T0 + MIN,
      endTimestamp: T0 + 5 * MIN,
    });
  });
});
