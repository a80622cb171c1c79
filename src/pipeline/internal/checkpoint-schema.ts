import { z } from 'zod';
import { ConfigError } from '../../errors/config-error.js';
import type { FeedDetection, FeedSourceStats, FeedState } from '../../failover/feed-state.js';
import { MAX_RETRY_AFTER_MS, type RateLimitBlock, type RateLimiterState } from '../../failover/rate-limiter-state.js';
import { AlertSchema } from '../../schemas/alert-schema.js';
import { DataFormatSchema } from '../../schemas/data-request-schema.js';
import { DataStatusSchema } from '../../schemas/data-status-schema.js';
import { LatestOhlcvSchema } from '../../schemas/latest-ohlcv-schema.js';
import { MarketContextSchema } from '../../schemas/market-context-schema.js';
import { OhlcvSchema } from '../../schemas/ohlcv.js';
import { OrderBookSchema } from '../../schemas/order-book.js';
import { OrderBookSummarySchema } from '../../schemas/order-book-summary-schema.js';
import { QualityIssueSchema, QualityReportSchema } from '../../schemas/quality-report-schema.js';
import { TickSchema } from '../../schemas/tick.js';
import { TimeframeSchema } from '../../schemas/timeframe-schema.js';
import type { Timeframe } from '../../time/timeframe.js';
import { validateOhlcv } from '../../validate/validate-ohlcv.js';
import type { PipelineCheckpoint } from '../pipeline-options.js';
import type { SinkRecord } from '../sink.js';

/** `List` when it names every member of `Union` (else `never`, so a member added to the type and not here fails to compile). */
type Every<Union extends string, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [never] ? List : never;

const DETECTIONS: Every<FeedDetection, ['errors', 'timeout', 'rate_limited', 'stale']> = ['errors', 'timeout', 'rate_limited', 'stale'];
const BLOCKS: Every<RateLimitBlock, ['rate_limited', 'banned']> = ['rate_limited', 'banned'];

/** A time, epoch ms (a finite number: JSON turns NaN and infinities into `null`). */
const time = z.number();
const count = z.number().int().nonnegative();
const positive = z.number().positive();

const FeedSourceStatsSchema = z.object({
  consecutiveErrors: count,
  lastResponseAt: time.nullable(),
  lastSuccessAt: time.nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  latencies: z.array(z.number().nonnegative()),
  latencyElevated: z.boolean(),
  down: z.boolean(),
  failingSince: time.nullable(),
  okSince: time.nullable(),
  escalated: z.boolean(),
  rateLimitedSince: time.nullable(),
  rateLimitedUntil: time.nullable(),
  lastBar: time.nullable(),
});

const sources = { primary: FeedSourceStatsSchema, backup: FeedSourceStatsSchema };
const outage = {
  ...sources,
  detectedAt: time,
  detectedBy: z.enum(DETECTIONS),
  lastGoodBar: time.nullable(),
  since: time,
};

const FeedStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('healthy'), ...sources }),
  z.object({ kind: z.literal('detected'), ...outage, retryAt: time }),
  z.object({ kind: z.literal('retrying'), ...outage, failoverAt: time }),
  z.object({ kind: z.literal('on_backup'), ...outage }),
  z.object({ kind: z.literal('cached'), ...outage, haltAt: time }),
  z.object({ kind: z.literal('halted'), ...outage }),
]);

const block = { blockedUntil: time.nullable(), blockReason: z.enum(BLOCKS).nullable() };

const RateLimiterStateSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sliding_window'),
    limit: positive,
    windowMs: positive,
    grants: z.array(z.object({ at: time, weight: positive })),
    ...block,
  }),
  z.object({
    kind: z.literal('token_bucket'),
    capacity: positive,
    refillPerMs: z.number().nonnegative(),
    tokens: z.number(),
    updatedAt: time.nullable(),
    ...block,
  }),
  z.object({
    kind: z.literal('weight_window'),
    limit: positive,
    windowMs: positive,
    windowStart: time.nullable(),
    used: z.number(),
    ...block,
  }),
]);

