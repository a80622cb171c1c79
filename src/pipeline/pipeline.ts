import { EventEmitter } from 'eventemitter3';
import { aggregateOhlcv } from '../aggregate/aggregate-ohlcv.js';
import { buildMarketContext } from '../context/build-market-context.js';
import { currentSession, type SessionState } from '../context/current-session.js';
import { toColumns } from '../formats/to-columns.js';
import { ConfigError } from '../errors/config-error.js';
import type { DataIssue } from '../errors/result.js';
import { isSourceError, SourceError } from '../errors/source-error.js';
import { applyServerFeedback } from '../failover/apply-server-feedback.js';
import { createRateLimiter } from '../failover/create-rate-limiter.js';
import { feedHealth } from '../failover/feed-health.js';
import { resolveFeedPolicy, type FeedPolicy } from '../failover/feed-policy.js';
import type { FeedAction, FeedEvent, FeedSource, FeedState } from '../failover/feed-state.js';
import { initialFeedState } from '../failover/initial-feed-state.js';
import { nextFeedDeadline } from '../failover/next-feed-deadline.js';
import { nextFeedState } from '../failover/next-feed-state.js';
import type { RateLimiterState } from '../failover/rate-limiter-state.js';
import { retryDelay } from '../failover/retry-delay.js';
import { tryAcquire } from '../failover/try-acquire.js';
import { fillGaps, type FillGapsOptions } from '../gaps/fill-gaps.js';
import { atr } from '../indicators/atr.js';
import { dailyStats } from '../indicators/daily-stats.js';
import { isoUtc } from '../internal/iso-utc.js';
import { dedupe } from '../preprocess/dedupe.js';
import { sortByTime } from '../preprocess/sort-by-time.js';
import { evaluateEscalation, type EscalationGap } from '../quality/evaluate-escalation.js';
import { freshnessAt } from '../internal/quality-freshness.js';
import { scoreQuality, type QualityConfig, type QualityMetrics } from '../quality/score-quality.js';
import { weighQuality } from '../internal/quality-weigh.js';
import { buildDataResponse } from '../reports/build-data-response.js';
import { buildDataStatus, type SeriesStatusInput, type SourceStatusInput } from '../reports/build-data-status.js';
import { buildLatestOhlcv, type LatestOhlcvInput } from '../reports/build-latest-ohlcv.js';
import { buildQualityReport, type SymbolQualityInput } from '../reports/build-quality-report.js';
import { createAlert, type AlertInput } from '../reports/create-alert.js';
import { retentionCutoff } from '../retention/retention-cutoff.js';
import type { Alert } from '../schemas/alert-schema.js';
import type { PipelineConfig } from '../schemas/config.js';
import { DataRequestSchema } from '../schemas/data-request-schema.js';
import type { DataResponse } from '../schemas/data-response-schema.js';
import type { MarketContext } from '../schemas/market-context-schema.js';
import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { parseOhlcv } from '../schemas/parse-ohlcv.js';
import type { QualityIssue } from '../schemas/quality-report-schema.js';
import { resolveConfig } from '../schemas/resolve-config.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { expectedBarCount } from '../time/expected-bar-count.js';
import { DAY_MS, HOUR_MS, type Timeframe } from '../time/timeframe.js';
import { validateOhlcv } from '../validate/validate-ohlcv.js';
import type { Clock } from './clock.js';
import { MemoryStore } from './memory-store.js';
import type { PipelineCheckpoint, PipelineOptions, SymbolCheckpoint } from './pipeline-options.js';
import type { PipelineEvents } from './pipeline-events.js';
import { SeriesAggregators } from './series-aggregators.js';
import type { DocumentRecord, RevisedBar, Sink, SinkRecord } from './sink.js';
import { SinkChannel } from './sink-channel.js';
import type { Source } from './source.js';
import type { Store } from './store.js';
import { systemClock } from './system-clock.js';
import { withRevision } from './with-revision.js';
import { Deadlines } from './deadlines.js';
import { QualityLedger } from './quality-ledger.js';

/** What the pipeline keeps per symbol while it runs. */
interface SymbolRuntime {
  feed: FeedState;
  issues: QualityIssue[];
  criticalGaps: EscalationGap[];
  syntheticSince: number | null;
  escalated: Set<string>;
  /** Start times of gaps already reported, so a re-requested hole is not reported twice. */
  reportedGaps: Set<number>;
  aggregators: SeriesAggregators | undefined;
  /** Serialises work on this symbol (polling and streaming may overlap). */
  lock: Promise<void>;
  /** Timeframes that got bars since the last documents. */
  dirty: Set<Timeframe>;
  /** Whether the primary's `subscribe` stream of this symbol is open. */
  streaming: boolean;
  /** Per timeframe: what the last documents knew. */
  series: Map<Timeframe, SeriesCache>;
  /** Per timeframe: the last `data_status` input. */
  statuses: Map<Timeframe, SeriesStatusInput>;
  /** Per timeframe: the verdicts of the bars in the quality window. */
  ledgers: Map<Timeframe, QualityLedger>;
  /** Per timeframe: clock time (epoch ms) from which the next prune is due. */
  pruneDue: Map<Timeframe, number>;
  /** ATR(14) of the 1H bars at the last documents; `undefined` before the first. */
  atr1h: number | null | undefined;
  /** The last market-context document and the alert count it saw. */
  context: { readonly document: MarketContext; readonly alertSequence: number } | undefined;
}

/** High, low and volume of the current UTC day so far, as `latest_ohlcv` reports them. */
type DailyFields = LatestOhlcvInput['daily'];

/** What the documents know about one series. */
interface SeriesCache {
  readonly dayStart: number;
  readonly latest: RevisedBar | undefined;
  readonly barsToday: number;
  readonly metrics: QualityMetrics | undefined;
  readonly score: number | undefined;
}

/** What one `ingest` call did. */
interface IngestOutcome {
  /** Open time of the newest closed bar in the answer, if any. */
  readonly newest: number | undefined;
  /** The newest bar of the answer that was stored (continuation point of a paged fetch). */
  readonly lastStored: RevisedBar | undefined;
}

const SYNTHETIC = new Set(['interpolated', 'forward_filled']);

function isSynthetic(bar: Ohlcv): boolean {
  return bar.flag !== undefined && SYNTHETIC.has(bar.flag);
}

function sameBar(a: Ohlcv, b: Ohlcv): boolean {
  return (
    a.timestamp === b.timestamp &&
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume &&
    a.flag === b.flag &&
    a.quoteVolume === b.quoteVolume &&
    a.trades === b.trades &&
    a.takerBuyVolume === b.takerBuyVolume
  );
}

/**
 * Whether a store answered with a promise. `MemoryStore` answers at once, and an `await` of a
 * plain value still costs a microtask and an allocation: the hot paths await only promises.
 */
function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Gaps detected per timeframe among `issues` stamped at or after `since` (epoch ms); `undefined` when there are none. */
function gapsSince(issues: readonly QualityIssue[], since: number): Map<Timeframe, number> | undefined {
  let gaps: Map<Timeframe, number> | undefined;
  for (const issue of issues) {
    if (issue.type !== 'gap_detected' || issue.timeframe === undefined || Date.parse(issue.timestamp) < since) continue;
    gaps ??= new Map();
    gaps.set(issue.timeframe, (gaps.get(issue.timeframe) ?? 0) + 1);
  }
  return gaps;
}

/** Index of the first bar opening at or after `time` (bars in time order, usually few after it). */
function firstAtOrAfter(bars: OhlcvColumns, time: number): number {
  let i = bars.length;
  while (i > 0 && (bars.timestamp[i - 1] as number) >= time) i--;
  return i;
}

function widthOf(timestamp: number, tf: Timeframe): number {
  return bucketEnd(timestamp, tf) - bucketStart(timestamp, tf);
}

