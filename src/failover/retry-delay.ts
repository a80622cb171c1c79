import { ConfigError } from '../errors/config-error.js';
import { DEFAULT_RETRY_POLICY, RetryPolicySchema, type RetryPolicy } from './retry-policy.js';

/**
 * How long to wait before retry number `attempt`: exponential backoff with "full jitter"
 * (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015):
 * `random() × min(maxMs, baseMs × factor^(attempt − 1))`.
 * Full jitter spreads clients that failed together, so they do not retry in lockstep.
 *
 * The result is finite and in `[0, maxMs]` for every attempt (the power is never computed
 * beyond the cap, so attempt 10,000 is fine) and for every `random()` result: values outside
 * `[0, 1)` or `NaN` from a faulty generator are clamped.
 *
 * @param attempt - The retry's number, 1 for the first retry. Values below 1 count as 1, fractions are rounded down.
 * @param policy - Base, growth factor and cap; {@link DEFAULT_RETRY_POLICY} by default.
 * @param random - Uniform random numbers in `[0, 1)`; inject a seeded generator in tests.
 * @returns Milliseconds to wait, in `[0, maxMs]`.
 * @throws {@link ConfigError} when `policy` is invalid (a custom policy is checked on every call; it is cheap).
 *
 * @example
 * ```ts
 * retryDelay(1, undefined, () => 0.5)      // 2500  (half of 5 s)
 * retryDelay(3, undefined, () => 0.5)      // 10000 (half of 20 s)
 * retryDelay(10_000, undefined, () => 0.5) // 30000 (half of the 60 s cap)
 * ```
 */
export function retryDelay(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number {
  if (policy !== DEFAULT_RETRY_POLICY) {
    const parsed = RetryPolicySchema.safeParse(policy);
    if (!parsed.success) {
      const path = parsed.error.issues[0]?.path ?? [];
      const key = path[0];
      const value: unknown = typeof key === 'string' ? (policy as Record<string, unknown>)[key] : policy;
      throw new ConfigError(
        `Invalid retry policy at \`${path.map(String).join('.') || '(root)'}\`: ${parsed.error.issues[0]?.message ?? 'invalid'}, got \`${JSON.stringify(value) ?? String(value)}\``,
        { path, value, cause: parsed.error },
      );
    }
  }
  const { baseMs, factor, maxMs } = policy;
  const n = attempt > 1 ? Math.floor(attempt) - 1 : 0;
  // base × factor^n reaches the cap once n >= log(max / base) / log(factor); never compute past it
  // (factor^n would overflow, and 0 × Infinity or 1 ** Infinity is NaN).
  let ceiling: number;
  if (baseMs === 0) ceiling = 0;
  else if (factor === 1 || n === 0) ceiling = baseMs;
  else ceiling = n >= Math.log(maxMs / baseMs) / Math.log(factor) ? maxMs : Math.min(maxMs, baseMs * factor ** n);
  const r = random();
  const u = r > 0 ? (r < 1 ? r : 1) : 0;
  return u * ceiling;
}
