import type { FeedSource } from '../../failover/feed-state.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { Clock } from '../clock.js';
import type { RevisedBar } from '../sink.js';
import type { BackfillPlanner } from './backfill-planner.js';
import type { FeedController, FeedSourceRef, SourceAnswer } from './feed-controller.js';
import type { Ingestor } from './ingestor.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { noProgress } from './no-progress.js';
import { NOT_AT_ONCE, type StoreAccess } from './store-access.js';
import { Throttled } from './throttled.js';

/** The units a {@link Poller} works with. */
export interface PollerUnits {
  readonly feed: FeedController;
  readonly planner: BackfillPlanner;
  readonly ingestor: Ingestor;
  readonly store: StoreAccess;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
}

/** When a {@link Poller} asks again. */
export interface PollerTiming {
  /** The base timeframe and its width (ms). */
  readonly base: Timeframe;
  readonly baseMs: number;
  /** Delay after a base bar closes before it is asked for, ms (the exchange needs a moment to close it). */
  readonly pollDelayMs: number;
  /** While the bar that is due has not come, the source is asked again this often, ms (the feed's retry delay). */
  readonly repollMs: number;
}

/**
 * Owns polling and its schedule. One cycle of a symbol moves its feed's due steps, then asks
 * the sources the failover module names for the bars from where the backfill planner says, page
 * by page, each page ingested as it arrives (with `progress` events on a long backfill). After
 * each cycle it decides when the symbol is due again ({@link Poller.dueAt}): after the next bar
 * closes; earlier when a step of the feed's ladder falls due, when the limiter's wait ends, or —
 * while the bar that is due has not come — every `repollMs` and exactly when the source would
 * become stale. A wait for the limiter is never slept inside a cycle: it moves the schedule.
 */
export class Poller {
  readonly #timing: PollerTiming;
  readonly #units: PollerUnits;
  /** Per symbol: when its next cycle is due, epoch ms. */
  readonly #due = new Map<string, number>();

  constructor(timing: PollerTiming, units: PollerUnits) {
    this.#timing = timing;
    this.#units = units;
  }

  /** When `symbol`'s next cycle is due (epoch ms); `-Infinity` before its first. */
  dueAt(symbol: string): number {
    return this.#due.get(symbol) ?? Number.NEGATIVE_INFINITY;
  }

  /**
   * Whether a cycle of `symbol` would do nothing: its stream is open, its feed steady, the
   * planner wants nothing older than the next bar (no filled bar waits for a real one, no
   * backfill is pending), and the store already holds the last closed base bar (the stream
   * delivered it). Decided without waiting for the symbol's lock: a bar being stored meanwhile
   * only makes it `false`.
   */
  isCurrent(symbol: string): boolean {
    const { feed, planner, store, clock } = this.#units;
    const { base, baseMs } = this.#timing;
    if (!feed.isStreaming(symbol) || !feed.isSteady(symbol) || !planner.isCaughtUp(symbol)) return false;
    const last = store.peekLast(symbol, base);
    return last !== NOT_AT_ONCE && last !== undefined && last.timestamp + baseMs >= bucketStart(clock.now(), base);
  }

  /** `symbol` needs no cycle now (see {@link Poller.isCurrent}): it is due after the next bar closes. */
  rest(symbol: string): void {
    this.#due.set(symbol, this.#regular(this.#units.clock.now()));
  }

  /**
   * One cycle of `symbol` (call it under the symbol's lock): each source the failover module
   * names is asked once, in its order, and the plan is read again after each answer or failure —
   * a retry abandoned when failing over falls due is followed by the backup at once. Then the
   * symbol's next cycle is scheduled.
   */
  async cycle(symbol: string, signal: AbortSignal | undefined): Promise<void> {
    const feed = this.#units.feed;
    const asked = new Set<FeedSource>();
    let throttledUntil: number | undefined;
    // At most one request series per source: the loop ends after two rounds.
    for (;;) {
      feed.tick(symbol);
      const next = feed.toPoll(symbol).find((ref) => !asked.has(ref.which));
      if (next === undefined) break;
      asked.add(next.which);
      const until = await this.#pollSource(symbol, next, signal);
      if (until !== undefined) throttledUntil = Math.min(throttledUntil ?? until, until);
    }
    await this.#schedule(symbol, throttledUntil);
  }

