import { barFlagCode } from '../schemas/bar-flag.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { clipRow, OutlierScanState, resolveOutlierOptions } from './internal/outlier-kernel.js';
import type { OutlierMethod } from './outlier-method.js';

/** Options of {@link OutlierHandler}: those of `handleOutliers` but `breaks` (a bar says it follows one). */
export interface OutlierHandlerOptions {
  /**
   * What to do with an outlier; see {@link OutlierMethod}.
   *
   * @defaultValue `'clip'` (`DEFAULT_PREPROCESSING.outliers`)
   */
  readonly method?: OutlierMethod;
  /**
   * Distance from the window's mean return, in sample standard deviations, beyond which a
   * return is an outlier. A positive finite number.
   *
   * @defaultValue 5 (`DEFAULT_PREPROCESSING.outlierThreshold`)
   */
  readonly threshold?: number;
  /**
   * Number of preceding returns the mean and standard deviation are taken over; an integer of at least 2.
   *
   * @defaultValue 100 (`DEFAULT_VALIDITY.outlierWindow`)
   */
  readonly window?: number;
}

/** What {@link OutlierHandler.add} returns for one bar. */
export interface HandledBar {
  /** The bar as `handleOutliers` outputs it: clipped into the band and flagged `clipped`, unchanged, or `undefined` when removed. */
  readonly bar: Ohlcv | undefined;
  /** Whether it is an outlier (clipped, removed or only listed, by the method). */
  readonly outlier: boolean;
}

/**
 * The streaming twin of `handleOutliers`: feed it bars in time order, one at a time, and each
 * comes back as `handleOutliers` over every bar fed would return it (the same rule and
 * arithmetic, one kernel; proved equal in `test/preprocess/outlier-handler.test.ts`). A bar
 * fed with `afterBreak` is the first after a break (`handleOutliers`' `breaks`): no return is
 * measured across it. Pure: no clock, no I/O.
 *
 * @example
 * ```ts
 * const handler = new OutlierHandler({ window: 4 });
 * // closes 100, 101, 100, 101, 100, then 130:
 * for (const bar of calm) handler.add(bar); // each { bar, outlier: false }
 * handler.add(spike) // { bar: { …, close ≈ 102.x (the band's top), flag: 'clipped' }, outlier: true }
 * ```
 */
export class OutlierHandler {
  readonly #method: OutlierMethod;
  readonly #state: OutlierScanState;

  /**
   * @param options - See {@link OutlierHandlerOptions}.
   * @throws {@link ConfigError} on an unknown method, a threshold that is not positive or a window below 2.
   */
  constructor(options: OutlierHandlerOptions = {}) {
    const { method, threshold, window } = resolveOutlierOptions(options);
    this.#method = method;
    this.#state = new OutlierScanState(threshold, window, method === 'remove');
  }

  /**
   * Judges the next bar after the ones fed.
   *
   * @param bar - The next bar in time order; not modified.
   * @param afterBreak - Whether it is the first bar after a break (a large gap).
   * @returns The bar as handled, and whether it is an outlier.
   */
  add(bar: Ohlcv, afterBreak = false): HandledBar {
    const state = this.#state;
    if (!state.step(bar.close, barFlagCode(bar.flag), afterBreak)) return { bar, outlier: false };
    if (this.#method === 'remove') return { bar: undefined, outlier: true };
    return { bar: this.#method === 'clip' ? clipRow(bar, state.lo, state.hi) : bar, outlier: true };
  }
}
