import { isSourceError, SourceError } from '../../errors/source-error.js';
import { applyServerFeedback } from '../../failover/apply-server-feedback.js';
import { createRateLimiter } from '../../failover/create-rate-limiter.js';
import type { FeedPolicy } from '../../failover/feed-policy.js';
import type { FeedAction, FeedEvent, FeedSource, FeedState } from '../../failover/feed-state.js';
import { initialFeedState } from '../../failover/initial-feed-state.js';
import { nextFeedDeadline } from '../../failover/next-feed-deadline.js';
import { nextFeedState } from '../../failover/next-feed-state.js';
import type { RateLimiterState, RateLimitFeedback } from '../../failover/rate-limiter-state.js';
import { requestDeadline } from '../../failover/request-deadline.js';
import { resumeRateLimiter } from '../../failover/resume-rate-limiter.js';
import { sourcesToPoll } from '../../failover/sources-to-poll.js';
import { staleSince } from '../../failover/stale-since.js';
import { tryAcquire } from '../../failover/try-acquire.js';
import type { RateLimitConfig } from '../../schemas/config.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { Clock } from '../clock.js';
import type { Deadlines } from './deadlines.js';
import type { Source } from '../source.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { Throttled } from './throttled.js';

/** One answer of `fetchOhlcv`: its rows and how long the round trip took (ms). */
export interface SourceAnswer {
  readonly rows: readonly unknown[];
  readonly latencyMs: number;
}

/** A source the feed controller may ask, with which of the feed's two it is. */
export interface FeedSourceRef {
  readonly which: FeedSource;
  readonly source: Source;
}

/** What {@link FeedController} needs besides the sources. */
export interface FeedControllerOptions {
  readonly policy: FeedPolicy;
  readonly rateLimit: RateLimitConfig;
  readonly baseTimeframe: Timeframe;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
  readonly emitter: PipelineEmitter;
  /** Carries out each action the feed state machine asks for (alerts, escalation, backfill), in order. */
  readonly onAction: (symbol: string, action: FeedAction, state: FeedState, now: number) => void;
  /** Told when `symbol`'s feed state or stream changed (its schedule may have moved). */
  readonly onChange: (symbol: string) => void;
}

/** The answer of `fetchOhlcv`: rows, optionally with the rate-limit weight the server reports as used. */
function answerRows(answer: unknown): { rows: readonly unknown[]; usedWeight: number | undefined } {
  if (Array.isArray(answer)) return { rows: answer, usedWeight: undefined };
  if (typeof answer === 'object' && answer !== null && Array.isArray((answer as { rows?: unknown }).rows)) {
    const { rows, usedWeight } = answer as { rows: readonly unknown[]; usedWeight?: unknown };
    return { rows, usedWeight: typeof usedWeight === 'number' && Number.isFinite(usedWeight) ? usedWeight : undefined };
  }
  return { rows: [], usedWeight: undefined };
}

/**
 * Owns feed control: each symbol's failover state (the failover module's machine), each
 * source's rate limiter, which symbols have an open stream, and every request to a source
 * (through its limiter, with the feed timeout). It tells the machine what happened — answers,
 * failures, time passing — emits `failover` when the state moves and hands each action to
 * `onAction`. Which source to ask in each state is the failover module's rule (`sourcesToPoll`).
 */
export class FeedController {
  readonly #primary: Source;
  readonly #backup: Source | undefined;
  readonly #options: FeedControllerOptions;
  readonly #feeds = new Map<string, FeedState>();
  readonly #limiters = new Map<string, RateLimiterState>();
  readonly #streaming = new Set<string>();

  constructor(primary: Source, backup: Source | undefined, options: FeedControllerOptions) {
    this.#primary = primary;
    this.#backup = backup;
    this.#options = options;
  }

