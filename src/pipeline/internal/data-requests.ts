import { isoUtc } from '../../internal/iso-utc.js';
import { scoreQuality, type QualityConfig } from '../../quality/score-quality.js';
import { buildDataResponse } from '../../reports/build-data-response.js';
import type { PipelineConfig } from '../../schemas/config.js';
import { DataRequestSchema, type RequestPriority } from '../../schemas/data-request-schema.js';
import type { DataResponse } from '../../schemas/data-response-schema.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { bucketStart } from '../../time/bucket-start.js';
import { DAY_MS, type Timeframe } from '../../time/timeframe.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { Clock } from '../clock.js';
import type { RevisedBar } from '../sink.js';
import type { Delivery } from './delivery.js';
import type { FeedController, FeedSourceRef } from './feed-controller.js';
import type { Ingestor } from './ingestor.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { noProgress } from './no-progress.js';
import { RequestQueue } from './request-queue.js';
import { isSynthetic } from './same-bar.js';
import { Throttled } from './throttled.js';
import type { StoreAccess } from './store-access.js';

/** The units {@link DataRequests} works with. */
export interface DataRequestUnits {
  readonly feed: FeedController;
  readonly ingestor: Ingestor;
  readonly store: StoreAccess;
  readonly delivery: Delivery;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
  /** Runs `task` under the symbol's lock. */
  readonly exclusive: (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined) => Promise<void>;
}

function compact(ms: number): string {
  return isoUtc(ms).slice(0, 10).replaceAll('-', '');
}

/** A request's date: a day (`YYYY-MM-DD`, midnight UTC) or an ISO instant; NaN when it is neither. */
function parseDate(date: string): number {
  return Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
}

/**
 * Owns the specification's historical data requests: checks the request, fetches the base bars
 * from the first one of the range the store lacks or holds only filled (through the feed
 * controller, ingested like any answer), scores the range's base bars with `scoreQuality`, counts
 * the filled base bars behind the rows (`gaps_filled`, from aggregated bars' `synthetic`) and writes
 * the dataset to every sink that writes its format. Its fetches that wait for the source's rate
 * limiter are sent by the request's `priority` (a {@link RequestQueue}).
 */
export class DataRequests {
  readonly #config: PipelineConfig;
  readonly #qualityConfig: QualityConfig;
  readonly #baseMs: number;
  readonly #units: DataRequestUnits;
  readonly #queue: RequestQueue;

