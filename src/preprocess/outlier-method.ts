/**
 * What to do with an outlier bar:
 * - `clip`: its open, high, low and close are clipped into the band (OHLC order is kept, so the
 *   bar stays valid) and it carries flag `clipped`;
 * - `remove`: the bar is dropped;
 * - `flag`: nothing changes; the bar is only listed.
 */
export type OutlierMethod = 'clip' | 'remove' | 'flag';
