import type { AggregateIssue } from '../../aggregate/aggregate-issue.js';
import { TickAggregator } from '../../aggregate/tick-aggregator.js';
import { isoUtc } from '../../internal/iso-utc.js';
import { checkConsistency } from '../../quality/check-consistency.js';
import type { ConsistencyConfig } from '../../schemas/config.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { Tick } from '../../schemas/tick.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { IssueLog } from './issue-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import type { StoreAccess } from './store-access.js';

/**
 * Base bars built from trades that wait for the bar from klines they are checked against,
 * at most this many per symbol (a day of 1m bars); the oldest are given up beyond it.
 */
const MAX_WAITING = 1440;

/** The units {@link TradeBars} works with. */
export interface TradeBarsUnits {
  readonly store: StoreAccess;
  readonly issues: IssueLog;
  readonly emitter: PipelineEmitter;
}

interface SymbolBars {
  readonly aggregator: TickAggregator;
  /** Buckets opening before this (epoch ms) may miss trades taken before the first ones: never built. */
  readonly from: number;
  /** Whether a trade of a bucket opening at or after `from` has come (every later one then has too). */
  started: boolean;
  /** Bars built from trades, not yet compared with the bar from klines, oldest first. */
  waiting: Ohlcv[];
}

/**
 * Owns the base bars built from trades: per symbol a streaming {@link TickAggregator}
 * (exchange-exact, as `ticksToOhlcv`), each closed bar emitted as `tradeBar`, then checked
 * against the bar from klines stored at the same open time with the consistency metric's
 * cross-source check (`checkConsistency`, reference `kind: 'source'`, the configured
 * `relativeTolerance`). A disagreement is an `inconsistent_source` issue of the quality report,
 * naming the fields and both values; the stored bar is left as it is (never a silent choice). A
 * bar from trades waits for its bar from klines when that has not come yet; a flagged bar (filled,
 * or an outlier the preprocessing clipped) is no longer the source's kline and is not compared.
 */
export class TradeBars {
  readonly #base: Timeframe;
  readonly #consistency: ConsistencyConfig;
  readonly #units: TradeBarsUnits;
  readonly #symbols = new Map<string, SymbolBars>();

  constructor(base: Timeframe, consistency: ConsistencyConfig, units: TradeBarsUnits) {
    this.#base = base;
    this.#consistency = consistency;
    this.#units = units;
  }

  /**
   * Adds trades of `symbol`, in trade order, after those added before.
   *
   * @param from - On the symbol's first call: the time (epoch ms) from which its trades are
   *   complete; a bucket opening before it is never built, so that a bucket the trades only
   *   partly cover (the first request asked from its middle, or the first trades taken after a
   *   resume or from a stream) is never compared with its kline.
   */
  add(symbol: string, ticks: readonly Tick[], from: number): void {
    let bars = this.#symbols.get(symbol);
    if (bars === undefined) {
      bars = { aggregator: new TickAggregator({ timeframe: this.#base }), from, started: false, waiting: [] };
      this.#symbols.set(symbol, bars);
    }
    const closed: Ohlcv[] = [];
    for (const tick of ticks) {
      bars.started ||= bucketStart(tick.timestamp, this.#base) >= bars.from;
      if (bars.started) closed.push(...bars.aggregator.add(tick));
    }
    this.#closed(symbol, bars, closed);
  }

  /**
   * Every trade of `symbol` before `at` (epoch ms) has been added: the bar forming closes if it
   * ended by then.
   */
  close(symbol: string, at: number): void {
    const bars = this.#symbols.get(symbol);
    if (bars !== undefined) this.#closed(symbol, bars, bars.aggregator.close(at));
  }

  #closed(symbol: string, bars: SymbolBars, closed: readonly Ohlcv[]): void {
    this.#skipped(symbol, bars, bars.aggregator.takeIssues());
    for (const bar of closed) this.#units.emitter.emit('tradeBar', { symbol, timeframe: this.#base, bar });
    bars.waiting.push(...closed);
    if (bars.waiting.length > MAX_WAITING) this.#giveUp(symbol, bars.waiting.splice(0, bars.waiting.length - MAX_WAITING), closed);
  }

  /**
   * Bars from trades given up uncompared (more than {@link MAX_WAITING} wait: their klines did
   * not come): a `gap_detected` issue (`flagged`, `info`) naming them, stamped with the open of
   * the bar whose closing gave them up (the first is a day old by then, out of the report's window).
   */
  #giveUp(symbol: string, dropped: readonly Ohlcv[], closed: readonly Ohlcv[]): void {
    const first = dropped[0];
    const last = dropped.at(-1);
    const newest = closed.at(-1);
    if (first === undefined || last === undefined || newest === undefined) return;
    const count = dropped.length;
    this.#units.issues.note(symbol, {
      timestamp: isoUtc(newest.timestamp),
      type: 'gap_detected',
      symbol,
      timeframe: this.#base,
      resolution: 'flagged',
      severity: 'info',
      message:
        `${count} ${this.#base} bar${count === 1 ? '' : 's'} built from trades (${isoUtc(first.timestamp)}–${isoUtc(last.timestamp)}) ` +
        `given up uncompared: no kline came for ${count === 1 ? 'it' : 'them'} while ${MAX_WAITING} waited`,
    });
  }

