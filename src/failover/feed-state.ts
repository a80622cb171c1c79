import type { SourceFailureKind } from '../errors/source-error.js';

/** Which of a feed's two sources an event or action is about. */
export type FeedSource = 'primary' | 'backup';

/**
 * What the feed state machine knows about one source. Plain JSON: numbers, booleans, `null`
 * and an array of numbers. Times are epoch ms, durations ms.
 */
export interface FeedSourceStats {
  /** Failures since the last success (rate-limit answers do not count). */
  readonly consecutiveErrors: number;
  /** Time of the last answer of any kind (a success, a server error, bad data, a rate limit); `null` before the first. */
  readonly lastResponseAt: number | null;
  /** Time of the last successful answer; `null` before the first. */
  readonly lastSuccessAt: number | null;
  /** Latency of the last successful answer, in ms; `null` before the first. */
  readonly latencyMs: number | null;
  /** Latencies of the last successful answers, oldest first, at most `latencyWindow` of them (ms). */
  readonly latencies: readonly number[];
  /** Whether the last successful answer was slow enough to raise a latency alert. */
  readonly latencyElevated: boolean;
  /** Whether the source has been detected as failing and has not answered successfully since. */
  readonly down: boolean;
  /** Time of the first failure since the last success; `null` when the last answer succeeded. */
  readonly failingSince: number | null;
  /** Time of the first success since the last failure; `null` when the last answer failed. */
  readonly okSince: number | null;
  /** Whether the current outage has already been escalated as "source unavailable". */
  readonly escalated: boolean;
  /** Time of the first rate-limit answer since the last success; `null` when not rate-limited. */
  readonly rateLimitedSince: number | null;
  /** The server asked for no requests before this time (`Retry-After`, ban); `null` when it did not. */
  readonly rateLimitedUntil: number | null;
  /** Open time of the newest bar this source has delivered; `null` before the first. */
  readonly lastBar: number | null;
}

/**
 * How an outage was detected: enough consecutive errors, a request timeout, a ban (HTTP 418; a
 * 429 is never an outage), or answers without the bar that is due (`stale`: no new bar
 * `timeoutMs` after the due bar's close, see `staleSince`).
 */
export type FeedDetection = 'errors' | 'timeout' | 'rate_limited' | 'stale';

/** Fields every {@link FeedState} has. */
export interface FeedStateBase {
  /** The primary source. */
  readonly primary: FeedSourceStats;
  /** The backup source. */
  readonly backup: FeedSourceStats;
}

/** Fields of every state of an outage of the primary (every kind but `healthy`). */
export interface FeedOutage extends FeedStateBase {
  /** When the primary was detected as failing (epoch ms). */
  readonly detectedAt: number;
  /** How it was detected. */
  readonly detectedBy: FeedDetection;
  /** Open time of the primary's newest bar before the outage: the backfill starts after it. */
  readonly lastGoodBar: number | null;
  /** When the current state was entered (epoch ms). */
  readonly since: number;
}

/**
 * State of a feed's failover state machine, tagged by `kind` — one step of the specification's
 * ladder each:
 *
 * - `healthy`: the primary serves data;
 * - `detected`: the primary failed (timeout or `errorThreshold` errors); a retry is due at `retryAt`;
 * - `retrying`: the retry was issued; failing over is due at `failoverAt`;
 * - `on_backup`: the backup serves data while the primary proves itself for `recoveryStableMs`;
 * - `cached`: no source answers; cached data is served until `haltAt`;
 * - `halted`: trading is halted and the outage escalated.
 *
 * Plain JSON: `JSON.parse(JSON.stringify(state))` is an equal state, so it can be checkpointed
 * and restored at any point.
 */
export type FeedState =
  | (FeedStateBase & { readonly kind: 'healthy' })
  | (FeedOutage & {
      readonly kind: 'detected';
      /** When the retry of the primary is due (epoch ms). */
      readonly retryAt: number;
    })
  | (FeedOutage & {
      readonly kind: 'retrying';
      /** When failing over to the backup is due (epoch ms). */
      readonly failoverAt: number;
    })
  | (FeedOutage & { readonly kind: 'on_backup' })
  | (FeedOutage & {
      readonly kind: 'cached';
      /** When halting is due (epoch ms). */
      readonly haltAt: number;
    })
  | (FeedOutage & { readonly kind: 'halted' });

/** The `kind` of a {@link FeedState}. */
export type FeedStateKind = FeedState['kind'];

/**
 * What happened, given to `nextFeedState` with the time it happened.
 *
 * - `succeeded`: a request to `source` was answered with data; `latencyMs` is its round trip,
 *   `newestBar` the open time of the newest bar in the answer (omit when the answer has no bars),
 *   `askedFrom` the first bar a poll (a request of every bar up to now) asked for.
 * - `failed`: a request to `source` failed. `failure` is a `SourceError`'s `kind`:
 *   `network`, `timeout` (no answer within `timeoutMs`), `server_error`, `bad_data`, `stale` (no
 *   bar `timeoutMs` after one was due), or
 *   `rate_limited` / `banned` with the server's `retryAfterMs`.
 * - `tick`: only time passed; lets due steps of the ladder happen.
 */
