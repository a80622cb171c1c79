import type { Ohlcv } from '../../schemas/ohlcv.js';

/** Whether a bar was made up by gap filling (interpolated or forward-filled): a real bar replaces it. */
export function isSynthetic(bar: Ohlcv): boolean {
  return bar.flag === 'interpolated' || bar.flag === 'forward_filled';
}

/** Whether two bars carry the same open time, prices, volumes and flag. */
export function sameBar(a: Ohlcv, b: Ohlcv): boolean {
  return (
    a.timestamp === b.timestamp &&
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume &&
    a.flag === b.flag &&
    a.quoteVolume === b.quoteVolume &&
    a.trades === b.trades &&
    a.takerBuyVolume === b.takerBuyVolume
  );
}
