import type { Ohlcv } from '../schemas/ohlcv.js';
import { generateBars, resolveGenerateOptions } from './internal/generate-bars.js';
import type { GenerateOhlcvOptions, GeneratedTruth } from './generate-ohlcv-options.js';

/** What `generateOhlcv` returns: the rows and the truth about them. */
export interface GeneratedOhlcv extends GeneratedTruth {
  /** The generated rows, in time order (duplicates right after their original). */
  readonly bars: Ohlcv[];
}

/**
 * Generates a deterministic, realistic OHLCV series for tests: a geometric random walk
 * with wicks and log-normal volumes, on aligned timestamps, with the gaps, duplicate rows
 * and rule-breaking bars you ask for — and a list of each, so a test can check that a
 * detector finds exactly those.
 *
 * Without anomalies every bar is valid: finite, `low <= min(open, close)`,
 * `max(open, close) <= high`, volume > 0, timestamps aligned and strictly increasing
 * (unless duplicates are asked for). Each bar opens at the previous slot's close.
 * The same options always give the same bars (seeded mulberry32; no `Math.random`).
 *
 * For large series in columns (a million bars in well under a second), use
 * {@link generateOhlcvColumns}, which yields the same numbers.
 *
 * @param options - see {@link GenerateOhlcvOptions}; all optional.
 * @returns The rows and the gaps, duplicates and anomalies put into them.
 * @throws ConfigError on an invalid option (a rate outside 0–1, a non-positive price, …).
 *
 * @example
 * ```ts
 * const { bars, gaps } = generateOhlcv({ seed: 7, count: 1440, gapRate: 0.01 });
 * bars[0].timestamp  // 1735689600000 (2025-01-01T00:00:00Z)
 * bars.length + gaps.reduce((n, g) => n + g.missing, 0) // 1440
 * ```
 */
export function generateOhlcv(options: GenerateOhlcvOptions = {}): GeneratedOhlcv {
  const bars: Ohlcv[] = [];
  const truth = generateBars(resolveGenerateOptions(options), (timestamp, open, high, low, close, volume) => {
    bars.push({ timestamp, open, high, low, close, volume });
  });
  return { bars, ...truth };
}
