import type { FeedSource } from '../../failover/feed-state.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { Clock } from '../clock.js';
import type { RevisedBar } from '../sink.js';
import type { BackfillPlanner } from './backfill-planner.js';
import type { FeedController, FeedSourceRef, SourceAnswer } from './feed-controller.js';
import type { Ingestor } from './ingestor.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { NOT_AT_ONCE, type StoreAccess } from './store-access.js';

/** The units a {@link Poller} works with. */
export interface PollerUnits {
  readonly feed: FeedController;
  readonly planner: BackfillPlanner;
  readonly ingestor: Ingestor;
  readonly store: StoreAccess;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
}

/**
 * Owns polling: one cycle of a symbol moves its feed's due steps, then asks the sources the
 * failover module names for the bars from where the backfill planner says, page by page, each
 * page ingested as it arrives (with `progress` events on a long backfill).
 */
export class Poller {
  readonly #base: Timeframe;
  readonly #baseMs: number;
  readonly #units: PollerUnits;

  constructor(base: Timeframe, baseMs: number, units: PollerUnits) {
    this.#base = base;
    this.#baseMs = baseMs;
    this.#units = units;
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
    if (!feed.isStreaming(symbol) || !feed.isSteady(symbol) || !planner.isCaughtUp(symbol)) return false;
    const last = store.peekLast(symbol, this.#base);
    return last !== NOT_AT_ONCE && last !== undefined && last.timestamp + this.#baseMs >= bucketStart(clock.now(), this.#base);
  }

  /**
   * One cycle of `symbol` (call it under the symbol's lock): each source the failover module
   * names is asked once, in its order, and the plan is read again after each answer or failure —
   * a retry abandoned when failing over falls due is followed by the backup at once.
   */
  async cycle(symbol: string, signal: AbortSignal | undefined): Promise<void> {
    const feed = this.#units.feed;
    const asked = new Set<FeedSource>();
    // At most one request series per source: the loop ends after two rounds.
    for (;;) {
      feed.tick(symbol);
      const next = feed.toPoll(symbol).find((ref) => !asked.has(ref.which));
      if (next === undefined) return;
      asked.add(next.which);
      await this.#pollSource(symbol, next, signal);
    }
  }

  /** Fetches `symbol`'s base bars from `source`, page after page, up to the last closed bar. */
  async #pollSource(symbol: string, ref: FeedSourceRef, signal: AbortSignal | undefined): Promise<void> {
    const { which, source } = ref;
    const { feed, planner, ingestor, emitter, clock } = this.#units;
    const closedEnd = bucketStart(clock.now(), this.#base);
    let since = await planner.since(symbol, closedEnd);
    // An open stream delivers each bar as it closes: with none due and the feed healthy, a poll would only ask again.
    if (feed.isStreaming(symbol) && feed.state(symbol).kind === 'healthy' && since >= closedEnd) return;
    const first = since;
    const total = Math.max(0, Math.round((closedEnd - since) / this.#baseMs));
    const limit = source.maxLimit ?? 1000;
    let done = 0;
    let previous: RevisedBar | undefined;
    for (;;) {
      let answer: SourceAnswer;
      try {
        answer = await feed.request(symbol, ref, since, limit, signal);
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        feed.failed(symbol, which, source, error);
        return;
      }
      const outcome = await ingestor.ingest(symbol, answer.rows, source.name, signal, previous);
      if (since === first) planner.answered(symbol, first);
      feed.succeeded(symbol, which, answer.latencyMs, outcome.newest);
      done += answer.rows.length;
      if (total > limit) emitter.emit('progress', { symbol, phase: 'backfill', done: Math.min(done, total), total });
      if (answer.rows.length < limit || outcome.newest === undefined || outcome.newest + this.#baseMs >= closedEnd) return;
      since = outcome.newest + this.#baseMs;
      previous = outcome.lastStored;
    }
  }
}