export type FeedEvent =
  | {
      readonly kind: 'succeeded';
      readonly source: FeedSource;
      /** Round-trip time of the request, in ms. A negative or non-finite value is ignored. */
      readonly latencyMs: number;
      /** Open time of the newest bar in the answer, epoch ms. */
      readonly newestBar?: number;
      /**
       * For a request of every bar up to now (a poll, not a historical range): open time of the
       * first bar it asked for (epoch ms). Such a live answer is judged: when it leaves the source
       * without the bar that was due `timeoutMs` ago, it is `stale`. Bars before `askedFrom` were
       * not due from it (they were known already): an empty answer to a poll from the bar still
       * forming is current.
       */
      readonly askedFrom?: number;
    }
  | {
      readonly kind: 'failed';
      readonly source: FeedSource;
      /** Why it failed. */
      readonly failure: SourceFailureKind;
      /** For `rate_limited` and `banned`: how long the server asked us to wait, in ms (0 when absent). */
      readonly retryAfterMs?: number;
    }
  | { readonly kind: 'tick' };

/**
 * What the caller (normally the `Pipeline`) should do, returned by `nextFeedState`. Every action
 * is returned at the time it is due, never before.
 *
 * - `retry`: request the primary again, not before `at` (later than now only when the server
 *   asked us to wait).
 * - `failover`: serve data from `to` (the backup).
 * - `use_cached`: serve cached data; `notify` says whether to tell the consumers.
 * - `halt`: stop trading on this feed.
 * - `resume`: trading may resume; `source` serves data again after a halt.
 * - `switch_back`: serve data from the primary again.
 * - `backfill`: fetch the bars with open times `from`..`to` (inclusive, `bars` of them) from
 *   `source`: the most recent bars missed during the outage, at most `maxBackfillBars`.
 * - `gap`: bars with open times `from`..`to` (inclusive, `bars` of them) were missed and will
 *   not be backfilled (beyond `maxBackfillBars`, or backfill is off): report them as a gap.
 * - `escalate`: tell the coordinator; `feed_offline` when halting, `source_unavailable` when
 *   `source` has been unavailable since `since` for longer than `sourceUnavailableMs`.
 * - `backoff`: `source` asked for no requests before `until` (HTTP 429 or 418); `requestedMs` when
 *   the server asked for longer than `MAX_RETRY_AFTER_MS` (the wait is capped there).
 * - `stale`: `source` brought no new bar since `since`: it answers, but its newest bar is still
 *   `lastBar` (`since` is `staleSince(lastBar)`), or it failed with `stale` (it could not be asked
 *   in time; `since` is then when that was reported). The specification's "no data for 30
 *   seconds": the source is detected as failing (`detectedBy: 'stale'`).
 * - `alert`: `source`'s latency `latencyMs` is well above its normal `normalLatencyMs`.
 */
export type FeedAction =
  | { readonly kind: 'retry'; readonly source: 'primary'; readonly at: number }
  | { readonly kind: 'failover'; readonly to: 'backup' }
  | { readonly kind: 'use_cached'; readonly notify: boolean }
  | { readonly kind: 'halt' }
  | { readonly kind: 'resume'; readonly source: FeedSource }
  | { readonly kind: 'switch_back'; readonly to: 'primary' }
  | { readonly kind: 'backfill'; readonly source: 'primary'; readonly from: number; readonly to: number; readonly bars: number }
  | { readonly kind: 'gap'; readonly source: 'primary'; readonly from: number; readonly to: number; readonly bars: number }
  | { readonly kind: 'escalate'; readonly reason: 'feed_offline'; readonly since: number }
  | { readonly kind: 'escalate'; readonly reason: 'source_unavailable'; readonly source: FeedSource; readonly since: number }
  | {
      readonly kind: 'backoff';
      readonly source: FeedSource;
      readonly until: number;
      /** The wait the server asked for (ms), present only when it was longer than `MAX_RETRY_AFTER_MS` and was capped. */
      readonly requestedMs?: number;
    }
  | { readonly kind: 'stale'; readonly source: FeedSource; readonly lastBar: number | null; readonly since: number }
  | { readonly kind: 'alert'; readonly source: FeedSource; readonly latencyMs: number; readonly normalLatencyMs: number };

/** The `kind` of a {@link FeedAction}. */
export type FeedActionKind = FeedAction['kind'];

/** What `nextFeedState` returns: the new state and the actions due now, in order. */
export interface FeedTransition {
  /** The new state (a new object; the old one is untouched). */
  readonly state: FeedState;
  /** Actions due now, in the order they should be carried out. */
  readonly actions: readonly FeedAction[];
}
