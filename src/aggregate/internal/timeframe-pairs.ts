import { ConfigError } from '../../errors/config-error.js';
import { DAY_MS, FIXED_WIDTH_MS, TIMEFRAMES, type FixedTimeframe, type Timeframe } from '../../time/timeframe.js';
import { FIRST_MONDAY_MS } from '../../time/bucket-start.js';
import { gridOf } from '../../time/timeframe-grid.js';

/** Width in ms of a timeframe, with `1M` counted as 31 days (only for ordering). */
export function orderingWidth(tf: Timeframe): number {
  return tf === '1M' ? 31 * DAY_MS : FIXED_WIDTH_MS[tf];
}

/**
 * Whether every bucket of `target` is an exact union of buckets of a source grid of width
 * `sourceMs` aligned to the epoch (`1W` grids to Monday). `sourceTf` names the source when
 * it is a timeframe (a `1W` source divides only `1W`).
 */
export function gridDivides(sourceMs: number, target: Timeframe, sourceTf?: Timeframe): boolean {
  if (sourceTf === target) return true;
  if (sourceTf === '1W' || sourceTf === '1M') return false;
  if (target === '1M') return DAY_MS % sourceMs === 0;
  const width = FIXED_WIDTH_MS[target];
  if (width % sourceMs !== 0) return false;
  return target !== '1W' || FIRST_MONDAY_MS % sourceMs === 0;
}

/**
 * Checks that `source` can be aggregated to `target` (same or larger, dividing it), or throws
 * a `ConfigError` naming `path`.
 */
export function assertAggregatable(source: Timeframe, target: Timeframe, path: readonly PropertyKey[]): void {
  if (source === '1M' && target !== '1M') {
    throw new ConfigError(`Cannot aggregate \`1M\` bars to \`${target}\`: a target must be at least as large as the source`, {
      path,
      value: target,
    });
  }
  const sourceMs = source === '1M' ? 0 : FIXED_WIDTH_MS[source];
  if (source !== '1M' && orderingWidth(target) < sourceMs) {
    throw new ConfigError(`Cannot aggregate \`${source}\` bars to \`${target}\`: the target is smaller than the source`, {
      path,
      value: target,
    });
  }
  if (source !== '1M' && !gridDivides(sourceMs, target, source)) {
    throw new ConfigError(
      `Cannot aggregate \`${source}\` bars to \`${target}\`: \`${source}\` buckets do not divide \`${target}\` buckets`,
      { path, value: target },
    );
  }
}

/**
 * The largest fixed timeframe whose grid holds `firstTs` and every step that is a multiple of
 * `stepMs` (the greatest common divisor of the steps between bars), if any.
 */
export function inferTimeframe(stepMs: number, firstTs: number): FixedTimeframe | undefined {
  let best: FixedTimeframe | undefined;
  for (const tf of TIMEFRAMES) {
    if (tf === '1M') continue;
    const { width, origin } = gridOf(tf);
    if (stepMs % width === 0 && (firstTs - origin) % width === 0) best = tf;
  }
  return best;
}
