import { qualityColumns } from '../internal/quality-columns.js';
import { resolveSection } from '../internal/quality-options.js';
import { RollingMedian, RollingSum } from '../internal/quality-rolling.js';
import { DEFAULT_VALIDITY, ValidityConfigSchema, type ValidityConfig } from '../schemas/config.js';
import type { OhlcvColumns, OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { OutlierRule } from './outlier-rule.js';

/** One bar judged an outlier by one rule. */
export interface Outlier {
  /** The rule that flagged it. */
  readonly rule: OutlierRule;
  /** Position of the bar in the input, from 0. */
  readonly index: number;
  /** The bar's open time, epoch ms. */
  readonly timestamp: number;
  /**
   * The measured value: for `price_change` the close-to-close change (a signed fraction,
   * 0.12 = +12 %); for `volume_spike` the volume as a multiple of its rolling mean; for
   * `zero_volume` 0; for `return_outlier` the return's distance from the window's centre in
   * (robust) standard deviations, signed.
   */
  readonly value: number;
  /** The threshold it crossed (fraction, multiple or deviations; 0 for `zero_volume`). */
  readonly threshold: number;
  /** Human-readable explanation with the values. */
  readonly message: string;
}

/** What {@link detectOutliers} returns. */
export interface OutlierResult {
  /** Every finding, in bar order (a bar may be flagged by several rules). */
  readonly outliers: readonly Outlier[];
  /** Distinct bars flagged by at least one rule. */
  readonly outlierBars: number;
  /** Bars judged: real (unflagged) bars; synthetic bars are skipped. */
  readonly judgedBars: number;
}

/** Scale factor of the MAD to estimate a normal distribution's standard deviation. */
const MAD_TO_SIGMA = 1.4826;

/**
 * Finds the bars whose price or volume is implausible against the recent past (rules of
 * {@link OutlierRule}): a single-bar close-to-close change beyond `priceChangeThreshold`
 * (10 %), volume beyond `volumeSpikeThreshold` (20×) its mean over the previous
 * `volumeWindow` (20) real bars, zero volume when not allowed, and returns more than
 * `outlierStdDevs` (5) deviations from the previous `outlierWindow` (100) returns — by mean
 * and sample standard deviation (`stddev`), or by median and 1.4826 × MAD (`mad`, robust to
 * the outliers themselves).
 *
 * Rules of judgement: synthetic bars (any `flag`: interpolated, forward-filled, clipped) are
 * neither judged nor fed into the windows, so a fill cannot raise or mask an alarm; prices and
 * returns compare with the previous real bar with a positive finite close. A window is used
 * only once full (the first `volumeWindow` bars have no volume test, the first
 * `outlierWindow` returns no deviation test); a window with zero mean volume or zero spread
 * has no scale and judges nothing. Bars with non-finite or negative values are left to
 * `validateOhlcv` (not judged here). Returns flagged as outliers stay in the window.
 *
 * @param bars - Rows or columns; not modified.
 * @param config - Overrides of {@link DEFAULT_VALIDITY}.
 * @returns Findings in bar order, and counts.
 * @throws {@link ConfigError} when an option is invalid (for example a negative threshold).
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30);
 * const bar = (i: number, close: number) =>
 *   ({ timestamp: t + i * 60_000, open: close, high: close, low: close, close, volume: 1 });
 * detectOutliers([bar(0, 100), bar(1, 112)]).outliers
 * // [{ rule: 'price_change', index: 1, timestamp: t + 60000, value: 0.12000000000000011, threshold: 0.1,
 * //    message: 'Bar 1: close changed +12.00 % from 100 to 112 (limit 10 %)' }]
 * ```
 */
export function detectOutliers(bars: OhlcvSeries, config?: Partial<ValidityConfig>): OutlierResult {
  const options = resolveSection(ValidityConfigSchema, DEFAULT_VALIDITY, config, []);
  const cols = qualityColumns(bars);
  const outliers: Outlier[] = [];
  const counts = options.outlierMethod === 'mad' ? scanRobust(cols, options, outliers) : scanMoments(cols, options, outliers);
  return { outliers, outlierBars: counts.outlierBars, judgedBars: counts.judgedBars };
}

interface Counts {
  readonly outlierBars: number;
  readonly judgedBars: number;
}

/** Records one finding; kept out of the kernels so their loops hold no allocation. */
function flag(
  outliers: Outlier[],
  rule: OutlierRule,
  index: number,
  timestamp: number,
  value: number,
  threshold: number,
  detail: number,
  centre: number,
  robust: boolean,
  window: number,
): void {
  let message: string;
  switch (rule) {
    case OutlierRule.ZeroVolume:
      message = `Bar ${index}: volume is 0`;
      break;
    case OutlierRule.VolumeSpike:
      message = `Bar ${index}: volume ${detail} is ${value.toFixed(1)}× the mean ${centre.toPrecision(6)} of the previous ${window} bars (limit ${threshold}×)`;
      break;
    case OutlierRule.PriceChange:
      message = `Bar ${index}: close changed ${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)} % from ${centre} to ${detail} (limit ${threshold * 100} %)`;
      break;
    default:
      message = `Bar ${index}: return ${detail.toPrecision(4)} is ${Math.abs(value).toFixed(1)} ${robust ? 'robust deviations (1.4826 × MAD)' : 'standard deviations'} from the window ${robust ? 'median' : 'mean'} ${centre.toPrecision(4)} (limit ${threshold})`;
  }
  outliers.push({ rule, index, timestamp, value, threshold, message });
}

/**
 * The default kernel (mean and standard deviation), with the rolling windows held in local
 * variables: one pass, no allocation per bar. Sums are recomputed exactly each time a ring
 * wraps, so rounding does not drift over a long series.
 */
function scanMoments(cols: OhlcvColumns, options: ValidityConfig, outliers: Outlier[]): Counts {
  const n = cols.length;
  const ts = cols.timestamp;
  const close = cols.close;
  const volume = cols.volume;
  const flags = cols.flags;
  const { priceChangeThreshold, volumeSpikeThreshold, zeroVolumeAllowed, outlierStdDevs } = options;
  const vw = options.volumeWindow;
  const rw = options.outlierWindow;
  const vRing = new Float64Array(vw);
  const rRing = new Float64Array(rw);
  const k2 = outlierStdDevs * outlierStdDevs;
  const invRw = 1 / rw;
  let vSum = 0;
  let vPos = 0;
  let vFilled = 0;
  let mean = 0;
  let m2 = 0;
  let rPos = 0;
  let rFilled = 0;
  let outlierBars = 0;
  let judged = 0;
  let prevClose = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (flags !== undefined && flags[i] !== 0) continue;
    judged++;
    const c = close[i]!;
    const v = volume[i]!;
    const before = outliers.length;
    if (v >= 0 && v < Infinity) {
      if (v === 0 && !zeroVolumeAllowed) {
        flag(outliers, OutlierRule.ZeroVolume, i, ts[i]!, 0, 0, 0, 0, false, vw);
      } else if (vFilled === vw && vSum > 0 && v * vw > volumeSpikeThreshold * vSum) {
        flag(outliers, OutlierRule.VolumeSpike, i, ts[i]!, (v * vw) / vSum, volumeSpikeThreshold, v, vSum / vw, false, vw);
      }
      vSum += vFilled === vw ? v - vRing[vPos]! : v;
      if (vFilled < vw) vFilled++;
      vRing[vPos] = v;
      if (++vPos === vw) {
        vPos = 0;
        vSum = 0;
        for (let k = 0; k < vw; k++) vSum += vRing[k]!;
      }
    }
    if (c > 0 && c < Infinity) {
      if (prevClose > 0) {
        const r = c / prevClose - 1;
        if (r > priceChangeThreshold || r < -priceChangeThreshold) {
          flag(outliers, OutlierRule.PriceChange, i, ts[i]!, r, priceChangeThreshold, c, prevClose, false, vw);
        }
        if (rFilled === rw) {
          const d = r - mean;
          // d² > k² · m2 / (rw − 1), without a division or a square root per bar.
          if (m2 > 0 && d * d * (rw - 1) > k2 * m2) {
            flag(outliers, OutlierRule.ReturnOutlier, i, ts[i]!, d / Math.sqrt(m2 / (rw - 1)), outlierStdDevs, r, mean, false, rw);
          }
          const old = rRing[rPos]!;
          const next = mean + (r - old) * invRw;
          m2 += (r - old) * (r - next + old - mean);
          mean = next;
        } else {
          rFilled++;
          const d = r - mean;
          mean += d / rFilled;
          m2 += d * (r - mean);
        }
        rRing[rPos] = r;
        if (++rPos === rw) {
          rPos = 0;
          let sum = 0;
          for (let k = 0; k < rw; k++) sum += rRing[k]!;
          mean = sum * invRw;
          m2 = 0;
          for (let k = 0; k < rw; k++) {
            const d = rRing[k]! - mean;
            m2 += d * d;
          }
        }
      }
      prevClose = c;
    }
    if (outliers.length > before) outlierBars++;
  }
  return { outlierBars, judgedBars: judged };
}

