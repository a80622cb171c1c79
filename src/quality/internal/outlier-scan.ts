/**
 * The kernels of `detectOutliers`, resumable: the rolling windows live in a state object, so
 * scanning a series in several calls (the pipeline's quality ledger feeds a series' bars as
 * they arrive) judges every bar as one call over the whole series would. Never exported from
 * the package.
 */
import type { Outlier } from '../outlier.js';
import { OutlierRule } from '../outlier-rule.js';
import type { ValidityConfig } from '../../schemas/config.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import { RollingMedian, RollingSum } from './rolling-windows.js';
import { CLOSE_CALL, ringSquaredDeviations, ringSum } from '../../internal/ring-sums.js';

/** Scale factor of the MAD to estimate a normal distribution's standard deviation. */
const MAD_TO_SIGMA = 1.4826;

/** The rolling windows of the default kernel (mean and standard deviation). */
interface MomentsState {
  readonly method: 'stddev';
  /** The last `volumeWindow` volumes, a ring. */
  readonly vRing: Float64Array;
  /** The last `outlierWindow` returns, a ring. */
  readonly rRing: Float64Array;
  vSum: number;
  vPos: number;
  vFilled: number;
  mean: number;
  m2: number;
  rPos: number;
  rFilled: number;
  /** The previous real bar's positive finite close; NaN before the first. */
  prevClose: number;
}

/** The rolling windows of the robust kernel (median and MAD). */
interface RobustState {
  readonly method: 'mad';
  readonly volumes: RollingSum;
  readonly medians: RollingMedian;
  prevClose: number;
}

/** The rolling windows of one series' scan; make one with {@link outlierState}. */
export type OutlierState = MomentsState | RobustState;

/**
 * Empty windows for a scan with these options.
 *
 * @param options - The resolved validity configuration (its method and window lengths).
 * @returns A state for {@link scanOutliers}.
 */
export function outlierState(options: ValidityConfig): OutlierState {
  if (options.outlierMethod === 'mad') {
    return {
      method: 'mad',
      volumes: new RollingSum(options.volumeWindow),
      medians: new RollingMedian(options.outlierWindow),
      prevClose: Number.NaN,
    };
  }
  return {
    method: 'stddev',
    vRing: new Float64Array(options.volumeWindow),
    rRing: new Float64Array(options.outlierWindow),
    vSum: 0,
    vPos: 0,
    vFilled: 0,
    mean: 0,
    m2: 0,
    rPos: 0,
    rFilled: 0,
    prevClose: Number.NaN,
  };
}

/**
 * Judges every bar of `cols` against the windows in `state` (the bars of earlier calls) and
 * moves the windows on; findings go to `outliers` with indices into `cols`.
 *
 * @param cols - The next bars of the series, in time order.
 * @param options - The validity configuration `state` was made for.
 * @param state - Updated in place.
 * @param outliers - Receives the findings, in bar order.
 * @returns Distinct bars flagged and bars judged in this call.
 */
export function scanOutliers(cols: OhlcvColumns, options: ValidityConfig, state: OutlierState, outliers: Outlier[]): OutlierCounts {
  return state.method === 'mad' ? scanRobust(cols, options, state, outliers) : scanMoments(cols, options, state, outliers);
}