  constructor(config: PipelineConfig, baseMs: number, units: DataRequestUnits) {
    this.#config = config;
    this.#baseMs = baseMs;
    this.#units = units;
    this.#queue = new RequestQueue(units.clock, (source) => units.feed.limiterWait(source));
    this.#qualityConfig = Object.freeze({
      completeness: config.completeness,
      validity: config.validity,
      freshness: config.freshness,
      consistency: config.consistency,
      weights: config.weights,
      escalation: config.escalation,
    });
  }

  /** Answers a `data request` document (untrusted); see `Pipeline.request`. */
  async answer(request: unknown, signal: AbortSignal | undefined): Promise<DataResponse> {
    const parsed = DataRequestSchema.safeParse(request);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return buildDataResponse({
        requestId: requestIdOf(request),
        reason: `Invalid data request at \`${first?.path.join('.') ?? ''}\`: ${first?.message ?? 'invalid'}`,
        error: 'invalid_request',
      });
    }
    const { request_id: requestId, parameters, priority } = parsed.data;
    const { symbol, timeframe, format } = parameters;
    const config = this.#config;
    if (!config.symbols.includes(symbol)) {
      const reason = `Unknown symbol \`${symbol}\`; this pipeline serves ${config.symbols.join(', ')}`;
      return buildDataResponse({ requestId, reason, error: 'unknown_symbol' });
    }
    if (!config.timeframes.includes(timeframe)) {
      const reason = `Timeframe \`${timeframe}\` is not kept; this pipeline keeps ${config.timeframes.join(', ')}`;
      return buildDataResponse({ requestId, reason, error: 'unsupported_timeframe' });
    }
    const start = parseDate(parameters.start_date);
    const endBound = parseDate(parameters.end_date);
    const end = parameters.end_date.length === 10 ? endBound + DAY_MS : endBound;
    const now = this.#units.clock.now();
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end || start >= now) {
      const reason = `Impossible dates: ${parameters.start_date} to ${parameters.end_date} (now ${isoUtc(now)})`;
      return buildDataResponse({ requestId, reason, error: 'invalid_dates' });
    }
    if (this.#units.delivery.datasetSinks(format).length === 0) {
      return buildDataResponse({ requestId, reason: `No sink writes ${format} datasets`, error: 'unsupported_format' });
    }
    const until = Math.min(end, bucketStart(now, config.baseTimeframe));
    let partialReason: string | undefined;
    await this.#units.exclusive(
      symbol,
      async () => {
        partialReason = await this.#history(symbol, start, until, priority, signal);
      },
      signal,
    );
    const bars = await this.#units.store.range(symbol, timeframe, start, end);
    const firstBar = bars[0];
    const lastBar = bars.at(-1);
    const quality =
      firstBar === undefined || lastBar === undefined
        ? null
        : await this.#score(symbol, timeframe, bars, start, Math.min(end, bucketStart(now, timeframe)));
    const path = `data/${symbol}_${timeframe}_${compact(start)}_${compact(end - 1)}.${format}`;
    const written = await this.#units.delivery.deliverDataset(
      { kind: 'dataset', requestId, symbol, timeframe, format, path, bars },
      signal,
    );
    partialReason ??= written.failure;
    return buildDataResponse({
      requestId,
      rows: bars.length,
      outputPath: written.outputPath,
      qualityScore: quality,
      firstTimestamp: firstBar?.timestamp ?? null,
      lastTimestamp: lastBar?.timestamp ?? null,
      gapsFilled: filledBars(bars),
      ...(partialReason === undefined ? {} : { partialReason }),
    });
  }

  /**
   * The quality score of a response: `scoreQuality` over the base bars the rows were built
   * from, on the window `[start, end)` (`end` the end of the last closed bucket of the requested
   * timeframe), judged at the close of the newest one. An aggregated bar hides its holes and
   * filled bars (its `missing` and `synthetic`); the base bars show them to completeness, validity
   * and consistency as they are.
   */
  async #score(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[], start: number, end: number): Promise<number | null> {
    const base = this.#config.baseTimeframe;
    const scored = timeframe === base ? bars : await this.#units.store.range(symbol, base, start, end);
    const newest = scored.at(-1);
    if (newest === undefined) return null;
    return scoreQuality(scored, {
      timeframe: base,
      now: bucketEnd(newest.timestamp, base),
      symbol,
      start,
      end,
      config: this.#qualityConfig,
    }).score;
  }

  /**
   * Fetches the base bars of `[start, end)` from the first one the store lacks or holds only
   * filled (a hole the source may have by now) to `end`: real bars replace filled ones with a
   * higher revision, and stored real bars are kept. Returns why it stopped short, if it did.
   */
  async #history(
    symbol: string,
    start: number,
    end: number,
    priority: RequestPriority,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const { feed, ingestor, store, emitter } = this.#units;
    const w = this.#baseMs;
    const base = this.#config.baseTimeframe;
    let from = bucketStart(start, base) === start ? start : bucketEnd(start, base);
    for (const bar of await store.range(symbol, base, from, end)) {
      if (bar.timestamp !== from || isSynthetic(bar)) break;
      from += w;
    }
    if (from >= end) return undefined;
    const until = end;
    const total = Math.round((until - from) / w);
    // The source the feed serves from now (the failover module's answer); the primary while a retry is pending.
    const ref: FeedSourceRef = feed.toPoll(symbol)[0] ?? { which: 'primary', source: feed.primary };
    const { which, source } = ref;
    const limit = source.maxLimit ?? 1000;
    let since = from;
    let previous: RevisedBar | undefined;
    let done = 0;
    // Each page moves `since` forward (a page that does not is a failure below): at most this many.
    for (let page = 0; since < until && page <= Math.ceil(total / limit); page++) {
      let rows: readonly unknown[];
      let latencyMs: number;
      try {
        const count = Math.min(limit, Math.round((until - since) / w));
        // Requests waiting for the source's rate limiter go by priority, each page at most LIMITER_WAIT_MS.
        const answer = await this.#queue.send(source, priority, LIMITER_WAIT_MS, signal, (maxWaitMs) =>
          feed.request(symbol, ref, since, count, signal, maxWaitMs),
        );
        latencyMs = answer.latencyMs;
        rows = answer.rows.filter((row) => {
          const t = (row as { timestamp?: unknown } | null)?.timestamp;
          return typeof t !== 'number' || t < until;
        });
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        // A wait for the limiter too long for a request is no failure of the source.
        if (!(error instanceof Throttled)) feed.failed(symbol, which, source, error);
        return `${source.name} failed after ${done} of ${total} bars: ${error instanceof Error ? error.message : String(error)}`;
      }
      const outcome = await ingestor.ingest(symbol, rows, source.name, signal, previous, { since });
      if (outcome.newest !== undefined && outcome.newest < since) {
        const failure = noProgress(source.name, since);
        feed.failed(symbol, which, source, failure);
        return `${source.name} failed after ${done} of ${total} bars: ${failure.message}`;
      }
      feed.succeeded(symbol, which, latencyMs, undefined);
      done += rows.length;
      emitter.emit('progress', { symbol, phase: 'request', done: Math.min(done, total), total });
      if (outcome.newest === undefined || rows.length === 0) break;
      since = outcome.newest + w;
      previous = outcome.lastStored;
    }
    return undefined;
  }
}

/**
 * How long one page of a data request may wait for its source's rate limiter, ms: one minute,
 * the longest wait a per-minute limit imposes on its own. A longer wait (a server's `Retry-After`
 * or ban) ends the fetch, and the request is answered `partial` with the reason.
 */
const LIMITER_WAIT_MS = 60_000;

/**
 * Filled base bars behind `bars` (the response's `gaps_filled`): an aggregated bar's
 * `synthetic`, a synthetic bar's `count` (1 for a base bar), whichever is larger.
 */
function filledBars(bars: readonly Ohlcv[]): number {
  let filled = 0;
  for (const bar of bars) {
    const own = bar.synthetic ?? 0;
    const flagged = isSynthetic(bar) ? (bar.count ?? 1) : 0;
    filled += Math.max(own, flagged);
  }
  return filled;
}

/** The `request_id` of an invalid request when it has a usable one, else `unknown`. */
function requestIdOf(request: unknown): string {
  if (typeof request !== 'object' || request === null) return 'unknown';
  const id = (request as { request_id?: unknown }).request_id;
  return typeof id === 'string' && id !== '' ? id : 'unknown';
}
