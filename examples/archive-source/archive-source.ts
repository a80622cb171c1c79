import type { Ohlcv, OhlcvRequest, Source, Tick, Timeframe, TradesRequest } from 'market-data-pipeline';
import { openSegments, type ArchiveSegments } from './archive-segments.js';
import { listArchiveFiles, type ArchiveFile, type ArchiveFormat } from './list-archive-files.js';
import { summarizeTradeDump, type TradeDumpSummary } from './summarize-trade-dump.js';
import { TradeDumpCursor, type TradeStart } from './trade-dump-cursor.js';

/** Options of {@link ArchiveSource}. */
export interface ArchiveSourceOptions {
  /** The archive folder (searched with its subfolders). */
  readonly folder: string;
  /**
   * The source's name (`Source.name`).
   * @defaultValue 'archive'
   */
  readonly name?: string;
  /**
   * Maps the pipeline's symbol to the files' (upper case, without separators: freqtrade's
   * `BTC_USDT` is `BTCUSDT`).
   * @defaultValue a symbol ending in `USD` gets a `T` (`BTCUSD` → `BTCUSDT`), as `BinanceRestSource` does
   */
  readonly symbolMap?: (symbol: string) => string;
  /**
   * The largest `limit` one `fetchOhlcv` serves; the pipeline pages by it.
   * @defaultValue 1000
   */
  readonly maxLimit?: number;
  /**
   * Serve Binance's `quoteVolume`, `trades` and `takerBuyVolume` with each bar. Off, bars carry
   * OHLCV only, which the pipeline stores and delivers about three times faster (see the README).
   * @defaultValue true
   */
  readonly extraColumns?: boolean;
  /**
   * How many read pieces (a dump file, a feather record batch, a Parquet row group) are kept
   * parsed, least recently used dropped first, so that paging through a piece reads it once
   * (and the next piece is read ahead while a backfill pages through this one).
   * @defaultValue 3
   */
  readonly cachedPieces?: number;
}

/** Which freqtrade file serves a series when a folder holds several (freqtrade's default format first). */
const FREQTRADE_ORDER: readonly ArchiveFormat[] = ['freqtrade-feather', 'freqtrade-parquet', 'freqtrade-json'];

function defaultSymbolMap(symbol: string): string {
  return symbol.endsWith('USD') ? `${symbol}T` : symbol;
}

/** Index of the first bar opened at or after `since` (bars sorted by open time). */
function lowerBound(bars: readonly Ohlcv[], since: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bars[mid] as Ohlcv).timestamp < since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The files that hold one series, oldest first. Binance dumps win over freqtrade files; among
 * dumps, a daily file inside a month that has its monthly file is left out, and an unzipped CSV
 * stands for the zip of the same period.
 */
function seriesFiles(files: readonly ArchiveFile[]): ArchiveFile[] {
  const dumps = files.filter((f) => f.period !== undefined);
  if (dumps.length === 0) {
    const format = FREQTRADE_ORDER.find((fmt) => files.some((f) => f.format === fmt));
    return files.filter((f) => f.format === format).slice(0, 1);
  }
  const byPeriod = new Map<string, ArchiveFile>();
  for (const file of dumps) {
    const key = `${file.period?.from}-${file.period?.to}`;
    const held = byPeriod.get(key);
    if (held === undefined || file.format === 'binance-csv') byPeriod.set(key, file);
  }
  const kept = [...byPeriod.values()];
  const months = kept.filter((f) => (f.period?.to ?? 0) - (f.period?.from ?? 0) > 86_400_000);
  return kept
    .filter(
      (f) => !months.some((m) => m !== f && (m.period?.from ?? 0) <= (f.period?.from ?? 0) && (f.period?.to ?? 0) <= (m.period?.to ?? 0)),
    )
    .sort((a, b) => (a.period?.from ?? 0) - (b.period?.from ?? 0));
}

