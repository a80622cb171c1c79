import type { OutlierRule } from './outlier-rule.js';

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
