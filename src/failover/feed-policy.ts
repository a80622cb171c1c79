import { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { DEFAULT_ESCALATION, DEFAULT_FEED_FAILURE, DEFAULT_FRESHNESS, FeedFailureConfigSchema } from '../schemas/config.js';
import { MINUTE_MS } from '../time/timeframe.js';
import { describeOption } from '../internal/options.js';

/**
 * zod schema of {@link FeedPolicy}: the configuration's `feedFailure` section plus the few
 * numbers the feed state machine needs beyond it.
 */
export const FeedPolicySchema = FeedFailureConfigSchema.extend({
  /** Escalate when a source has been unavailable for longer than this, in ms (the configuration's `escalation.sourceUnavailableMs`). */
  sourceUnavailableMs: z.number().positive().refine(Number.isFinite, { message: 'Expected a finite number' }),
  /** Whether a backup source exists; without one the failover step serves cached data instead. */
  hasBackup: z.boolean(),
  /** How long cached data is served before trading is halted, in ms. */
  haltAfterCachedMs: z.number().min(0).refine(Number.isFinite, { message: 'Expected a finite number' }),
  /** Width of one bar of the feed, in ms; used to count the bars missed during an outage. */
  barIntervalMs: z.number().positive().refine(Number.isFinite, { message: 'Expected a finite number' }),
  /** Successful latencies kept for the rolling median that defines "normal" latency. */
  latencyWindow: z.number().int().positive(),
  /** Latency above this multiple of the rolling median raises an alert. */
  latencyAlertFactor: z.number().gt(1).refine(Number.isFinite, { message: 'Expected a finite number' }),
  /** Latencies needed in the window before any latency alert is raised. */
  latencyMinSamples: z.number().int().positive(),
});

/**
 * The feed failure protocol as the feed state machine (`nextFeedState`) uses it: every field of
 * `FeedFailureConfig` (timeouts, error threshold, ladder delays, backfill, anti-flapping period)
 * plus the escalation period, whether a backup exists, how long cached data may be served, the
 * bar width used to count missed bars, and the latency-alert rule. All durations are in ms.
 */
export type FeedPolicy = z.output<typeof FeedPolicySchema>;

/**
 * The specification's protocol with this library's choices where it is silent.
 *
 * - From the specification: `timeoutMs` 30 s, `errorThreshold` 3, `retryDelayMs` 5 s,
 *   `failoverDelayMs` 10 s, notify on cached, escalate on halt, backfill at most 100 bars,
 *   `sourceUnavailableMs` 5 min (see `DEFAULT_FEED_FAILURE` and `DEFAULT_ESCALATION`).
 * - `recoveryStableMs` 60 s of successful answers before switching back (`DEFAULT_FEED_FAILURE`).
 * - `haltAfterCachedMs` 60 s: cached 1m data is past the specification's 60 s freshness limit
 *   for 1m data by then, so trading on it stops.
 * - `barIntervalMs` 1 min: the specification's base timeframe.
 * - "Normal" latency is the median of the last 20 successful answers; an answer slower than 3×
 *   that median raises an alert once at least 5 answers are known. The specification's example,
 *   150 ms against a normal 45 ms (3.3×), alerts.
 *
 * @defaultValue `{ ...DEFAULT_FEED_FAILURE, sourceUnavailableMs: 300000, hasBackup: true, haltAfterCachedMs: 60000, barIntervalMs: 60000, latencyWindow: 20, latencyAlertFactor: 3, latencyMinSamples: 5 }`
 */
export const DEFAULT_FEED_POLICY: FeedPolicy = {
  ...DEFAULT_FEED_FAILURE,
  sourceUnavailableMs: DEFAULT_ESCALATION.sourceUnavailableMs,
  hasBackup: true,
  haltAfterCachedMs: DEFAULT_FRESHNESS.maxDelayMs['1m'] ?? MINUTE_MS,
  barIntervalMs: MINUTE_MS,
  latencyWindow: 20,
  latencyAlertFactor: 3,
  latencyMinSamples: 5,
};

/**
 * A complete, validated {@link FeedPolicy}: {@link DEFAULT_FEED_POLICY} with `overrides` applied.
 * Validate once, then pass the result to every `nextFeedState` call.
 *
 * @param overrides - Any subset of the policy, e.g. the configuration's `feedFailure` section.
 * @returns A new policy object; neither argument nor default is mutated.
 * @throws {@link ConfigError} naming the field and the offending value.
 *
 * @example
 * ```ts
 * resolveFeedPolicy({ recoveryStableMs: 120_000 }).recoveryStableMs // 120000
 * resolveFeedPolicy({ errorThreshold: 0 }) // throws ConfigError: Invalid feed policy at `errorThreshold` …, got `0`
 * ```
 */
export function resolveFeedPolicy(overrides: Partial<FeedPolicy> = {}): FeedPolicy {
  const merged: unknown = { ...DEFAULT_FEED_POLICY, ...overrides };
  const parsed = FeedPolicySchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const path = first?.path ?? [];
  const key = path[0];
  const value = typeof key === 'string' ? (merged as Record<string, unknown>)[key] : merged;
  throw new ConfigError(
    `Invalid feed policy at \`${path.map(String).join('.') || '(root)'}\`: ${first?.message ?? 'invalid'}, got \`${describeOption(value)}\``,
    { path, value, cause: parsed.error },
  );
}
