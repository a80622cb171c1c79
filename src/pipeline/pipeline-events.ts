import type { FeedAction, FeedStateKind } from '../failover/feed-state.js';
import type { GapReport } from '../gaps/gap.js';
import type { QualityMetrics } from '../quality/score-quality.js';
import type { Alert } from '../schemas/alert-schema.js';
import type { DataIssue } from '../errors/result.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OutlierMethod } from '../preprocess/outlier-method.js';
import type { Timeframe } from '../time/timeframe.js';
import type { DocumentRecord, RevisedBar, SinkRecord } from './sink.js';

/**
 * The events a `Pipeline` emits, with their payloads. Subscribe with `pipeline.on(name,
 * listener)`, which returns the function that unsubscribes. A listener that throws is
 * reported on `error` (phase `listener`) and changes nothing the pipeline computes or delivers.
 */
export interface PipelineEvents {
  /** A closed bar was stored and queued for delivery (a higher `revision` replaces an earlier delivery). */
  bar: (event: { readonly symbol: string; readonly timeframe: Timeframe; readonly bar: RevisedBar }) => void;
  /** The still-forming bar changed. */
  update: (event: { readonly symbol: string; readonly timeframe: Timeframe; readonly bar: Ohlcv }) => void;
  /** A gap was found in the base timeframe, with what was done about it. */
  gap: (event: { readonly symbol: string; readonly timeframe: Timeframe; readonly report: GapReport }) => void;
  /**
   * Trade ids jumped (only with `trades.consecutiveIds`): trades `fromId` to `toId` (inclusive)
   * were missing from an answer. They were re-fetched by id at once; `refetched` came back,
   * `missing` did not (they are lost to the trades' delivery). `completeness` is the share of the
   * symbol's trades received since the pipeline started, in [0, 1]. A `gap_detected` quality
   * issue records the same.
   */
  tradeGap: (event: {
    readonly symbol: string;
    readonly source: string;
    readonly fromId: number;
    readonly toId: number;
    readonly refetched: number;
    readonly missing: number;
    readonly completeness: number;
  }) => void;
  /**
   * A base bar built from the trades closed (only with `trades` on): exchange-exact, as
   * `ticksToOhlcv` builds it. It is checked against the bar from klines at the same open time;
   * a disagreement is an `inconsistent_source` issue of the quality report.
   */
  tradeBar: (event: { readonly symbol: string; readonly timeframe: Timeframe; readonly bar: Ohlcv }) => void;
  /**
   * Rows a source sent were refused and removed: unparseable, breaking an OHLCV rule, tagged
   * with another `symbol` (`other_symbol`), opening before the `since` the request asked for
   * (`not_requested`) or after the current bar (`future_bar`). They are never stored or
   * delivered, and each counts in the series' quality (validity; consistency for alignment).
   */
  rejected: (event: { readonly symbol: string; readonly source: string; readonly issues: readonly DataIssue[] }) => void;
  /**
   * Base bars of an answer had an outlier close (`preprocessing.outliers` and
   * `outlierThreshold`, judged by `handleOutliers` after the stored bars before them): each as
   * `received` and as `stored` — clipped into the band and flagged `clipped` (`clip`),
   * unchanged (`flag`) or `undefined`, removed (`remove`). A quality-report issue (`outlier`)
   * records the same.
   */
  outlier: (event: {
    readonly symbol: string;
    readonly timeframe: Timeframe;
    readonly source: string;
    readonly method: OutlierMethod;
    readonly bars: readonly { readonly received: Ohlcv; readonly stored: Ohlcv | undefined }[];
  }) => void;
  /**
   * A series was re-scored because it got bars: its weighted `score` in [0, 1] and the four
   * metrics over the quality window of `bars` bars (each bar judged when it arrived; see the
   * README's "Quality in the pipeline"). Between new bars only freshness moves, and no event.
   */
  quality: (event: {
    readonly symbol: string;
    readonly timeframe: Timeframe;
    readonly score: number;
    readonly metrics: QualityMetrics;
    readonly bars: number;
  }) => void;
  /** An alert was raised (also delivered to sinks). */
  alert: (alert: Alert) => void;
  /** An escalation trigger fired; `alert` is the escalating alert that was delivered. */
  escalation: (event: { readonly symbol: string; readonly reasons: readonly string[]; readonly alert: Alert }) => void;
  /** The feed state machine of a symbol moved, with the actions it asked for. */
  failover: (event: {
    readonly symbol: string;
    readonly from: FeedStateKind;
    readonly to: FeedStateKind;
    readonly actions: readonly FeedAction[];
    readonly at: number;
  }) => void;
  /** A state document was built and queued for delivery. */
  document: (record: DocumentRecord) => void;
  /** Progress of a backfill or a data request, in bars. */
  progress: (event: {
    readonly symbol: string;
    readonly phase: 'backfill' | 'request';
    readonly done: number;
    readonly total: number;
  }) => void;
  /** A sink gave up on a record after its retries; the record is attached, nothing else happens to it. */
  deadLetter: (event: { readonly sink: string; readonly record: SinkRecord; readonly error: unknown; readonly attempts: number }) => void;
  /** Something failed that the pipeline survived: a source request, a sink write attempt, a listener. */
  error: (event: { readonly phase: 'source' | 'sink' | 'listener' | 'cycle'; readonly error: unknown; readonly symbol?: string }) => void;
}
