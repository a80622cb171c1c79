import type { QualityWeights } from '../../schemas/config.js';

/** The four quality metrics, each in [0, 1] (the shape of `QualityMetrics`). */
interface Metrics {
  readonly completeness: number;
  readonly validity: number;
  readonly freshness: number;
  readonly consistency: number;
}

/**
 * The weighted quality score, clamped to [0, 1]: the weights sum to 1 only within 1e-9, so
 * the sum of four metrics in [0, 1] can round just outside. Shared by `scoreQuality` and the
 * pipeline's per-series scores. Never exported from the package.
 */
export function weighQuality(metrics: Metrics, weights: QualityWeights): number {
  const raw =
    weights.completeness * metrics.completeness +
    weights.validity * metrics.validity +
    weights.freshness * metrics.freshness +
    weights.consistency * metrics.consistency;
  return Math.min(1, Math.max(0, raw));
}
