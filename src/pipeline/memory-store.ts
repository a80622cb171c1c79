import { lowerBound, partitionPoint } from '../internal/search.js';
import { BAR_FLAG_BY_CODE, barFlagCode } from '../schemas/bar-flag.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import { TwoKeyMap } from '../internal/two-key-map.js';
import type { Timeframe } from '../time/timeframe.js';
import type { RevisedBar } from './sink.js';
import type { Store, StoreSnapshot } from './store.js';

/** Bars per full chunk: a long series grows in steps of this many bars, never by doubling. */
const CHUNK = 4096;
/** The first chunk of a series is this small and doubles up to `CHUNK` (higher timeframes hold few bars). */
const FIRST_CHUNK = 64;

type OptionalField = 'quoteVolume' | 'trades' | 'takerBuyVolume' | 'count' | 'synthetic' | 'missing';
const OPTIONAL_FIELDS: readonly OptionalField[] = ['quoteVolume', 'trades', 'takerBuyVolume', 'count', 'synthetic', 'missing'];

/** One fixed-size block of columns. */
interface Chunk {
  length: number;
  readonly timestamp: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly flags: Uint8Array;
  readonly revision: Uint16Array;
  /** Allocated on first use only, NaN where a bar lacks the field. */
  optional: Partial<Record<OptionalField, Float64Array>>;
}

function newChunk(capacity: number): Chunk {
  return {
    length: 0,
    timestamp: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
    flags: new Uint8Array(capacity),
    revision: new Uint16Array(capacity),
    optional: {},
  };
}

/** A chunk with room for `capacity` bars holding the bars of `chunk`. */
function grow(chunk: Chunk, capacity: number): Chunk {
  const next = newChunk(capacity);
  next.length = chunk.length;
  for (const key of ['timestamp', 'open', 'high', 'low', 'close', 'volume', 'flags', 'revision'] as const) {
    (next[key] as Float64Array).set(chunk[key]);
  }
  for (const field of OPTIONAL_FIELDS) {
    const column = chunk.optional[field];
    if (column !== undefined) next.optional[field] = copyInto(new Float64Array(capacity).fill(Number.NaN), column);
  }
  return next;
}

function copyInto(target: Float64Array, source: Float64Array): Float64Array {
  target.set(source);
  return target;
}

function writeOptional(chunk: Chunk, i: number, field: OptionalField, value: number | undefined): void {
  let column = chunk.optional[field];
  if (value === undefined) {
    if (column !== undefined) column[i] = Number.NaN;
    return;
  }
  if (column === undefined) {
    column = new Float64Array(chunk.timestamp.length).fill(Number.NaN);
    chunk.optional[field] = column;
  }
  column[i] = value;
}

function write(chunk: Chunk, i: number, bar: RevisedBar): void {
  chunk.timestamp[i] = bar.timestamp;
  chunk.open[i] = bar.open;
  chunk.high[i] = bar.high;
  chunk.low[i] = bar.low;
  chunk.close[i] = bar.close;
  chunk.volume[i] = bar.volume;
  chunk.flags[i] = barFlagCode(bar.flag);
  chunk.revision[i] = Math.min(bar.revision, 0xffff);
  // Most bars have no optional field: test each directly rather than looping over names.
  if (bar.quoteVolume !== undefined || chunk.optional.quoteVolume !== undefined) writeOptional(chunk, i, 'quoteVolume', bar.quoteVolume);
  if (bar.trades !== undefined || chunk.optional.trades !== undefined) writeOptional(chunk, i, 'trades', bar.trades);
  if (bar.takerBuyVolume !== undefined || chunk.optional.takerBuyVolume !== undefined)
    writeOptional(chunk, i, 'takerBuyVolume', bar.takerBuyVolume);
  if (bar.count !== undefined || chunk.optional.count !== undefined) writeOptional(chunk, i, 'count', bar.count);
  if (bar.synthetic !== undefined || chunk.optional.synthetic !== undefined) writeOptional(chunk, i, 'synthetic', bar.synthetic);
  if (bar.missing !== undefined || chunk.optional.missing !== undefined) writeOptional(chunk, i, 'missing', bar.missing);
}

