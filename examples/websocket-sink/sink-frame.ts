/**
 * The JSON frames {@link WebSocketSink} sends, and a reader that validates them with the
 * package's own zod schemas (what an agent does with each frame it receives).
 *
 * @module
 */
import { z } from 'zod';
import {
  AlertSchema,
  DataStatusSchema,
  LatestOhlcvSchema,
  MarketContextSchema,
  OrderBookSummarySchema,
  QualityReportSchema,
  TimeframeSchema,
  WireBarSchema,
  type Alert,
  type DocumentName,
  type Ohlcv,
  type SinkRecord,
  type Timeframe,
  type WireBar,
} from 'market-data-pipeline';

/** A bar on the wire: a `WireBar` (ISO-8601 open time) with its `revision`, and its `flag` if it was filled. */
export type WireRevisedBar = WireBar & { readonly revision?: number; readonly flag?: string };

/**
 * A frame of the sink's stream. Each data frame carries `rev`, the sink's revision: it grows by
 * one per frame the sink sends (to anyone), so a client that reconnects with the last `rev` it
 * saw is sent what it missed.
 */
export type SinkFrame =
  | {
      readonly type: 'bars';
      readonly rev: number;
      readonly symbol: string;
      readonly timeframe: Timeframe;
      readonly bars: readonly WireRevisedBar[];
    }
  | { readonly type: 'forming'; readonly rev: number; readonly symbol: string; readonly timeframe: Timeframe; readonly bar: WireBar }
  | { readonly type: 'document'; readonly rev: number; readonly name: DocumentName; readonly symbol?: string; readonly body: unknown }
  | { readonly type: 'alert'; readonly rev: number; readonly alert: Alert };

/** The first frame a client gets: the sink's revision now, and whether its resume point was still held. */
export interface HelloFrame {
  readonly type: 'hello';
  /** The revision of the last frame sent before this client joined. */
  readonly rev: number;
  /** `true`: every frame after the `from_rev` asked for follows. `false`: none was asked, or they are gone; the latest documents follow instead. */
  readonly resumed: boolean;
}

/** The last frame a client gets when the sink drops it (the close reason repeats `reason`). */
export interface ByeFrame {
  readonly type: 'bye';
  /** `'slow_client'` (its buffer filled up), `'closing'` (the sink closes). */
  readonly reason: 'slow_client' | 'closing';
  readonly message: string;
}

function wireBar(bar: Ohlcv): WireBar {
  return {
    timestamp: new Date(bar.timestamp).toISOString(),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
  };
}

/**
 * The frame of one sink record (datasets have none: they answer a data request, not a stream;
 * nor have raw trades and order books: their summary is the `order_book` document).
 *
 * @param record - What the pipeline delivered.
 * @param rev - The sink's revision for this frame.
 * @returns The frame, or `undefined` for a dataset, a `ticks` or an `orderBook` record.
 */
export function toSinkFrame(record: SinkRecord, rev: number): SinkFrame | undefined {
  switch (record.kind) {
    case 'bars':
      return {
        type: 'bars',
        rev,
        symbol: record.symbol,
        timeframe: record.timeframe,
        bars: record.bars.map((bar) => ({
          ...wireBar(bar),
          revision: bar.revision,
          ...(bar.flag === undefined ? {} : { flag: bar.flag }),
        })),
      };
    case 'forming':
      return { type: 'forming', rev, symbol: record.symbol, timeframe: record.timeframe, bar: wireBar(record.bar) };
    case 'document':
      return {
        type: 'document',
        rev,
        name: record.name,
        ...(record.symbol === undefined ? {} : { symbol: record.symbol }),
        body: record.body,
      };
    case 'alert':
      return { type: 'alert', rev, alert: record.alert };
    case 'dataset':
    case 'ticks':
    case 'orderBook':
      return undefined;
  }
}

const DOCUMENT_SCHEMAS = {
  data_status: DataStatusSchema,
  latest_ohlcv: LatestOhlcvSchema,
  quality_report: QualityReportSchema,
  market_context: MarketContextSchema,
  order_book: OrderBookSummarySchema,
} as const;

const rev = z.number().int().nonnegative();
const WireRevisedBarSchema = WireBarSchema.extend({ revision: z.number().int().nonnegative().optional(), flag: z.string().optional() });

/** zod schema of every frame: data frames validated with the package's wire schemas. */
export const SinkFrameSchema = z.union([
  z.object({ type: z.literal('hello'), rev, resumed: z.boolean() }),
  z.object({ type: z.literal('bye'), reason: z.enum(['slow_client', 'closing']), message: z.string() }),
  z.object({ type: z.literal('bars'), rev, symbol: z.string().min(1), timeframe: TimeframeSchema, bars: z.array(WireRevisedBarSchema) }),
  z.object({ type: z.literal('forming'), rev, symbol: z.string().min(1), timeframe: TimeframeSchema, bar: WireBarSchema }),
  z.object({ type: z.literal('alert'), rev, alert: AlertSchema }),
  ...(Object.keys(DOCUMENT_SCHEMAS) as DocumentName[]).map((name) =>
    z.object({
      type: z.literal('document'),
      rev,
      name: z.literal(name),
      symbol: z.string().min(1).optional(),
      body: DOCUMENT_SCHEMAS[name],
    }),
  ),
]);

/**
 * Reads one frame as a client receives it, validating it with the package's schemas.
 *
 * @param text - The frame's text.
 * @returns The frame, or the zod error / JSON error.
 */
export function parseSinkFrame(text: string): { ok: true; frame: SinkFrame | HelloFrame | ByeFrame } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const parsed = SinkFrameSchema.safeParse(json);
  return parsed.success
    ? { ok: true, frame: parsed.data as SinkFrame | HelloFrame | ByeFrame }
    : { ok: false, error: parsed.error.message };
}
