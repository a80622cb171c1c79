import { ConfigError } from '../errors/config-error.js';
import { PipelineStoppedError } from '../errors/pipeline-stopped-error.js';
import { resolveFeedPolicy } from '../failover/feed-policy.js';
import { retryDelay } from '../failover/retry-delay.js';
import type { PipelineConfig } from '../schemas/config.js';
import type { DataResponse } from '../schemas/data-response-schema.js';
import { resolveConfig } from '../schemas/resolve-config.js';
import { DAY_MS } from '../time/timeframe.js';
import { timeframeMs } from '../time/timeframe-ms.js';
import type { Clock } from './clock.js';
import { Alarm } from './internal/alarm.js';
import { AlertLog } from './internal/alert-log.js';
import { BackfillPlanner } from './internal/backfill-planner.js';
import { restoreCheckpoint, takeCheckpoint, type CheckpointUnits } from './internal/checkpoint.js';
import { DataRequests } from './internal/data-requests.js';
import { Deadlines } from './internal/deadlines.js';
import { Delivery } from './internal/delivery.js';
import { DocumentPublisher } from './internal/document-publisher.js';
import { EscalationTracker } from './internal/escalation-tracker.js';
import { carryOutFeedAction } from './internal/feed-actions.js';
import { FeedController } from './internal/feed-controller.js';
import { GapReporter } from './internal/gap-reporter.js';
import { HigherTimeframes } from './internal/higher-timeframes.js';
import { Ingestor } from './internal/ingestor.js';
import { IssueLog } from './internal/issue-log.js';
import { Lifecycle } from './internal/lifecycle.js';
import { marketDepthLoops } from './internal/market-depth-loops.js';
import { PipelineEmitter } from './internal/pipeline-emitter.js';
import { OrderBookPoller } from './internal/order-book-poller.js';
import { Poller } from './internal/poller.js';
import { RetentionSchedule } from './internal/retention-schedule.js';
import { runLoops } from './internal/run-loops.js';
import { SeriesQuality } from './internal/series-quality.js';
import { StoreAccess } from './internal/store-access.js';
import { streamSymbols } from './internal/stream-symbols.js';
import { SymbolDocuments } from './internal/symbol-documents.js';
import { SymbolLocks } from './internal/symbol-locks.js';
import { TradeBars } from './internal/trade-bars.js';
import { TradeFeed } from './internal/trade-feed.js';
import { MemoryStore } from './memory-store.js';
import { DEFAULT_SINK_OVERFLOW_SIZE, type PipelineCheckpoint, type PipelineOptions } from './pipeline-options.js';
import type { PipelineEvents } from './pipeline-events.js';
import type { Sink } from './sink.js';
import { systemClock } from './system-clock.js';