function read(chunk: Chunk, i: number): RevisedBar {
  const flag = BAR_FLAG_BY_CODE[chunk.flags[i] ?? 0];
  const bar: { -readonly [K in keyof Ohlcv]: Ohlcv[K] } & { revision: number } = {
    timestamp: chunk.timestamp[i] ?? 0,
    open: chunk.open[i] ?? 0,
    high: chunk.high[i] ?? 0,
    low: chunk.low[i] ?? 0,
    close: chunk.close[i] ?? 0,
    volume: chunk.volume[i] ?? 0,
    revision: chunk.revision[i] ?? 0,
  };
  for (const field of OPTIONAL_FIELDS) {
    const value = chunk.optional[field]?.[i];
    if (value !== undefined && !Number.isNaN(value)) bar[field] = value;
  }
  if (flag !== undefined) bar.flag = flag;
  return bar;
}

/** The bars of one `(symbol, timeframe)`, oldest first, in chunks. */
class Series {
  chunks: Chunk[] = [];
  /** The newest bar as `last` returns it, kept until the series changes. */
  newest: RevisedBar | undefined;

  get size(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  lastTimestamp(): number {
    const c = this.chunks.at(-1);
    return c === undefined || c.length === 0 ? Number.NEGATIVE_INFINITY : (c.timestamp[c.length - 1] ?? Number.NEGATIVE_INFINITY);
  }

  /** Chunk index and position of the first bar with timestamp >= t. */
  seek(t: number): [number, number] {
    const chunks = this.chunks;
    const lo = partitionPoint(0, chunks.length, (i) => {
      const c = chunks[i] as Chunk;
      return (c.timestamp[c.length - 1] ?? Number.NEGATIVE_INFINITY) < t;
    });
    if (lo === chunks.length) return [lo, 0];
    const c = chunks[lo] as Chunk;
    return [lo, lowerBound(c.timestamp, t, 0, c.length)];
  }

  append(bar: RevisedBar): void {
    let c = this.chunks.at(-1);
    if (c === undefined) {
      c = newChunk(FIRST_CHUNK);
      this.chunks.push(c);
    } else if (c.length === c.timestamp.length) {
      if (c.length < CHUNK) {
        c = grow(c, Math.min(CHUNK, c.length * 2));
        this.chunks[this.chunks.length - 1] = c;
      } else {
        c = newChunk(CHUNK);
        this.chunks.push(c);
      }
    }
    write(c, c.length, bar);
    c.length++;
  }

  all(): RevisedBar[] {
    const out: RevisedBar[] = [];
    for (const c of this.chunks) for (let i = 0; i < c.length; i++) out.push(read(c, i));
    return out;
  }

  rebuild(bars: readonly RevisedBar[]): void {
    this.chunks = [];
    this.newest = undefined;
    for (const bar of bars) this.append(bar);
  }
}

/**
 * The built-in in-memory {@link Store}: columns in typed-array chunks of 4096 bars (a series'
 * first chunk starts at 64 bars and doubles), about 51 bytes per stored bar plus at most one
 * partly filled chunk per series (optional fields such as `quoteVolume` add 8 bytes each, only
 * for series that have them).
 *
 * Appending in time order is O(1); replacing a stored bar is O(log n); inserting before the
 * newest bar rebuilds the series (rare: backfills arrive in order). Bounded by retention:
 * `prune` drops bars older than a cut-off (the pipeline calls it with `retentionCutoff`).
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * store.upsert('BTCUSD', '1m', [{ timestamp: 0, open: 1, high: 1, low: 1, close: 1, volume: 0, revision: 0 }]);
 * store.last('BTCUSD', '1m')?.close // 1
 * ```
 */
export class MemoryStore implements Store {
  readonly #series = new TwoKeyMap<string, Timeframe, Series>();

  #get(symbol: string, timeframe: Timeframe, create: true): Series;
  #get(symbol: string, timeframe: Timeframe, create: false): Series | undefined;
  #get(symbol: string, timeframe: Timeframe, create: boolean): Series | undefined {
    let series = this.#series.get(symbol, timeframe);
    if (series === undefined && create) {
      series = new Series();
      this.#series.set(symbol, timeframe, series);
    }
    return series;
  }

  /** Inserts or replaces bars; a stored bar is replaced only by one with an equal or higher revision. */
  upsert(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): void {
    const series = this.#get(symbol, timeframe, true);
    series.newest = undefined;
    let pending: RevisedBar[] | undefined;
    for (const bar of bars) {
      if (bar.timestamp > series.lastTimestamp()) {
        series.append(bar);
        continue;
      }
      const [ci, i] = series.seek(bar.timestamp);
      const chunk = series.chunks[ci];
      if (chunk !== undefined && chunk.timestamp[i] === bar.timestamp) {
        if (bar.revision >= (chunk.revision[i] ?? 0)) write(chunk, i, bar);
      } else {
        (pending ??= []).push(bar);
      }
    }
    if (pending !== undefined) {
      const merged = series.all();
      merged.push(...pending);
      merged.sort((a, b) => a.timestamp - b.timestamp);
      series.rebuild(merged);
    }
  }