  /** The regular next cycle: `pollDelayMs` after the next base bar closes. */
  #regular(now: number): number {
    const { base, baseMs, pollDelayMs } = this.#timing;
    return bucketStart(now, base) + baseMs + pollDelayMs;
  }

  async #schedule(symbol: string, throttledUntil: number | undefined): Promise<void> {
    const { feed, store, clock } = this.#units;
    const { base, baseMs, repollMs } = this.#timing;
    const now = clock.now();
    let due = this.#regular(now);
    const step = feed.deadlineOf(symbol);
    if (step !== null) due = Math.min(due, step);
    const active = feed.toPoll(symbol)[0];
    if (active === undefined) {
      this.#due.set(symbol, due);
      return;
    }
    const staleAt = feed.staleAt(symbol, active.which);
    // Asked again exactly when the source would go stale, so that staleness is judged on time.
    const stale = staleAt !== null && staleAt > now ? staleAt : Number.POSITIVE_INFINITY;
    if (throttledUntil !== undefined) {
      due = Math.min(due, throttledUntil, stale);
    } else {
      const last = await store.last(symbol, base);
      if (last === undefined || last.timestamp < bucketStart(now, base) - baseMs) due = Math.min(due, now + repollMs, stale);
    }
    this.#due.set(symbol, due);
  }

  /**
   * Fetches `symbol`'s base bars from `source`, page after page, up to the last closed bar.
   * Returns when the limiter will grant the next request if it refused one (`undefined` otherwise).
   * A page that brings no bar at or after the one asked for is a failure of the source (it made
   * no progress), and there are at most as many pages as the bars asked for need, plus one.
   */
  async #pollSource(symbol: string, ref: FeedSourceRef, signal: AbortSignal | undefined): Promise<number | undefined> {
    const { which, source } = ref;
    const { feed, planner, ingestor, emitter, clock } = this.#units;
    const { base, baseMs } = this.#timing;
    const closedEnd = bucketStart(clock.now(), base);
    const plan = await planner.plan(symbol, closedEnd);
    let since = plan.since;
    // An open stream delivers each bar as it closes: with none due and the feed healthy, a poll would only ask again.
    if (feed.isStreaming(symbol) && feed.state(symbol).kind === 'healthy' && since >= closedEnd) return undefined;
    const first = since;
    const total = Math.max(0, Math.round((closedEnd - since) / baseMs));
    const limit = source.maxLimit ?? 1000;
    const pages = Math.ceil(total / limit) + 1;
    let done = 0;
    let previous: RevisedBar | undefined;
    for (let page = 1; ; page++) {
      let answer: SourceAnswer;
      try {
        answer = await feed.request(symbol, ref, since, limit, signal);
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        if (error instanceof Throttled) {
          feed.throttled(symbol, which, error);
          return error.until;
        }
        feed.failed(symbol, which, source, error);
        return undefined;
      }
      const outcome = await ingestor.ingest(
        symbol,
        answer.rows,
        source.name,
        signal,
        previous,
        since === first && plan.expectFrom !== undefined ? { since, expectFrom: plan.expectFrom } : { since },
      );
      if (since === first) planner.answered(symbol, first);
      if (outcome.newest !== undefined && outcome.newest < since) {
        feed.failed(symbol, which, source, noProgress(source.name, since));
        return undefined;
      }
      done += answer.rows.length;
      if (total > limit) emitter.emit('progress', { symbol, phase: 'backfill', done: Math.min(done, total), total });
      const last = answer.rows.length < limit || outcome.newest === undefined || outcome.newest + baseMs >= closedEnd || page >= pages;
      // Only the last page says whether the source is current: earlier pages of a backfill are old by design.
      if (last) {
        feed.succeeded(symbol, which, answer.latencyMs, outcome.newest, since);
        return undefined;
      }
      since = outcome.newest + baseMs;
      previous = outcome.lastStored;
    }
  }
}