/** What one scan counted. */
export interface OutlierCounts {
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
 * Flags a volume spike if the exact sum of the full volume window (oldest at `start`) confirms
 * what the running sum suggested; see `ring-sums.ts`.
 */
function judgeVolume(
  outliers: Outlier[],
  ring: Float64Array,
  start: number,
  v: number,
  limit: number,
  index: number,
  timestamp: number,
  robust: boolean,
): void {
  const window = ring.length;
  const sum = ringSum(ring, start);
  if (sum > 0 && v * window > limit * sum) {
    flag(outliers, OutlierRule.VolumeSpike, index, timestamp, (v * window) / sum, limit, v, sum / window, robust, window);
  }
}

/**
 * Flags a return outlier if the exact mean and sample standard deviation of the full return
 * window (oldest at `start`) confirm what the running sums suggested; see `ring-sums.ts`.
 */
function judgeReturn(
  outliers: Outlier[],
  ring: Float64Array,
  start: number,
  r: number,
  limit: number,
  index: number,
  timestamp: number,
): void {
  const window = ring.length;
  const mean = ringSum(ring, start) / window;
  const m2 = ringSquaredDeviations(ring, start, mean);
  const d = r - mean;
  // d² > k² · m2 / (window − 1), as the running test.
  if (m2 > 0 && d * d * (window - 1) > limit * limit * m2) {
    flag(outliers, OutlierRule.ReturnOutlier, index, timestamp, d / Math.sqrt(m2 / (window - 1)), limit, r, mean, false, window);
  }
}

/**
 * The default kernel (mean and standard deviation), with the rolling windows held in local
 * variables: one pass, no allocation per bar. Sums are recomputed exactly each time a ring
 * wraps, so rounding does not drift over a long series; between two wraps the running sums
 * only pick the bars that may pass a limit, and {@link judgeVolume} and {@link judgeReturn}
 * decide on exact sums (so a window that turned flat flags nothing, whatever its running sums
 * kept).
 */
function scanMoments(cols: OhlcvColumns, options: ValidityConfig, state: MomentsState, outliers: Outlier[]): OutlierCounts {
  const n = cols.length;
  const ts = cols.timestamp;
  const close = cols.close;
  const volume = cols.volume;
  const flags = cols.flags;
  const { priceChangeThreshold, volumeSpikeThreshold, zeroVolumeAllowed, outlierStdDevs } = options;
  const vw = options.volumeWindow;
  const rw = options.outlierWindow;
  const { vRing, rRing } = state;
  const k2 = outlierStdDevs * outlierStdDevs;
  const invRw = 1 / rw;
  const margin = CLOSE_CALL;
  let { vSum, vPos, vFilled, mean, m2, rPos, rFilled, prevClose } = state;
  let outlierBars = 0;
  let judged = 0;
  for (let i = 0; i < n; i++) {
    if (flags !== undefined && flags[i] !== 0) continue;
    judged++;
    const c = close[i]!;
    const v = volume[i]!;
    const before = outliers.length;
    if (v >= 0 && v < Infinity) {
      if (v === 0 && !zeroVolumeAllowed) {
        flag(outliers, OutlierRule.ZeroVolume, i, ts[i]!, 0, 0, 0, 0, false, vw);
      } else if (vFilled === vw && vSum > 0 && v * vw * margin > volumeSpikeThreshold * vSum) {
        judgeVolume(outliers, vRing, vPos, v, volumeSpikeThreshold, i, ts[i]!, false);
      }
      vSum += vFilled === vw ? v - vRing[vPos]! : v;
      if (vFilled < vw) vFilled++;
      vRing[vPos] = v;
      if (++vPos === vw) {
        vPos = 0;
        vSum = ringSum(vRing, 0);
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
          if (m2 > 0 && d * d * (rw - 1) * margin > k2 * m2) {
            judgeReturn(outliers, rRing, rPos, r, outlierStdDevs, i, ts[i]!);
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
          mean = ringSum(rRing, 0) * invRw;
          m2 = ringSquaredDeviations(rRing, 0, mean);
        }
      }
      prevClose = c;
    }
    if (outliers.length > before) outlierBars++;
  }
  state.vSum = vSum;
  state.vPos = vPos;
  state.vFilled = vFilled;
  state.mean = mean;
  state.m2 = m2;
  state.rPos = rPos;
  state.rFilled = rFilled;
  state.prevClose = prevClose;
  return { outlierBars, judgedBars: judged };
}

/** The robust kernel: median and 1.4826 × MAD of a sorted window (O(window) per bar). */
function scanRobust(cols: OhlcvColumns, options: ValidityConfig, state: RobustState, outliers: Outlier[]): OutlierCounts {
  const n = cols.length;
  const ts = cols.timestamp;
  const close = cols.close;
  const volume = cols.volume;
  const flags = cols.flags;
  const { priceChangeThreshold, volumeSpikeThreshold, volumeWindow, zeroVolumeAllowed, outlierStdDevs } = options;
  const { volumes, medians } = state;
  let outlierBars = 0;
  let judged = 0;
  let prevClose = state.prevClose;
  for (let i = 0; i < n; i++) {
    if (flags !== undefined && flags[i] !== 0) continue;
    judged++;
    const c = close[i]!;
    const v = volume[i]!;
    const before = outliers.length;
    if (v >= 0 && v < Infinity) {
      if (v === 0 && !zeroVolumeAllowed) {
        flag(outliers, OutlierRule.ZeroVolume, i, ts[i]!, 0, 0, 0, 0, true, volumeWindow);
      } else if (volumes.full && volumes.sum > 0 && v * volumeWindow * CLOSE_CALL > volumeSpikeThreshold * volumes.sum) {
        judgeVolume(outliers, volumes.window, volumes.start, v, volumeSpikeThreshold, i, ts[i]!, true);
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
  state.prevClose = prevClose;
  return { outlierBars, judgedBars: judged };
}
