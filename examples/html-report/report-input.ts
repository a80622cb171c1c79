import type { Alert, FeedAction, FeedStateKind, GapReport, RevisedBar, Timeframe } from 'market-data-pipeline';

/** The bars of one series as the pipeline delivered them, oldest first, one per open time (the highest `revision`). */
export interface ReportSeries {
  /** The symbol. */
  readonly symbol: string;
  /** The timeframe. */
  readonly timeframe: Timeframe;
  /** Closed bars, ascending by `timestamp` (epoch ms), each with its `flag` and `revision`. */
  readonly bars: readonly RevisedBar[];
}

/** A gap the pipeline found (the `gap` event), with what it did about it. */
export interface ReportGap {
  /** The symbol. */
  readonly symbol: string;
  /** The timeframe the gap is in (the base timeframe). */
  readonly timeframe: Timeframe;
  /** The gap and its resolution. */
  readonly report: GapReport;
}

/** One move of a symbol's feed state machine (the `failover` event). */
export interface ReportFailover {
  /** The symbol. */
  readonly symbol: string;
  /** State before. */
  readonly from: FeedStateKind;
  /** State after; it lasts until the symbol's next move. */
  readonly to: FeedStateKind;
  /** The actions the state machine asked for. */
  readonly actions: readonly FeedAction[];
  /** When it moved, epoch ms. */
  readonly at: number;
}

/** A quality score of one series at one time (from a `quality` event or a `data_status` document). */
export interface ReportQuality {
  /** The symbol. */
  readonly symbol: string;
  /** The timeframe. */
  readonly timeframe: Timeframe;
  /** When the score held, epoch ms; drawn at the open of the latest bar at or before it. */
  readonly at: number;
  /** The weighted score, a fraction in [0, 1]. */
  readonly score: number;
}

/** What a pipeline run delivered, as {@link renderReport} draws it. Every list may be empty. */
export interface ReportInput {
  /** The page title. */
  readonly title: string;
  /** One entry per symbol and timeframe; symbols and timeframes are shown in the order they first appear. */
  readonly series: readonly ReportSeries[];
  /** The gap reports; those `marked_missing` are drawn as missing bars. */
  readonly gaps: readonly ReportGap[];
  /** The feed moves, in time order per symbol; every state but `healthy` is shaded. */
  readonly failovers: readonly ReportFailover[];
  /** Quality scores, in time order per series. */
  readonly quality: readonly ReportQuality[];
  /** The alerts raised, in the specification's format. */
  readonly alerts: readonly Alert[];
}
