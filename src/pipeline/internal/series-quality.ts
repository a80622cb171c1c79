import { QualityTracker, type QualityMetrics, type TrackedQuality } from '../../quality/index.js';
import type { PipelineConfig } from '../../schemas/config.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { RevisedBar } from '../sink.js';
import { lowerBound } from '../../internal/search.js';
import { TwoKeyMap } from '../../internal/two-key-map.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { NOT_AT_ONCE, type StoreAccess } from './store-access.js';

/** What the documents know about one series. */
export interface SeriesState {
  /** Start of the UTC day it was computed on, epoch ms. */
  readonly dayStart: number;
  /** The newest stored bar; `undefined` when the window holds no bar. */
  readonly latest: RevisedBar | undefined;
  /** Bars that opened today (UTC). */
  readonly barsToday: number;
  readonly metrics: QualityMetrics | undefined;
  /** The weighted score in [0, 1]. */
  readonly score: number | undefined;
  /** The tracker's answer behind `metrics`, `score` and `barsToday`; `undefined` when the window holds no bar. */
  readonly quality: TrackedQuality | undefined;
}

/** Index of the first bar opening at or after `time` (bars in time order). */
function firstAtOrAfter(bars: OhlcvColumns, time: number): number {
  return lowerBound(bars.timestamp, time, 0, bars.length);
}

function widthOf(timestamp: number, tf: Timeframe): number {
  return bucketEnd(timestamp, tf) - bucketStart(timestamp, tf);
}

/** A row of an answer refused before it became a bar, as quality counts it (see `QualityTracker.refuse`). */
export interface RefusedRow {
  /** Its open time, epoch ms; NaN when it has none. */
  readonly timestamp: number;
  /** Whether it breaks no OHLCV rule but alignment. */
  readonly valid: boolean;
}

/** A series' tracker; `primed` once it was fed the store's bars of its window (until a replaced bar resets it). */
interface Tracked {
  readonly tracker: QualityTracker;
  primed: boolean;
}

/**
 * Owns the quality of every series: a `QualityTracker` per series, fed each bar as it is stored
 * and told what never became a bar — rows refused, comparisons with stored bars, the first slot
 * a request asked for — so each of the four metrics sees its inputs as `scoreQuality` would in
 * the rows as they came (the quality module owns the window, the verdicts, the metrics and the
 * weighing); which series changed since the last documents, and each series' last state.
 */
export class SeriesQuality {
  readonly #config: PipelineConfig;
  readonly #store: StoreAccess;
  readonly #emitter: PipelineEmitter;
  readonly #trackers = new TwoKeyMap<string, Timeframe, Tracked>();
  /** Per series: the last state and the tracker that scored it (which refreshes its freshness even after it was replaced). */
  readonly #states = new TwoKeyMap<string, Timeframe, { readonly state: SeriesState; readonly tracker: QualityTracker }>();
  readonly #changed = new Map<string, Set<Timeframe>>();
  /** The timeframes of every symbol: the base and the configured ones. */
  readonly #timeframes: readonly Timeframe[];

  constructor(config: PipelineConfig, store: StoreAccess, emitter: PipelineEmitter) {
    this.#config = config;
    this.#timeframes = [...new Set([config.baseTimeframe, ...config.timeframes])];
    this.#store = store;
    this.#emitter = emitter;
  }

  /**
   * Bars of a series were stored: the series changed for the next documents, and its tracker
   * judges them now. A bar at or before the newest one the tracker was fed replaces a bar it
   * judged: the tracker starts over from the store.
   */
  stored(symbol: string, tf: Timeframe, bars: readonly RevisedBar[]): void {
    if (bars.length === 0) return;
    this.#changedOf(symbol).add(tf);
    const tracked = this.#trackers.get(symbol, tf);
    if (tracked === undefined || !tracked.primed) return;
    const fed = tracked.tracker.fed;
    if (bars.some((bar) => bar.timestamp <= fed)) {
      tracked.tracker.reset();
      tracked.primed = false;
    } else tracked.tracker.addRows(bars);
  }

  /**
   * Rows of an answer for a series were refused at `at` (epoch ms): validity counts each as a
   * bar (bad unless only off the grid), consistency checks its alignment.
   */
  refused(symbol: string, tf: Timeframe, at: number, rows: readonly RefusedRow[]): void {
    if (rows.length === 0) return;
    this.#changedOf(symbol).add(tf);
    const tracker = this.#tracked(symbol, tf).tracker;
    for (const row of rows) tracker.refuse(at, row.timestamp, row.valid);
  }

  /**
   * Bars of an answer were compared at `at` (epoch ms) with bars for the same open times (stored
   * real bars, or duplicates in the answer): consistency counts each comparison, failed when they disagree.
   */
  compared(symbol: string, tf: Timeframe, at: number, agreeing: number, disagreeing: number): void {
    if (agreeing + disagreeing === 0) return;
    this.#changedOf(symbol).add(tf);
    const tracker = this.#tracked(symbol, tf).tracker;
    for (let i = 0; i < agreeing; i++) tracker.compare(at, true);
    for (let i = 0; i < disagreeing; i++) tracker.compare(at, false);
  }