/** Throws when two sinks share a name (checkpoints and events name sinks). */
function checkSinkNames(sinks: readonly Sink[]): void {
  const names = new Set<string>();
  for (const sink of sinks) {
    if (names.has(sink.name)) {
      throw new ConfigError(`Expected every sink to have its own name, got \`${sink.name}\` twice`, { path: ['sinks'], value: sink.name });
    }
    names.add(sink.name);
  }
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
 * This class is the shell: it wires the units of `pipeline/internal/` (feed control, ingest,
 * higher timeframes, series quality, documents, escalation, delivery, data requests,
 * checkpoint), each of which owns one job and its state, and runs the loop. It owns no timer of
 * its own beyond the injected `Clock`: tests drive it with `ManualClock`. Delivery is
 * at-least-once and in order per series; sinks upsert by `(symbol, timeframe, timestamp)`
 * keeping the highest `revision`.
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
  readonly #clock: Clock;
  /** Backoff before attempt `attempt + 1` of a sink write or a stream (ms). */
  readonly #retryDelay: (attempt: number) => number;
  readonly #emitter = new PipelineEmitter();
  readonly #locks = new SymbolLocks();
  /** Time limits of source requests and sink writes (one watchdog timer for all). */
  readonly #deadlines: Deadlines;
  readonly #delivery: Delivery;
  readonly #feed: FeedController;
  readonly #ingestor: Ingestor;
  readonly #poller: Poller;
  readonly #publisher: DocumentPublisher;
  readonly #requests: DataRequests;
  readonly #trades: TradeFeed;
  readonly #books: OrderBookPoller;
  readonly #checkpointed: CheckpointUnits;
  /** Per symbol: wakes its poll loop when its feed or stream changed. */
  readonly #alarms = new Map<string, Alarm>();
  /** Whether the pipeline is stopped, and the cycles and flushes in flight. */
  readonly #lifecycle: Lifecycle;
  /** Time limit of sink writes and flushes, and of what `stop()` waits for (ms). */
  readonly #sinkTimeoutMs: number;
  #loop: { readonly controller: AbortController; readonly done: Promise<void> } | undefined;

  /**
   * @param options - Sources, sinks, store, clock and configuration; see {@link PipelineOptions}.
   * @throws {@link ConfigError} for invalid configuration, a base timeframe that does not divide a
   *   configured timeframe, two sinks or sources with the same name, a `warmUpBars` that is not
   *   a positive integer, or anything wrong in `options.checkpoint` (naming its path).
   */
  constructor(options: PipelineOptions) {
    const config = resolveConfig(options.config ?? {});
    this.config = config;
    const base = config.baseTimeframe;
    if (base === '1M') {
      throw new ConfigError('Expected `baseTimeframe` to have a fixed width, got `1M`', { path: ['config', 'baseTimeframe'], value: base });
    }
    const baseMs = timeframeMs(base);
    const store = new StoreAccess(options.store ?? new MemoryStore());
    // Fails first (ConfigError) when the base does not divide a target.
    const targets = [...new Set(config.timeframes.filter((tf) => tf !== base))];
    // `gaps` is built below; the listener is first called by an ingest, long after.
    const higher = new HigherTimeframes(store, base, baseMs, targets, (symbol, tf, start, missing) =>
      gaps.reportHigher(symbol, tf, start, missing),
    );
    const { primary, backup } = options;
    if (backup !== undefined && backup.name === primary.name) {
      throw new ConfigError(`Expected the backup source to have its own name, got \`${backup.name}\` twice`, {
        path: ['backup', 'name'],
        value: backup.name,
      });
    }
    const sinks = options.sinks ?? [];
    checkSinkNames(sinks);
    const clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    this.#retryDelay = (attempt) => retryDelay(attempt, undefined, random);
    const emitter = this.#emitter;
    this.#clock = clock;
    this.#deadlines = new Deadlines(clock);
    this.#lifecycle = new Lifecycle(clock);
    this.#sinkTimeoutMs = options.sinkTimeoutMs ?? config.feedFailure.timeoutMs;
    const delivery = new Delivery(sinks, {
      bufferSize: config.delivery.bufferSize,
      overflowSize: options.sinkOverflowSize ?? DEFAULT_SINK_OVERFLOW_SIZE,
      maxAttempts: options.sinkMaxAttempts ?? 5,
      writeTimeoutMs: this.#sinkTimeoutMs,
      retryDelay: this.#retryDelay,
      clock,
      deadlines: this.#deadlines,
      emitter,
      // `alerts` is built below; a sink is first detached by a delivery, long after.
      raiseAlert: (alert) => alerts.raise(alert, clock.now()),
    });
    const alerts = new AlertLog(emitter, delivery);
    const issues = new IssueLog();
    const escalation = new EscalationTracker(config.escalation, base, alerts, emitter);
    const warmUpBars = options.warmUpBars ?? Math.ceil((14 * DAY_MS) / baseMs);
    if (!Number.isSafeInteger(warmUpBars) || warmUpBars < 1) {
      throw new ConfigError(`Expected \`warmUpBars\` to be a positive integer, got \`${String(warmUpBars)}\``, {
        path: ['warmUpBars'],
        value: warmUpBars,
      });
    }
    const symbolDocuments = new SymbolDocuments(config, store, higher);
    const planner = new BackfillPlanner(store, {
      baseTimeframe: base,
      baseMs,
      maxBackfillBars: config.feedFailure.maxBackfillBars,
      start: options.start,
      warmUp: {
        bars: warmUpBars,
        historyFrom: (now) => symbolDocuments.historyFrom(now),
      },
    });
    const policy = resolveFeedPolicy({
      ...config.feedFailure,
      sourceUnavailableMs: config.escalation.sourceUnavailableMs,
      hasBackup: backup !== undefined,
      barIntervalMs: baseMs,
    });
    const feed: FeedController = new FeedController(primary, backup, {
      policy,
      rateLimit: config.rateLimit,
      baseTimeframe: base,
      clock,
      deadlines: this.#deadlines,
      emitter,
      onAction: (symbol, action, state, now) =>
        carryOutFeedAction(symbol, action, state, now, { alerts, escalation, planner, sources: feed.names }),
      onChange: (symbol) => this.#alarms.get(symbol)?.ring(),
    });
    this.#feed = feed;
    const quality = new SeriesQuality(config, store, emitter);
    const gaps = new GapReporter(base, config.completeness, { issues, escalation, alerts, emitter });
    const ingestorUnits = { store, planner, gaps, higher, quality, issues, delivery, emitter, clock };
    const fill = options.calendar === undefined ? {} : { calendar: options.calendar };
    this.#ingestor = new Ingestor(config, baseMs, { fill, deliverForming: options.deliverForming ?? false }, ingestorUnits);
    const timing = { base, baseMs, pollDelayMs: options.pollDelayMs ?? 1000, repollMs: config.feedFailure.retryDelayMs };
    this.#poller = new Poller(timing, { feed, planner, ingestor: this.#ingestor, store, emitter, clock });
    for (const symbol of config.symbols) this.#alarms.set(symbol, new Alarm());
    const exclusive = this.#exclusive.bind(this);
    // The publisher's own reads under a lock change nothing it shows.
    const reading = (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined): Promise<void> =>
      this.#exclusive(symbol, task, signal, false);
    this.#publisher = new DocumentPublisher(config, {
      feed,
      quality,
      issues,
      alerts,
      escalation,
      retention: new RetentionSchedule(config.retention, store, quality),
      symbolDocuments,
      delivery,
      emitter,
      exclusive: reading,
    });
    this.#requests = new DataRequests(config, baseMs, { feed, ingestor: this.#ingestor, store, delivery, emitter, clock, exclusive });
    this.#delivery = delivery;
    const tradeBars = new TradeBars(base, config.consistency, { store, issues, emitter });
    this.#trades = new TradeFeed(
      { trades: config.trades, base, baseMs, start: options.start },
      { feed, delivery, issues, bars: tradeBars, store, emitter, clock },
    );
    this.#books = new OrderBookPoller(config.orderBook, base, { feed, delivery, issues, emitter, clock });
    this.#checkpointed = { feed, issues, escalation, planner, alerts, delivery, store, trades: this.#trades };
    if (options.checkpoint !== undefined) restoreCheckpoint(options.checkpoint, this.#checkpointed, clock.now());
  }

  /**
   * Subscribes to an event; see {@link PipelineEvents}. A listener that throws is reported on
   * `error` and changes nothing the pipeline computes or delivers.
   *
   * @returns A function that unsubscribes the listener.
   */
  on<E extends keyof PipelineEvents>(event: E, listener: PipelineEvents[E]): () => void {
    return this.#emitter.on(event, listener);
  }

  /**
   * One ingestion cycle: every symbol is fetched, processed and delivered (the symbols side by
   * side, each under its own lock), then the state documents are built (at most once per
   * `delivery.updateIntervalMs`) and those that changed are delivered. A symbol with trades or
   * order books on also has its trades polled and a book snapshot taken, after its bars. Source failures do not
   * reject: they move the failover state machine and raise alerts. A source whose rate limiter
   * refuses a request is not waited for: the symbol is skipped until the limiter has room (see
   * `start()`).
   *
   * @param signal - Aborts the cycle; the promise then rejects with `signal.reason`.
   * @throws {@link PipelineStoppedError} after `stop()`, or when `stop()` is called while the
   *   cycle runs (it is then aborted, and what it computed is kept by `checkpoint()`).
   */
  runOnce(signal?: AbortSignal): Promise<void> {
    return this.#lifecycle.run(signal, async (running) => {
      const cycles = await Promise.allSettled(
        this.config.symbols.map(async (symbol) => {
          if (this.#poller.isCurrent(symbol)) this.#poller.rest(symbol);
          else await this.#exclusive(symbol, () => this.#poller.cycle(symbol, running), running);
          if (this.#trades.has(symbol)) await this.#exclusive(symbol, () => this.#trades.cycle(symbol, running), running);
          if (this.#books.has(symbol)) await this.#exclusive(symbol, () => this.#books.cycle(symbol, running), running);
        }),
      );
      for (const cycle of cycles) if (cycle.status === 'rejected') throw cycle.reason;
      await this.#publisher.publish(this.#clock.now(), running);
    });
  }

  /**
   * Runs until `stop()` (or `signal` aborts), each symbol at its own pace: it is polled after
   * each base bar closes (plus `pollDelayMs`); at each step of its failover ladder, to the
   * second (retry 5 s after detection, the backup 10 s later); when its source's rate limiter
   * has room again or a `Retry-After` ends (waits are scheduled, never slept inside a cycle);
   * and, while the bar that is due has not come, every `feedFailure.retryDelayMs` and exactly
   * when the source would become stale (`timeoutMs` after the bar's close). The state documents
   * are built once per `delivery.updateIntervalMs` while they change, and only changed ones
   * go out. Sources that can `subscribe` are also streamed bar by bar through the same steps.
   * Trades and order books, where configured, are polled at their own intervals (and trades
   * streamed from `subscribeTrades`).
   *
   * @param signal - Stops the pipeline when aborted, like `stop()`.
   * @throws {@link PipelineStoppedError} after `stop()`: a stopped pipeline does not start again
   *   (create a new one from its `checkpoint()`).
   */
  start(signal?: AbortSignal): void {
    if (this.#lifecycle.stopped) throw new PipelineStoppedError();
    if (this.#loop !== undefined) return;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const streams = streamSymbols(this.config.symbols, controller.signal, {
      feed: this.#feed,
      ingestor: this.#ingestor,
      emitter: this.#emitter,
      clock: this.#clock,
      retryDelay: this.#retryDelay,
      exclusive: this.#exclusive.bind(this),
    });
    const loops = runLoops(this.config.symbols, controller.signal, {
      poller: this.#poller,
      publisher: this.#publisher,
      emitter: this.#emitter,
      clock: this.#clock,
      alarms: this.#alarms,
      exclusive: this.#exclusive.bind(this),
    });
    const depth = marketDepthLoops(this.config.symbols, controller.signal, {
      feed: this.#feed,
      trades: this.#trades,
      books: this.#books,
      emitter: this.#emitter,
      clock: this.#clock,
      retryDelay: this.#retryDelay,
      exclusive: this.#exclusive.bind(this),
      tradesLimit: this.config.trades.limit,
    });
    const done = Promise.all([...loops, ...streams, ...depth])
      .then(() => undefined)
      .finally(() => signal?.removeEventListener('abort', onAbort));
    this.#loop = { controller, done };
  }

  /**
   * Stops the pipeline for good: aborts the cycles (a `runOnce()` in flight rejects with a
   * {@link PipelineStoppedError}), the streams and the writes in flight, then calls every sink's
   * `flush`. After it nothing is delivered: records not yet delivered stay queued and are kept by
   * `checkpoint()`, and `runOnce()`, `flush()` and `start()` reject with a
   * `PipelineStoppedError`. Call `flush()` first to wait for delivery.
   *
   * Settles within `2 × sinkTimeoutMs` of clock time whatever sources and sinks do — at most
   * `sinkTimeoutMs` for the cycles and streams to end (a stream waiting for a message is left at
   * once), and `sinkTimeoutMs` for the sinks' flushes — leaving no timer or listener behind.
   */
  async stop(): Promise<void> {
    const loop = this.#loop;
    this.#loop = undefined;
    loop?.controller.abort(new DOMException('The pipeline stopped', 'AbortError'));
    await this.#lifecycle.stop(this.#sinkTimeoutMs, loop === undefined ? [] : [loop.done]);
    await this.#delivery.close();
    this.#deadlines.close();
  }

  /**
   * Resolves when every sink's queue is empty (each record written or dead-lettered), then
   * calls every sink's `flush` at once, each within `sinkTimeoutMs` (one that fails or times out
   * is reported on `error` and does not hold up the others).
   *
   * @throws {@link PipelineStoppedError} after `stop()`, or when `stop()` is called meanwhile.
   */
  flush(signal?: AbortSignal): Promise<void> {
    return this.#lifecycle.run(signal, (flushing) => this.#delivery.flush(flushing));
  }

  /**
   * Answers the specification's historical data request with its data response. From the first
   * bar of the range the store lacks or holds only filled, the bars are fetched first (with
   * `progress` events; real bars replace filled ones with a higher revision); the dataset goes
   * to every sink whose `datasetFormats` include the requested format, and `output_path` is the
   * path the first of them reports. An invalid request, an unknown symbol or timeframe,
   * impossible dates or a format no sink writes give a `failed` response with a reason; a
   * source that fails half-way gives `partial`. Never rejects except on abort.
   *
   * @param request - A `data request` document (`DataRequestSchema`), untrusted.
   */
  async request(request: unknown, signal?: AbortSignal): Promise<DataResponse> {
    return this.#requests.answer(request, signal);
  }

  /**
   * The pipeline's state as plain JSON (see {@link PipelineCheckpoint}); a new pipeline given
   * it as `options.checkpoint` resumes without losing or duplicating bars.
   */
  checkpoint(): PipelineCheckpoint {
    return takeCheckpoint(this.#checkpointed, this.#clock.now());
  }

  /**
   * Runs `task` under `symbol`'s lock, after the symbol's warm-up on first use; then, unless
   * `changes` is `false`, tells the publisher that the documents may have changed.
   */
  async #exclusive(symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined, changes = true): Promise<void> {
    this.#feed.track(symbol);
    await this.#locks.run(
      symbol,
      async () => {
        await this.#ingestor.warm(symbol);
        await task();
      },
      signal,
    );
    // Whatever the task did (bars, alerts, the feed's state) may show in the documents.
    if (changes) this.#publisher.touch();
  }
}
