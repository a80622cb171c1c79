import { interquartileRange, mean, median, standardDeviation } from 'simple-statistics';
import { ConfigError } from '../errors/config-error.js';

/**
 * How {@link normalize} centres and scales:
 * - `robust`: `(x − median) / IQR`, the interquartile range as simple-statistics computes it
 *   (scikit-learn's `RobustScaler` idea; insensitive to outliers);
 * - `zscore`: `(x − mean) / standard deviation` (population, as scikit-learn's `StandardScaler`).
 */
export type NormalizeMethod = 'robust' | 'zscore';

/** Options of {@link normalize}. */
export interface NormalizeOptions {
  /**
   * Centre and scale; see {@link NormalizeMethod}.
   *
   * @defaultValue `'robust'` (the specification's normalisation method)
   */
  readonly method?: NormalizeMethod;
}

/**
 * Values centred and scaled with simple-statistics. `NaN` and infinite values are left out
 * of the statistics and come out as `NaN`. When the scale is 0 (constant values) the values
 * are only centred (scale 1, as scikit-learn does). Fewer than one finite value gives all
 * `NaN`. The specification leaves normalisation to the feature engineer, so `preprocess`
 * does not call it.
 *
 * @param values - Any numbers, e.g. a column of returns.
 * @param options - See {@link NormalizeOptions}.
 * @returns A new `Float64Array` of the same length.
 * @throws {@link ConfigError} on an unknown method.
 *
 * @example
 * ```ts
 * normalize([1, 2, 3, 4, 5], { method: 'zscore' }) // Float64Array [-1.414…, -0.707…, 0, 0.707…, 1.414…]
 * normalize([1, 2, 3, 4, 100])                      // robust: median 3, IQR 2 → [-1, -0.5, 0, 0.5, 48.5]
 * ```
 */
export function normalize(values: ArrayLike<number>, options: NormalizeOptions = {}): Float64Array {
  const method: unknown = options.method ?? 'robust';
  if (method !== 'robust' && method !== 'zscore') {
    throw new ConfigError(`Expected \`method\` to be 'robust' or 'zscore', got \`${String(method)}\``, {
      path: ['method'],
      value: method,
    });
  }
  const out = new Float64Array(values.length);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) finite.push(v);
  }
  if (finite.length === 0) return out.fill(Number.NaN);
  const centre = method === 'robust' ? median(finite) : mean(finite);
  const spread = method === 'robust' ? interquartileRange(finite) : standardDeviation(finite);
  const scale = spread > 0 ? spread : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    out[i] = Number.isFinite(v) ? (v - centre) / scale : Number.NaN;
  }
  return out;
}
