import { describe, expect, it } from 'vitest';
import { DEFAULT_FEED_POLICY, FeedPolicySchema, resolveFeedPolicy } from '../../src/failover/feed-policy.js';
import { feedHealth } from '../../src/failover/feed-health.js';
import type { FeedEvent } from '../../src/failover/feed-state.js';
import { finalState, ok, runScript, type ScriptStep } from './feed-script.js';

/** Successful primary answers one second apart with the given latencies. */
const answers = (latencies: readonly number[]): ScriptStep[] =>
  latencies.map((latencyMs, i) => ({ at: i * 1000, event: ok('primary', latencyMs) }));

/** The latency alerts a script raised. */
const alerts = (steps: readonly ScriptStep[]): unknown[] =>
  runScript(steps)
    .flatMap((r) => r.actions)
    .filter((a) => a.kind === 'alert');

describe('nextFeedState: latencies (DEFAULT_FEED_POLICY: window 20, factor 3, at least 5 samples)', () => {
  it('keeps the last latencyWindow latencies', () => {
    const latencies = Array.from({ length: 30 }, (_, i) => 40 + i);
    expect(finalState(runScript(answers(latencies))).primary.latencies).toEqual(latencies.slice(-DEFAULT_FEED_POLICY.latencyWindow));
  });

  it('records a latency of 0 and ignores a negative or non-finite one', () => {
    expect(finalState(runScript(answers([0]))).primary).toMatchObject({ latencyMs: 0, latencies: [0] });
    for (const bad of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(finalState(runScript(answers([45, bad]))).primary).toMatchObject({ latencyMs: 45, latencies: [45] });
    }
  });

  it('alerts on a latency strictly above 3× the median, not at exactly 3×', () => {
    expect(alerts(answers([100, 100, 100, 100, 100, 300]))).toEqual([]);
    expect(alerts(answers([100, 100, 100, 100, 100, 301]))).toEqual([
      { kind: 'alert', source: 'primary', latencyMs: 301, normalLatencyMs: 100 },
    ]);
  });

  it('does not alert at exactly 3× the median when a faster answer is in the window', () => {
    // Median 100, fastest 50: 300 is beyond 3× the fastest, and exactly 3× the median.
    expect(alerts(answers([50, 100, 100, 100, 100, 300]))).toEqual([]);
  });

  it('judges against the median, not the fastest answer', () => {
    // Median 200, fastest 100: 500 is above 3× the fastest but not above 3× the median.
    expect(alerts(answers([100, 100, 200, 200, 200, 500]))).toEqual([]);
    expect(alerts(answers([100, 100, 200, 200, 200, 601]))).toEqual([
      { kind: 'alert', source: 'primary', latencyMs: 601, normalLatencyMs: 200 },
    ]);
  });
});

describe('nextFeedState: rate limits', () => {
  const limited = (retryAfterMs?: number): FeedEvent =>
    retryAfterMs === undefined
      ? { kind: 'failed', source: 'primary', failure: 'rate_limited' }
      : { kind: 'failed', source: 'primary', failure: 'rate_limited', retryAfterMs };

  it('keeps a Retry-After still running through a success, and forgets it once it has ended', () => {
    const during = runScript([
      { at: 0, event: limited(60_000) },
      { at: 1000, event: ok('primary') },
    ]);
    expect(finalState(during).primary.rateLimitedUntil).toBe(60_000);
    const after = runScript([
      { at: 0, event: limited(60_000) },
      { at: 60_000, event: ok('primary') },
    ]);
    expect(finalState(after).primary.rateLimitedUntil).toBeNull();
  });

  it('asks for a back-off only when the server gave a Retry-After', () => {
    expect(runScript([{ at: 0, event: limited() }])[0]?.actions).toEqual([]);
    expect(runScript([{ at: 0, event: limited(5000) }])[0]?.actions).toEqual([{ kind: 'backoff', source: 'primary', until: 5000 }]);
  });
});

describe('resolveFeedPolicy and feedHealth at the edges', () => {
  it('puts zod’s own message for the bad field in the ConfigError', () => {
    const overrides = { errorThreshold: 0 };
    const zodMessage = FeedPolicySchema.safeParse({ ...DEFAULT_FEED_POLICY, ...overrides }).error?.issues[0]?.message ?? '';
    expect(zodMessage).not.toBe('');
    expect(() => resolveFeedPolicy(overrides)).toThrow(`Invalid feed policy at \`errorThreshold\`: ${zodMessage}, got \`0\``);
  });

  it('reports the backup in use as healthy: only the primary has to prove itself', () => {
    // Three primary errors, 5 s to the retry, 10 s to the failover; the backup then answers.
    const run = runScript([
      { at: 1000, event: { kind: 'failed', source: 'primary', failure: 'network' } },
      { at: 2000, event: { kind: 'failed', source: 'primary', failure: 'network' } },
      { at: 3000, event: { kind: 'failed', source: 'primary', failure: 'network' } },
      { at: 8000, event: { kind: 'tick' } },
      { at: 18_000, event: { kind: 'tick' } },
      { at: 19_000, event: ok('backup') },
    ]);
    const state = finalState(run);
    expect(state.kind).toBe('on_backup');
    expect(feedHealth(state, 19_000, 'backup').status).toBe('healthy');
  });
});

describe('nextFeedState: a stale answer is a failure', () => {
  it('counts it in consecutiveErrors and starts failingSince at it', () => {
    const run = runScript([
      { at: 0, event: ok('primary') },
      { at: 5000, event: { kind: 'failed', source: 'primary', failure: 'stale' } },
    ]);
    expect(finalState(run).primary).toMatchObject({ consecutiveErrors: 1, failingSince: 5000, okSince: null, down: true });
  });
});
