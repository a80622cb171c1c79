/** Helpers shared by the feed state machine tests. */
import { DEFAULT_FEED_POLICY, type FeedPolicy } from '../../src/failover/feed-policy.js';
import type { FeedAction, FeedEvent, FeedState } from '../../src/failover/feed-state.js';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';
import { nextFeedState } from '../../src/failover/next-feed-state.js';

/** One step of a script: at `at` (epoch ms), `event` happens. */
export interface ScriptStep {
  readonly at: number;
  readonly event: FeedEvent;
}

/** What one step produced. */
export interface StepResult {
  readonly at: number;
  readonly state: FeedState;
  readonly actions: readonly FeedAction[];
}

/** Deep-freezes a value, so a reducer that mutates its input throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Runs a script from `start` (the initial state by default), freezing every state and event.
 * With `roundTrip`, the state goes through `JSON.stringify`/`JSON.parse` before each step.
 */
export function runScript(
  steps: readonly ScriptStep[],
  options: { policy?: FeedPolicy; start?: FeedState; roundTrip?: boolean } = {},
): StepResult[] {
  const policy = options.policy ?? DEFAULT_FEED_POLICY;
  let state = deepFreeze(options.start ?? initialFeedState(policy));
  const out: StepResult[] = [];
  for (const step of steps) {
    const input = options.roundTrip === true ? deepFreeze(JSON.parse(JSON.stringify(state)) as FeedState) : state;
    const result = nextFeedState(input, deepFreeze(step.event), step.at, policy);
    state = deepFreeze(result.state);
    out.push({ at: step.at, state, actions: result.actions });
  }
  return out;
}

/** The last state of a script. */
export function finalState(results: readonly StepResult[]): FeedState {
  const last = results.at(-1);
  if (last === undefined) throw new Error('empty script');
  return last.state;
}

/** Event shorthands. */
export const ok = (source: 'primary' | 'backup', latencyMs = 45, newestBar?: number): FeedEvent =>
  newestBar === undefined ? { kind: 'succeeded', source, latencyMs } : { kind: 'succeeded', source, latencyMs, newestBar };
export const fail = (
  source: 'primary' | 'backup',
  failure: 'network' | 'timeout' | 'server_error' | 'bad_data' = 'network',
): FeedEvent => ({ kind: 'failed', source, failure });
export const limited = (
  source: 'primary' | 'backup',
  retryAfterMs: number,
  failure: 'rate_limited' | 'banned' = 'rate_limited',
): FeedEvent => ({
  kind: 'failed',
  source,
  failure,
  retryAfterMs,
});
export const tick: FeedEvent = { kind: 'tick' };

/** Steps and actions as `[at, kind, actions]` rows, easy to compare with a table. */
export function trace(results: readonly StepResult[]): [number, FeedState['kind'], readonly FeedAction[]][] {
  return results.map((r) => [r.at, r.state.kind, r.actions]);
}
