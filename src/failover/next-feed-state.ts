import { failoverMedian } from './internal/median.js';
import { DEFAULT_FEED_POLICY, type FeedPolicy } from './feed-policy.js';
import { missedBars } from './missed-bars.js';
import { MAX_RETRY_AFTER_MS } from './rate-limiter-state.js';
import { staleSince } from './stale-since.js';
import type {
  FeedAction,
  FeedDetection,
  FeedEvent,
  FeedOutage,
  FeedSource,
  FeedSourceStats,
  FeedState,
  FeedTransition,
} from './feed-state.js';

type Outage = Extract<FeedState, FeedOutage>;

/** The fields shared by every outage state, without the step-specific ones. */
function outageOf(s: Outage): FeedOutage {
  return {
    primary: s.primary,
    backup: s.backup,
    detectedAt: s.detectedAt,
    detectedBy: s.detectedBy,
    lastGoodBar: s.lastGoodBar,
    since: s.since,
  };
}

function withSource(s: FeedState, source: FeedSource, stats: FeedSourceStats): FeedState {
  return source === 'primary' ? { ...s, primary: stats } : { ...s, backup: stats };
}

/** Time-driven steps of the ladder that are due at `now`, in order. */
function advance(state: FeedState, now: number, policy: FeedPolicy, actions: FeedAction[]): FeedState {
  let s = state;
  for (;;) {
    if (s.kind === 'detected' && now >= s.retryAt) {
      const until = s.primary.rateLimitedUntil;
      actions.push({ kind: 'retry', source: 'primary', at: until !== null && until > now ? until : now });
      s = { ...outageOf(s), kind: 'retrying', since: now, failoverAt: now + policy.failoverDelayMs };
    } else if (s.kind === 'retrying' && now >= s.failoverAt) {
      if (policy.hasBackup) {
        actions.push({ kind: 'failover', to: 'backup' });
        // The backup gets a fresh chance: earlier errors do not count against it.
        const backup: FeedSourceStats = { ...s.backup, consecutiveErrors: 0, down: false };
        s = { ...outageOf(s), backup, kind: 'on_backup', since: now };
      } else {
        s = useCached(s, now, policy, actions);
      }
    } else if (s.kind === 'cached' && now >= s.haltAt) {
      actions.push({ kind: 'halt' });
      if (policy.escalateOnHalt) actions.push({ kind: 'escalate', reason: 'feed_offline', since: s.detectedAt });
      s = { ...outageOf(s), kind: 'halted', since: now };
    } else {
      return s;
    }
  }
}

function useCached(s: Outage, now: number, policy: FeedPolicy, actions: FeedAction[]): FeedState {
  actions.push({ kind: 'use_cached', notify: policy.notifyOnCached });
  return { ...outageOf(s), kind: 'cached', since: now, haltAt: now + policy.haltAfterCachedMs };
}

/** Back to `healthy` on the primary; asks for the bars missed since `lastGoodBar` ({@link missedBars}). */
function recover(s: Outage, policy: FeedPolicy, actions: FeedAction[]): FeedState {
  const last = s.lastGoodBar;
  const newest = s.primary.lastBar;
  if (last !== null && newest !== null) {
    const { gap, backfill } = missedBars(last, newest, policy.barIntervalMs, policy.backfillOnRestore ? policy.maxBackfillBars : 0);
    if (gap !== undefined) actions.push({ kind: 'gap', source: 'primary', ...gap });
    if (backfill !== undefined) actions.push({ kind: 'backfill', source: 'primary', ...backfill });
  }
  return { kind: 'healthy', primary: s.primary, backup: s.backup };
}

/** `values` with `value` appended, keeping the last `size` (a new array; `values` is not mutated). */
function appendToWindow(values: readonly number[], value: number, size: number): number[] {
  const keep = Math.max(0, Math.min(values.length, size - 1));
  const out = values.slice(values.length - keep);
  out.push(value);
  return out;
}