  /** Bars with `start <= timestamp < end`, oldest first. */
  range(symbol: string, timeframe: Timeframe, start: number, end: number): RevisedBar[] {
    const series = this.#get(symbol, timeframe, false);
    const out: RevisedBar[] = [];
    if (series === undefined) return out;
    let [ci, i] = series.seek(start);
    for (; ci < series.chunks.length; ci++, i = 0) {
      const c = series.chunks[ci] as Chunk;
      for (; i < c.length; i++) {
        if ((c.timestamp[i] ?? 0) >= end) return out;
        out.push(read(c, i));
      }
    }
    return out;
  }

  /** Bars with `start <= timestamp < end` as columns (copied out of the chunks; optional fields absent). */
  rangeColumns(symbol: string, timeframe: Timeframe, start: number, end: number): OhlcvColumns {
    const series = this.#get(symbol, timeframe, false);
    const parts: [Chunk, number, number][] = [];
    let n = 0;
    if (series !== undefined) {
      let [ci, i] = series.seek(start);
      for (; ci < series.chunks.length; ci++, i = 0) {
        const c = series.chunks[ci] as Chunk;
        let j = i;
        while (j < c.length && (c.timestamp[j] ?? 0) < end) j++;
        if (j > i) parts.push([c, i, j]);
        n += j - i;
        if (j < c.length) break;
      }
    }
    // One block for the six number columns (the pipeline reads a few bars at a time, often).
    const block = new Float64Array(6 * n);
    const columns = {
      length: n,
      timestamp: block.subarray(0, n),
      open: block.subarray(n, 2 * n),
      high: block.subarray(2 * n, 3 * n),
      low: block.subarray(3 * n, 4 * n),
      close: block.subarray(4 * n, 5 * n),
      volume: block.subarray(5 * n, 6 * n),
      flags: new Uint8Array(n),
    };
    let at = 0;
    for (const [c, i, j] of parts) {
      for (let k = i; k < j; k++, at++) {
        columns.timestamp[at] = c.timestamp[k] as number;
        columns.open[at] = c.open[k] as number;
        columns.high[at] = c.high[k] as number;
        columns.low[at] = c.low[k] as number;
        columns.close[at] = c.close[k] as number;
        columns.volume[at] = c.volume[k] as number;
        columns.flags[at] = c.flags[k] as number;
      }
    }
    return columns;
  }

  /** The newest stored bar of a series. */
  last(symbol: string, timeframe: Timeframe): RevisedBar | undefined {
    const series = this.#get(symbol, timeframe, false);
    const c = series?.chunks.at(-1);
    if (series === undefined || c === undefined || c.length === 0) return undefined;
    return (series.newest ??= read(c, c.length - 1));
  }

  /** Removes bars older than `before`; whole chunks are released. Returns how many bars were removed. */
  prune(symbol: string, timeframe: Timeframe, before: number): number {
    const series = this.#get(symbol, timeframe, false);
    if (series === undefined) return 0;
    const [ci, i] = series.seek(before);
    if (ci === 0 && i === 0) return 0;
    const kept = this.range(symbol, timeframe, before, Number.POSITIVE_INFINITY);
    const removed = series.size - kept.length;
    series.rebuild(kept);
    return removed;
  }

  /** Number of bars stored for a series. */
  size(symbol: string, timeframe: Timeframe): number {
    return this.#get(symbol, timeframe, false)?.size ?? 0;
  }

  /** Bytes of typed-array memory held (allocated, including unused chunk capacity). */
  get byteLength(): number {
    let bytes = 0;
    for (const [, , series] of this.#series.entries()) {
      for (const c of series.chunks) {
        bytes += c.timestamp.byteLength * 6 + c.flags.byteLength + c.revision.byteLength;
        for (const column of Object.values(c.optional)) bytes += column.byteLength;
      }
    }
    return bytes;
  }

  /** Every series and its bars, for checkpoints. */
  entries(): { symbol: string; timeframe: Timeframe; bars: RevisedBar[] }[] {
    const out: { symbol: string; timeframe: Timeframe; bars: RevisedBar[] }[] = [];
    for (const [symbol, timeframe, series] of this.#series.entries()) out.push({ symbol, timeframe, bars: series.all() });
    return out;
  }

  /** The same as {@link MemoryStore.entries}: what a pipeline checkpoint keeps of this store. */
  snapshot(): StoreSnapshot {
    return this.entries();
  }
}
