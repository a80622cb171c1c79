import type { FeedState } from '../failover/feed-state.js';
import type { RateLimiterState } from '../failover/rate-limiter-state.js';
import type { MarketCalendar } from '../gaps/gap.js';
import type { EscalationGap } from '../quality/evaluate-escalation.js';
import type { PipelineConfig } from '../schemas/config.js';
import type { QualityIssue } from '../schemas/quality-report-schema.js';
import type { DeepPartial } from '../schemas/resolve-config.js';
import type { Timeframe } from '../time/timeframe.js';
import type { Clock } from './clock.js';
import type { RevisedBar, Sink, SinkRecord } from './sink.js';
import type { Source } from './source.js';
import type { Store } from './store.js';

/** Options of `new Pipeline(options)`. Validated once, never mutated. */
export interface PipelineOptions {
  /** The primary source (the specification's `exchange_api`). */
  readonly primary: Source;
  /** The backup source the feed fails over to; without one, a failing feed serves cached data. */
  readonly backup?: Source;
  /** Where records are delivered. */
  readonly sinks?: readonly Sink[];
  /** Where history is kept. @defaultValue a new `MemoryStore` */
  readonly store?: Store;
  /** The clock. @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Randomness for retry jitter, in [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number;
  /** Overrides of the specification's defaults; see `resolveConfig`. */
  readonly config?: DeepPartial<PipelineConfig>;
  /**
   * Open time (epoch ms) of the first base bar to fetch when the store holds nothing for a
   * symbol. @defaultValue the warm-up (see `warmUpBars`)
   */
  readonly start?: number;
  /**
   * The bound of a first run's fetch (a symbol with nothing stored, no `start`), in base bars.
   * A first run fetches the history its documents read — the UTC day so far, the quality
   * window, 15 closed 1H bars for ATR(14), the previous UTC day for the pivots, the previous
   * week for the weekly levels, 20 closed 4H bars for the trend — through the rate limiter,
   * with `progress` events, but never more than this many bars back (nor fewer than
   * `maxBackfillBars`). What it could not get shows as missing in the documents.
   * @defaultValue 14 days of base bars (20,160 1m bars: the previous week from any day)
   */
  readonly warmUpBars?: number;
  /** Deliver the still-forming bar to sinks as `forming` records (it is always emitted as `update`). @defaultValue false */
  readonly deliverForming?: boolean;
  /** When the market is open (default: always, as crypto); closed periods are neither gaps nor filled. */
  readonly calendar?: MarketCalendar;
  /** Attempts per record before a sink write becomes a dead letter. @defaultValue 5 */
  readonly sinkMaxAttempts?: number;
  /**
   * A sink write or flush without an answer for this long (ms) is aborted (a write is then
   * retried); a sink's full queue holds the cycle at most this long before the sink is detached
   * into its overflow; `stop()` waits at most this long for the cycles and streams, then as long
   * for the sinks' flushes. @defaultValue `feedFailure.timeoutMs` (30 s)
   */
  readonly sinkTimeoutMs?: number;
  /**
   * Records a detached sink (one whose queue of `delivery.bufferSize` stayed full for
   * `sinkTimeoutMs`, or whose last write failed) keeps beyond its queue, in order, while its
   * writes are retried; they are kept by `checkpoint()`. Past it, records go to `deadLetter`
   * unwritten, with a critical alert. @defaultValue {@link DEFAULT_SINK_OVERFLOW_SIZE} (10 000)
   */
  readonly sinkOverflowSize?: number;
  /** After a base bar closes, wait this long (ms) before fetching it, so the exchange has closed it too. @defaultValue 1000 */
  readonly pollDelayMs?: number;
  /**
   * State saved by `checkpoint()`; the pipeline resumes from it. Untrusted: it is parsed at
   * construction (a zod schema; every bar through `validateOhlcv`), and a server block in it is
   * believed for at most `MAX_RETRY_AFTER_MS` from then. Anything wrong throws a `ConfigError`
   * naming the path.
   */
  readonly checkpoint?: PipelineCheckpoint;
}

/**
 * Default of `sinkOverflowSize`: the records a detached sink keeps beyond its queue, 100 times
 * the default `delivery.bufferSize` (a cycle queues one `bars` record per series that got bars,
 * the alerts it raised, and documents, which replace their queued versions).
 *
 * @defaultValue `10000` (records)
 */
export const DEFAULT_SINK_OVERFLOW_SIZE = 10_000;

/** What a checkpoint keeps of one symbol. */
export interface SymbolCheckpoint {
  /** The feed state machine's state. */
  readonly feed: FeedState;
  /** Quality issues of the last 24 hours, in wire form. */
  readonly issues: readonly QualityIssue[];
  /**
   * Written by earlier versions, which escalated critical gaps from this list when documents
   * were built; ignored on restore, and no longer written: each critical gap escalates when it
   * is found.
   * @deprecated
   */
  readonly criticalGaps?: readonly EscalationGap[];
  /** Open time of the oldest synthetic base bar still re-requested from the source; `null` when none. */
  readonly syntheticSince: number | null;
  /** Escalation triggers already raised and not re-armed yet (`EscalationTrigger` values). */
  readonly escalated: readonly string[];
  /**
   * While a `quality_below` escalation waits to re-arm: since when (epoch ms) the score has held
   * at or above `qualityBelow`; `null` when it does not hold. Absent in checkpoints of earlier
   * versions: the hold then starts afresh.
   */
  readonly qualityHeldSince?: number | null;
  /**
   * With trades on for the symbol: the id of the last trade delivered, from which trades resume
   * (`fromId` = it + 1); `null` before the first. Absent when trades are off, and in
   * checkpoints of earlier versions.
   */
  readonly lastTradeId?: number | null;
}

/**
 * The pipeline's state as plain JSON: `JSON.parse(JSON.stringify(pipeline.checkpoint()))`
 * given to a new pipeline as `options.checkpoint` resumes without losing or duplicating bars.
 * Records still queued for a sink are kept and re-delivered (delivery is at-least-once; sinks
 * upsert). With a store that takes snapshots (`Store.snapshot`, as `MemoryStore` does), the stored
 * bars are included; other stores persist themselves.
 */
export interface PipelineCheckpoint {
  /** Format version. */
  readonly version: 1;
  /** When it was taken, epoch ms. */
  readonly at: number;
  /** Per symbol. */
  readonly symbols: Readonly<Record<string, SymbolCheckpoint>>;
  /** Rate limiter state per source name. */
  readonly limiters: Readonly<Record<string, RateLimiterState>>;
  /** Number of the last alert raised. */
  readonly alertSequence: number;
  /** Records not yet delivered, per sink name, oldest first. */
  readonly pending: Readonly<Record<string, readonly SinkRecord[]>>;
  /** The stored bars, when the store takes snapshots (`Store.snapshot`). */
  readonly store?: readonly { readonly symbol: string; readonly timeframe: Timeframe; readonly bars: readonly RevisedBar[] }[];
}