function onSuccess(
  s: FeedState,
  event: Extract<FeedEvent, { kind: 'succeeded' }>,
  now: number,
  policy: FeedPolicy,
  actions: FeedAction[],
): FeedState {
  const source = event.source;
  const before = s[source];
  const latency = Number.isFinite(event.latencyMs) && event.latencyMs >= 0 ? event.latencyMs : null;
  let latencies = before.latencies;
  let elevated = before.latencyElevated;
  if (latency !== null) {
    // The median is at least the smallest latency: a latency within the factor of it is not
    // high, and the window need not be sorted (the common case, once per answer).
    const judged = latencies.length >= policy.latencyMinSamples && latency > policy.latencyAlertFactor * Math.min(...latencies);
    const normal = judged ? failoverMedian(latencies) : null;
    const high = normal !== null && latency > policy.latencyAlertFactor * normal;
    if (high && !elevated) actions.push({ kind: 'alert', source, latencyMs: latency, normalLatencyMs: normal });
    elevated = high;
    latencies = appendToWindow(latencies, latency, policy.latencyWindow);
  }
  const bar = event.newestBar !== undefined && Number.isFinite(event.newestBar) ? event.newestBar : null;
  const until = before.rateLimitedUntil;
  const stats: FeedSourceStats = {
    consecutiveErrors: 0,
    lastResponseAt: now,
    lastSuccessAt: now,
    latencyMs: latency ?? before.latencyMs,
    latencies,
    latencyElevated: elevated,
    down: false,
    failingSince: null,
    okSince: before.okSince ?? now,
    escalated: false,
    rateLimitedSince: null,
    rateLimitedUntil: until !== null && until > now ? until : null,
    lastBar: bar === null ? before.lastBar : before.lastBar === null ? bar : Math.max(before.lastBar, bar),
  };
  if (event.askedFrom !== undefined && Number.isFinite(event.askedFrom)) {
    const current = Math.max(stats.lastBar ?? Number.NEGATIVE_INFINITY, event.askedFrom - policy.barIntervalMs);
    if (now >= staleSince(current, policy)) return onStale(s, source, before, stats, staleSince(current, policy), now, policy, actions);
  }
  const updated = withSource(s, source, stats);
  if (updated.kind === 'healthy') return updated;
  if (source === 'primary') {
    switch (updated.kind) {
      case 'detected':
      case 'retrying':
        return recover(updated, policy, actions);
      case 'on_backup':
        if (now - (stats.okSince ?? now) < policy.recoveryStableMs) return updated;
        actions.push({ kind: 'switch_back', to: 'primary' });
        return recover(updated, policy, actions);
      case 'cached':
      case 'halted':
        actions.push({ kind: 'switch_back', to: 'primary' });
        if (updated.kind === 'halted') actions.push({ kind: 'resume', source: 'primary' });
        return recover(updated, policy, actions);
    }
  }
  if ((updated.kind === 'cached' || updated.kind === 'halted') && policy.hasBackup) {
    actions.push({ kind: 'failover', to: 'backup' });
    if (updated.kind === 'halted') actions.push({ kind: 'resume', source: 'backup' });
    return { ...outageOf(updated), kind: 'on_backup', since: now };
  }
  return updated;
}

/**
 * `source` has brought no bar since `since`, when one was due `timeoutMs` before: it answered a
 * poll without it (`answered` holds what the answer told), or it failed with `stale`. No data,
 * as the specification counts it. Not a success: a source not yet down is detected (`stale` action),
 * one already down stays down (its answer only updates what is known of it).
 */
function onStale(
  s: FeedState,
  source: FeedSource,
  before: FeedSourceStats,
  answered: FeedSourceStats,
  since: number,
  now: number,
  policy: FeedPolicy,
  actions: FeedAction[],
): FeedState {
  const stats: FeedSourceStats = {
    ...answered,
    consecutiveErrors: before.consecutiveErrors + 1,
    lastSuccessAt: before.lastSuccessAt,
    down: before.down,
    failingSince: before.failingSince ?? now,
    okSince: null,
    escalated: before.escalated,
  };
  if (before.down) return withSource(s, source, stats);
  actions.push({ kind: 'stale', source, lastBar: stats.lastBar, since });
  return onDetected(s, source, { ...stats, down: true }, 'stale', now, policy, actions);
}

/** A source was just detected as failing: the ladder starts (primary) or moves on (backup in use). */
function onDetected(
  s: FeedState,
  source: FeedSource,
  stats: FeedSourceStats,
  by: FeedDetection,
  now: number,
  policy: FeedPolicy,
  actions: FeedAction[],
): FeedState {
  if (source === 'primary' && s.kind === 'healthy') {
    return {
      kind: 'detected',
      primary: stats,
      backup: s.backup,
      detectedAt: now,
      detectedBy: by,
      lastGoodBar: s.primary.lastBar,
      since: now,
      retryAt: now + policy.retryDelayMs,
    };
  }
  const updated = withSource(s, source, stats);
  if (source === 'backup' && updated.kind === 'on_backup') return useCached(updated, now, policy, actions);
  return updated;
}

