import { describeOption } from '../../internal/options.js';
import { ConfigError } from '../../errors/config-error.js';
import { DEFAULT_QUALITY_WEIGHTS, QualityWeightsSchema, type QualityWeights } from '../../schemas/config.js';

/**
 * The quality weights of a `QualityConfig`: {@link DEFAULT_QUALITY_WEIGHTS} when absent, else
 * the weights validated whole (non-negative, summing to 1). Shared by `scoreQuality` and
 * `QualityTracker`.
 *
 * @param weights - `config.weights` as given.
 * @returns The weights.
 * @throws {@link ConfigError} naming `config.weights…` and the offending value.
 */
export function resolveWeights(weights: unknown): QualityWeights {
  if (weights === undefined) return DEFAULT_QUALITY_WEIGHTS;
  const parsed = QualityWeightsSchema.safeParse(weights);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = ['config', 'weights', ...(issue?.path ?? [])];
  throw new ConfigError(
    `Invalid option at \`${path.map(String).join('.')}\`: ${issue?.message ?? 'invalid'}, got \`${describeOption(weights)}\``,
    { path, value: weights, cause: parsed.error },
  );
}
