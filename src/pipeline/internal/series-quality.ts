import { freshnessAt } from '../../internal/quality-freshness.js';
import { weighQuality } from '../../internal/quality-weigh.js';
import type { QualityMetrics } from '../../quality/score-quality.js';
import type { PipelineConfig } from '../../schemas/config.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { bucketStart } from '../../time/bucket-start.js';
import { expectedBarCount } from '../../time/expected-bar-count.js';
import { DAY_MS, type Timeframe } from '../../time/timeframe.js';
import { QualityLedger } from '../quality-ledger.js';
import type { RevisedBar } from '../sink.js';
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

/**
 * Owns the quality of every series: a ledger per series that judges each bar as it is stored,
 * which series changed since the last documents, and each series' last state. The window is
 * max(1 day, 30 bars) back from `now`; completeness is the share of grid slots from the window's
 * first bar to the newest that hold a bar, validity and consistency the shares of bars judged
 * valid and consistent, freshness the quality module's rule at `now`, weighted as
 * `scoreQuality` weighs them.
 */
export class SeriesQuality {
  readonly #config: PipelineConfig;
  readonly #store: StoreAccess;
  readonly #emitter: PipelineEmitter;
  readonly #ledgers = new TwoKeyMap<string, Timeframe, QualityLedger>();
  readonly #states = new TwoKeyMap<string, Timeframe, SeriesState>();
  readonly #changed = new Map<string, Set<Timeframe>>();

  constructor(config: PipelineConfig, store: StoreAccess, emitter: PipelineEmitter) {
    this.#config = config;
    this.#store = store;
    this.#emitter = emitter;
  }

  /**
   * Bars of a series were stored: the series changed for the next documents, and its ledger
   * judges them now. A bar at or before the newest one the ledger was fed replaces a bar it
   * judged: the ledger starts over from the store.
   */
  stored(symbol: string, tf: Timeframe, bars: readonly RevisedBar[]): void {
    if (bars.length === 0) return;
    this.#changedOf(symbol).add(tf);
    const ledger = this.#ledgers.get(symbol, tf);
    if (ledger === undefined) return;
    if ((bars[0] as RevisedBar).timestamp <= ledger.fed) this.#ledgers.delete(symbol, tf);
    else ledger.addRows(bars);
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
   * with the clock), or one whose ledger was fed every stored bar as it arrived (the steady
   * state, when the store answers at once).
   */
  stateAtOnce(symbol: string, tf: Timeframe, now: number, changed: boolean): SeriesState | undefined {
    if (!changed) {
      const unchanged = this.#unchanged(symbol, tf, now);
      if (unchanged !== undefined) return unchanged;
    }
    const ledger = this.#ledgers.get(symbol, tf);
    if (ledger === undefined) return undefined;
    const newest = this.#store.peekLast(symbol, tf);
    if (newest === NOT_AT_ONCE || (newest?.timestamp ?? Number.NEGATIVE_INFINITY) > ledger.fed) return undefined;
    return this.#scored(symbol, tf, ledger, newest, now);
  }

  /**
   * The state of a series, reading from the store what its ledger lacks: a new ledger reads the
   * window's bars after the real bars the outlier windows need before them (further back while
   * filled bars stand in for real ones, up to 4 windows). Call it under the symbol's lock: a
   * stream must not feed the same ledger meanwhile.
   */
  async state(symbol: string, tf: Timeframe, now: number): Promise<SeriesState> {
    const width = widthOf(now, tf);
    const windowStart = now - Math.max(DAY_MS, 30 * width);
    const newest = await this.#store.last(symbol, tf);
    let ledger = this.#ledgers.get(symbol, tf);
    if (ledger === undefined) {
      ledger = new QualityLedger(tf, this.#config);
      this.#ledgers.set(symbol, tf, ledger);
      const history = QualityLedger.history(this.#config.validity);
      for (let slots = history; ; slots *= 2) {
        const bars = await this.#store.columns(symbol, tf, windowStart - slots * width, now);
        const from = firstAtOrAfter(bars, windowStart);
        if (slots >= 4 * history || QualityLedger.realBars(bars, from) >= history) {
          ledger.add(bars, from);
          break;
        }
      }
    } else if ((newest?.timestamp ?? Number.NEGATIVE_INFINITY) > ledger.fed) {
      // Stored bars the ledger was not fed as they arrived; those already before the window only move the outlier windows on.
      const bars = await this.#store.columns(symbol, tf, ledger.fed + 1, now);
      ledger.add(bars, firstAtOrAfter(bars, windowStart));
    }
    return this.#scored(symbol, tf, ledger, newest, now);
  }

  /** Bars before `cutoff` (epoch ms) left the store: they leave the window too. */
  pruned(symbol: string, tf: Timeframe, cutoff: number): void {
    this.#ledgers.get(symbol, tf)?.dropBefore(cutoff);
  }

  #unchanged(symbol: string, tf: Timeframe, now: number): SeriesState | undefined {
    const cached = this.#states.get(symbol, tf);
    if (cached === undefined || cached.dayStart !== bucketStart(now, '1D')) return undefined;
    if (cached.metrics === undefined || cached.latest === undefined) return cached;
    const freshness = freshnessAt(cached.latest.timestamp, tf, now, this.#config.freshness);
    if (freshness === cached.metrics.freshness) return cached;
    const metrics: QualityMetrics = { ...cached.metrics, freshness };
    const updated: SeriesState = { ...cached, metrics, score: weighQuality(metrics, this.#config.weights) };
    this.#states.set(symbol, tf, updated);
    return updated;
  }

  /** Scores a series from its ledger (its window moved to `now`) and its newest stored bar. */
  #scored(symbol: string, tf: Timeframe, ledger: QualityLedger, newest: Ohlcv | undefined, now: number): SeriesState {
    const dayStart = bucketStart(now, '1D');
    ledger.dropBefore(now - Math.max(DAY_MS, 30 * widthOf(now, tf)));
    const first = ledger.first();
    const latest = first === undefined ? undefined : (newest as RevisedBar | undefined);
    let state: SeriesState = { dayStart, latest, barsToday: 0, metrics: undefined, score: undefined };
    if (first !== undefined && latest !== undefined) {
      const n = ledger.size;
      const expected = expectedBarCount(first, bucketEnd(latest.timestamp, tf), tf);
      const metrics: QualityMetrics = {
        completeness: expected > 0 ? Math.min(1, n / expected) : 0,
        validity: (n - ledger.invalid) / n,
        freshness: freshnessAt(latest.timestamp, tf, now, this.#config.freshness),
        consistency: (n - ledger.inconsistent) / n,
      };
      const score = weighQuality(metrics, this.#config.weights);
      state = { dayStart, latest, barsToday: ledger.countSince(dayStart), metrics, score };
      if (this.#emitter.listened('quality')) this.#emitter.emit('quality', { symbol, timeframe: tf, score, metrics, bars: n });
    }
    this.#states.set(symbol, tf, state);
    return state;
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
