import type { DataIssue } from '../../errors/result.js';
import { fillGaps, type FillGapsOptions } from '../../gaps/fill-gaps.js';
import { isoUtc } from '../../internal/iso-utc.js';
import { dedupe } from '../../preprocess/dedupe.js';
import { sortByTime } from '../../preprocess/sort-by-time.js';
import type { PipelineConfig } from '../../schemas/config.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import { parseOhlcv } from '../../schemas/parse-ohlcv.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import { validateOhlcv } from '../../validate/validate-ohlcv.js';
import type { Clock } from '../clock.js';
import type { RevisedBar, SinkRecord } from '../sink.js';
import type { BackfillPlanner } from './backfill-planner.js';
import type { Delivery } from './delivery.js';
import type { GapReporter } from './gap-reporter.js';
import type { HigherTimeframes } from './higher-timeframes.js';
import type { IssueLog } from './issue-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { isSynthetic, sameBar } from './same-bar.js';
import type { SeriesQuality } from './series-quality.js';
import type { StoreAccess } from './store-access.js';
import { withRevision } from './with-revision.js';

/** What one {@link Ingestor.ingest} call did. */
export interface IngestOutcome {
  /** Open time of the newest closed bar in the answer, if any. */
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

/** The rows of an answer sorted out: closed bars in order, the forming bar, and what was refused. */
interface Sorted {
  readonly closed: Ohlcv[];
  readonly forming: Ohlcv | undefined;
  readonly ascending: boolean;
  readonly refused: DataIssue[];
}

/**
 * Owns ingest: one answer of a source goes through parse → validate (rows breaking a rule are
 * removed and reported) → dedupe/sort → merge with the store (filled bars are replaced by real
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
   */
  async ingest(
    symbol: string,
    raw: readonly unknown[],
    sourceName: string,
    signal: AbortSignal | undefined,
    previous: RevisedBar | undefined,
  ): Promise<IngestOutcome> {
    const { store, planner, higher, clock } = this.#units;
    const base = this.#base;
    const now = clock.now();
    const sorted = this.#sort(raw, bucketStart(now, base));
    if (sorted.refused.length > 0) this.#refused(symbol, sourceName, sorted.refused, now);
    // Strictly increasing answers (the usual) need neither sorting nor deduplication.
    const deduped = sorted.ascending ? { bars: sorted.closed, issues: [] } : dedupe(sortByTime(sorted.closed), { keep: 'last' });
    if (deduped.issues.length > 0) {
      const n = deduped.issues.length;
      this.#note(symbol, now, 'duplicate_bar', n, 'removed', `${n} duplicate bar${n === 1 ? '' : 's'} from ${sourceName} dropped`);
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
    const older: RevisedBar[] = [];
    const fresh: RevisedBar[] = [];
    let conflicts = 0;
    for (const bar of filled.bars) {
      if (prev !== undefined && bar.timestamp <= prev.timestamp) continue;
      const stored = existing?.get(bar.timestamp);
      let revised: RevisedBar | undefined;
      if (stored === undefined) revised = withRevision(bar, 0);
      else if (isSynthetic(stored) && !isSynthetic(bar)) revised = withRevision(bar, stored.revision + 1);
      else if (!isSynthetic(bar) && !sameBar(stored, bar)) conflicts++;
      if (revised === undefined) continue;
      if (revised.timestamp > lastTs) fresh.push(revised);
      else older.push(revised);
      if (isSynthetic(revised)) planner.noteSynthetic(symbol, revised.timestamp);
    }
    if (conflicts > 0) {
      const message = `${conflicts} bar${conflicts === 1 ? '' : 's'} from ${sourceName} differ from stored real bars; the stored bars are kept`;
      this.#note(symbol, now, 'inconsistent_source', conflicts, 'flagged', message);
    }
    for (const report of filled.reports) this.#units.gaps.report(symbol, report, now);
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
    return { newest, lastStored: fresh.at(-1) ?? older.at(-1) ?? previous };
  }

  /** Parses and validates an answer's rows; keeps closed bars (noting whether they ascend) and the bar forming at `closedEnd`. */
  #sort(raw: readonly unknown[], closedEnd: number): Sorted {
    const parsed = parseOhlcv(raw);
    const refused: DataIssue[] = [...parsed.issues];
    const checked = validateOhlcv(parsed.rows, { timeframe: this.#base });
    let bad: Set<number> | undefined;
    for (const issue of checked.issues) {
      // Order is repaired by sorting; everything else breaks a rule and the row is removed.
      if (issue.severity === 'error' && issue.rule !== 'timestamp_ascending') {
        bad ??= new Set();
        if (!bad.has(issue.index)) refused.push({ code: issue.rule, path: [issue.index], message: issue.message });
        bad.add(issue.index);
      }
    }
    const closed: Ohlcv[] = [];
    let forming: Ohlcv | undefined;
    let ascending = true;
    for (let i = 0; i < parsed.rows.length; i++) {
      const bar = parsed.rows[i] as Ohlcv;
      if (bad?.has(i) === true) continue;
      if (bar.timestamp < closedEnd) {
        const last = closed.at(-1);
        if (last !== undefined && !(bar.timestamp > last.timestamp)) ascending = false;
        closed.push(bar);
      } else if (bar.timestamp === closedEnd) forming = bar;
      else {
        const message = `Bar at ${isoUtc(bar.timestamp)} opens after the current ${this.#base} bar (${isoUtc(closedEnd)})`;
        refused.push({ code: 'future_bar', path: [i], message });
      }
    }
    return { closed, forming, ascending, refused };
  }

  #refused(symbol: string, sourceName: string, refused: readonly DataIssue[], now: number): void {
    this.#units.emitter.emit('rejected', { symbol, source: sourceName, issues: refused });
    const n = refused.length;
    this.#note(
      symbol,
      now,
      'invalid_bar',
      n,
      'removed',
      `${n} row${n === 1 ? '' : 's'} from ${sourceName} refused: ${refused[0]?.message ?? ''}`,
    );
  }

  #note(
    symbol: string,
    now: number,
    type: 'invalid_bar' | 'duplicate_bar' | 'inconsistent_source',
    bars: number,
    resolution: 'removed' | 'flagged',
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