  /**
   * A request asked for `symbol`'s bars from `start` (epoch ms): every series of the symbol is
   * expected to hold a bar in each slot from there, so completeness counts the slots missing
   * before its first bar too.
   */
  asked(symbol: string, start: number): void {
    for (const tf of this.#timeframes) this.#tracked(symbol, tf).tracker.expectFrom(start);
  }

  /** The timeframes of `symbol` that got bars since the last call (taken: the next call starts empty). */
  takeChanged(symbol: string): ReadonlySet<Timeframe> {
    const changed = this.#changed.get(symbol);
    if (changed === undefined || changed.size === 0) return EMPTY;
    this.#changed.set(symbol, new Set());
    return changed;
  }

  /**
   * The state of a series without reading the store, or `undefined` when it needs a read: a
   * series without new bars since the last documents on the same UTC day (only freshness moves
   * with the clock), or one whose tracker was fed every stored bar as it arrived (the steady
   * state, when the store answers at once).
   */
  stateAtOnce(symbol: string, tf: Timeframe, now: number, changed: boolean): SeriesState | undefined {
    if (!changed) {
      const unchanged = this.#unchanged(symbol, tf, now);
      if (unchanged !== undefined) return unchanged;
    }
    const tracked = this.#trackers.get(symbol, tf);
    if (tracked === undefined || !tracked.primed) return undefined;
    const tracker = tracked.tracker;
    const newest = this.#store.peekLast(symbol, tf);
    if (newest === NOT_AT_ONCE || (newest?.timestamp ?? Number.NEGATIVE_INFINITY) > tracker.fed) return undefined;
    return this.#scored(symbol, tf, tracker, newest, now);
  }

  /**
   * The state of a series, reading from the store what its tracker lacks: a new tracker reads the
   * window's bars after the real bars the outlier windows need before them (further back while
   * filled bars stand in for real ones, up to 4 windows). Call it under the symbol's lock: a
   * stream must not feed the same tracker meanwhile.
   */
  async state(symbol: string, tf: Timeframe, now: number): Promise<SeriesState> {
    const newest = await this.#store.last(symbol, tf);
    const tracked = this.#tracked(symbol, tf);
    const tracker = tracked.tracker;
    if (!tracked.primed) {
      tracked.primed = true;
      const windowStart = tracker.windowStart(now);
      const width = widthOf(now, tf);
      const history = QualityTracker.history(this.#config.validity);
      for (let slots = history; ; slots *= 2) {
        const bars = await this.#store.columns(symbol, tf, windowStart - slots * width, now);
        const from = firstAtOrAfter(bars, windowStart);
        if (slots >= 4 * history || QualityTracker.realBars(bars, from) >= history) {
          tracker.add(bars, from);
          break;
        }
      }
    } else if ((newest?.timestamp ?? Number.NEGATIVE_INFINITY) > tracker.fed) {
      // Stored bars the tracker was not fed as they arrived; those already before the window only move the outlier windows on.
      const bars = await this.#store.columns(symbol, tf, tracker.fed + 1, now);
      tracker.add(bars, firstAtOrAfter(bars, tracker.windowStart(now)));
    }
    return this.#scored(symbol, tf, tracker, newest, now);
  }

  /** Bars before `cutoff` (epoch ms) left the store: they leave the window too. */
  pruned(symbol: string, tf: Timeframe, cutoff: number): void {
    this.#trackers.get(symbol, tf)?.tracker.dropBefore(cutoff);
  }

  #unchanged(symbol: string, tf: Timeframe, now: number): SeriesState | undefined {
    const entry = this.#states.get(symbol, tf);
    const cached = entry?.state;
    if (entry === undefined || cached === undefined || cached.dayStart !== bucketStart(now, '1D')) return undefined;
    if (cached.quality === undefined || cached.latest === undefined) return cached;
    const quality = entry.tracker.refreshed(cached.quality, now, cached.latest.timestamp);
    if (quality === cached.quality) return cached;
    const updated: SeriesState = { ...cached, metrics: quality.metrics, score: quality.score, quality };
    this.#states.set(symbol, tf, { state: updated, tracker: entry.tracker });
    return updated;
  }

  /** Scores a series from its tracker (its window moved to `now`) and its newest stored bar. */
  #scored(symbol: string, tf: Timeframe, tracker: QualityTracker, newest: Ohlcv | undefined, now: number): SeriesState {
    const dayStart = bucketStart(now, '1D');
    const quality = newest === undefined ? undefined : tracker.score(now, newest.timestamp);
    const state: SeriesState =
      quality === undefined
        ? { dayStart, latest: undefined, barsToday: 0, metrics: undefined, score: undefined, quality }
        : { dayStart, latest: newest as RevisedBar, barsToday: quality.barsToday, metrics: quality.metrics, score: quality.score, quality };
    if (quality !== undefined && this.#emitter.listened('quality')) {
      this.#emitter.emit('quality', { symbol, timeframe: tf, score: quality.score, metrics: quality.metrics, bars: quality.bars });
    }
    this.#states.set(symbol, tf, { state, tracker });
    return state;
  }

  /** The tracker of a series, a new one (not primed) the first time. */
  #tracked(symbol: string, tf: Timeframe): Tracked {
    let tracked = this.#trackers.get(symbol, tf);
    if (tracked === undefined) {
      tracked = { tracker: new QualityTracker(tf, this.#config), primed: false };
      this.#trackers.set(symbol, tf, tracked);
    }
    return tracked;
  }

  #changedOf(symbol: string): Set<Timeframe> {
    let changed = this.#changed.get(symbol);
    if (changed === undefined) {
      changed = new Set();
      this.#changed.set(symbol, changed);
    }
    return changed;
  }
}

const EMPTY: ReadonlySet<Timeframe> = new Set();