  /** The names of the two sources (`backup` when there is none), as alerts and documents name them. */
  get names(): Readonly<Record<FeedSource, string>> {
    return { primary: this.#primary.name, backup: this.#backup?.name ?? 'backup' };
  }

  /** Which of the feed's sources exist. */
  get configured(): readonly FeedSource[] {
    return this.#backup === undefined ? ['primary'] : ['primary', 'backup'];
  }

  /** The failover state of `symbol`'s feed (a symbol asked about is tracked from then on). */
  state(symbol: string): FeedState {
    let state = this.#feeds.get(symbol);
    if (state === undefined) {
      state = initialFeedState(this.#options.policy);
      this.#feeds.set(symbol, state);
    }
    return state;
  }

  /**
   * Starts tracking `symbol` (its feed state, and so its part of a checkpoint) if it is not
   * tracked yet: every symbol the pipeline works on is.
   */
  track(symbol: string): void {
    this.state(symbol);
  }

  /** The feed states of every symbol seen so far. */
  states(): IterableIterator<FeedState> {
    return this.#feeds.values();
  }

  /** The sources to ask for `symbol` now, in order (those the pipeline has). */
  toPoll(symbol: string): FeedSourceRef[] {
    const refs: FeedSourceRef[] = [];
    for (const which of sourcesToPoll(this.state(symbol))) {
      const source = this.source(which);
      if (source !== undefined) refs.push({ which, source });
    }
    return refs;
  }

  /** The primary source. */
  get primary(): Source {
    return this.#primary;
  }

  /** The source behind `which`. */
  source(which: FeedSource): Source | undefined {
    return which === 'primary' ? this.#primary : this.#backup;
  }

  /** Whether `symbol`'s primary stream is open. */
  isStreaming(symbol: string): boolean {
    return this.#streaming.has(symbol);
  }

  /** Marks `symbol`'s primary stream as open or closed. */
  setStreaming(symbol: string, open: boolean): void {
    this.track(symbol);
    if (open === this.#streaming.has(symbol)) return;
    if (open) this.#streaming.add(symbol);
    else this.#streaming.delete(symbol);
    this.#options.onChange(symbol);
  }

  /** The earliest time-driven step of any feed due after `after` (epoch ms), or `null` when none is. */
  nextDeadline(after: number): number | null {
    let next: number | null = null;
    for (const feed of this.#feeds.values()) {
      const due = nextFeedDeadline(feed, this.#options.policy);
      if (due !== null && due > after && (next === null || due < next)) next = due;
    }
    return next;
  }

  /** The earliest time-driven step of `symbol`'s feed (epoch ms), or `null` when none is pending. */
  deadlineOf(symbol: string): number | null {
    return nextFeedDeadline(this.state(symbol), this.#options.policy);
  }

  /**
   * When `which` becomes stale for `symbol` (the failover module's `staleSince` of the newest bar
   * it delivered), or `null` before its first bar.
   */
  staleAt(symbol: string, which: FeedSource): number | null {
    const lastBar = this.state(symbol)[which].lastBar;
    return lastBar === null ? null : staleSince(lastBar, this.#options.policy);
  }

  /** Whether `symbol`'s feed is healthy with no time-driven step pending. */
  isSteady(symbol: string): boolean {
    const feed = this.state(symbol);
    return feed.kind === 'healthy' && nextFeedDeadline(feed, this.#options.policy) === null;
  }

  /**
   * One `fetchOhlcv` of the base timeframe through the source's rate limiter; the server's used
   * weight goes back to the limiter. The request is abandoned (aborted) when the failover module
   * says (`requestDeadline`: the feed timeout from the moment it is sent, or earlier when the
   * ladder moves past the step it serves). Rejects with the source's error (or a timeout
   * `SourceError`), or with {@link Throttled} when the limiter would make it wait longer than
   * `maxWaitMs`: waits are scheduled by the caller, never slept through here beyond that bound.
   *
   * @param maxWaitMs - How long the request may wait for its limiter, ms of the clock (0: not at all).
   */
  async request(
    symbol: string,
    ref: FeedSourceRef,
    since: number,
    limit: number,
    signal: AbortSignal | undefined,
    maxWaitMs = 0,
  ): Promise<SourceAnswer> {
    const { source } = ref;
    const { baseTimeframe } = this.#options;
    const sent = await this.call(symbol, ref, source.requestWeight ?? 1, signal, maxWaitMs, (requestSignal) =>
      source.fetchOhlcv({
        symbol,
        timeframe: baseTimeframe,
        since,
        limit,
        get signal() {
          return requestSignal();
        },
      }),
    );
    const answer = answerRows(sent.value);
    if (answer.usedWeight !== undefined) this.#feedback(source, { kind: 'used_weight', used: answer.usedWeight, sentAt: sent.sentAt });
    return { rows: answer.rows, latencyMs: sent.latencyMs };
  }

  /**
   * Any request of `symbol` to `which` (bars, trades, an order book) through the source's rate
   * limiter, taking `weight` from it, under the same deadline as {@link FeedController.request}
   * (the feed timeout, or earlier when the ladder moves past the step it serves). It does not
   * tell the failover machine how it went: the caller does (`succeeded`, `failed`, `throttled`).
   *
   * @param weight - The request's rate-limit weight.
   * @param send - Sends the request; its argument gives the request's signal (aborted on timeout).
   * @returns The answer, when the request was sent (epoch ms) and its round trip (ms).
   * @throws The source's error, a timeout `SourceError`, or {@link Throttled} (see `request`).
   */
  async call<T>(
    symbol: string,
    { which, source }: FeedSourceRef,
    weight: number,
    signal: AbortSignal | undefined,
    maxWaitMs: number,
    send: (requestSignal: () => AbortSignal) => Promise<T>,
  ): Promise<{ readonly value: T; readonly sentAt: number; readonly latencyMs: number }> {
    await this.#acquire(source, weight, signal, maxWaitMs);
    const { clock, deadlines, policy } = this.#options;
    const started = clock.now();
    const timeoutMs = requestDeadline(this.state(symbol), which, started, policy) - started;
    const value = await deadlines.run(
      timeoutMs,
      signal,
      () => new SourceError(`${source.name} did not answer within ${timeoutMs} ms`, { kind: 'timeout', source: source.name }),
      send,
    );
    return { value, sentAt: started, latencyMs: clock.now() - started };
  }

  /**
   * A side request of `symbol` (trades, an order book) through {@link FeedController.call},
   * without waiting for the limiter, whose failure the failover machine hears at once: a
   * refused request is `throttled`, any other failure `failed`, and the answer is then
   * `undefined`. Success is left to the caller (only bars prove a feed healthy).
   *
   * @returns The answer and when it was sent, or `undefined` when the request failed or was throttled.
   * @throws `signal.reason` when `signal` aborted.
   */
  async callReporting<T>(
    symbol: string,
    ref: FeedSourceRef,
    weight: number,
    signal: AbortSignal | undefined,
    send: (requestSignal: () => AbortSignal) => Promise<T>,
  ): Promise<{ readonly value: T; readonly sentAt: number } | undefined> {
    try {
      return await this.call(symbol, ref, weight, signal, 0, send);
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      if (error instanceof Throttled) this.throttled(symbol, ref.which, error);
      else this.failed(symbol, ref.which, ref.source, error);
      return undefined;
    }
  }

  /**
   * How long (ms) a request to `source` would wait for its rate limiter now (0: it would be
   * granted at once); the limiter is not changed. Data requests queue by priority on it.
   */
  limiterWait(source: Source): number {
    const state = this.#limiters.get(source.name) ?? createRateLimiter(this.#options.rateLimit);
    const decision = tryAcquire(state, this.#options.clock.now(), source.requestWeight ?? 1);
    return decision.granted ? 0 : decision.waitMs;
  }

  /** Only time passed for `symbol`: due steps of the ladder happen. */
  tick(symbol: string): void {
    // With no step pending (a healthy feed) a tick changes nothing.
    if (nextFeedDeadline(this.state(symbol), this.#options.policy) === null) return;
    this.#event(symbol, { kind: 'tick' });
  }

  /**
   * `which` answered for `symbol` with bars up to `newestBar` (open time); `askedFrom` is the
   * first bar asked for when it was asked for every bar up to now (a poll or a stream: the
   * machine then judges staleness). A
   * stream's bar had no request: its latency is `NaN`, which the machine ignores.
   */
  succeeded(symbol: string, which: FeedSource, latencyMs: number, newestBar: number | undefined, askedFrom?: number): void {
    this.#event(symbol, {
      kind: 'succeeded',
      source: which,
      latencyMs,
      ...(newestBar === undefined ? {} : { newestBar }),
      ...(askedFrom === undefined ? {} : { askedFrom }),
    });
  }

  /** A request of `which` for `symbol` failed with `error`: reported on `error`, and rate limits go to the limiter. */
  failed(symbol: string, which: FeedSource, source: Source, error: unknown): void {
    const kind = isSourceError(error) ? error.kind : 'network';
    const retryAfterMs = isSourceError(error) ? error.retryAfterMs : undefined;
    if (isSourceError(error) && error.usedWeight !== undefined) this.#feedback(source, { kind: 'used_weight', used: error.usedWeight });
    if (kind === 'rate_limited' || kind === 'banned')
      this.#feedback(source, retryAfterMs === undefined ? { kind } : { kind, retryAfterMs });
    this.#options.emitter.emit('error', { phase: 'source', error, symbol });
    this.#event(symbol, { kind: 'failed', source: which, failure: kind, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }

  /**
   * A request of `which` for `symbol` was not sent: its limiter refuses it until
   * `throttle.until`. A ban in force is the source's, for every symbol: it is this symbol's
   * outage too, as the 418 its request would get (reported once per ban). Our own pacing or a
   * `Retry-After` is no failure by itself — until the source would be stale for `symbol`: then
   * it has brought no data when due, and that is a `stale` failure (once, while it is up).
   */
  throttled(symbol: string, which: FeedSource, throttle: Throttled): void {
    const stats = this.state(symbol)[which];
    const now = this.#options.clock.now();
    if (throttle.reason === 'banned') {
      if ((stats.rateLimitedUntil ?? Number.NEGATIVE_INFINITY) < throttle.until) {
        this.#event(symbol, { kind: 'failed', source: which, failure: 'banned', retryAfterMs: throttle.until - now });
      }
      return;
    }
    const stale = this.staleAt(symbol, which);
    if (!stats.down && stale !== null && now >= stale) this.#event(symbol, { kind: 'failed', source: which, failure: 'stale' });
  }

  /**
   * `symbol`'s trades stalled on `which` while its bars still came: a `stale` failure, as a
   * source that brings no bar when due (reported once while the source is up).
   */
  stalled(symbol: string, which: FeedSource): void {
    if (!this.state(symbol)[which].down) this.#event(symbol, { kind: 'failed', source: which, failure: 'stale' });
  }

  /** The feed states and limiters, for a checkpoint. */
  toJSON(): { feeds: Record<string, FeedState>; limiters: Record<string, RateLimiterState> } {
    return { feeds: Object.fromEntries(this.#feeds), limiters: Object.fromEntries(this.#limiters) };
  }

  /** Puts a checkpoint's feed state of `symbol` back. */
  restoreFeed(symbol: string, state: FeedState): void {
    this.#feeds.set(symbol, state);
  }

  /**
   * Puts a checkpoint's limiter states back, taken at `at` (epoch ms): as the failover module's
   * `resumeRateLimiter` says (the configured model; a saved block capped).
   */
  restoreLimiters(limiters: Readonly<Record<string, RateLimiterState>>, at: number): void {
    for (const [name, state] of Object.entries(limiters)) this.#limiters.set(name, resumeRateLimiter(state, this.#options.rateLimit, at));
  }

  #event(symbol: string, event: FeedEvent): void {
    const now = this.#options.clock.now();
    const before = this.state(symbol);
    const { state, actions } = nextFeedState(before, event, now, this.#options.policy);
    this.#feeds.set(symbol, state);
    if (before.kind === state.kind && actions.length === 0) return;
    this.#options.onChange(symbol);
    this.#options.emitter.emit('failover', { symbol, from: before.kind, to: state.kind, actions, at: now });
    for (const action of actions) this.#options.onAction(symbol, action, state, now);
  }

  /**
   * Takes the request's weight from the source's limiter, waiting while the wait ends within
   * `maxWaitMs` of the call; throws {@link Throttled} otherwise. Each refusal's wait is at least
   * 1 ms and the budget is fixed, so the loop ends.
   */
  async #acquire(source: Source, weight: number, signal: AbortSignal | undefined, maxWaitMs: number): Promise<void> {
    const clock = this.#options.clock;
    const latest = clock.now() + maxWaitMs;
    for (;;) {
      const state = this.#limiters.get(source.name) ?? createRateLimiter(this.#options.rateLimit);
      const now = clock.now();
      const decision = tryAcquire(state, now, weight);
      this.#limiters.set(source.name, decision.state);
      if (decision.granted) return;
      if (now + decision.waitMs > latest) {
        const blocked = decision.state.blockedUntil !== null && decision.state.blockedUntil > now;
        throw new Throttled(source.name, now + decision.waitMs, blocked ? decision.state.blockReason : null);
      }
      await clock.sleep(decision.waitMs, signal);
    }
  }

  #feedback(source: Source, feedback: RateLimitFeedback): void {
    const state = this.#limiters.get(source.name) ?? createRateLimiter(this.#options.rateLimit);
    this.#limiters.set(source.name, applyServerFeedback(state, this.#options.clock.now(), feedback));
  }
}