/**
 * A `Source` over a local folder of historical archives: Binance's public kline dumps
 * (data.binance.vision, zipped or unzipped CSV, open times in ms or µs) and freqtrade data
 * folders (`<PAIR>-<tf>.json`, `.feather`, `.parquet`). The pipeline's backfill and
 * `request()` work on it exactly as on an exchange.
 *
 * - `fetchOhlcv({ symbol, timeframe, since, limit })` serves up to `limit` bars from `since`
 *   on, across file boundaries; without `since`, the newest `limit` bars of the archive.
 * - Only the files covering the range are opened: a dump's period is in its name (a file
 *   ending before `since` is never opened); freqtrade files are read a piece (feather record
 *   batch, Parquet row group) at a time, and a piece known to end before `since` is skipped.
 *   Pieces are streamed and parsed; at most `cachedPieces` stay in memory (a month of 1m
 *   bars, not a year). A freqtrade JSON file, having no index, is read whole.
 * - Every piece is checked whole before any of its bars is served. A corrupt or truncated
 *   file rejects with a `SourceError` of kind `bad_data` whose message names the file and the
 *   line (CSV, JSON) or row (tables); it is never served in part as if whole.
 * - `fetchTrades({ symbol, since | fromId, limit })` serves trades from Binance trades dumps
 *   (`BTCUSDT-trades-2024-01.zip`), the same way: only files covering the range are opened; a
 *   file is checked whole once (a first, streamed pass) before any of its trades is served, and
 *   then served by a streamed pass that a backfill pages forward through (at most
 *   `cachedPieces` files held open). A dump is never loaded into memory.
 * - The folder is listed on first use; `refresh()` lists it again (new files).
 *
 * @example
 * ```ts
 * const archive = new ArchiveSource({ folder: 'data/binance' }); // BTCUSDT-1m-2024-01.zip, ...
 * await archive.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: Date.UTC(2024, 0, 1), limit: 2 });
 * // [{ timestamp: 1704067200000, open: …, … }, { timestamp: 1704067260000, … }]
 * ```
 */
export class ArchiveSource implements Source {
  /** The source's name. */
  readonly name: string;
  /** The largest page served. */
  readonly maxLimit: number;
  readonly #folder: string;
  readonly #symbolMap: (symbol: string) => string;
  readonly #cachedPieces: number;
  readonly #extraColumns: boolean;
  #files: Promise<readonly ArchiveFile[]> | undefined;
  readonly #segments = new Map<string, Promise<ArchiveSegments>>();
  /** Open time of the last bar of each piece read so far (`path#index`). */
  readonly #lastOpen = new Map<string, number>();
  /** Parsed pieces, least recently used first. */
  readonly #pieces = new Map<string, Promise<Ohlcv[]>>();
  /** What each trades dump checked so far holds. */
  readonly #tradeSummaries = new Map<string, Promise<TradeDumpSummary>>();
  /** Open read positions in trades dumps, least recently used first. */
  readonly #tradeCursors = new Map<string, TradeDumpCursor>();

  /**
   * @param options - see {@link ArchiveSourceOptions}.
   */
  constructor(options: ArchiveSourceOptions) {
    this.name = options.name ?? 'archive';
    this.maxLimit = options.maxLimit ?? 1000;
    this.#folder = options.folder;
    this.#symbolMap = options.symbolMap ?? defaultSymbolMap;
    this.#cachedPieces = options.cachedPieces ?? 3;
    this.#extraColumns = options.extraColumns ?? true;
  }

