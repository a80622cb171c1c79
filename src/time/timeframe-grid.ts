/**
 * The one timeframe grid of the library: bucket width, origin, next slot, alignment and slot
 * counting, worked out once per timeframe. Used by gap detection and fill, preprocessing and
 * validation. Not re-exported from the package (`bucketStart`, `bucketEnd`, `isAligned` and
 * `expectedBarCount` are the public face of the same arithmetic). @internal
 */
import { bucketEnd } from './bucket-end.js';
import { bucketStart, FIRST_MONDAY_MS } from './bucket-start.js';
import { FIXED_WIDTH_MS, type Timeframe } from './timeframe.js';

/**
 * A timeframe's grid: `width` (ms, 0 for the calendar month) and `origin` (ms) of the fixed
 * grids, and a stepping function that works for all.
 */
export interface Grid {
  readonly tf: Timeframe;
  /** Width in ms; 0 for `1M`. */
  readonly width: number;
  /** A grid point: `(t - origin) % width === 0`. */
  readonly origin: number;
  /** The next grid point after the grid point `t`. */
  readonly next: (t: number) => number;
  /** The grid point before the grid point `t`. */
  readonly previous: (t: number) => number;
  /** Whether `t` is a grid point. */
  readonly aligned: (t: number) => boolean;
  /** Grid points strictly between the grid points `a < b`. */
  readonly between: (a: number, b: number) => number;
}

const GRIDS = new Map<Timeframe, Grid>();

/** The grid of `tf` (one object per timeframe, made on first use). */
export function gridOf(tf: Timeframe): Grid {
  let grid = GRIDS.get(tf);
  if (grid === undefined) {
    grid = makeGrid(tf);
    GRIDS.set(tf, grid);
  }
  return grid;
}

function makeGrid(tf: Timeframe): Grid {
  if (tf === '1M') {
    return {
      tf,
      width: 0,
      origin: 0,
      next: (t) => bucketEnd(t, tf),
      previous: (t) => bucketStart(t - 1, tf),
      aligned: (t) => Number.isFinite(t) && bucketStart(t, tf) === t,
      between: (a, b) => {
        let count = 0;
        for (let t = bucketEnd(a, tf); t < b; t = bucketEnd(t, tf)) count++;
        return count;
      },
    };
  }
  const width = FIXED_WIDTH_MS[tf];
  const origin = tf === '1W' ? FIRST_MONDAY_MS : 0;
  return {
    tf,
    width,
    origin,
    next: (t) => t + width,
    previous: (t) => t - width,
    aligned: (t) => Number.isSafeInteger(t) && (t - origin) % width === 0,
    between: (a, b) => (b - a) / width - 1,
  };
}