function onFailure(
  s: FeedState,
  event: Extract<FeedEvent, { kind: 'failed' }>,
  now: number,
  policy: FeedPolicy,
  actions: FeedAction[],
): FeedState {
  const source = event.source;
  const before = s[source];
  if (event.failure === 'rate_limited' || event.failure === 'banned') {
    const asked = event.retryAfterMs !== undefined && event.retryAfterMs > 0 ? event.retryAfterMs : 0;
    const wait = Math.min(asked, MAX_RETRY_AFTER_MS);
    const until = Math.max(before.rateLimitedUntil ?? now, now + wait);
    const since = before.rateLimitedSince ?? now;
    if (until > now) actions.push({ kind: 'backoff', source, until, ...(asked > wait ? { requestedMs: asked } : {}) });
    const stats: FeedSourceStats = { ...before, lastResponseAt: now, rateLimitedSince: since, rateLimitedUntil: until };
    // A 429 is a back-off however long its Retry-After; only a ban (418) is an outage.
    if (event.failure === 'rate_limited' || before.down) return withSource(s, source, stats);
    const down: FeedSourceStats = { ...stats, down: true, failingSince: before.failingSince ?? since, okSince: null };
    return onDetected(s, source, down, 'rate_limited', now, policy, actions);
  }
  if (event.failure === 'stale') return onStale(s, source, before, before, now, now, policy, actions);
  const answered = event.failure === 'server_error' || event.failure === 'bad_data';
  const stats: FeedSourceStats = {
    ...before,
    consecutiveErrors: before.consecutiveErrors + 1,
    lastResponseAt: answered ? now : before.lastResponseAt,
    failingSince: before.failingSince ?? now,
    okSince: null,
  };
  const timeout = event.failure === 'timeout';
  if (before.down || (!timeout && stats.consecutiveErrors < policy.errorThreshold)) return withSource(s, source, stats);
  return onDetected(s, source, { ...stats, down: true }, timeout ? 'timeout' : 'errors', now, policy, actions);
}

/** Escalates, once per outage, a source that has been unavailable for longer than `sourceUnavailableMs`. */
function escalateUnavailable(state: FeedState, now: number, policy: FeedPolicy, actions: FeedAction[]): FeedState {
  let s = state;
  for (const source of ['primary', 'backup'] as const) {
    const stats = s[source];
    if (stats.down && !stats.escalated && stats.failingSince !== null && now - stats.failingSince > policy.sourceUnavailableMs) {
      actions.push({ kind: 'escalate', reason: 'source_unavailable', source, since: stats.failingSince });
      s = withSource(s, source, { ...stats, escalated: true });
    }
  }
  return s;
}

