import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import { generateBars, resolveGenerateOptions } from './internal/generate-bars.js';
import type { GenerateOhlcvOptions, GeneratedTruth } from './generate-ohlcv-options.js';

/** What `generateOhlcvColumns` returns: the columns and the truth about them. */
export interface GeneratedOhlcvColumns extends GeneratedTruth {
  /** The generated bars as columns (arrays exactly `length` long). */
  readonly columns: OhlcvColumns;
}

/**
 * {@link generateOhlcv}, written straight into `OhlcvColumns` without creating row
 * objects: the same options give the same numbers as `toColumns(generateOhlcv(options).bars)`.
 * Use it for large series (benchmarks use one million bars).
 *
 * @param options - see {@link GenerateOhlcvOptions}; all optional.
 * @returns The columns and the gaps, duplicates and anomalies put into them.
 * @throws ConfigError on an invalid option.
 *
 * @example
 * ```ts
 * const { columns } = generateOhlcvColumns({ seed: 42, count: 1_000_000 });
 * columns.length        // 1000000
 * columns.timestamp[1]  // 1735689660000 (one minute after the default start)
 * ```
 */
export function generateOhlcvColumns(options: GenerateOhlcvOptions = {}): GeneratedOhlcvColumns {
  const o = resolveGenerateOptions(options);
  // Rows emitted are at most count + one duplicate per slot.
  const capacity = o.duplicateRate > 0 ? 2 * o.count : o.count;
  const timestamp = new Float64Array(capacity);
  const open = new Float64Array(capacity);
  const high = new Float64Array(capacity);
  const low = new Float64Array(capacity);
  const close = new Float64Array(capacity);
  const volume = new Float64Array(capacity);
  let n = 0;
  const truth = generateBars(o, (t, op, hi, lo, cl, vo) => {
    timestamp[n] = t;
    open[n] = op;
    high[n] = hi;
    low[n] = lo;
    close[n] = cl;
    volume[n] = vo;
    n++;
  });
  const trim = (a: Float64Array): Float64Array => (a.length === n ? a : a.slice(0, n));
  return {
    columns: {
      length: n,
      timestamp: trim(timestamp),
      open: trim(open),
      high: trim(high),
      low: trim(low),
      close: trim(close),
      volume: trim(volume),
    },
    ...truth,
  };
}
