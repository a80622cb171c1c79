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
import type { RefusedRow, SeriesQuality } from './series-quality.js';
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

/** What a source was asked for, for checking that an answer holds only that. */
export interface AskedFor {
  /** Open time of the first bar asked for, epoch ms: a row opening before it was not asked for. */
  readonly since: number;
}

/** The rows of an answer sorted out: closed bars in order, the forming bar, and what was refused (with each row as quality counts it). */
interface Sorted {
  readonly closed: Ohlcv[];
  readonly forming: Ohlcv | undefined;
  readonly ascending: boolean;
  readonly refused: DataIssue[];
  readonly refusedRows: RefusedRow[];
}

/** The `symbol` a row is tagged with, if it carries one as a string (the only tag compared). */
function taggedSymbol(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row) || !('symbol' in row)) return undefined;
  const tag = row.symbol;
  return typeof tag === 'string' ? tag : undefined;
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
    if (asked !== undefined) quality.asked(symbol, asked.since);
    const sorted = this.#sort(symbol, raw, bucketStart(now, base), asked);
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
    const older: RevisedBar[] = [];
    const fresh: RevisedBar[] = [];
    let conflicts = 0;
    let agreements = 0;
    for (const bar of filled.bars) {
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

  /**
   * Parses and validates an answer's rows; keeps closed bars (noting whether they ascend) and the
   * bar forming at `closedEnd`. Refuses rows tagged with another symbol than `symbol`, rows
   * opening before what was `asked` for, and rows opening after `closedEnd`.
   */
  #sort(symbol: string, raw: readonly unknown[], closedEnd: number, asked: AskedFor | undefined): Sorted {
    const refused: DataIssue[] = [];
    const refusedRows: RefusedRow[] = [];
    let rows = raw;
    if (raw.some((row) => taggedSymbol(row) !== undefined)) {
      rows = raw.filter((row, i) => {
        const tag = taggedSymbol(row);
        if (tag === undefined || tag === symbol) return true;
        const t = (row as { timestamp?: unknown }).timestamp;
        refused.push({ code: 'other_symbol', path: [i, 'symbol'], message: `Row ${i} is tagged ${tag}, not ${symbol}` });
        refusedRows.push({ timestamp: typeof t === 'number' ? t : Number.NaN, valid: false });
        return false;
      });
    }
    const parsed = parseOhlcv(rows);
    for (const issue of parsed.issues) {
      refused.push(issue);
      refusedRows.push({ timestamp: Number.NaN, valid: false });
    }
    const checked = validateOhlcv(parsed.rows, { timeframe: this.#base });
    // Per refused row: whether it broke a rule other than alignment (what validity counts).
    let bad: Map<number, boolean> | undefined;
    for (const issue of checked.issues) {
      // Order is repaired by sorting; everything else breaks a rule and the row is removed.
      if (issue.severity === 'error' && issue.rule !== 'timestamp_ascending') {
        bad ??= new Map();
        if (!bad.has(issue.index)) refused.push({ code: issue.rule, path: [issue.index], message: issue.message });
        bad.set(issue.index, bad.get(issue.index) === true || issue.rule !== 'timestamp_aligned');
      }
    }
    const closed: Ohlcv[] = [];
    let forming: Ohlcv | undefined;
    let ascending = true;
    for (let i = 0; i < parsed.rows.length; i++) {
      const bar = parsed.rows[i] as Ohlcv;
      const broken = bad?.get(i);
      if (broken !== undefined) {
        refusedRows.push({ timestamp: bar.timestamp, valid: !broken });
        continue;
      }
      if (asked !== undefined && bar.timestamp < asked.since) {
        const message = `Bar at ${isoUtc(bar.timestamp)} opens before the ${isoUtc(asked.since)} asked for`;
        refused.push({ code: 'not_requested', path: [i], message });
        refusedRows.push({ timestamp: bar.timestamp, valid: false });
      } else if (bar.timestamp < closedEnd) {
        const last = closed.at(-1);
        if (last !== undefined && !(bar.timestamp > last.timestamp)) ascending = false;
        closed.push(bar);
      } else if (bar.timestamp === closedEnd) forming = bar;
      else {
        const message = `Bar at ${isoUtc(bar.timestamp)} opens after the current ${this.#base} bar (${isoUtc(closedEnd)})`;
        refused.push({ code: 'future_bar', path: [i], message });
        refusedRows.push({ timestamp: bar.timestamp, valid: false });
      }
    }
    return { closed, forming, ascending, refused, refusedRows };
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