/** The robust kernel: median and 1.4826 × MAD of a sorted window (O(window) per bar). */
function scanRobust(cols: OhlcvColumns, options: ValidityConfig, outliers: Outlier[]): Counts {
  const n = cols.length;
  const ts = cols.timestamp;
  const close = cols.close;
  const volume = cols.volume;
  const flags = cols.flags;
  const { priceChangeThreshold, volumeSpikeThreshold, volumeWindow, zeroVolumeAllowed, outlierStdDevs } = options;
  const volumes = new RollingSum(volumeWindow);
  const medians = new RollingMedian(options.outlierWindow);
  let outlierBars = 0;
  let judged = 0;
  let prevClose = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (flags !== undefined && flags[i] !== 0) continue;
    judged++;
    const c = close[i]!;
    const v = volume[i]!;
    const before = outliers.length;
    if (v >= 0 && v < Infinity) {
      if (v === 0 && !zeroVolumeAllowed) {
        flag(outliers, OutlierRule.ZeroVolume, i, ts[i]!, 0, 0, 0, 0, true, volumeWindow);
      } else if (volumes.full && volumes.sum > 0 && v * volumeWindow > volumeSpikeThreshold * volumes.sum) {
        const mean = volumes.sum / volumeWindow;
        flag(outliers, OutlierRule.VolumeSpike, i, ts[i]!, v / mean, volumeSpikeThreshold, v, mean, true, volumeWindow);
      }
      volumes.push(v);
    }
    if (c > 0 && c < Infinity) {
      if (prevClose > 0) {
        const r = c / prevClose - 1;
        if (Math.abs(r) > priceChangeThreshold) {
          flag(outliers, OutlierRule.PriceChange, i, ts[i]!, r, priceChangeThreshold, c, prevClose, true, volumeWindow);
        }
        if (medians.full) {
          const median = medians.median();
          const sigma = MAD_TO_SIGMA * medians.mad(median);
          const z = (r - median) / sigma;
          if (sigma > 0 && Math.abs(z) > outlierStdDevs) {
            flag(outliers, OutlierRule.ReturnOutlier, i, ts[i]!, z, outlierStdDevs, r, median, true, options.outlierWindow);
          }
        }
        medians.push(r);
      }
      prevClose = c;
    }
    if (outliers.length > before) outlierBars++;
  }
  return { outlierBars, judgedBars: judged };
}
