import type { DataIssue } from '../../errors/result.js';
import { fillGaps, type FillGapsOptions } from '../../gaps/fill-gaps.js';
import { isoUtc } from '../../internal/iso-utc.js';
import { dedupe } from '../../preprocess/dedupe.js';
import { OutlierHandler } from '../../preprocess/outlier-handler.js';
import { sortByTime } from '../../preprocess/sort-by-time.js';
import type { PipelineConfig } from '../../schemas/config.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { Clock } from '../clock.js';
import type { RevisedBar, SinkRecord } from '../sink.js';
import type { BackfillPlanner } from './backfill-planner.js';
import type { Delivery } from './delivery.js';
import type { GapReporter } from './gap-reporter.js';
import type { HigherTimeframes } from './higher-timeframes.js';
import type { IssueLog } from './issue-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { isSynthetic, sameBar } from './same-bar.js';
import { screenAnswer, type AskedFor } from './screen-answer.js';
import type { SeriesQuality } from './series-quality.js';
import type { StoreAccess } from './store-access.js';
import { withRevision } from './with-revision.js';

/** What one {@link Ingestor.ingest} call did. */
export interface IngestOutcome {
  /**
   * Open time of the newest closed bar in the answer, if any. When every row it held opened
   * before the `since` asked for (refused), the newest of those: a page that made no progress.
   */
  readonly newest: number | undefined;
  /** The newest bar of the answer that was stored (continuation point of a paged fetch). */
  readonly lastStored: RevisedBar | undefined;
}

/** The units an {@link Ingestor} hands its results to. */
export interface IngestorUnits {
  readonly store: StoreAccess;
  readonly planner: BackfillPlanner;
  readonly gaps: GapReporter;
  readonly higher: HigherTimeframes;
  readonly quality: SeriesQuality;
  readonly issues: IssueLog;
  readonly delivery: Delivery;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
}

/**
 * Owns ingest: one answer of a source goes through parse → validate (rows breaking a rule, rows
 * tagged with another symbol and rows the request did not ask for are removed, reported and
 * counted by quality) → dedupe/sort → merge with the store (filled bars are replaced by real
 * ones with a higher revision; real bars that disagree are kept and reported) → gaps (filled by
 * size) → store → higher timeframes → delivery. It also primes a symbol on first use (warm-up).
 */
export class Ingestor {
  readonly #base: Timeframe;
  readonly #baseMs: number;
  readonly #config: PipelineConfig;
  readonly #fillOptions: FillGapsOptions;
  readonly #deliverForming: boolean;
  readonly #units: IngestorUnits;
  /** Per symbol: the outlier handler following the stored base series, and the open time of the last bar it was fed. */
  readonly #handlers = new Map<string, { readonly handler: OutlierHandler; last: number }>();

  constructor(
    config: PipelineConfig,
    baseMs: number,
    options: { readonly fill: FillGapsOptions; readonly deliverForming: boolean },
    units: IngestorUnits,
  ) {
    this.#config = config;
    this.#base = config.baseTimeframe;
    this.#baseMs = baseMs;
    this.#fillOptions = options.fill;
    this.#deliverForming = options.deliverForming;
    this.#units = units;
  }

  /** The base timeframe, the one sources are asked for. */
  get baseTimeframe(): Timeframe {
    return this.#base;
  }

