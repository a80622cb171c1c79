import { describe, expect, it } from 'vitest';
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
const rules = (bars: readonly Ohlcv[], config = {}): string[] => detectOutliers(bars, config).outliers.map((o) => `${o.index}:${o.rule}`);
const METHODS = ['stddev', 'mad'] as const;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

describe('detectOutliers at its thresholds ("beyond" is strict)', () => {
  it('does not flag a change of exactly the price threshold, either way, by either method', () => {
    // 150 / 100 − 1 = 0.5 and 75 / 150 − 1 = −0.5 exactly.
    for (const outlierMethod of METHODS) {
      expect(rules([bar(0, 100), bar(1, 150), bar(2, 75)], { priceChangeThreshold: 0.5, outlierMethod })).toEqual([]);
      expect(rules([bar(0, 100), bar(1, 150.5), bar(2, 75)], { priceChangeThreshold: 0.5, outlierMethod })).toEqual([
        '1:price_change',
        '2:price_change',
      ]);
    }
  });

  it('does not flag a volume of exactly 20× the mean, by either method', () => {
    const base = Array.from({ length: 20 }, (_, i) => bar(i, 100, 1));
    for (const outlierMethod of METHODS) {
      expect(rules([...base, bar(20, 100, 20)], { outlierMethod })).toEqual([]);
      expect(rules([...base, bar(20, 100, 20.5)], { outlierMethod })).toEqual(['20:volume_spike']);
    }
  });

  it('does not flag a return exactly outlierStdDevs robust deviations from the median', () => {
    const closes = [100, 101, 100, 102, 101, 110];
    const returns = closes.slice(1).map((c, i) => c / (closes[i] as number) - 1);
    const window = returns.slice(0, 4);
    const centre = median(window);
    const z = ((returns[4] as number) - centre) / (1.4826 * median(window.map((x) => Math.abs(x - centre))));
    const bars = closes.map((c, i) => bar(i, c));
    const config = { outlierMethod: 'mad' as const, outlierWindow: 4, priceChangeThreshold: 1 };
    expect(rules(bars, { ...config, outlierStdDevs: z })).toEqual([]);
    expect(rules(bars, { ...config, outlierStdDevs: z * 0.999 })).toEqual(['5:return_outlier']);
  });

  it('does not flag a return exactly outlierStdDevs standard deviations from the mean', () => {
    // Returns 0.625, 0.625, 0.625, 0.125 (closes ×1.625 three times, then ×1.125: exact in binary): mean 0.5,
    // sample standard deviation √(0.1875 / 3) = 0.25. A return of 0.75 is exactly 1 deviation out; 0.76 is beyond.
    const closes = [64, 104, 169, 274.625, 308.953125];
    const last = closes[4] as number;
    const config = { outlierWindow: 4, outlierStdDevs: 1, priceChangeThreshold: 1 };
    expect(
      rules(
        [...closes, last * 1.75].map((c, i) => bar(i, c)),
        config,
      ),
    ).toEqual([]);
    expect(
      rules(
        [...closes, last * 1.76].map((c, i) => bar(i, c)),
        config,
      ),
    ).toEqual(['5:return_outlier']);
  });

  it('judges no volume once the window mean is 0, and no return once the robust spread is 0', () => {
    const silent = [...Array.from({ length: 3 }, (_, i) => bar(i, 100, 0)), bar(3, 100, 5)];
    for (const outlierMethod of METHODS) {
      expect(rules(silent, { outlierMethod, volumeWindow: 3, zeroVolumeAllowed: true })).toEqual([]);
    }
    // Three zero returns then a jump: the MAD is 0, no scale.
    const flat = [100, 100, 100, 100, 120].map((c, i) => bar(i, c));
    expect(rules(flat, { outlierMethod: 'mad', outlierWindow: 3, priceChangeThreshold: 1 })).toEqual([]);
  });

  it('judges nothing against a window that turned flat between two exact re-sums, whose running sums keep a rounding residue', () => {
    // Volumes 0.1, 0.2, 0.3, 0 fill a window of 4; three zeros push them out. The window is four
    // zeros (mean 0: no volume test), though 0.1 + 0.2 + 0.3 + 0 − 0.1 − 0.2 − 0.3 is 5.6e-17
    // in floating point.
    const volumes = [0.1, 0.2, 0.3, 0, 0, 0, 0, 1];
    const quiet = volumes.map((v, i) => bar(i, 100, v));
    // Closes 100, 103, 101, 104, then 104 four times: the returns window is four zeros (no
    // spread: no return test), though the running spread of 3/100, −2/103, 3/101 and three
    // zeros pushed in is about 1e-19. Then 105.
    const flat = [100, 103, 101, 104, 104, 104, 104, 104, 105].map((c, i) => bar(i, c, 1));
    for (const outlierMethod of METHODS) {
      expect(rules(quiet, { outlierMethod, volumeWindow: 4, zeroVolumeAllowed: true })).toEqual([]);
      expect(rules(flat, { outlierMethod, outlierWindow: 4, priceChangeThreshold: 1 })).toEqual([]);
    }
  });
});