  /**
   * Trades the aggregator skipped (most often one that came after its bucket was closed): a
   * `gap_detected` issue (`flagged`) at the first one's bucket, and the bars of their buckets no
   * longer wait to be compared (they lack those trades).
   */
  #skipped(symbol: string, bars: SymbolBars, skipped: readonly AggregateIssue[]): void {
    const first = skipped[0];
    if (first === undefined) return;
    const buckets = new Set(skipped.map((issue) => bucketStart(issue.timestamp, this.#base)));
    bars.waiting = bars.waiting.filter((bar) => !buckets.has(bar.timestamp));
    const count = skipped.length;
    this.#units.issues.note(symbol, {
      timestamp: isoUtc(bucketStart(first.timestamp, this.#base)),
      type: 'gap_detected',
      symbol,
      timeframe: this.#base,
      resolution: 'flagged',
      severity: 'info',
      message: `${count} trade${count === 1 ? '' : 's'} left out of the ${this.#base} bars built from trades: ${first.message}`,
    });
  }

  /**
   * Compares `symbol`'s waiting bars from trades with the bars from klines stored at their open
   * times, at `now` (epoch ms); those with no stored bar yet keep waiting.
   */
  async compare(symbol: string, sourceName: string, now: number): Promise<void> {
    const bars = this.#symbols.get(symbol);
    const first = bars?.waiting[0];
    const last = bars?.waiting.at(-1);
    if (bars === undefined || first === undefined || last === undefined) return;
    const stored = await this.#units.store.range(symbol, this.#base, first.timestamp, last.timestamp + 1);
    const klines = new Map(stored.map((bar) => [bar.timestamp, bar]));
    const ready = bars.waiting.filter((bar) => klines.has(bar.timestamp));
    bars.waiting = bars.waiting.filter((bar) => !klines.has(bar.timestamp));
    const reference = ready.flatMap((bar) => {
      const kline = klines.get(bar.timestamp);
      return kline === undefined || kline.flag !== undefined ? [] : [kline];
    });
    if (reference.length === 0) return;
    const result = checkConsistency(ready, {
      timeframe: this.#base,
      config: this.#consistency,
      symbol,
      reference: { kind: 'source', bars: reference, name: sourceName },
    });
    for (const disagreement of result.disagreements) {
      const fields = disagreement.differences
        .map((d) => `${d.field} ${d.value} from trades, ${d.reference} from klines (${(d.relativeDifference * 100).toPrecision(3)} %)`)
        .join('; ');
      this.#units.issues.note(symbol, {
        timestamp: isoUtc(now),
        type: 'inconsistent_source',
        symbol,
        timeframe: this.#base,
        duration_bars: 1,
        resolution: 'flagged',
        severity: 'warning',
        message: `The ${this.#base} bar of ${isoUtc(disagreement.timestamp)} built from ${sourceName}'s trades disagrees with its klines: ${fields}`,
      });
    }
  }
}
