import type { Alert } from '../schemas/alert-schema.js';
import type { DataFormat } from '../schemas/data-request-schema.js';
import type { DataStatus } from '../schemas/data-status-schema.js';
import type { LatestOhlcv } from '../schemas/latest-ohlcv-schema.js';
import type { MarketContext } from '../schemas/market-context-schema.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OrderBook } from '../schemas/order-book.js';
import type { OrderBookSummary } from '../schemas/order-book-summary-schema.js';
import type { QualityReport } from '../schemas/quality-report-schema.js';
import type { Tick } from '../schemas/tick.js';
import type { Timeframe } from '../time/timeframe.js';

/**
 * A bar as delivered and stored: the bar plus its `revision`, which starts at 0 and grows each
 * time the bar at that `(symbol, timeframe, timestamp)` is replaced (a forward-filled bar
 * superseded by real data from a backfill, an aggregate recomputed because of it).
 * Sinks upsert by `(symbol, timeframe, timestamp)` and keep the highest revision.
 */
export type RevisedBar = Ohlcv & {
  /** 0 for the first delivery; higher for each replacement. */
  readonly revision: number;
};

/** Closed bars of one series, oldest first. */
export interface BarsRecord {
  readonly kind: 'bars';
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly bars: readonly RevisedBar[];
}

/** The still-forming bar of one series (delivered only when the pipeline is asked to). */
export interface FormingBarRecord {
  readonly kind: 'forming';
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly bar: Ohlcv;
}

/** The state documents of the specification, by name (the file each is written to, without `.json`). */
export interface DocumentBodies {
  /** `/state/data/data_status.json`. */
  readonly data_status: DataStatus;
  /** `/state/data/latest_ohlcv.json`, one per symbol. */
  readonly latest_ohlcv: LatestOhlcv;
  /** `/state/data/quality_report.json`. */
  readonly quality_report: QualityReport;
  /** `/state/market_context.json`, one per symbol. */
  readonly market_context: MarketContext;
  /** The latest order book's summary, one per symbol with `orderBook` configured (`OrderBookSummarySchema`). */
  readonly order_book: OrderBookSummary;
}

/** The name of a state document. */
export type DocumentName = keyof DocumentBodies;

/** One state document. `symbol` is set for the per-symbol documents. */
export type DocumentRecord = {
  readonly [N in DocumentName]: {
    readonly kind: 'document';
    readonly name: N;
    readonly symbol?: string;
    readonly body: DocumentBodies[N];
  };
}[DocumentName];

/** One alert in the specification's format. */
export interface AlertRecord {
  readonly kind: 'alert';
  readonly alert: Alert;
}

/** A dataset answering a data request; only sinks whose `datasetFormats` include `format` get it. */
export interface DatasetRecord {
  readonly kind: 'dataset';
  /** The request's `request_id`. */
  readonly requestId: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** The requested format. */
  readonly format: DataFormat;
  /** A suggested relative path, e.g. `data/BTCUSD_1H_20240101_20250130.parquet`. */
  readonly path: string;
  readonly bars: readonly RevisedBar[];
}

/**
 * A batch of trades of one symbol (only with `trades` configured for it): parsed, validated,
 * deduplicated by trade id and in trade-id order, each trade delivered once per pipeline
 * (at least once across a resume). Sinks upsert by `(symbol, tradeId)`.
 */
export interface TicksRecord {
  readonly kind: 'ticks';
  readonly symbol: string;
  /** Trades, oldest (lowest id) first; never empty. */
  readonly ticks: readonly Tick[];
}

/** One validated order-book snapshot of one symbol (only with `orderBook` configured for it). */
export interface OrderBookRecord {
  readonly kind: 'orderBook';
  readonly symbol: string;
  /** Bids best first, asks best first, uncrossed, at most the configured depth a side. */
  readonly book: OrderBook;
}

/** Everything the pipeline delivers, tagged by `kind`. */
export type SinkRecord = BarsRecord | FormingBarRecord | DocumentRecord | AlertRecord | DatasetRecord | TicksRecord | OrderBookRecord;

/** What a sink may answer to a write. */
export interface SinkWriteResult {
  /** Where the record ended up (used as a data response's `output_path`). */
  readonly outputPath?: string;
}

/** Options of {@link Sink.write}. */
export interface SinkWriteOptions {
  /** Aborted when the write times out or the pipeline stops. */
  readonly signal: AbortSignal;
}

/**
 * Where the pipeline delivers: files, a database, a message bus, an agent's memory.
 * Delivery is at-least-once and in order per series, so a sink should upsert bars by
 * `(symbol, timeframe, timestamp)` keeping the highest `revision`. A failed write (a rejected
 * promise) is retried with backoff (a `SinkError` with `retryable: false` is not), then handed
 * to the pipeline's `deadLetter` event with the record. A sink that stops keeping up (its last
 * write failed, or its queue stayed full for `sinkTimeoutMs`) is detached from the pipeline's
 * backpressure: its records wait in a bounded overflow (`sinkOverflowSize`), so it never holds
 * up the other sinks.
 */
export interface Sink {
  /** Unique name, used in events and dead letters. */
  readonly name: string;
  /** Formats of datasets this sink writes; a sink without it receives no datasets. */
  readonly datasetFormats?: readonly DataFormat[];
  /** Whether this sink wants a record; omitted: every record except datasets it cannot write. */
  accepts?(record: SinkRecord): boolean;
  /** Takes one record. Resolve when it is durable (as far as the sink promises durability). */
  write(record: SinkRecord, options: SinkWriteOptions): Promise<SinkWriteResult | void>;
  /**
   * Takes several records at once, in order (optional; like a stream's `writev`). When a sink
   * has it, the pipeline hands over every record queued for the sink in one call under one
   * write timeout: a cycle's bars and documents cost one call instead of one each. Resolve
   * when all are durable. A rejection is not retried as a batch: the pipeline then writes
   * those records one by one with `write` (retries and dead letters as usual), so a sink may
   * see some of them twice. A record whose answer the pipeline needs (a dataset of a data
   * request) always goes through `write`.
   */
  writeMany?(records: readonly SinkRecord[], options: SinkWriteOptions): Promise<void>;
  /**
   * Makes durable what the sink took. Called by `Pipeline.flush()` once every queue drained,
   * and by `Pipeline.stop()` once the writes in flight were aborted — for every sink at once,
   * each within `sinkTimeoutMs` (then `signal` aborts). A flush that rejects or times out is
   * reported on the pipeline's `error` event and does not hold up the others.
   */
  flush?(options: SinkWriteOptions): Promise<void>;
}