const SymbolCheckpointSchema = z.object({
  feed: FeedStateSchema,
  issues: z.array(QualityIssueSchema),
  // `criticalGaps`, written by earlier versions, is ignored on restore: dropped here.
  syntheticSince: time.nullable(),
  escalated: z.array(z.string()),
  qualityHeldSince: time.nullable().exactOptional(),
  lastTradeId: z.number().int().nullable().exactOptional(),
});

const RevisedBarSchema = OhlcvSchema.extend({ revision: count });
const series = { symbol: z.string().min(1), timeframe: TimeframeSchema };

const DocumentRecordSchema = z.discriminatedUnion('name', [
  z.object({ kind: z.literal('document'), name: z.literal('data_status'), symbol: z.string().exactOptional(), body: DataStatusSchema }),
  z.object({ kind: z.literal('document'), name: z.literal('latest_ohlcv'), symbol: z.string().exactOptional(), body: LatestOhlcvSchema }),
  z.object({
    kind: z.literal('document'),
    name: z.literal('quality_report'),
    symbol: z.string().exactOptional(),
    body: QualityReportSchema,
  }),
  z.object({
    kind: z.literal('document'),
    name: z.literal('market_context'),
    symbol: z.string().exactOptional(),
    body: MarketContextSchema,
  }),
  z.object({
    kind: z.literal('document'),
    name: z.literal('order_book'),
    symbol: z.string().exactOptional(),
    body: OrderBookSummarySchema,
  }),
]);

const SinkRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bars'), ...series, bars: z.array(RevisedBarSchema) }),
  z.object({ kind: z.literal('forming'), ...series, bar: OhlcvSchema }),
  DocumentRecordSchema,
  z.object({ kind: z.literal('alert'), alert: AlertSchema }),
  z.object({
    kind: z.literal('dataset'),
    requestId: z.string(),
    ...series,
    format: DataFormatSchema,
    path: z.string(),
    bars: z.array(RevisedBarSchema),
  }),
  z.object({ kind: z.literal('ticks'), symbol: z.string().min(1), ticks: z.array(TickSchema) }),
  z.object({ kind: z.literal('orderBook'), symbol: z.string().min(1), book: OrderBookSchema }),
]);

const PipelineCheckpointSchema = z.object({
  version: z.literal(1),
  at: time,
  symbols: z.record(z.string(), SymbolCheckpointSchema),
  limiters: z.record(z.string(), RateLimiterStateSchema),
  alertSequence: count,
  pending: z.record(z.string(), z.array(SinkRecordSchema)),
  store: z.array(z.object({ ...series, bars: z.array(RevisedBarSchema) })).exactOptional(),
});

// The schema describes the public type: what it gives is a checkpoint, and it knows every kind of
// feed state, limiter and record (a change to the types that the schema misses fails to compile).
const matches: (parsed: z.output<typeof PipelineCheckpointSchema>) => PipelineCheckpoint = (parsed) => parsed;
type Kinds<Union extends { readonly kind: string }, Schema extends z.ZodType<{ readonly kind: string }>> = [
  Exclude<Union['kind'], z.output<Schema>['kind']>,
] extends [never]
  ? true
  : never;
const _everyKind: [
  Kinds<FeedState, typeof FeedStateSchema>,
  Kinds<RateLimiterState, typeof RateLimiterStateSchema>,
  Kinds<SinkRecord, typeof SinkRecordSchema>,
] = [true, true, true];

/** The value at `path` inside `root` (`undefined` where the path leads nowhere). */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function dotted(path: readonly PropertyKey[]): string {
  return ['checkpoint', ...path].map(String).join('.');
}