  /**
   * Primes `symbol` on first use: filled base bars within backfill reach are re-requested (even
   * when a checkpoint predates them or there is none), and the higher timeframes are primed
   * from the stored base bars, storing and delivering what they complete.
   */
  async warm(symbol: string): Promise<void> {
    const { higher, store, planner, clock } = this.#units;
    if (higher.isPrimed(symbol)) return;
    const last = await store.last(symbol, this.#base);
    let from: number | undefined;
    if (last !== undefined) {
      const reach = planner.reach(bucketStart(clock.now(), this.#base));
      const recent = await store.range(symbol, this.#base, reach, last.timestamp + this.#baseMs);
      const synthetic = recent.find(isSynthetic)?.timestamp;
      if (synthetic !== undefined) planner.noteSynthetic(symbol, synthetic);
      from = recent[0]?.timestamp;
    }
    await higher.prime(symbol, from, last?.timestamp, (tf, bar) => {
      this.#units.quality.stored(symbol, tf, [bar]);
      this.#units.emitter.emit('bar', { symbol, timeframe: tf, bar });
      this.#units.delivery.enqueue({ kind: 'bars', symbol, timeframe: tf, bars: [bar] });
    });
  }

  /**
   * Ingests one answer of source `sourceName` for `symbol`.
   *
   * @param previous - The bar stored just before this answer's first one (a paged fetch's previous page).
   * @param asked - What the request asked for; omitted for a stream's rows (no request).
   */
  async ingest(
    symbol: string,
    raw: readonly unknown[],
    sourceName: string,
    signal: AbortSignal | undefined,
    previous: RevisedBar | undefined,
    asked?: AskedFor,
  ): Promise<IngestOutcome> {
    const { store, planner, higher, clock, quality } = this.#units;
    const base = this.#base;
    const now = clock.now();
    if (asked !== undefined) quality.asked(symbol, Math.min(asked.since, asked.expectFrom ?? asked.since));
    const sorted = screenAnswer(symbol, raw, base, bucketStart(now, base), asked);
    if (sorted.refused.length > 0) {
      this.#refused(symbol, sourceName, sorted.refused, now);
      quality.refused(symbol, base, now, sorted.refusedRows);
    }
    // Strictly increasing answers (the usual) need neither sorting nor deduplication.
    const deduped = sorted.ascending ? { bars: sorted.closed, issues: [] } : dedupe(sortByTime(sorted.closed), { keep: 'last' });
    if (deduped.issues.length > 0) {
      const n = deduped.issues.length;
      this.#note(symbol, now, 'duplicate_bar', n, 'removed', `${n} duplicate bar${n === 1 ? '' : 's'} from ${sourceName} dropped`);
      // As scoreQuality counts a duplicate: a bar out of order (bad) on the grid, and one comparison with the bar kept.
      quality.refused(
        symbol,
        base,
        now,
        deduped.issues.map((issue) => ({ timestamp: issue.timestamp, valid: false })),
      );
      const conflicting = deduped.issues.filter((issue) => issue.code === 'duplicate_conflict').length;
      quality.compared(symbol, base, now, n - conflicting, conflicting);
    }
    const incoming = deduped.bars;
    const newest = incoming.at(-1)?.timestamp;
    const last = await store.last(symbol, base);
    const lastTs = last?.timestamp ?? Number.NEGATIVE_INFINITY;
    const first = incoming[0];
    let existing: Map<number, RevisedBar> | undefined;
    if (first !== undefined && first.timestamp <= lastTs) {
      existing = new Map();
      for (const bar of await store.range(symbol, base, first.timestamp, Math.min(lastTs, newest ?? lastTs) + 1)) {
        existing.set(bar.timestamp, bar);
      }
    }
    const prev = first !== undefined && first.timestamp > lastTs ? last : previous;
    const sequence = prev === undefined ? incoming : [prev, ...incoming];
    // One bar after the last (the steady state) leaves no gap to fill.
    const filled =
      sequence.length === 2 &&
      this.#fillOptions.calendar === undefined &&
      (sequence[1] as Ohlcv).timestamp - (sequence[0] as Ohlcv).timestamp === this.#baseMs
        ? { bars: sequence, reports: [] }
        : fillGaps(sequence, base, this.#config.gaps, this.#fillOptions);
    const cleaned = await this.#outliers(symbol, sourceName, filled.bars, prev, now);
    const older: RevisedBar[] = [];
    const fresh: RevisedBar[] = [];
    let conflicts = 0;
    let agreements = 0;
    for (const bar of cleaned) {
      if (prev !== undefined && bar.timestamp <= prev.timestamp) continue;
      const stored = existing?.get(bar.timestamp);
      let revised: RevisedBar | undefined;
      if (stored === undefined) revised = withRevision(bar, 0);
      else if (isSynthetic(stored) && !isSynthetic(bar)) revised = withRevision(bar, stored.revision + 1);
      else if (!isSynthetic(bar) && !sameBar(stored, bar)) conflicts++;
      else if (!isSynthetic(bar)) agreements++;
      if (revised === undefined) continue;
      if (revised.timestamp > lastTs) fresh.push(revised);
      else older.push(revised);
      if (isSynthetic(revised)) planner.noteSynthetic(symbol, revised.timestamp);
    }
    if (conflicts > 0) {
      const message = `${conflicts} bar${conflicts === 1 ? '' : 's'} from ${sourceName} differ from stored real bars; the stored bars are kept`;
      this.#note(symbol, now, 'inconsistent_source', conflicts, 'flagged', message);
    }
    quality.compared(symbol, base, now, agreements, conflicts);
    for (const report of filled.reports) this.#units.gaps.report(symbol, report, now);
    // Bars stored before the newest change the history the outlier handler followed.
    if (older.length > 0) this.#handlers.delete(symbol);
    const changed = older.length === 0 ? fresh : [...older, ...fresh];
    if (changed.length > 0) await store.upsert(symbol, base, changed);
    if (older.some((bar) => !isSynthetic(bar)) && planner.syntheticSince(symbol) !== null) await planner.refresh(symbol);
    const higherBars = await higher.aggregate(symbol, older, fresh, lastTs);
    // One batch per answer: a sink with `writeMany` gets its bars in one call.
    const records: SinkRecord[] = [];
    this.#record(symbol, base, changed, records);
    for (const tf of higher.targets) this.#record(symbol, tf, higherBars.get(tf) ?? [], records);
    if (sorted.forming !== undefined) {
      const bar: Ohlcv = sorted.forming;
      if (this.#units.emitter.listened('update')) this.#units.emitter.emit('update', { symbol, timeframe: base, bar });
      if (this.#deliverForming) records.push({ kind: 'forming', symbol, timeframe: base, bar });
    }
    await this.#units.delivery.deliver(records, signal);
    return { newest: newest ?? sorted.newestUnasked, lastStored: fresh.at(-1) ?? older.at(-1) ?? previous };
  }

  /**
   * The preprocessing recipe's outlier step on an answer's bars after `prev`: the symbol's
   * `OutlierHandler` (the preprocess module's rule, the streaming twin of `handleOutliers`:
   * `preprocessing.outliers` and `outlierThreshold` over `validity.outlierWindow` returns)
   * judges them after the stored bars before them, so a bar is judged against the same window
   * however the bars arrive. The handler follows the stored series bar by bar; when it did not
   * end at `prev` (first use, a removed bar, a checkpoint, bars stored before `prev`), a new one
   * is fed the stored bars before the answer first. Nothing is measured across a hole in the
   * stored series (a gap left missing). Each outlier leaves an `outlier` issue and an `outlier`
   * event; a removed one counts as a refused row in quality.
   *
   * @returns `bars` with the outliers clipped (and flagged `clipped`), removed, or unchanged.
   */
  async #outliers(
    symbol: string,
    sourceName: string,
    bars: readonly Ohlcv[],
    prev: Ohlcv | undefined,
    now: number,
  ): Promise<readonly Ohlcv[]> {
    const { outliers: method, outlierThreshold: threshold } = this.#config.preprocessing;
    const from = prev === undefined ? 0 : bars.findIndex((bar) => bar.timestamp > prev.timestamp);
    const first = bars[from];
    if (method === 'none' || from < 0 || first === undefined) return bars;
    const window = this.#config.validity.outlierWindow;
    const w = this.#baseMs;
    let followed = this.#handlers.get(symbol);
    if (followed === undefined || prev === undefined || followed.last !== prev.timestamp) {
      followed = { handler: new OutlierHandler({ method, threshold, window }), last: Number.NaN };
      this.#handlers.set(symbol, followed);
      // Twice the window's bars back: filled bars in it take no return.
      for (const bar of await this.#units.store.range(symbol, this.#base, first.timestamp - 2 * (window + 1) * w, first.timestamp)) {
        followed.handler.add(bar, bar.timestamp - followed.last > w);
        followed.last = bar.timestamp;
      }
    }
    const out: Ohlcv[] = from === 0 ? [] : bars.slice(0, from);
    const found: { readonly received: Ohlcv; readonly stored: Ohlcv | undefined }[] = [];
    for (let k = from; k < bars.length; k++) {
      const bar = bars[k] as Ohlcv;
      const handled = followed.handler.add(bar, bar.timestamp - followed.last > w);
      followed.last = bar.timestamp;
      if (handled.outlier) found.push({ received: bar, stored: handled.bar });
      if (handled.bar !== undefined) out.push(handled.bar);
    }
    if (found.length === 0) return bars;
    if (method === 'remove') {
      const removed = found.map(({ received }) => ({ timestamp: received.timestamp, valid: false }));
      this.#units.quality.refused(symbol, this.#base, now, removed);
      // The handler saw a bar the store will not hold: the next answer starts a new one.
      this.#handlers.delete(symbol);
    }
    this.#units.emitter.emit('outlier', { symbol, timeframe: this.#base, source: sourceName, method, bars: found });
    const n = found.length;
    const done = method === 'clip' ? 'clipped' : method === 'remove' ? 'removed' : 'flagged';
    const at = found.map(({ received }) => isoUtc(received.timestamp)).join(', ');
    this.#note(
      symbol,
      now,
      'outlier',
      n,
      done,
      `${n} bar${n === 1 ? '' : 's'} from ${sourceName} with a close beyond ${threshold} standard deviations of the last ${window} returns ${done}: ${at}`,
    );
    return out;
  }

  #refused(symbol: string, sourceName: string, refused: readonly DataIssue[], now: number): void {
    this.#units.emitter.emit('rejected', { symbol, source: sourceName, issues: refused });
    const n = refused.length;
    const byCode = new Map<string, number>();
    for (const issue of refused) byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1);
    const codes = [...byCode].map(([code, count]) => `${code} ${count}`).join(', ');
    this.#note(
      symbol,
      now,
      'invalid_bar',
      n,
      'removed',
      `${n} row${n === 1 ? '' : 's'} from ${sourceName} refused (${codes}): ${refused[0]?.message ?? ''}`,
    );
  }

  #note(
    symbol: string,
    now: number,
    type: 'invalid_bar' | 'duplicate_bar' | 'inconsistent_source' | 'outlier',
    bars: number,
    resolution: 'removed' | 'flagged' | 'clipped',
    message: string,
  ): void {
    this.#units.issues.note(symbol, {
      timestamp: isoUtc(now),
      type,
      symbol,
      timeframe: this.#base,
      duration_bars: bars,
      resolution,
      message,
    });
  }

  /** Bars of a series were stored: quality judges them, `bar` is emitted for each, and their record joins `records`. */
  #record(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[], records: SinkRecord[]): void {
    if (bars.length === 0) return;
    this.#units.quality.stored(symbol, timeframe, bars);
    if (this.#units.emitter.listened('bar')) for (const bar of bars) this.#units.emitter.emit('bar', { symbol, timeframe, bar });
    records.push({ kind: 'bars', symbol, timeframe, bars });
  }
}