/**
 * The feed failover state machine: the specification's feed failure protocol as a pure
 * reducer. Give it the current state, what happened and when; it returns the new state and the
 * actions due now. The caller carries the actions out, reports the answers as new events, and
 * sends a `tick` at `nextFeedDeadline(state)` so that time-driven steps happen on time.
 *
 * The event is applied first, then the steps that are due by time: an answer that arrives
 * after a step fell due (because no tick came in between) still prevents that step, so a
 * primary that answers is never retried or abandoned. Each action is returned only once its
 * delay has passed, and each ladder step is taken in order:
 * detection → `retry` → `failover` → `use_cached` → `halt`. A clock that goes backwards only
 * delays steps; it never makes one early.
 *
 * | state | event (or time) | actions | next state |
 * |---|---|---|---|
 * | `healthy` | primary `failed` (`network`, `server_error`, `bad_data`), fewer than `errorThreshold` in a row | — | `healthy` (health `degraded`) |
 * | `healthy` | primary `failed`: a `timeout`, the `errorThreshold`-th error in a row, or `banned` (HTTP 418) | — (`backoff` for a ban) | `detected`, `retryAt` = now + `retryDelayMs` |
 * | `detected` | time reaches `retryAt` | `retry` (`at` = now, or the end of a `Retry-After`) | `retrying`, `failoverAt` = now + `failoverDelayMs` |
 * | `detected`, `retrying` | primary `succeeded` | `gap` and `backfill` when bars were missed | `healthy` |
 * | `retrying` | time reaches `failoverAt` | `failover` to the backup (without a backup: `use_cached`) | `on_backup` (`cached`) |
 * | `on_backup` | primary `succeeded`, without failure for less than `recoveryStableMs` | — | `on_backup` |
 * | `on_backup` | primary `succeeded`, without failure for at least `recoveryStableMs` | `switch_back`, `gap`, `backfill` | `healthy` |
 * | `on_backup` | backup detected failing (same rule as the primary) | `use_cached` (`notify` = `notifyOnCached`) | `cached`, `haltAt` = now + `haltAfterCachedMs` |
 * | `cached` | time reaches `haltAt` | `halt`, then `escalate` `feed_offline` if `escalateOnHalt` | `halted` |
 * | `cached` / `halted` | primary `succeeded` | `switch_back` (from `halted` also `resume`), `gap`, `backfill` | `healthy` |
 * | `cached` / `halted` | backup `succeeded` | `failover` (from `halted` also `resume`) | `on_backup` |
 * | `healthy` (`on_backup`) | the primary (backup) `succeeded` on a poll (`askedFrom`), but its newest bar is still older than due: now ≥ `staleSince(lastBar)` | `stale` | like a `timeout`: `detected` (`cached`), `detectedBy: 'stale'` |
 * | any | `failed` with `rate_limited` (HTTP 429), whatever its `retryAfterMs` | `backoff` until now + `retryAfterMs` (at most `MAX_RETRY_AFTER_MS`; not counted as an error) | unchanged: never an outage by itself |
 * | any | `failed` with `banned` (HTTP 418) | `backoff` until now + `retryAfterMs` | an outage of that source (row 2; the backup in use: `cached`) |
 * | any | a source detected failing has been failing for more than `sourceUnavailableMs` | `escalate` `source_unavailable`, once per outage | unchanged |
 * | any | `succeeded` with `latencyMs` above `latencyAlertFactor` × the median of the last `latencyWindow` latencies | `alert`, once until latency is normal again | unchanged |
 *
 * Decisions where the specification is silent:
 * - A single `timeout` is a detection (30 s without an answer is already an outage); other
 *   failures need `errorThreshold` in a row. Failures of a source not in use only update its
 *   health.
 * - Rate limits honour the server: `backoff` says when to ask again, and the `retry` step is
 *   not issued for before that time. A 429 is neither an error nor an outage, however long
 *   the server asks us to wait: the source works and is only telling us to slow down (the
 *   caller sends the next request when `backoff`'s `until` has passed). A ban (HTTP 418) is an
 *   outage at once, detected as `rate_limited`.
 * - An answer to a poll (a request for every bar up to now, `askedFrom`) is data only when it
 *   brings the bar that is due, or nothing was due from it (it was asked from a later bar): a source whose newest bar is still older than due `timeoutMs` after that bar's close (`staleSince`) has brought "no data
 *   for 30 seconds" however fast it answers. That answer is a detection like a timeout, and it
 *   never ends an outage: a stale primary is not switched back to.
 * - Delays are step by step: the retry is `retryDelayMs` after detection, the failover
 *   `failoverDelayMs` after the retry (15 s after detection with the defaults).
 * - When nothing answers (`cached`, `halted`), the first source that answers is used at once:
 *   stale cache is worse than a source that may fail again. Only a switch from a working backup
 *   back to the primary waits for `recoveryStableMs`.
 * - The backfill asks for the bars strictly between the primary's last good bar and the newest
 *   bar it now delivers (from `newestBar`), on the grid of `barIntervalMs`. At most
 *   `maxBackfillBars` are fetched — the most recent ones, so indicators see contiguous data up to
 *   now — and the older rest is reported by a `gap` action (all of them when `backfillOnRestore`
 *   is off). Without `newestBar` in the primary's answers nothing is known to be missing.
 *
 * @param state - The current state (not mutated; a state restored from JSON is fine).
 * @param event - What happened at `now`.
 * @param now - When it happened, epoch ms.
 * @param policy - The protocol; validate custom policies once with `resolveFeedPolicy`.
 * @returns The new state and the actions due now, in order.
 *
 * @example
 * ```ts
 * let s = initialFeedState();
 * s = nextFeedState(s, { kind: 'failed', source: 'primary', failure: 'timeout' }, 30_000).state;
 * s.kind // 'detected'
 * nextFeedState(s, { kind: 'tick' }, 35_000).actions // [{ kind: 'retry', source: 'primary', at: 35000 }]
 * ```
 */
export function nextFeedState(state: FeedState, event: FeedEvent, now: number, policy: FeedPolicy = DEFAULT_FEED_POLICY): FeedTransition {
  const actions: FeedAction[] = [];
  let next = state;
  if (event.kind === 'succeeded') next = onSuccess(next, event, now, policy, actions);
  else if (event.kind === 'failed') next = onFailure(next, event, now, policy, actions);
  next = advance(next, now, policy, actions);
  next = escalateUnavailable(next, now, policy, actions);
  return { state: next, actions };
}