/** Throws when `bars` break an OHLCV rule, as bars from a source would be refused (`validateOhlcv`). */
function checkBars(bars: readonly z.output<typeof OhlcvSchema>[], timeframe: Timeframe, path: readonly PropertyKey[]): void {
  const result = validateOhlcv(bars, { timeframe });
  const issue = result.issues[0];
  if (issue === undefined) return;
  const at = [...path, issue.index];
  throw new ConfigError(
    `Expected the bars of a checkpoint to be valid, got \`${dotted(at)}\` breaking \`${issue.rule}\`: ${issue.message}`,
    {
      path: ['checkpoint', ...at],
      value: bars[issue.index],
    },
  );
}

/** `until` (epoch ms), cut to {@link MAX_RETRY_AFTER_MS} from `now`. */
function capped(until: number | null, now: number): number | null {
  return until === null ? null : Math.min(until, now + MAX_RETRY_AFTER_MS);
}

function cappedStats(stats: FeedSourceStats, now: number): FeedSourceStats {
  return { ...stats, rateLimitedUntil: capped(stats.rateLimitedUntil, now) };
}

/**
 * Reads an untrusted checkpoint (`options.checkpoint`): its shape is checked by a zod schema,
 * and every bar in it (stored, pending, in a dataset or forming) passes `validateOhlcv` with its
 * timeframe, as bars from a source do (so unsorted, duplicated or rule-breaking bars are
 * refused). A server block (a limiter's `blockedUntil`, a feed's `rateLimitedUntil`) longer
 * than {@link MAX_RETRY_AFTER_MS} from `now` is cut to it, so no checkpoint can silence the
 * pipeline for ever.
 *
 * @param input - The checkpoint as given.
 * @param now - The clock's time, epoch ms.
 * @returns The checkpoint, as plain values of the expected types (unknown keys dropped).
 * @throws {@link ConfigError} naming the path (`checkpoint.symbols.BTCUSD.feed.kind`) and the
 *   offending value, for anything wrong.
 */
export function parseCheckpoint(input: unknown, now: number): PipelineCheckpoint {
  if (typeof input === 'object' && input !== null && 'version' in input && input.version !== 1) {
    throw new ConfigError(`Expected a checkpoint of version 1, got \`${String(input.version)}\``, {
      path: ['checkpoint', 'version'],
      value: input.version,
    });
  }
  const result = PipelineCheckpointSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const value = valueAt(input, issue.path);
    throw new ConfigError(`Expected a valid checkpoint, got \`${String(value)}\` at \`${dotted(issue.path)}\`: ${issue.message}`, {
      path: ['checkpoint', ...issue.path],
      value,
      cause: result.error,
    });
  }
  const checkpoint = matches(result.data);
  for (const [i, { timeframe, bars }] of (checkpoint.store ?? []).entries()) checkBars(bars, timeframe, ['store', i, 'bars']);
  for (const [sink, records] of Object.entries(checkpoint.pending)) {
    for (const [i, record] of records.entries()) {
      if (record.kind === 'bars' || record.kind === 'dataset') checkBars(record.bars, record.timeframe, ['pending', sink, i, 'bars']);
      if (record.kind === 'forming') checkBars([record.bar], record.timeframe, ['pending', sink, i, 'bar']);
    }
  }
  const limiters: Record<string, RateLimiterState> = {};
  for (const [name, limiter] of Object.entries(checkpoint.limiters))
    limiters[name] = { ...limiter, blockedUntil: capped(limiter.blockedUntil, now) };
  const symbols: Record<string, PipelineCheckpoint['symbols'][string]> = {};
  for (const [symbol, saved] of Object.entries(checkpoint.symbols)) {
    const feed: FeedState = { ...saved.feed, primary: cappedStats(saved.feed.primary, now), backup: cappedStats(saved.feed.backup, now) };
    symbols[symbol] = { ...saved, feed };
  }
  return { ...checkpoint, limiters, symbols };
}
