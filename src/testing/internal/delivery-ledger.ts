/**
 * What a `MemorySink` keeps of the bars written to it: per series, the highest revision of each
 * open time (the upserted view) and how many times each revision was delivered (to prove
 * exactly-once or find duplicates). Never exported from the package.
 */
import { lowerBound } from '../../internal/search.js';
import { TwoKeyMap } from '../../internal/two-key-map.js';
import type { RevisedBar } from '../../pipeline/sink.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { BarDelivery } from '../memory-sink-options.js';

/** One open time of one series: the bar held, and deliveries counted by revision. */
interface Slot {
  bar: RevisedBar;
  /** Deliveries of revision 0. */
  first: number;
  /** Deliveries of revision r ≥ 1 at index r − 1; absent until one arrives. */
  later: number[] | undefined;
}

/** A series' slots in time order (bars mostly arrive in order: appending is the fast path). */
interface Series {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly times: number[];
  readonly slots: Slot[];
}

/** Bars delivered, by series, open time and revision. */
export class DeliveryLedger {
  readonly #series = new TwoKeyMap<string, Timeframe, Series>();

  /** Records one successful delivery of each of `bars` to the series `(symbol, timeframe)`. */
  add(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): void {
    let series = this.#series.get(symbol, timeframe);
    if (series === undefined) {
      series = { symbol, timeframe, times: [], slots: [] };
      this.#series.set(symbol, timeframe, series);
    }
    const { times, slots } = series;
    for (const bar of bars) {
      const t = bar.timestamp;
      const at = times.length === 0 || t > (times[times.length - 1] as number) ? times.length : lowerBound(times, t);
      let slot = times[at] === t ? slots[at] : undefined;
      if (slot === undefined) {
        slot = { bar, first: 0, later: undefined };
        if (at === times.length) {
          times.push(t);
          slots.push(slot);
        } else {
          times.splice(at, 0, t);
          slots.splice(at, 0, slot);
        }
      } else if (bar.revision >= slot.bar.revision) {
        slot.bar = bar;
      }
      if (bar.revision === 0) slot.first++;
      else {
        const later = (slot.later ??= []);
        later[bar.revision - 1] = (later[bar.revision - 1] ?? 0) + 1;
      }
    }
  }

  /** The highest revision of each open time of a series, in time order. */
  bars(symbol: string, timeframe: Timeframe): RevisedBar[] {
    const series = this.#series.get(symbol, timeframe);
    if (series === undefined) return [];
    return series.slots.map((slot) => slot.bar);
  }

  /** Successful deliveries of one bar revision; 0 when never delivered. */
  count(symbol: string, timeframe: Timeframe, timestamp: number, revision: number): number {
    const series = this.#series.get(symbol, timeframe);
    if (series === undefined) return 0;
    const i = lowerBound(series.times, timestamp);
    const slot = series.times[i] === timestamp ? series.slots[i] : undefined;
    if (slot === undefined) return 0;
    return revision === 0 ? slot.first : (slot.later?.[revision - 1] ?? 0);
  }

  /** Every bar revision delivered, with its count, sorted by symbol, timeframe (as text), open time and revision. */
  deliveries(): BarDelivery[] {
    const out: BarDelivery[] = [];
    for (const [, , { symbol, timeframe, times, slots }] of this.#series.entries()) {
      slots.forEach((slot, i) => {
        const timestamp = times[i] as number;
        if (slot.first > 0) out.push({ symbol, timeframe, timestamp, revision: 0, count: slot.first });
        slot.later?.forEach((count, r) => out.push({ symbol, timeframe, timestamp, revision: r + 1, count }));
      });
    }
    return out.sort(
      (a, b) =>
        (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) ||
        (a.timeframe < b.timeframe ? -1 : a.timeframe > b.timeframe ? 1 : 0) ||
        a.timestamp - b.timestamp ||
        a.revision - b.revision,
    );
  }
}
