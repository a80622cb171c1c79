import { ConfigError } from '../errors/config-error.js';
import { DEFAULT_RATE_LIMIT, RateLimitConfigSchema, type RateLimitConfig } from '../schemas/config.js';
import { MINUTE_MS } from '../time/timeframe.js';
import type { RateLimiterState } from './rate-limiter-state.js';

/**
 * A new rate limiter for one source, as plain JSON state: an empty 60 s sliding window
 * (`requestsPerMinute` in every 60 s, the default), a full token bucket (`requestsPerMinute`
 * tokens, refilled at `requestsPerMinute` per minute), or an empty, clock-aligned weight window.
 * Use it with `tryAcquire` and `applyServerFeedback`.
 *
 * @param config - The source's limit; the specification's 1200 requests a minute by default,
 *   `BINANCE_WEIGHT_LIMIT` for Binance's 6000 weight per clock minute.
 * @returns The initial state.
 * @throws {@link ConfigError} when `config` is not a valid rate limit.
 *
 * @example
 * ```ts
 * createRateLimiter() // { kind: 'sliding_window', limit: 1200, windowMs: 60000, grants: [], blockedUntil: null, blockReason: null }
 * createRateLimiter(BINANCE_WEIGHT_LIMIT).kind // 'weight_window'
 * ```
 */
export function createRateLimiter(config: RateLimitConfig = DEFAULT_RATE_LIMIT): RateLimiterState {
  const parsed = RateLimitConfigSchema.safeParse(config);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path ?? [];
    const key = path[0];
    const value: unknown =
      typeof key === 'string' && typeof config === 'object' && config !== null ? (config as Record<string, unknown>)[key] : config;
    throw new ConfigError(
      `Invalid rate limit at \`${path.map(String).join('.') || '(root)'}\`: ${parsed.error.issues[0]?.message ?? 'invalid'}, got \`${JSON.stringify(value) ?? String(value)}\``,
      { path, value, cause: parsed.error },
    );
  }
  const c = parsed.data;
  if (c.kind === 'sliding_window') {
    return { kind: 'sliding_window', limit: c.requestsPerMinute, windowMs: MINUTE_MS, grants: [], blockedUntil: null, blockReason: null };
  }
  if (c.kind === 'token_bucket') {
    return {
      kind: 'token_bucket',
      capacity: c.requestsPerMinute,
      refillPerMs: c.requestsPerMinute / MINUTE_MS,
      tokens: c.requestsPerMinute,
      updatedAt: null,
      blockedUntil: null,
      blockReason: null,
    };
  }
  return { kind: 'weight_window', limit: c.limit, windowMs: c.windowMs, windowStart: null, used: 0, blockedUntil: null, blockReason: null };
}