function compact(ms: number): string {
  return isoUtc(ms).slice(0, 10).replaceAll('-', '');
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
 * The one stateful, asynchronous part of the library: it composes the pure modules into the
 * specification's data pipeline manager. For each symbol it fetches the base timeframe from
 * the primary source (through the rate limiter and the failover state machine), parses,
 * validates (invalid rows are removed and reported), dedupes, sorts, fills gaps by size,
 * stores, aggregates every configured timeframe the way the exchange does, scores quality,
 * builds the state documents and delivers everything to every sink — through one bounded,
 * retried, ordered queue per sink.
 *
 * It owns no timer of its own beyond the injected `Clock`: tests drive it with `ManualClock`.
 * Delivery is at-least-once and in order per series; sinks upsert by
 * `(symbol, timeframe, timestamp)` keeping the highest `revision`.
 *
 * @example
 * ```ts
 * const pipeline = new Pipeline({ primary, backup, sinks: [sink], config: { symbols: ['BTCUSD'] } });
 * pipeline.on('alert', (alert) => console.log(alert.message));
 * await pipeline.runOnce();            // one ingestion cycle
 * pipeline.start();                    // or keep it running until stop()
 * await pipeline.stop();
 * ```
 */
export class Pipeline {
  /** The resolved configuration (the specification's defaults with the overrides). */
  readonly config: PipelineConfig;
  readonly #primary: Source;
  readonly #backup: Source | undefined;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #policy: FeedPolicy;
  readonly #start: number | undefined;
  readonly #deliverForming: boolean;
  readonly #pollDelayMs: number;
  readonly #emitter = new EventEmitter<PipelineEvents>();
  readonly #channels: readonly SinkChannel[];
  readonly #symbols = new Map<string, SymbolRuntime>();
  readonly #limiters = new Map<string, RateLimiterState>();
  readonly #higher: readonly Timeframe[];
  readonly #baseMs: number;
  readonly #qualityConfig: QualityConfig;
  /** Time limits of source requests and sink writes (one watchdog timer for all). */
  readonly #deadlines: Deadlines;
  #alertSequence = 0;
  #alerts: Alert[] = [];
  #documentsAt = Number.NEGATIVE_INFINITY;
  readonly #fillOptions: FillGapsOptions;
  #loop: { readonly controller: AbortController; readonly done: Promise<void> } | undefined;

  /**
   * @param options - Sources, sinks, store, clock and configuration; see {@link PipelineOptions}.
   * @throws {@link ConfigError} for invalid configuration, a base timeframe that does not divide a
   *   configured timeframe, or two sinks or sources with the same name.
   */
  constructor(options: PipelineOptions) {
    this.config = resolveConfig(options.config ?? {});
    const base = this.config.baseTimeframe;
    if (base === '1M') {
      throw new ConfigError('Expected `baseTimeframe` to have a fixed width, got `1M`', { path: ['config', 'baseTimeframe'], value: base });
    }
    this.#baseMs = widthOf(0, base);
    const c = this.config;
    this.#qualityConfig = Object.freeze({
      completeness: c.completeness,
      validity: c.validity,
      freshness: c.freshness,
      consistency: c.consistency,
      weights: c.weights,
      escalation: c.escalation,
    });
    this.#higher = [...new Set(this.config.timeframes.filter((tf) => tf !== base))];
    // Fails early (ConfigError) when the base does not divide a target.
    new SeriesAggregators(base, this.#higher);
    this.#primary = options.primary;
    this.#backup = options.backup;
    if (this.#backup !== undefined && this.#backup.name === this.#primary.name) {
      throw new ConfigError(`Expected the backup source to have its own name, got \`${this.#backup.name}\` twice`, {
        path: ['backup', 'name'],
        value: this.#backup.name,
      });
    }
    this.#store = options.store ?? new MemoryStore();
    this.#clock = options.clock ?? systemClock;
    this.#deadlines = new Deadlines(this.#clock);
    this.#random = options.random ?? Math.random;
    this.#start = options.start;
    this.#deliverForming = options.deliverForming ?? false;
    this.#fillOptions = options.calendar === undefined ? {} : { calendar: options.calendar };
    this.#pollDelayMs = options.pollDelayMs ?? 1000;
    this.#policy = resolveFeedPolicy({
      ...this.config.feedFailure,
      sourceUnavailableMs: this.config.escalation.sourceUnavailableMs,
      hasBackup: this.#backup !== undefined,
      barIntervalMs: this.#baseMs,
    });
    const names = new Set<string>();
    const maxAttempts = options.sinkMaxAttempts ?? 5;
    const writeTimeoutMs = options.sinkTimeoutMs ?? this.config.feedFailure.timeoutMs;
    this.#channels = (options.sinks ?? []).map((sink) => {
      if (names.has(sink.name)) {
        throw new ConfigError(`Expected every sink to have its own name, got \`${sink.name}\` twice`, {
          path: ['sinks'],
          value: sink.name,
        });
      }
      names.add(sink.name);
      return new SinkChannel(sink, {
        bufferSize: this.config.delivery.bufferSize,
        maxAttempts,
        writeTimeoutMs,
        retryDelay: (attempt) => retryDelay(attempt, undefined, this.#random),
        clock: this.#clock,
        deadlines: this.#deadlines,
        onDeadLetter: (record, error, attempts) => this.#emit('deadLetter', { sink: sink.name, record, error, attempts }),
        onFailedAttempt: (error) => this.#emit('error', { phase: 'sink', error }),
      });
    });
    if (options.checkpoint !== undefined) this.#restore(options.checkpoint);
  }

  /**
   * Subscribes to an event; see {@link PipelineEvents}. A listener that throws is reported on
   * `error` and changes nothing the pipeline computes or delivers.
   *
   * @returns A function that unsubscribes the listener.
   */
  on<E extends keyof PipelineEvents>(event: E, listener: PipelineEvents[E]): () => void {
    const call = listener as (...args: unknown[]) => void;
    const safe = (...args: unknown[]): void => {
      try {
        call(...args);
      } catch (error) {
        if (event !== 'error') this.#emit('error', { phase: 'listener', error });
      }
    };
    this.#emitter.on(event, safe);
    return () => {
      this.#emitter.off(event, safe);
    };
  }

  /** Whether anyone listens to `event` (payloads of frequent events are built only then). */
  #listened(event: keyof PipelineEvents): boolean {
    return this.#emitter.listenerCount(event) > 0;
  }

  #emit<E extends keyof PipelineEvents>(event: E, ...args: Parameters<PipelineEvents[E]>): void {
    (this.#emitter.emit as (event: E, ...args: unknown[]) => boolean)(event, ...args);
  }

  /**
   * One ingestion cycle: every symbol is fetched, processed and delivered, then the state
   * documents are built (at most once per `delivery.updateIntervalMs`) and delivered.
   * Source failures do not reject: they move the failover state machine and raise alerts.
   *
   * @param signal - Aborts the cycle; the promise then rejects with `signal.reason`.
   */
  async runOnce(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    for (const symbol of this.config.symbols) {
      if (this.#streamIsCurrent(symbol)) continue;
      await this.#exclusive(symbol, (rt) => this.#cycle(symbol, rt, signal), signal);
    }
    await this.#publish(signal);
  }

  /**
   * Runs cycles until `stop()` (or `signal` aborts): one after each base bar closes (plus
   * `pollDelayMs`), earlier when the failover ladder has a step due. Sources that can
   * `subscribe` are also streamed bar by bar through the same steps.
   *
   * @param signal - Stops the pipeline when aborted, like `stop()`.
   */
  start(signal?: AbortSignal): void {
    if (this.#loop !== undefined) return;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = Promise.all([this.#run(controller.signal), ...this.#streams(controller.signal)])
      .then(() => undefined)
      .finally(() => signal?.removeEventListener('abort', onAbort));
    this.#loop = { controller, done };
  }

  /**
   * Stops the cycles and streams and aborts writes in flight. Settles promptly, leaving no
   * timer or listener behind; records not yet delivered stay queued and are kept by
   * `checkpoint()`. Call `flush()` first to wait for delivery.
   */
  async stop(): Promise<void> {
    const loop = this.#loop;
    this.#loop = undefined;
    if (loop !== undefined) {
      loop.controller.abort(new DOMException('The pipeline stopped', 'AbortError'));
      await loop.done;
    }
    await Promise.all(this.#channels.map((channel) => channel.close()));
    this.#deadlines.close();
  }

  /**
   * Resolves when every sink's queue is empty (each record written or dead-lettered), then
   * calls each sink's `flush`.
   */
  async flush(signal?: AbortSignal): Promise<void> {
    await Promise.all(this.#channels.map((channel) => channel.drain()));
    const flushSignal = signal ?? new AbortController().signal;
    for (const channel of this.#channels) await channel.sink.flush?.({ signal: flushSignal });
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.runOnce(signal);
      } catch (error) {
        if (signal.aborted) return;
        this.#emit('error', { phase: 'cycle', error });
      }
      const now = this.#clock.now();
      let wake = bucketEnd(now, this.config.baseTimeframe) + this.#pollDelayMs;
      for (const rt of this.#symbols.values()) {
        const due = nextFeedDeadline(rt.feed, this.#policy);
        if (due !== null && due > now && due < wake) wake = due;
      }
      try {
        await this.#clock.sleep(wake - now, signal);
      } catch {
        return;
      }
    }
  }

  #streams(signal: AbortSignal): Promise<void>[] {
    const subscribe = this.#primary.subscribe?.bind(this.#primary);
    if (subscribe === undefined) return [];
    return this.config.symbols.map(async (symbol) => {
      try {
        for await (const raw of subscribe({ symbol, timeframe: this.config.baseTimeframe, signal })) {
          await this.#exclusive(
            symbol,
            async (rt) => {
              rt.streaming = true;
              const outcome = await this.#ingest(symbol, rt, [raw], this.#primary.name, signal, undefined);
              // A streamed bar proves the source alive; it had no request, so no round trip to time (NaN is ignored).
              this.#feedEvent(symbol, rt, {
                kind: 'succeeded',
                source: 'primary',
                latencyMs: Number.NaN,
                ...(outcome.newest === undefined ? {} : { newestBar: outcome.newest }),
              });
            },
            signal,
          );
        }
      } catch (error) {
        if (signal.aborted) return;
        // The stream failed: polling goes on, and the failure counts against the primary.
        await this.#exclusive(
          symbol,
          (rt) => Promise.resolve(this.#onSourceFailure(symbol, rt, 'primary', this.#primary, error)),
          signal,
        ).catch(() => undefined);
      } finally {
        this.#runtime(symbol).streaming = false;
      }
    });
  }

  async #exclusive(symbol: string, task: (rt: SymbolRuntime) => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
    const rt = this.#runtime(symbol);
    const previous = rt.lock;
    let release: () => void = () => undefined;
    rt.lock = new Promise((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      signal?.throwIfAborted();
      if (rt.aggregators === undefined) rt.aggregators = await this.#warm(symbol, rt);
      await task(rt);
    } finally {
      release();
    }
  }

  #runtime(symbol: string): SymbolRuntime {
    let rt = this.#symbols.get(symbol);
    if (rt === undefined) {
      rt = {
        feed: initialFeedState(this.#policy),
        issues: [],
        criticalGaps: [],
        syntheticSince: null,
        escalated: new Set(),
        reportedGaps: new Set(),
        aggregators: undefined,
        lock: Promise.resolve(),
        dirty: new Set(),
        streaming: false,
        series: new Map(),
        statuses: new Map(),
        ledgers: new Map(),
        pruneDue: new Map(),
        atr1h: undefined,
        context: undefined,
      };
      this.#symbols.set(symbol, rt);
    }
    return rt;
  }

  /**
   * Streaming aggregators of a symbol, primed with the stored base bars of each forming bucket.
   * A persistent store outlives the process that wrote it, and that process may have died
   * between two store calls, so within backfill reach the store is checked: synthetic base bars
   * are re-requested (even when the checkpoint predates them or there is none), and every
   * aggregate the stored base bars complete is recomputed and, when missing or different,
   * stored and delivered.
   */
  async #warm(symbol: string, rt: SymbolRuntime): Promise<SeriesAggregators> {
    const base = this.config.baseTimeframe;
    const aggregators = new SeriesAggregators(base, this.#higher);
    const last = await this.#store.last(symbol, base);
    if (last === undefined) return aggregators;
    const reach = bucketStart(this.#clock.now(), base) - this.config.feedFailure.maxBackfillBars * this.#baseMs;
    const recent = await this.#store.range(symbol, base, reach, last.timestamp + this.#baseMs);
    const synthetic = recent.find(isSynthetic)?.timestamp;
    if (synthetic !== undefined) rt.syntheticSince = Math.min(rt.syntheticSince ?? synthetic, synthetic);
    for (const tf of this.#higher) {
      const from = Math.min(bucketStart(last.timestamp, tf), bucketStart(recent[0]?.timestamp ?? last.timestamp, tf));
      for (const bar of await this.#store.range(symbol, base, from, last.timestamp + this.#baseMs)) {
        for (const [, closed] of aggregators.add(bar, tf)) {
          const revised = await this.#revise(symbol, tf, closed);
          if (revised === undefined) continue;
          this.#touched(rt, tf, revised.timestamp);
          this.#emit('bar', { symbol, timeframe: tf, bar: revised });
          this.#enqueue({ kind: 'bars', symbol, timeframe: tf, bars: [revised] });
        }
      }
    }
    return aggregators;
  }

  #plan(feed: FeedState): FeedSource[] {
    switch (feed.kind) {
      case 'healthy':
      case 'retrying':
        return ['primary'];
      case 'detected':
        return [];
      case 'on_backup':
        return ['backup', 'primary'];
      case 'cached':
      case 'halted':
        return ['primary', 'backup'];
    }
  }

  async #cycle(symbol: string, rt: SymbolRuntime, signal: AbortSignal | undefined): Promise<void> {
    this.#feedEvent(symbol, rt, { kind: 'tick' });
    for (const which of this.#plan(rt.feed)) {
      const source = which === 'primary' ? this.#primary : this.#backup;
      if (source !== undefined) await this.#fetchSeries(symbol, rt, which, source, signal);
    }
  }

  /**
   * Whether a symbol's cycle would do nothing: its stream is open, its feed healthy with no
   * time-driven step pending, and the store already holds the last closed base bar (the
   * stream delivered it). Decided without waiting for the symbol's lock: a bar being stored
   * meanwhile only makes it `false`.
   */
  #streamIsCurrent(symbol: string): boolean {
    const rt = this.#symbols.get(symbol);
    if (
      rt?.streaming !== true ||
      rt.feed.kind !== 'healthy' ||
      rt.syntheticSince !== null ||
      nextFeedDeadline(rt.feed, this.#policy) !== null
    )
      return false;
    const last = this.#store.last(symbol, this.config.baseTimeframe);
    return (
      !isPromiseLike(last) &&
      last !== undefined &&
      last.timestamp + this.#baseMs >= bucketStart(this.#clock.now(), this.config.baseTimeframe)
    );
  }

  /** Where the next fetch of a symbol starts (epoch ms), and how many bars are due. */
  async #since(symbol: string, rt: SymbolRuntime, closedEnd: number): Promise<number> {
    const stored = this.#store.last(symbol, this.config.baseTimeframe);
    const last = isPromiseLike(stored) ? await stored : stored;
    const cap = closedEnd - this.config.feedFailure.maxBackfillBars * this.#baseMs;
    if (last === undefined) return this.#start ?? cap;
    // Beyond `maxBackfillBars` the missed bars are not fetched; they are reported as a gap.
    let since = Math.max(last.timestamp + this.#baseMs, cap);
    if (rt.syntheticSince !== null) {
      if (rt.syntheticSince < cap) rt.syntheticSince = null;
      else since = Math.min(since, rt.syntheticSince);
    }
    return since;
  }

  async #fetchSeries(symbol: string, rt: SymbolRuntime, which: FeedSource, source: Source, signal: AbortSignal | undefined): Promise<void> {
    const closedEnd = bucketStart(this.#clock.now(), this.config.baseTimeframe);
    let since = await this.#since(symbol, rt, closedEnd);
    // An open stream delivers each bar as it closes: with none due and the feed healthy, a poll would only ask again.
    if (rt.streaming && rt.feed.kind === 'healthy' && since >= closedEnd) return;
    const total = Math.max(0, Math.round((closedEnd - since) / this.#baseMs));
    const limit = source.maxLimit ?? 1000;
    let done = 0;
    let previous: RevisedBar | undefined;
    for (;;) {
      let answer: { rows: readonly unknown[]; latencyMs: number };
      try {
        answer = await this.#request(source, symbol, since, limit, signal);
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        this.#onSourceFailure(symbol, rt, which, source, error);
        return;
      }
      const outcome = await this.#ingest(symbol, rt, answer.rows, source.name, signal, previous);
      this.#feedEvent(symbol, rt, {
        kind: 'succeeded',
        source: which,
        latencyMs: answer.latencyMs,
        ...(outcome.newest === undefined ? {} : { newestBar: outcome.newest }),
      });
      done += answer.rows.length;
      if (total > limit) this.#emit('progress', { symbol, phase: 'backfill', done: Math.min(done, total), total });
      if (answer.rows.length < limit || outcome.newest === undefined || outcome.newest + this.#baseMs >= closedEnd) return;
      since = outcome.newest + this.#baseMs;
      previous = outcome.lastStored;
    }
  }

  /**
   * One `fetchOhlcv` of the base timeframe through the rate limiter, with the feed timeout;
   * the server's used weight goes back to the limiter. Rejects with the source's error (or a
   * timeout `SourceError`).
   */
  async #request(
    source: Source,
    symbol: string,
    since: number,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<{ rows: readonly unknown[]; latencyMs: number }> {
    await this.#acquire(source, signal);
    const timeoutMs = this.config.feedFailure.timeoutMs;
    const started = this.#clock.now();
    const answer = answerRows(
      await this.#deadlines.run(
        timeoutMs,
        signal,
        () => new SourceError(`${source.name} did not answer within ${timeoutMs} ms`, { kind: 'timeout', source: source.name }),
        (requestSignal) =>
          source.fetchOhlcv({
            symbol,
            timeframe: this.config.baseTimeframe,
            since,
            limit,
            get signal() {
              return requestSignal();
            },
          }),
      ),
    );
    if (answer.usedWeight !== undefined) this.#feedback(source, { kind: 'used_weight', used: answer.usedWeight, sentAt: started });
    return { rows: answer.rows, latencyMs: this.#clock.now() - started };
  }

  async #acquire(source: Source, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const state = this.#limiters.get(source.name) ?? createRateLimiter(this.config.rateLimit);
      const decision = tryAcquire(state, this.#clock.now(), source.requestWeight ?? 1);
      this.#limiters.set(source.name, decision.state);
      if (decision.granted) return;
      await this.#clock.sleep(decision.waitMs, signal);
    }
  }

  #feedback(source: Source, feedback: Parameters<typeof applyServerFeedback>[2]): void {
    const state = this.#limiters.get(source.name) ?? createRateLimiter(this.config.rateLimit);
    this.#limiters.set(source.name, applyServerFeedback(state, this.#clock.now(), feedback));
  }

  #onSourceFailure(symbol: string, rt: SymbolRuntime, which: FeedSource, source: Source, error: unknown): void {
    const kind = isSourceError(error) ? error.kind : 'network';
    const retryAfterMs = isSourceError(error) ? error.retryAfterMs : undefined;
    if (isSourceError(error) && error.usedWeight !== undefined) this.#feedback(source, { kind: 'used_weight', used: error.usedWeight });
    if (kind === 'rate_limited' || kind === 'banned') {
      this.#feedback(source, retryAfterMs === undefined ? { kind } : { kind, retryAfterMs });
    }
    this.#emit('error', { phase: 'source', error, symbol });
    this.#feedEvent(symbol, rt, {
      kind: 'failed',
      source: which,
      failure: kind,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  #feedEvent(symbol: string, rt: SymbolRuntime, event: FeedEvent): void {
    // A tick only takes time-driven steps: with none pending (a healthy feed), it changes nothing.
    if (event.kind === 'tick' && nextFeedDeadline(rt.feed, this.#policy) === null) return;
    const now = this.#clock.now();
    const from = rt.feed.kind;
    const { state, actions } = nextFeedState(rt.feed, event, now, this.#policy);
    rt.feed = state;
    if (from === state.kind && actions.length === 0) return;
    this.#emit('failover', { symbol, from, to: state.kind, actions, at: now });
    for (const action of actions) this.#onFeedAction(symbol, rt, action, now);
  }

  #sourceName(which: FeedSource): string {
    return which === 'primary' ? this.#primary.name : (this.#backup?.name ?? 'backup');
  }

  #onFeedAction(symbol: string, rt: SymbolRuntime, action: FeedAction, now: number): void {
    const primary = this.#primary.name;
    switch (action.kind) {
      case 'failover':
        this.#raise(
          {
            severity: 'warning',
            type: 'failover',
            message: `Primary source ${primary} failed (${rt.feed.kind === 'on_backup' ? rt.feed.detectedBy : 'errors'}); serving ${symbol} from the backup ${this.#sourceName('backup')}`,
            affected: { symbol, source: primary },
            actionTaken: `Failed over to ${this.#sourceName('backup')}`,
            escalate: false,
          },
          now,
        );
        return;
      case 'use_cached':
        if (action.notify) {
          this.#raise(
            {
              severity: 'warning',
              type: 'feed',
              message: `No source answers for ${symbol}; serving cached data`,
              affected: { symbol, source: primary },
              actionTaken: 'Serving cached data',
              escalate: false,
            },
            now,
          );
        }
        return;
      case 'halt':
        return;
      case 'escalate': {
        const trigger = action.reason;
        rt.escalated.add(trigger);
        const message =
          action.reason === 'feed_offline'
            ? `Data feed for ${symbol} is offline since ${isoUtc(action.since)}; trading halted`
            : `Source ${this.#sourceName(action.source)} unavailable for ${symbol} since ${isoUtc(action.since)}`;
        const alert = this.#raise(
          {
            severity: 'critical',
            type: 'escalation',
            message,
            affected: { symbol, source: action.reason === 'feed_offline' ? primary : this.#sourceName(action.source) },
            actionTaken:
              action.reason === 'feed_offline'
                ? 'Trading halted; escalated to the trading coordinator'
                : 'Escalated to the trading coordinator',
            escalate: true,
          },
          now,
        );
        this.#emit('escalation', { symbol, reasons: [message], alert });
        return;
      }
      case 'switch_back':
      case 'resume':
        this.#raise(
          {
            severity: 'info',
            type: 'failover',
            message: `Primary source ${primary} is serving ${symbol} again`,
            affected: { symbol, source: primary },
            actionTaken: action.kind === 'resume' ? 'Trading resumed' : 'Switched back to the primary',
            escalate: false,
          },
          now,
        );
        rt.escalated.delete('feed_offline');
        rt.escalated.delete('source_unavailable');
        return;
      case 'backoff':
        this.#raise(
          {
            severity: 'info',
            type: 'rate_limit',
            message: `${this.#sourceName(action.source)} asked for no requests until ${isoUtc(action.until)}`,
            affected: { symbol, source: this.#sourceName(action.source) },
            actionTaken: 'Requests paused until then',
            escalate: false,
          },
          now,
        );
        return;
      case 'alert':
        this.#raise(
          {
            severity: 'warning',
            type: 'data_quality',
            message: `Data feed latency elevated (${Math.round(action.latencyMs)}ms vs normal ${Math.round(action.normalLatencyMs)}ms)`,
            affected: { symbol, source: this.#sourceName(action.source) },
            actionTaken: 'Monitoring, no intervention required',
            escalate: false,
          },
          now,
        );
        return;
      case 'retry':
      case 'backfill':
      case 'gap':
        // The next fetch starts after the last stored bar (at most `maxBackfillBars` back), so
        // the backfill happens and the skipped bars surface as a gap when the next bars arrive.
        return;
    }
  }

  #raise(input: Omit<AlertInput, 'sequence' | 'now'>, now: number): Alert {
    const alert = createAlert({ ...input, sequence: ++this.#alertSequence, now });
    this.#alerts.push(alert);
    this.#emit('alert', alert);
    this.#enqueue({ kind: 'alert', alert });
    return alert;
  }

  /** Queues a record without waiting (alerts raised inside synchronous steps); backpressure applies to bars. */
  #enqueue(record: SinkRecord): void {
    for (const channel of this.#channels) {
      if (this.#accepts(channel.sink, record)) {
        channel.push(record).catch((error: unknown) => this.#emit('error', { phase: 'sink', error }));
      }
    }
  }

  #accepts(sink: Sink, record: SinkRecord): boolean {
    if (record.kind === 'dataset' && !(sink.datasetFormats ?? []).includes(record.format)) return false;
    return sink.accepts?.(record) ?? true;
  }

  /** Queues records, in order, on every sink that accepts them (waiting while a queue is full). */
  async #deliver(records: readonly SinkRecord[], signal: AbortSignal | undefined): Promise<void> {
    if (records.length === 0) return;
    for (const channel of this.#channels) {
      const sink = channel.sink;
      const accepted = records.every((record) => this.#accepts(sink, record))
        ? records
        : records.filter((record) => this.#accepts(sink, record));
      if (accepted.length > 0) await channel.pushAll(accepted, signal);
    }
  }

  /** Emits `bar` for each bar and adds their record to `records`; the series changed for the next documents. */
  #barsRecord(rt: SymbolRuntime, symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[], records: SinkRecord[]): void {
    if (bars.length === 0) return;
    for (const bar of bars) this.#touched(rt, timeframe, bar.timestamp);
    // Every bar is newer than what the ledger was fed (else #touched dropped it): judged now.
    rt.ledgers.get(timeframe)?.addRows(bars);
    if (this.#listened('bar')) for (const bar of bars) this.#emit('bar', { symbol, timeframe, bar });
    records.push({ kind: 'bars', symbol, timeframe, bars });
  }

  /**
   * Marks a series as changed for the next documents. A bar at or before the newest one its
   * quality ledger was fed replaces a bar the ledger judged or moved its windows with: the
   * ledger starts over.
   */
  #touched(rt: SymbolRuntime, timeframe: Timeframe, timestamp: number): void {
    rt.dirty.add(timeframe);
    const ledger = rt.ledgers.get(timeframe);
    if (ledger !== undefined && timestamp <= ledger.fed) rt.ledgers.delete(timeframe);
  }

  #note(rt: SymbolRuntime, issue: QualityIssue): void {
    rt.issues.push(issue);
  }

  /**
   * Parses, validates, dedupes, sorts, merges with the store, fills gaps, stores, aggregates
   * and delivers one answer of a source.
   *
   * @param previous - The bar stored just before this answer's first one (a paged fetch's previous page).
   */
  async #ingest(
    symbol: string,
    rt: SymbolRuntime,
    raw: readonly unknown[],
    sourceName: string,
    signal: AbortSignal | undefined,
    previous: RevisedBar | undefined,
  ): Promise<IngestOutcome> {
    const base = this.config.baseTimeframe;
    const now = this.#clock.now();
    const closedEnd = bucketStart(now, base);
    const parsed = parseOhlcv(raw);
    const refused: DataIssue[] = [...parsed.issues];
    const checked = validateOhlcv(parsed.rows, { timeframe: base });
    let bad: Set<number> | undefined;
    for (const issue of checked.issues) {
      // Order is repaired by sorting; everything else breaks a rule and the row is removed.
      if (issue.severity === 'error' && issue.rule !== 'timestamp_ascending') {
        bad ??= new Set();
        if (!bad.has(issue.index)) refused.push({ code: issue.rule, path: [issue.index], message: issue.message });
        bad.add(issue.index);
      }
    }
    const closed: Ohlcv[] = [];
    let forming: Ohlcv | undefined;
    let ascending = true;
    for (let i = 0; i < parsed.rows.length; i++) {
      const bar = parsed.rows[i] as Ohlcv;
      if (bad?.has(i) === true) continue;
      if (bar.timestamp < closedEnd) {
        const last = closed.at(-1);
        if (last !== undefined && !(bar.timestamp > last.timestamp)) ascending = false;
        closed.push(bar);
      } else if (bar.timestamp === closedEnd) forming = bar;
      else
        refused.push({
          code: 'future_bar',
          path: [i],
          message: `Bar at ${isoUtc(bar.timestamp)} opens after the current ${base} bar (${isoUtc(closedEnd)})`,
        });
    }
    if (refused.length > 0) {
      this.#emit('rejected', { symbol, source: sourceName, issues: refused });
      this.#note(rt, {
        timestamp: isoUtc(now),
        type: 'invalid_bar',
        symbol,
        timeframe: base,
        duration_bars: refused.length,
        resolution: 'removed',
        message: `${refused.length} row${refused.length === 1 ? '' : 's'} from ${sourceName} refused: ${refused[0]?.message ?? ''}`,
      });
    }
    // Strictly increasing answers (the usual) need neither sorting nor deduplication.
    const deduped = ascending ? { bars: closed, issues: [] } : dedupe(sortByTime(closed), { keep: 'last' });
    if (deduped.issues.length > 0) {
      this.#note(rt, {
        timestamp: isoUtc(now),
        type: 'duplicate_bar',
        symbol,
        timeframe: base,
        duration_bars: deduped.issues.length,
        resolution: 'removed',
        message: `${deduped.issues.length} duplicate bar${deduped.issues.length === 1 ? '' : 's'} from ${sourceName} dropped`,
      });
    }
    const incoming = deduped.bars;
    const newest = incoming.at(-1)?.timestamp;
    const stored = this.#store.last(symbol, base);
    const last = isPromiseLike(stored) ? await stored : stored;
    const lastTs = last?.timestamp ?? Number.NEGATIVE_INFINITY;
    const first = incoming[0];
    let existing: Map<number, RevisedBar> | undefined;
    if (first !== undefined && first.timestamp <= lastTs) {
      existing = new Map();
      for (const bar of await this.#store.range(symbol, base, first.timestamp, Math.min(lastTs, newest ?? lastTs) + 1))
        existing.set(bar.timestamp, bar);
    }
    const older: RevisedBar[] = [];
    const fresh: RevisedBar[] = [];
    let conflicts = 0;
    const prev = first !== undefined && first.timestamp > lastTs ? last : previous;
    const sequence = prev === undefined ? incoming : [prev, ...incoming];
    // One bar after the last (the steady state) leaves no gap to fill.
    const filled =
      sequence.length === 2 &&
      this.#fillOptions.calendar === undefined &&
      (sequence[1] as Ohlcv).timestamp - (sequence[0] as Ohlcv).timestamp === this.#baseMs
        ? { bars: sequence, reports: [] }
        : fillGaps(sequence, base, this.config.gaps, this.#fillOptions);
    for (const bar of filled.bars) {
      if (prev !== undefined && bar.timestamp <= prev.timestamp) continue;
      const stored = existing?.get(bar.timestamp);
      let revised: RevisedBar | undefined;
      if (stored === undefined) revised = withRevision(bar, 0);
      else if (isSynthetic(stored) && !isSynthetic(bar)) revised = withRevision(bar, stored.revision + 1);
      else if (!isSynthetic(bar) && !sameBar(stored, bar)) conflicts++;
      if (revised === undefined) continue;
      if (revised.timestamp > lastTs) fresh.push(revised);
      else older.push(revised);
      if (isSynthetic(revised)) rt.syntheticSince = Math.min(rt.syntheticSince ?? revised.timestamp, revised.timestamp);
    }
    if (conflicts > 0) {
      this.#note(rt, {
        timestamp: isoUtc(now),
        type: 'inconsistent_source',
        symbol,
        timeframe: base,
        duration_bars: conflicts,
        resolution: 'flagged',
        message: `${conflicts} bar${conflicts === 1 ? '' : 's'} from ${sourceName} differ from stored real bars; the stored bars are kept`,
      });
    }
    for (const report of filled.reports) this.#onGap(symbol, rt, report, now);
    const changed = older.length === 0 ? fresh : [...older, ...fresh];
    if (changed.length > 0) {
      const upserted = this.#store.upsert(symbol, base, changed);
      if (isPromiseLike(upserted)) await upserted;
    }
    if (older.some((bar) => !isSynthetic(bar)) && rt.syntheticSince !== null) await this.#refreshSynthetic(symbol, rt);
    const higher = await this.#aggregate(symbol, rt, older, fresh, lastTs);
    // One batch per answer: a sink with `writeMany` gets its bars in one call.
    const records: SinkRecord[] = [];
    this.#barsRecord(rt, symbol, base, changed, records);
    for (const tf of this.#higher) this.#barsRecord(rt, symbol, tf, higher.get(tf) ?? [], records);
    if (forming !== undefined) {
      const bar: Ohlcv = forming;
      if (this.#listened('update')) this.#emit('update', { symbol, timeframe: base, bar });
      if (this.#deliverForming) records.push({ kind: 'forming', symbol, timeframe: base, bar });
    }
    await this.#deliver(records, signal);
    return { newest, lastStored: fresh.at(-1) ?? older.at(-1) ?? previous };
  }

  /** The oldest synthetic base bar still stored from `syntheticSince` on (up to the newest, this answer's included). */
  async #refreshSynthetic(symbol: string, rt: SymbolRuntime): Promise<void> {
    if (rt.syntheticSince === null) return;
    const bars = await this.#store.range(symbol, this.config.baseTimeframe, rt.syntheticSince, Number.POSITIVE_INFINITY);
    rt.syntheticSince = bars.find(isSynthetic)?.timestamp ?? null;
  }

  #onGap(symbol: string, rt: SymbolRuntime, report: Parameters<PipelineEvents['gap']>[0]['report'], now: number): void {
    const start = report.gap.start;
    if (rt.reportedGaps.has(start)) return;
    rt.reportedGaps.add(start);
    const base = this.config.baseTimeframe;
    this.#emit('gap', { symbol, timeframe: base, report });
    this.#note(rt, {
      timestamp: isoUtc(start),
      type: 'gap_detected',
      symbol,
      timeframe: base,
      duration_bars: report.missingBars,
      resolution: report.resolution,
    });
    const { criticalGapBars, criticalTimeframes } = this.config.completeness;
    const critical = report.escalate || (criticalTimeframes.includes(base) && report.missingBars > criticalGapBars);
    if (critical)
      rt.criticalGaps.push({
        timestamp: start,
        endTimestamp: report.gap.end - this.#baseMs,
        count: report.missingBars,
        timeframe: base,
        symbol,
      });
    if (report.notify || report.escalate) {
      this.#raise(
        {
          severity: report.escalate ? 'critical' : 'warning',
          type: 'gap',
          message: `${report.missingBars} ${base} bars missing for ${symbol} from ${isoUtc(start)}`,
          affected: { symbol, timeframe: base },
          actionTaken:
            report.resolution === 'forward_filled'
              ? 'Forward-filled and flagged'
              : report.resolution === 'interpolated'
                ? 'Interpolated and flagged'
                : 'Marked missing and excluded from features',
          escalate: report.escalate,
        },
        now,
      );
    }
  }

  /** Higher-timeframe bars completed or changed by new and replaced base bars, stored with their revisions. */
  async #aggregate(
    symbol: string,
    rt: SymbolRuntime,
    older: readonly RevisedBar[],
    fresh: readonly RevisedBar[],
    lastTs: number,
  ): Promise<Map<Timeframe, RevisedBar[]>> {
    const out = new Map<Timeframe, RevisedBar[]>();
    const aggregators = rt.aggregators;
    if (aggregators === undefined || this.#higher.length === 0) return out;
    const base = this.config.baseTimeframe;
    const push = (tf: Timeframe, bar: RevisedBar | undefined): void => {
      if (bar === undefined) return;
      const list = out.get(tf);
      if (list === undefined) out.set(tf, [bar]);
      else list.push(bar);
    };
    if (older.length > 0) {
      const closedBuckets = new Map<Timeframe, Set<number>>();
      let from = Number.POSITIVE_INFINITY;
      let to = Number.NEGATIVE_INFINITY;
      for (const tf of this.#higher) {
        const forming = aggregators.formingStart(tf);
        const buckets = new Set<number>();
        let rebuildFrom: number | undefined;
        for (const bar of older) {
          const start = bucketStart(bar.timestamp, tf);
          if (forming !== undefined && start >= forming) rebuildFrom = Math.min(rebuildFrom ?? start, start);
          else buckets.add(start);
        }
        if (rebuildFrom !== undefined) {
          aggregators.reset(tf);
          const end = fresh[0]?.timestamp ?? lastTs + this.#baseMs;
          for (const bar of await this.#store.range(symbol, base, rebuildFrom, end)) {
            for (const [, closed] of aggregators.add(bar, tf)) push(tf, await this.#revise(symbol, tf, closed));
          }
        }
        closedBuckets.set(tf, buckets);
        for (const start of buckets) {
          from = Math.min(from, start);
          to = Math.max(to, bucketEnd(start, tf));
        }
      }
      if (from < to) {
        const rows = await this.#store.range(symbol, base, from, to);
        const targets = this.#higher.filter((tf) => (closedBuckets.get(tf)?.size ?? 0) > 0);
        const results = aggregateOhlcv(rows, targets, { source: base, partialStart: 'keep', partialEnd: 'keep' });
        for (const tf of targets) {
          const wanted = closedBuckets.get(tf) as Set<number>;
          const result = results[tf];
          for (const bar of result?.bars ?? []) if (wanted.has(bar.timestamp)) push(tf, await this.#revise(symbol, tf, bar));
        }
      }
    }
    for (const bar of fresh) {
      for (const [tf, closed] of aggregators.add(bar)) push(tf, await this.#revise(symbol, tf, closed));
    }
    return out;
  }

  /** Stores a higher-timeframe bar with the next revision; `undefined` when the stored bar is the same. */
  async #revise(symbol: string, tf: Timeframe, bar: Ohlcv): Promise<RevisedBar | undefined> {
    // Aggregates mostly close in order: the newest stored bar answers without a range query.
    const newest = this.#store.last(symbol, tf);
    const last = isPromiseLike(newest) ? await newest : newest;
    const stored =
      last === undefined || bar.timestamp > last.timestamp
        ? undefined
        : last.timestamp === bar.timestamp
          ? last
          : (await this.#store.range(symbol, tf, bar.timestamp, bar.timestamp + 1))[0];
    if (stored !== undefined && sameBar(stored, bar) && stored.count === bar.count) return undefined;
    const revised = withRevision(bar, stored === undefined ? 0 : stored.revision + 1);
    const upserted = this.#store.upsert(symbol, tf, [revised]);
    if (isPromiseLike(upserted)) await upserted;
    return revised;
  }

  /** Builds and delivers the state documents, at most once per `delivery.updateIntervalMs`. */
  async #publish(signal: AbortSignal | undefined): Promise<void> {
    const now = this.#clock.now();
    if (now - this.#documentsAt < this.config.delivery.updateIntervalMs) return;
    this.#documentsAt = now;
    const dayAgo = now - DAY_MS;
    this.#alerts = this.#alerts.filter((alert) => Date.parse(alert.timestamp) >= dayAgo);
    const base = this.config.baseTimeframe;
    const session = currentSession(now);
    const statuses: Record<string, Partial<Record<Timeframe, SeriesStatusInput>>> = {};
    const qualities: Record<string, SymbolQualityInput> = {};
    const issues24h: QualityIssue[] = [];
    const documents: DocumentRecord[] = [];
    for (const symbol of this.config.symbols) {
      const rt = this.#runtime(symbol);
      // Taken before any await: bars a stream stores meanwhile mark the next documents.
      const changed = rt.dirty;
      rt.dirty = new Set();
      if (rt.issues.length > 0) rt.issues = rt.issues.filter((issue) => Date.parse(issue.timestamp) >= dayAgo);
      if (rt.criticalGaps.length > 0) {
        rt.criticalGaps = rt.criticalGaps.filter(
          (gap) => (gap.endTimestamp ?? gap.timestamp ?? now) >= now - this.config.escalation.recentGapWindowMs,
        );
      }
      issues24h.push(...rt.issues);
      const series: Partial<Record<Timeframe, SeriesStatusInput>> = {};
      const latest: Partial<Record<Timeframe, Ohlcv>> = {};
      const gaps = gapsSince(rt.issues, bucketStart(now, '1D'));
      let baseMetrics: QualityMetrics | undefined;
      let baseScore: number | undefined;
      for (const tf of this.config.timeframes) {
        if (now >= (rt.pruneDue.get(tf) ?? Number.NEGATIVE_INFINITY)) await this.#prune(symbol, rt, tf, now);
        const state =
          (changed.has(tf) ? undefined : this.#unchangedState(rt, tf, now)) ??
          this.#fedState(symbol, rt, tf, now) ??
          (await this.#lockedState(symbol, tf, now, signal));
        if (state.latest !== undefined) latest[tf] = state.latest;
        if (tf === base) {
          baseMetrics = state.metrics;
          baseScore = state.score;
        }
        series[tf] = this.#status(rt, tf, state, gaps?.get(tf) ?? 0);
      }
      statuses[symbol] = series;
      if (baseMetrics !== undefined && baseScore !== undefined) {
        qualities[symbol] = { score: baseScore, ...baseMetrics, issues: rt.issues };
      }
      this.#escalate(symbol, rt, baseScore, now);
      if (this.config.timeframes.includes('1H') && (rt.atr1h === undefined || changed.has('1H'))) await this.#refreshAtr(symbol, rt, now);
      const daily = this.#higher.includes('1D') ? this.#dailyFromAggregator(rt, now) : await this.#dailyFromBars(symbol, now);
      documents.push({
        kind: 'document',
        name: 'latest_ohlcv',
        symbol,
        body: buildLatestOhlcv({ now, symbol, latest, atr14h1: rt.atr1h ?? null, daily }),
      });
      const context = this.#unchangedContext(rt, session, changed, now) ?? (await this.#marketContext(symbol, rt, now));
      documents.push({ kind: 'document', name: 'market_context', symbol, body: context });
    }
    const sources: Record<string, SourceStatusInput> = {};
    const feeds = [...this.#symbols.values()].map((rt) => rt.feed);
    for (const which of this.#backup === undefined ? (['primary'] as const) : (['primary', 'backup'] as const)) {
      const healths = feeds.map((feed) => feedHealth(feed, now, which));
      const worst = healths.find((h) => h.status === 'down') ?? healths.find((h) => h.status === 'degraded') ?? healths[0];
      const lastResponse = healths.reduce<number | null>(
        (a, h) => (h.lastResponseAt !== null && (a === null || h.lastResponseAt > a) ? h.lastResponseAt : a),
        null,
      );
      sources[this.#sourceName(which)] = { status: worst?.status ?? 'healthy', lastResponse, latencyMs: worst?.latencyMs ?? null };
    }
    issues24h.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    documents.unshift(
      { kind: 'document', name: 'data_status', body: buildDataStatus({ now, sources, symbols: statuses }) },
      {
        kind: 'document',
        name: 'quality_report',
        body: buildQualityReport({ now, symbols: qualities, issues24h, qualityBelow: this.config.escalation.qualityBelow }),
      },
    );
    if (this.#listened('document')) for (const record of documents) this.#emit('document', record);
    await this.#deliver(documents, signal);
  }

  /** Bars of a series as columns, through the store's `rangeColumns` when it has one. */
  async #columns(symbol: string, tf: Timeframe, start: number, end: number): Promise<OhlcvColumns> {
    return this.#store.rangeColumns !== undefined
      ? this.#store.rangeColumns(symbol, tf, start, end)
      : toColumns(await this.#store.range(symbol, tf, start, end));
  }

  /** A series' `data_status` input; the previous object when nothing in it changed (the document builder then reuses its entry). */
  #status(rt: SymbolRuntime, tf: Timeframe, state: SeriesCache, gapsToday: number): SeriesStatusInput {
    const lastBar = state.latest?.timestamp ?? null;
    const qualityScore = state.score ?? null;
    const previous = rt.statuses.get(tf);
    if (
      previous?.lastBar === lastBar &&
      previous.qualityScore === qualityScore &&
      previous.barsToday === state.barsToday &&
      previous.gapsToday === gapsToday
    )
      return previous;
    const status: SeriesStatusInput = { lastBar, qualityScore, barsToday: state.barsToday, gapsToday };
    rt.statuses.set(tf, status);
    return status;
  }

  /**
   * The state of a series without new bars since the last documents, on the same UTC day: only
   * freshness moves with the clock. `undefined` when it must be rebuilt.
   */
  #unchangedState(rt: SymbolRuntime, tf: Timeframe, now: number): SeriesCache | undefined {
    const cached = rt.series.get(tf);
    if (cached === undefined || cached.dayStart !== bucketStart(now, '1D')) return undefined;
    if (cached.metrics === undefined || cached.latest === undefined) return cached;
    const freshness = freshnessAt(cached.latest.timestamp, tf, now, this.config.freshness);
    if (freshness === cached.metrics.freshness) return cached;
    const metrics: QualityMetrics = { ...cached.metrics, freshness };
    const updated: SeriesCache = { ...cached, metrics, score: weighQuality(metrics, this.config.weights) };
    rt.series.set(tf, updated);
    return updated;
  }

  /**
   * A series' newest bar, bars today and quality over the window (max(1 day, 30 bars)). The
   * series' {@link QualityLedger} judges only the bars that arrived since the last documents
   * (all of the window after a replacement); with no new bar, only freshness moves with the
   * clock. Completeness is the share of the grid slots from the window's first bar to the
   * newest that hold a bar, validity and consistency the shares of bars judged valid and
   * consistent, weighted as `scoreQuality` weighs them.
   */
  async #seriesState(symbol: string, rt: SymbolRuntime, tf: Timeframe, now: number): Promise<SeriesCache> {
    const width = widthOf(now, tf);
    const windowStart = now - Math.max(DAY_MS, 30 * width);
    const stored = this.#store.last(symbol, tf);
    const newest = isPromiseLike(stored) ? await stored : stored;
    let ledger = rt.ledgers.get(tf);
    if (ledger === undefined) {
      // A new ledger: the window's bars, after the real bars the outlier windows need before them
      // (read further back while filled bars stand in for real ones, up to 4 windows).
      ledger = new QualityLedger(tf, this.config.validity);
      rt.ledgers.set(tf, ledger);
      const history = QualityLedger.history(this.config.validity);
      for (let slots = history; ; slots *= 2) {
        const bars = await this.#columns(symbol, tf, windowStart - slots * width, now);
        const from = firstAtOrAfter(bars, windowStart);
        if (slots >= 4 * history || QualityLedger.realBars(bars, from) >= history) {
          ledger.add(bars, from);
          break;
        }
      }
    } else if ((newest?.timestamp ?? Number.NEGATIVE_INFINITY) > ledger.fed) {
      // Stored bars the ledger was not fed as they arrived; those already before the window only move the outlier windows on.
      const bars = await this.#columns(symbol, tf, ledger.fed + 1, now);
      ledger.add(bars, firstAtOrAfter(bars, windowStart));
    }
    return this.#scored(symbol, rt, tf, ledger, newest, now);
  }

  /**
   * {@link Pipeline.#seriesState} under the symbol's lock: while it reads the store, a stream
   * must not feed the same ledger (it would get bars out of order, or twice).
   */
  async #lockedState(symbol: string, tf: Timeframe, now: number, signal: AbortSignal | undefined): Promise<SeriesCache> {
    let state: SeriesCache | undefined;
    await this.#exclusive(
      symbol,
      async (rt) => {
        state = await this.#seriesState(symbol, rt, tf, now);
      },
      signal,
    );
    return state as SeriesCache;
  }

  /**
   * {@link Pipeline.#seriesState} without waiting, when the store answers at once and the
   * series' ledger was fed every stored bar as it arrived (the steady state); `undefined` otherwise.
   */
  #fedState(symbol: string, rt: SymbolRuntime, tf: Timeframe, now: number): SeriesCache | undefined {
    const ledger = rt.ledgers.get(tf);
    if (ledger === undefined) return undefined;
    const newest = this.#store.last(symbol, tf);
    if (isPromiseLike(newest) || (newest?.timestamp ?? Number.NEGATIVE_INFINITY) > ledger.fed) return undefined;
    return this.#scored(symbol, rt, tf, ledger, newest, now);
  }

  /** Scores a series from its ledger (its window moved to `now`) and its newest stored bar. */
  #scored(
    symbol: string,
    rt: SymbolRuntime,
    tf: Timeframe,
    ledger: QualityLedger,
    newest: RevisedBar | undefined,
    now: number,
  ): SeriesCache {
    const dayStart = bucketStart(now, '1D');
    ledger.dropBefore(now - Math.max(DAY_MS, 30 * widthOf(now, tf)));
    const first = ledger.first();
    const latest = first === undefined ? undefined : newest;
    let state: SeriesCache = { dayStart, latest, barsToday: 0, metrics: undefined, score: undefined };
    if (first !== undefined && latest !== undefined) {
      const n = ledger.size;
      const expected = expectedBarCount(first, bucketEnd(latest.timestamp, tf), tf);
      const metrics: QualityMetrics = {
        completeness: expected > 0 ? Math.min(1, n / expected) : 0,
        validity: (n - ledger.invalid) / n,
        freshness: freshnessAt(latest.timestamp, tf, now, this.config.freshness),
        consistency: (n - ledger.inconsistent) / n,
      };
      const score = weighQuality(metrics, this.config.weights);
      state = { dayStart, latest, barsToday: ledger.countSince(dayStart), metrics, score };
      if (this.#listened('quality')) this.#emit('quality', { symbol, timeframe: tf, score, metrics, bars: n });
    }
    rt.series.set(tf, state);
    return state;
  }

  /** ATR(14) of the 1H bars at the newest stored one (`null` while it warms up). */
  async #refreshAtr(symbol: string, rt: SymbolRuntime, now: number): Promise<void> {
    const period = this.config.preprocessing.atrPeriod;
    const hours = await this.#columns(symbol, '1H', now - (period * 4 + 1) * 3_600_000, now);
    const value = atr(hours, { period })[hours.length - 1];
    rt.atr1h = value !== undefined && Number.isFinite(value) ? value : null;
  }

  /** Today so far (UTC) from the forming 1D bucket; nulls before today's first bar. */
  #dailyFromAggregator(rt: SymbolRuntime, now: number): DailyFields {
    const forming = rt.aggregators?.current('1D');
    return forming !== undefined && forming.timestamp === bucketStart(now, '1D')
      ? { high: forming.high, low: forming.low, volume: forming.volume }
      : { high: null, low: null, volume: null };
  }

  /** Today so far (UTC) from the stored base bars, when 1D is not aggregated. */
  async #dailyFromBars(symbol: string, now: number): Promise<DailyFields> {
    const stats = dailyStats(await this.#columns(symbol, this.config.baseTimeframe, bucketStart(now, '1D'), now), now);
    return stats.bars > 0
      ? { high: stats.high ?? null, low: stats.low ?? null, volume: stats.volume ?? null }
      : { high: null, low: null, volume: null };
  }

  /**
   * The previous market-context document with the new time and session, when neither daily nor
   * 4H bars nor alerts changed since; `undefined` when it must be rebuilt.
   */
  #unchangedContext(rt: SymbolRuntime, session: SessionState, changed: ReadonlySet<Timeframe>, now: number): MarketContext | undefined {
    const previous = rt.context;
    if (previous === undefined || previous.alertSequence !== this.#alertSequence || changed.has('1D') || changed.has('4H'))
      return undefined;
    const document: MarketContext = {
      ...previous.document,
      updated_at: isoUtc(now),
      session: { current: session.current, minutes_into_session: session.minutesIntoSession, killzone_active: session.killzoneActive },
    };
    rt.context = { document, alertSequence: this.#alertSequence };
    return document;
  }

  /** Builds the market-context document from the stored daily and 4H bars and the alerts. */
  async #marketContext(symbol: string, rt: SymbolRuntime, now: number): Promise<MarketContext> {
    const daily = this.config.timeframes.includes('1D') ? await this.#columns(symbol, '1D', now - 120 * DAY_MS, now) : undefined;
    const fourHour = this.config.timeframes.includes('4H') ? await this.#columns(symbol, '4H', now - 30 * DAY_MS, now) : undefined;
    const { document } = buildMarketContext({
      symbol,
      now,
      ...(daily === undefined ? {} : { daily }),
      ...(fourHour === undefined ? {} : { fourHour }),
      alerts: this.#alerts,
    });
    rt.context = { document, alertSequence: this.#alertSequence };
    return document;
  }

  #escalate(symbol: string, rt: SymbolRuntime, score: number | undefined, now: number): void {
    // Nothing escalated and no input that could escalate (the usual case, for every symbol every cycle).
    const calm =
      rt.feed.kind !== 'halted' && rt.criticalGaps.length === 0 && (score === undefined || score >= this.config.escalation.qualityBelow);
    if (calm && rt.escalated.size === 0) return;
    const decision = evaluateEscalation(
      {
        now,
        symbol,
        feedOffline: rt.feed.kind === 'halted',
        ...(score === undefined ? {} : { qualityScore: score }),
        criticalGaps: rt.criticalGaps,
      },
      this.config.escalation,
    );
    if (decision.reasons.length === 0 && rt.escalated.size === 0) return;
    const active = new Set(decision.reasons.map((r) => r.trigger));
    for (const trigger of [...rt.escalated]) {
      if (!active.has(trigger as never) && trigger !== 'source_unavailable') rt.escalated.delete(trigger);
    }
    const fresh = decision.reasons.filter((r) => !rt.escalated.has(r.trigger));
    if (fresh.length === 0) return;
    for (const reason of fresh) rt.escalated.add(reason.trigger);
    const reasons = fresh.map((r) => r.reason);
    const alert = this.#raise(
      {
        severity: 'critical',
        type: 'escalation',
        message: reasons.join('; '),
        affected: { symbol },
        actionTaken: 'Escalated to the trading coordinator',
        escalate: true,
      },
      now,
    );
    this.#emit('escalation', { symbol, reasons, alert });
  }

  /** Drops bars past retention; called at most once an hour of clock time per series (retention is counted in days). */
  async #prune(symbol: string, rt: SymbolRuntime, tf: Timeframe, now: number): Promise<void> {
    rt.pruneDue.set(tf, now + HOUR_MS);
    const cutoff = retentionCutoff(tf, now, this.config.retention);
    if (cutoff === undefined) return;
    await this.#store.prune(symbol, tf, cutoff);
    // The quality window holds what the store holds: pruned bars leave the ledger too.
    rt.ledgers.get(tf)?.dropBefore(cutoff);
  }

  /**
   * Answers the specification's historical data request with its data response. Bars the store
   * lacks at the start of the range are fetched first (with `progress` events); the dataset goes
   * to every sink whose `datasetFormats` include the requested format, and `output_path` is the
   * path the first of them reports. An invalid request, an unknown symbol or timeframe,
   * impossible dates or a format no sink writes give a `failed` response with a reason; a
   * source that fails half-way gives `partial`. Never rejects except on abort.
   *
   * @param request - A `data request` document (`DataRequestSchema`), untrusted.
   */
  async request(request: unknown, signal?: AbortSignal): Promise<DataResponse> {
    const parsed = DataRequestSchema.safeParse(request);
    const id =
      typeof request === 'object' && request !== null && typeof (request as { request_id?: unknown }).request_id === 'string'
        ? (request as { request_id: string }).request_id || 'unknown'
        : 'unknown';
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return buildDataResponse({
        requestId: id,
        reason: `Invalid data request at \`${first?.path.join('.') ?? ''}\`: ${first?.message ?? 'invalid'}`,
        error: 'invalid_request',
      });
    }
    const { request_id: requestId, parameters } = parsed.data;
    const { symbol, timeframe, format } = parameters;
    if (!this.config.symbols.includes(symbol)) {
      return buildDataResponse({
        requestId,
        reason: `Unknown symbol \`${symbol}\`; this pipeline serves ${this.config.symbols.join(', ')}`,
        error: 'unknown_symbol',
      });
    }
    if (!this.config.timeframes.includes(timeframe)) {
      return buildDataResponse({
        requestId,
        reason: `Timeframe \`${timeframe}\` is not kept; this pipeline keeps ${this.config.timeframes.join(', ')}`,
        error: 'unsupported_timeframe',
      });
    }
    const start = Date.parse(parameters.start_date.length === 10 ? `${parameters.start_date}T00:00:00Z` : parameters.start_date);
    const endBound = Date.parse(parameters.end_date.length === 10 ? `${parameters.end_date}T00:00:00Z` : parameters.end_date);
    const end = parameters.end_date.length === 10 ? endBound + DAY_MS : endBound;
    const now = this.#clock.now();
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end || start >= now) {
      return buildDataResponse({
        requestId,
        reason: `Impossible dates: ${parameters.start_date} to ${parameters.end_date} (now ${isoUtc(now)})`,
        error: 'invalid_dates',
      });
    }
    const channels = this.#channels.filter((channel) => (channel.sink.datasetFormats ?? []).includes(format));
    if (channels.length === 0) {
      return buildDataResponse({ requestId, reason: `No sink writes ${format} datasets`, error: 'unsupported_format' });
    }
    const until = Math.min(end, bucketStart(now, this.config.baseTimeframe));
    let partialReason: string | undefined;
    await this.#exclusive(
      symbol,
      async (rt) => {
        partialReason = await this.#history(symbol, rt, start, until, signal);
      },
      signal,
    );
    const bars = await this.#store.range(symbol, timeframe, start, end);
    const firstBar = bars[0];
    const lastBar = bars.at(-1);
    const quality =
      firstBar === undefined || lastBar === undefined
        ? null
        : scoreQuality(bars, {
            timeframe,
            now: bucketEnd(lastBar.timestamp, timeframe),
            symbol,
            start,
            end: Math.min(end, bucketStart(now, timeframe)),
            config: this.#qualityConfig,
          }).score;
    const path = `data/${symbol}_${timeframe}_${compact(start)}_${compact(end - 1)}.${format}`;
    const record: SinkRecord = { kind: 'dataset', requestId, symbol, timeframe, format, path, bars };
    let outputPath: string | null = null;
    for (const channel of channels) {
      try {
        const result = await channel.deliver(record, signal);
        outputPath ??= result?.outputPath ?? null;
      } catch (error) {
        signal?.throwIfAborted();
        partialReason ??= `Sink ${channel.sink.name} could not write the dataset: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return buildDataResponse({
      requestId,
      rows: bars.length,
      outputPath,
      qualityScore: quality,
      firstTimestamp: firstBar?.timestamp ?? null,
      lastTimestamp: lastBar?.timestamp ?? null,
      gapsFilled: bars.filter(isSynthetic).length,
      ...(partialReason === undefined ? {} : { partialReason }),
    });
  }

  /** Fetches the base bars of `[start, end)` the store lacks before its first stored bar; returns why it stopped short, if it did. */
  async #history(
    symbol: string,
    rt: SymbolRuntime,
    start: number,
    end: number,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const base = this.config.baseTimeframe;
    const w = this.#baseMs;
    const stored = await this.#store.range(symbol, base, start, end);
    const until = stored[0]?.timestamp ?? end;
    if (until <= start) return undefined;
    const total = Math.round((until - start) / w);
    const source = rt.feed.kind === 'on_backup' && this.#backup !== undefined ? this.#backup : this.#primary;
    const which: FeedSource = source === this.#primary ? 'primary' : 'backup';
    const limit = source.maxLimit ?? 1000;
    let since = start;
    let previous: RevisedBar | undefined;
    let done = 0;
    while (since < until) {
      let rows: readonly unknown[];
      let latencyMs: number;
      try {
        const answer = await this.#request(source, symbol, since, Math.min(limit, Math.round((until - since) / w)), signal);
        latencyMs = answer.latencyMs;
        rows = answer.rows.filter((row) => {
          const t = (row as { timestamp?: unknown } | null)?.timestamp;
          return typeof t !== 'number' || t < until;
        });
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        this.#onSourceFailure(symbol, rt, which, source, error);
        return `${source.name} failed after ${done} of ${total} bars: ${error instanceof Error ? error.message : String(error)}`;
      }
      this.#feedEvent(symbol, rt, { kind: 'succeeded', source: which, latencyMs });
      const outcome = await this.#ingest(symbol, rt, rows, source.name, signal, previous);
      done += rows.length;
      this.#emit('progress', { symbol, phase: 'request', done: Math.min(done, total), total });
      if (outcome.newest === undefined || rows.length === 0) break;
      since = outcome.newest + w;
      previous = outcome.lastStored;
    }
    return undefined;
  }

  /**
   * The pipeline's state as plain JSON (see {@link PipelineCheckpoint}); a new pipeline given
   * it as `options.checkpoint` resumes without losing or duplicating bars.
   */
  checkpoint(): PipelineCheckpoint {
    const symbols: Record<string, SymbolCheckpoint> = {};
    for (const [symbol, rt] of this.#symbols) {
      symbols[symbol] = {
        feed: rt.feed,
        issues: [...rt.issues],
        criticalGaps: [...rt.criticalGaps],
        syntheticSince: rt.syntheticSince,
        escalated: [...rt.escalated],
      };
    }
    const pending: Record<string, SinkRecord[]> = {};
    for (const channel of this.#channels) pending[channel.sink.name] = [...channel.pending];
    const checkpoint: PipelineCheckpoint = {
      version: 1,
      at: this.#clock.now(),
      symbols,
      limiters: Object.fromEntries(this.#limiters),
      alertSequence: this.#alertSequence,
      pending,
      ...(this.#store instanceof MemoryStore ? { store: this.#store.entries() } : {}),
    };
    return JSON.parse(JSON.stringify(checkpoint)) as PipelineCheckpoint;
  }

  #restore(checkpoint: PipelineCheckpoint): void {
    if (checkpoint.version !== 1) {
      throw new ConfigError(`Expected a checkpoint of version 1, got \`${String(checkpoint.version)}\``, {
        path: ['checkpoint', 'version'],
        value: checkpoint.version,
      });
    }
    this.#alertSequence = checkpoint.alertSequence;
    for (const [name, state] of Object.entries(checkpoint.limiters)) this.#limiters.set(name, state);
    for (const [symbol, saved] of Object.entries(checkpoint.symbols)) {
      const rt = this.#runtime(symbol);
      rt.feed = saved.feed;
      rt.issues = [...saved.issues];
      rt.criticalGaps = [...saved.criticalGaps];
      rt.syntheticSince = saved.syntheticSince;
      rt.escalated = new Set(saved.escalated);
    }
    if (checkpoint.store !== undefined && this.#store instanceof MemoryStore) {
      for (const { symbol, timeframe, bars } of checkpoint.store) this.#store.upsert(symbol, timeframe, bars);
    }
    for (const channel of this.#channels) {
      for (const record of checkpoint.pending[channel.sink.name] ?? []) this.#enqueueOn(channel, record);
    }
  }

  #enqueueOn(channel: SinkChannel, record: SinkRecord): void {
    channel.push(record).catch((error: unknown) => this.#emit('error', { phase: 'sink', error }));
  }
}