  /** Lists the folder again on the next request (files added or removed since). */
  refresh(): void {
    this.#files = undefined;
    this.#segments.clear();
    this.#lastOpen.clear();
    this.#pieces.clear();
    this.#tradeSummaries.clear();
    for (const cursor of this.#tradeCursors.values()) cursor.close();
    this.#tradeCursors.clear();
  }

  /**
   * Bars of `timeframe` from `since` on, oldest first, at most `limit` (and `maxLimit`).
   *
   * @param request - symbol (the pipeline's spelling), timeframe, `since` (epoch ms), `limit`, `signal`.
   * @returns The bars as `Ohlcv`; none when the archive holds nothing from `since` on.
   * @throws SourceError of kind `bad_data` (as a rejection) when a file needed is corrupt or truncated.
   */
  async fetchOhlcv(request: OhlcvRequest): Promise<Ohlcv[]> {
    request.signal?.throwIfAborted();
    const limit = Math.max(0, Math.min(request.limit ?? this.maxLimit, this.maxLimit));
    const files = await this.#series(request.symbol, request.timeframe);
    const since = request.since ?? (await this.#tailStart(files, limit, request.signal));
    const out: Ohlcv[] = [];
    if (since === undefined || limit === 0) return out;
    for (const file of files) {
      if (file.period !== undefined && file.period.to <= since) continue;
      const segments = await this.#open(file);
      for (let index = 0; index < segments.count; index++) {
        const last = this.#lastOpen.get(`${file.path}#${index}`);
        if (last !== undefined && last < since) continue;
        const bars = await this.#piece(file, segments, index);
        request.signal?.throwIfAborted();
        for (let k = lowerBound(bars, since); k < bars.length && out.length < limit; k++) {
          const bar = bars[k] as Ohlcv;
          const { timestamp, open, high, low, close, volume } = bar;
          out.push(this.#extraColumns ? bar : { timestamp, open, high, low, close, volume });
        }
        if (out.length >= limit) {
          // A backfill pages on: the next piece is read (inflated on Node's threads) while this one is served.
          void this.#readAhead(files, files.indexOf(file), index + 1);
          return out;
        }
      }
    }
    return out;
  }

  /**
   * Open time (epoch ms) of the newest bar the archive holds for the series, reading only its
   * last piece (once; remembered until `refresh()`); `undefined` when it holds none.
   *
   * @param symbol - The pipeline's symbol.
   * @param timeframe - The timeframe.
   * @throws SourceError of kind `bad_data` when that piece is corrupt.
   */
  async lastOpen(symbol: string, timeframe: Timeframe): Promise<number | undefined> {
    const files = await this.#series(symbol, timeframe);
    const file = files[files.length - 1];
    if (file === undefined) return undefined;
    const segments = await this.#open(file);
    if (segments.count === 0) return undefined;
    // Known once read: asked on every request of `archiveThenLive`, it need not keep the piece cached.
    const known = this.#lastOpen.get(`${file.path}#${segments.count - 1}`);
    if (known !== undefined) return known;
    const bars = await this.#piece(file, segments, segments.count - 1);
    return bars[bars.length - 1]?.timestamp;
  }

  /**
   * Trades from Binance trades dumps, oldest first, at most `limit` (and `maxLimit`): from
   * `fromId` on when it is given, else from `since` on, else the newest `limit` trades.
   *
   * @param request - symbol (the pipeline's spelling), `fromId` or `since` (epoch ms), `limit`, `signal`.
   * @returns The trades as `Tick`s; none when the archive holds none from the start asked.
   * @throws SourceError of kind `bad_data` (as a rejection) when a file needed is corrupt or truncated.
   */
  async fetchTrades(request: TradesRequest): Promise<Tick[]> {
    const { signal, fromId, since } = request;
    signal?.throwIfAborted();
    const limit = Math.max(0, Math.min(request.limit ?? this.maxLimit, this.maxLimit));
    const files = await this.#tradeFiles(request.symbol);
    const out: Tick[] = [];
    if (limit === 0) return out;
    let first = 0;
    let start: TradeStart;
    if (fromId !== undefined) start = { fromId };
    else if (since !== undefined) start = { since };
    else {
      // The newest `limit`: count back from the last file.
      let need = limit;
      let skip = 0;
      for (first = files.length; first > 0 && need > 0;) {
        const { count } = await this.#tradeSummary(files[--first] as ArchiveFile, signal);
        skip = Math.max(0, count - need);
        need -= count - skip;
      }
      start = { skip };
    }
    for (let f = first; f < files.length && out.length < limit; f++) {
      const file = files[f] as ArchiveFile;
      if ('since' in start && (file.period?.to ?? 0) <= start.since) continue;
      const summary = await this.#tradeSummary(file, signal);
      if ('fromId' in start && summary.lastId < start.fromId) continue;
      if ('since' in start && summary.lastTime < start.since) continue;
      out.push(...(await this.#tradeCursor(file).read(start, limit - out.length, signal)));
      if ('skip' in start) start = { skip: 0 };
    }
    return out;
  }

  /**
   * Id and time of the newest trade the archive holds for the symbol, checking only its last
   * trades dump (once; remembered until `refresh()`); `undefined` when it holds none.
   *
   * @param symbol - The pipeline's symbol.
   * @throws SourceError of kind `bad_data` when that dump is corrupt.
   */
  async lastTrade(symbol: string): Promise<{ readonly tradeId: number; readonly timestamp: number } | undefined> {
    const files = await this.#tradeFiles(symbol);
    const file = files[files.length - 1];
    if (file === undefined) return undefined;
    const { lastId, lastTime } = await this.#tradeSummary(file);
    return { tradeId: lastId, timestamp: lastTime };
  }

  /** Open time of the first of the newest `limit` bars, reading pieces from the end. */
  async #tailStart(files: readonly ArchiveFile[], limit: number, signal: AbortSignal | undefined): Promise<number | undefined> {
    let need = limit;
    let start: number | undefined;
    for (let f = files.length - 1; f >= 0; f--) {
      const file = files[f] as ArchiveFile;
      const segments = await this.#open(file);
      for (let index = segments.count - 1; index >= 0; index--) {
        const bars = await this.#piece(file, segments, index);
        signal?.throwIfAborted();
        if (bars.length === 0) continue;
        start = (bars[Math.max(0, bars.length - need)] as Ohlcv).timestamp;
        need -= bars.length;
        if (need <= 0) return start;
      }
    }
    return start;
  }

  /** Starts reading piece `index` of `files[f]` (or the next file's first) unless it is held; its errors wait for a real request. */
  async #readAhead(files: readonly ArchiveFile[], f: number, index: number): Promise<void> {
    const here = files[f] as ArchiveFile;
    const next = files[f + 1];
    const segments = await this.#open(here);
    if (index < segments.count) {
      if (!this.#pieces.has(`${here.path}#${index}`)) this.#piece(here, segments, index).catch(() => undefined);
      return;
    }
    if (next === undefined || this.#pieces.has(`${next.path}#0`)) return;
    const following = await this.#open(next).catch(() => undefined);
    if (following !== undefined && following.count > 0) this.#piece(next, following, 0).catch(() => undefined);
  }

  async #series(symbol: string, timeframe: Timeframe | 'trades'): Promise<ArchiveFile[]> {
    this.#files ??= listArchiveFiles(this.#folder);
    const wanted = this.#symbolMap(symbol).replaceAll('_', '').replaceAll('/', '').toUpperCase();
    return seriesFiles((await this.#files).filter((f) => f.symbol === wanted && f.timeframe === timeframe));
  }

  /** The symbol's trades dumps, oldest first. */
  async #tradeFiles(symbol: string): Promise<ArchiveFile[]> {
    return this.#series(symbol, 'trades');
  }

  #tradeSummary(file: ArchiveFile, signal?: AbortSignal): Promise<TradeDumpSummary> {
    let summary = this.#tradeSummaries.get(file.path);
    if (summary === undefined) {
      summary = summarizeTradeDump(file, signal);
      this.#tradeSummaries.set(file.path, summary);
      // A failed check is not kept: the next request checks the file again and reports it again.
      summary.catch(() => this.#tradeSummaries.delete(file.path));
    }
    return summary;
  }

  #tradeCursor(file: ArchiveFile): TradeDumpCursor {
    const cursor = this.#tradeCursors.get(file.path) ?? new TradeDumpCursor(file);
    this.#tradeCursors.delete(file.path); // re-inserted: most recently used
    this.#tradeCursors.set(file.path, cursor);
    for (const [path, old] of this.#tradeCursors) {
      if (this.#tradeCursors.size <= this.#cachedPieces) break;
      old.close();
      this.#tradeCursors.delete(path);
    }
    return cursor;
  }

  #open(file: ArchiveFile): Promise<ArchiveSegments> {
    let segments = this.#segments.get(file.path);
    if (segments === undefined) {
      segments = openSegments(file);
      this.#segments.set(file.path, segments);
      segments.catch(() => this.#segments.delete(file.path));
    }
    return segments;
  }

  #piece(file: ArchiveFile, segments: ArchiveSegments, index: number): Promise<Ohlcv[]> {
    const key = `${file.path}#${index}`;
    let piece = this.#pieces.get(key);
    if (piece !== undefined) {
      this.#pieces.delete(key); // re-inserted below: most recently used
    } else {
      piece = segments.read(index).then((bars) => {
        const last = bars[bars.length - 1];
        if (last !== undefined) this.#lastOpen.set(key, last.timestamp);
        return bars;
      });
      // A failed read is not kept: the next request reads the file again and reports it again.
      piece.catch(() => this.#pieces.delete(key));
    }
    this.#pieces.set(key, piece);
    while (this.#pieces.size > this.#cachedPieces) this.#pieces.delete(this.#pieces.keys().next().value as string);
    return piece;
  }
}
