import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { detectOutliers } from '../../src/quality/detect-outliers.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { describeFixtures, freqtradeBars } from '../support/fixtures.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const bar = (i: number, close: number, volume = 1, flag?: Ohlcv['flag']): Ohlcv => ({
  timestamp: T0 + i * MIN,
  open: close,
  high: close,
  low: close,
  close,
  volume,
  ...(flag === undefined ? {} : { flag }),
});
const found = (bars: readonly Ohlcv[], config = {}): string[] => detectOutliers(bars, config).outliers.map((o) => `${o.index}:${o.rule}`);

describe('detectOutliers', () => {
  it('flags a single-bar close change beyond 10 %, with its signed value', () => {
    const result = detectOutliers([bar(0, 100), bar(1, 112), bar(2, 112 * 0.95), bar(3, 112 * 0.95 * 0.89)]);
    expect(result.outliers.map((o) => [o.index, o.rule, Number(o.value.toFixed(4))])).toEqual([
      [1, 'price_change', 0.12],
      [3, 'price_change', -0.11],
    ]);
    expect(result.outliers[0]?.message).toBe('Bar 1: close changed +12.00 % from 100 to 112 (limit 10 %)');
    expect(result).toMatchObject({ outlierBars: 2, judgedBars: 4 });
  });

  it('flags volume beyond 20× the mean of the previous volumeWindow bars, once the window is full', () => {
    // 20 bars of volume 1, then 21 (21× the mean 1) and 19 (below 20×).
    const base = Array.from({ length: 20 }, (_, i) => bar(i, 100, 1));
    expect(found([...base, bar(20, 100, 21)])).toEqual(['20:volume_spike']);
    expect(found([...base, bar(20, 100, 19)])).toEqual([]);
    // Fewer than 20 earlier bars: no volume test.
    expect(found([...base.slice(1), bar(20, 100, 1000)])).toEqual([]);
    // A configurable window: 3 bars of mean 2, then 41 > 20 × 2.
    expect(found([bar(0, 100, 1), bar(1, 100, 2), bar(2, 100, 3), bar(3, 100, 41)], { volumeWindow: 3 })).toEqual(['3:volume_spike']);
  });

  it('flags zero volume unless it is allowed', () => {
    expect(found([bar(0, 100, 1), bar(1, 100, 0)])).toEqual(['1:zero_volume']);
    expect(found([bar(0, 100, 1), bar(1, 100, 0)], { zeroVolumeAllowed: true })).toEqual([]);
  });

  it('flags a return beyond 5 standard deviations of the previous outlierWindow returns', () => {
    // Returns alternate +0.1 % / −0.1 % (mean ≈ 0, sample sd ≈ 0.1 %); then +0.8 % is ~8 sd away, +0.4 % ~4 sd.
    const closes = [100];
    for (let i = 1; i <= 20; i++) closes.push(closes[i - 1]! * (i % 2 === 1 ? 1.001 : 0.999));
    const series = (last: number): Ohlcv[] => [...closes, closes[20]! * last].map((c, i) => bar(i, c));
    expect(found(series(1.008), { outlierWindow: 20 })).toEqual(['21:return_outlier']);
    expect(found(series(1.004), { outlierWindow: 20 })).toEqual([]);
    const z = detectOutliers(series(1.008), { outlierWindow: 20 }).outliers[0]?.value ?? 0;
    expect(z).toBeGreaterThan(7);
    expect(z).toBeLessThan(9);
  });

  describe('return_outlier at the default window of 100 and threshold of 5 deviations', () => {
    // The 100 returns of the window, built multiplicatively so each is exact to rounding:
    // 49 of +A and 49 of −A alternating, then two of 0. Their mean is 0 and their sample
    // standard deviation sqrt(98·A² / 99); their median is 0 (the two middle values are 0)
    // and their MAD is A (98 of the 100 absolute deviations are A), so the robust scale is
    // 1.4826·A. The 101st return is then z of those scales away from 0.
    const A = 0.001;
    const SD = A * Math.sqrt(98 / 99);
    const MAD_SIGMA = 1.4826 * A;
    function seriesEndingWith(lastReturn: number): Ohlcv[] {
      const returns: number[] = [];
      for (let k = 0; k < 98; k++) returns.push(k % 2 === 0 ? A : -A);
      returns.push(0, 0, lastReturn);
      const closes = [100];
      for (const r of returns) closes.push(closes[closes.length - 1]! * (1 + r));
      return closes.map((c, i) => bar(i, c));
    }

    it('stddev: 4.5 σ is not flagged by default, 5.2 σ is (with z ≈ 5.2)', () => {
      expect(found(seriesEndingWith(4.5 * SD))).toEqual([]);
      expect(found(seriesEndingWith(-4.5 * SD))).toEqual([]);
      expect(found(seriesEndingWith(5.2 * SD))).toEqual(['101:return_outlier']);
      expect(found(seriesEndingWith(-5.2 * SD))).toEqual(['101:return_outlier']);
      const outlier = detectOutliers(seriesEndingWith(5.2 * SD)).outliers[0];
      expect(outlier?.value).toBeCloseTo(5.2, 6);
      expect(outlier?.threshold).toBe(5);
    });

    it('stddev: outlierStdDevs 4 flags the 4.5 σ return; 3.9 σ stays unflagged', () => {
      expect(found(seriesEndingWith(4.5 * SD), { outlierStdDevs: 4 })).toEqual(['101:return_outlier']);
      expect(found(seriesEndingWith(3.9 * SD), { outlierStdDevs: 4 })).toEqual([]);
      expect(detectOutliers(seriesEndingWith(4.5 * SD), { outlierStdDevs: 4 }).outliers[0]?.value).toBeCloseTo(4.5, 6);
    });

    it('mad: 4.5 robust deviations are not flagged by default, 5.2 are (with z ≈ 5.2)', () => {
      const mad = { outlierMethod: 'mad' } as const;
      expect(found(seriesEndingWith(4.5 * MAD_SIGMA), mad)).toEqual([]);
      expect(found(seriesEndingWith(-4.5 * MAD_SIGMA), mad)).toEqual([]);
      expect(found(seriesEndingWith(5.2 * MAD_SIGMA), mad)).toEqual(['101:return_outlier']);
      expect(found(seriesEndingWith(-5.2 * MAD_SIGMA), mad)).toEqual(['101:return_outlier']);
      const outlier = detectOutliers(seriesEndingWith(5.2 * MAD_SIGMA), mad).outliers[0];
      expect(outlier?.value).toBeCloseTo(5.2, 6);
      expect(outlier?.threshold).toBe(5);
    });

    it('mad: outlierStdDevs 4 flags 4.5 robust deviations; 3.9 stay unflagged', () => {
      const mad4 = { outlierMethod: 'mad', outlierStdDevs: 4 } as const;
      expect(found(seriesEndingWith(4.5 * MAD_SIGMA), mad4)).toEqual(['101:return_outlier']);
      expect(found(seriesEndingWith(3.9 * MAD_SIGMA), mad4)).toEqual([]);
    });
  });

  it('offers a robust median/MAD variant that one earlier outlier does not mask', () => {
    // A window of ±0.1 % returns containing one +5 % jump: the jump inflates the sample standard
    // deviation (to ~1.1 %), so a later +4 % return is under 5 sd; the MAD ignores the jump.
    const closes = [100];
    for (let i = 1; i <= 30; i++) closes.push(closes[i - 1]! * (i === 20 ? 1.05 : i % 2 === 1 ? 1.001 : 0.999));
    closes.push(closes[30]! * 1.04);
    const bars = closes.map((c, i) => bar(i, c));
    const config = { outlierWindow: 20, priceChangeThreshold: 0.5 };
    expect(found(bars, config).filter((f) => f.startsWith('31'))).toEqual([]);
    expect(found(bars, { ...config, outlierMethod: 'mad' }).filter((f) => f.startsWith('31'))).toEqual(['31:return_outlier']);
  });

  it('judges nothing when the window has no spread', () => {
    // 25 equal closes: every return is 0, so no scale; then a +5 % bar is only a price-change question.
    const bars = [...Array.from({ length: 25 }, (_, i) => bar(i, 100)), bar(25, 105)];
    expect(found(bars, { outlierWindow: 10 })).toEqual([]);
  });

  it('neither judges synthetic bars nor lets them into the windows', () => {
    const bars = [bar(0, 100), bar(1, 100, 0, 'forward_filled'), bar(2, 130, 0, 'interpolated'), bar(3, 101)];
    const result = detectOutliers(bars);
    expect(result.outliers).toEqual([]);
    expect(result.judgedBars).toBe(2);
    // The same bars without flags: zero volumes and a +30 % jump.
    expect(found(bars.map(({ flag: _, ...real }) => real))).toEqual(['1:zero_volume', '2:zero_volume', '2:price_change', '3:price_change']);
  });

  it('reads the flags column of columns', () => {
    const cols: OhlcvColumns = {
      length: 2,
      timestamp: Float64Array.of(T0, T0 + MIN),
      open: Float64Array.of(100, 200),
      high: Float64Array.of(100, 200),
      low: Float64Array.of(100, 200),
      close: Float64Array.of(100, 200),
      volume: Float64Array.of(1, 0),
      flags: Uint8Array.of(0, 2),
    };
    expect(detectOutliers(cols).outliers).toEqual([]);
  });

  it('leaves non-finite and negative values to validateOhlcv', () => {
    expect(found([bar(0, 100), bar(1, Number.NaN, Number.NaN), bar(2, 100, -5), bar(3, 101)])).toEqual([]);
  });

  it('finds nothing in calm generated series (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const { bars } = generateOhlcv({ seed, count: 200, volatility: 0.001 });
        expect(detectOutliers(bars, { outlierWindow: 50, outlierStdDevs: 8, volumeSpikeThreshold: 50 }).outliers).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it('does not modify its input', () => {
    const bars = Object.freeze([bar(0, 100), bar(1, 120)].map((b) => Object.freeze(b)));
    expect(found(bars)).toEqual(['1:price_change']);
  });

  it('throws ConfigError for an invalid option, naming it', () => {
    for (const config of [{ priceChangeThreshold: -1 }, { volumeWindow: 0 }, { outlierMethod: 'iqr' }, { unknown: 1 }]) {
      let error: unknown;
      try {
        detectOutliers([], config as never);
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error), JSON.stringify(config)).toBe(true);
    }
  });
});

describeFixtures('detectOutliers on real data', () => {
  const rows = (): Ohlcv[] => freqtradeBars('real/freqtrade/XRP_ETH-1m.json');

  it('flags the 1,091 zero-volume filler bars of XRP_ETH-1m when zero volume is not allowed (README)', () => {
    const result = detectOutliers(rows());
    expect(result.outliers.filter((o) => o.rule === 'zero_volume')).toHaveLength(1091);
    expect(detectOutliers(rows(), { zeroVolumeAllowed: true }).outliers.filter((o) => o.rule === 'zero_volume')).toHaveLength(0);
  });
});
