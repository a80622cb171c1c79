/**
 * The tests `detectOutliers` applies to each real (unflagged) bar.
 *
 * - `price_change`: `|close / previous close − 1|` above `priceChangeThreshold` (10 %);
 * - `volume_spike`: volume above `volumeSpikeThreshold` (20×) times the mean volume of the
 *   previous `volumeWindow` real bars;
 * - `zero_volume`: volume exactly 0 when `zeroVolumeAllowed` is false;
 * - `return_outlier`: the close-to-close return more than `outlierStdDevs` (5) deviations
 *   from the centre of the previous `outlierWindow` returns (mean and standard deviation,
 *   or median and scaled MAD).
 */
export const OutlierRule = {
  PriceChange: 'price_change',
  VolumeSpike: 'volume_spike',
  ZeroVolume: 'zero_volume',
  ReturnOutlier: 'return_outlier',
} as const;

/** One of the values of {@link OutlierRule}. */
export type OutlierRule = (typeof OutlierRule)[keyof typeof OutlierRule];
