import { ConfigError } from '../errors/config-error.js';
import { SinkError } from '../errors/sink-error.js';
import { mulberry32 } from './internal/seeded-random.js';
import { DeliveryLedger } from './internal/delivery-ledger.js';
import { TwoKeyMap } from '../internal/two-key-map.js';
import { waitForAbort } from './internal/wait-for-abort.js';
import type { Clock } from '../pipeline/clock.js';
import type {
  DatasetRecord,
  DocumentBodies,
  DocumentName,
  RevisedBar,
  Sink,
  SinkRecord,
  SinkWriteOptions,
  SinkWriteResult,
} from '../pipeline/sink.js';
import type { Alert } from '../schemas/alert-schema.js';
import { DataFormat } from '../schemas/data-request-schema.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { Timeframe } from '../time/timeframe.js';
import type { BarDelivery, MemorySinkFailure, MemorySinkOptions, MemorySinkWrite } from './memory-sink-options.js';

type MutableWrite = { -readonly [K in keyof MemorySinkWrite]: MemorySinkWrite[K] };

function check(ok: boolean, key: string, value: unknown, expected: string): void {
  if (!ok) throw new ConfigError(`Expected \`${key}\` to be ${expected}, got \`${String(value)}\``, { path: [key], value });
}

function checkFailure(fail: MemorySinkFailure): void {
  if (typeof fail === 'string') {
    check(['never', 'always', 'fatal', 'hang'].includes(fail), 'fail', fail, "'never', 'always', 'fatal', 'hang' or { rate, seed }");
    return;
  }
  check(
    typeof fail === 'object' && fail !== null && fail.rate >= 0 && fail.rate <= 1,
    'fail.rate',
    (fail as { rate?: unknown } | null)?.rate,
    'a probability between 0 and 1',
  );
  check(fail.seed === undefined || Number.isSafeInteger(fail.seed), 'fail.seed', fail.seed, 'an integer');
}

/**
 * A `Sink` that keeps everything in memory, for tests: the log of every write in order, an
 * upserted view of the bars (highest revision per `(symbol, timeframe, timestamp)`), how many
 * times each bar revision was delivered (to prove "exactly once" or find duplicates), the
 * latest of each document, every alert and dataset. It can be told to fail always, fatally,
 * intermittently (seeded), to hang until aborted, or to be slow — and switched at run time so
 * a test can make it recover.
 *
 * Only successful writes change the views; failed and aborted ones are only logged.
 * A dataset write answers `{ outputPath: record.path }`.
 *
 * @example
 * ```ts
 * const sink = new MemorySink({ fail: 'always' });
 * const pipeline = new Pipeline({ primary: source, sinks: [sink], clock, config: { symbols: ['BTCUSD'] } });
 * await pipeline.runOnce();          // every write is retried, then dead-lettered
 * sink.setFailure('never');          // the sink recovers
 * await pipeline.runOnce();
 * sink.bars('BTCUSD', '1m').length   // every closed bar, once
 * sink.duplicates()                  // [] when no revision was delivered twice
 * ```
 */
export class MemorySink implements Sink {
  /** The sink's name. */
  readonly name: string;
  /** Dataset formats the sink accepts. */
  readonly datasetFormats: readonly DataFormat[];

  readonly #clock: Clock | undefined;
  readonly #accepts: ((record: SinkRecord) => boolean) | undefined;
  readonly #keepLog: boolean;
  readonly #writes: MutableWrite[] = [];
  readonly #records: SinkRecord[] = [];
  readonly #ledger = new DeliveryLedger();
  readonly #forming = new TwoKeyMap<string, Timeframe, Ohlcv>();
  readonly #documents = new TwoKeyMap<DocumentName, string | undefined, unknown>();
  readonly #alerts: Alert[] = [];
  readonly #datasets: DatasetRecord[] = [];
  #fail: MemorySinkFailure = 'never';
  #random: () => number = () => 1;
  #slowMs = 0;
  #pending = 0;
  #flushes = 0;
  #seq = 0;

  /**
   * @param options - see {@link MemorySinkOptions}.
   * @throws ConfigError on an invalid option (a rate outside 0–1, `slowMs` without a clock, …).
   */
  constructor(options: MemorySinkOptions = {}) {
    this.name = options.name ?? 'memory';
    check(this.name.length > 0, 'name', this.name, 'a non-empty string');
    this.datasetFormats = [...(options.datasetFormats ?? [DataFormat.Json])];
    const formats: readonly string[] = Object.values(DataFormat);
    check(
      this.datasetFormats.every((f) => formats.includes(f)),
      'datasetFormats',
      this.datasetFormats,
      `a list of ${formats.join(', ')}`,
    );
    this.#clock = options.clock;
    this.#accepts = options.accepts;
    this.#keepLog = options.keepLog ?? true;
    this.setFailure(options.fail ?? 'never');
    this.setSlowMs(options.slowMs ?? 0);
  }

  /**
   * Changes how later writes are answered (writes already waiting are decided by the mode
   * current when their wait ends). An intermittent mode restarts its seeded draws.
   *
   * @param fail - the new mode.
   * @throws ConfigError on an invalid mode.
   */
  setFailure(fail: MemorySinkFailure): void {
    checkFailure(fail);
    this.#fail = fail;
    this.#random = typeof fail === 'object' ? mulberry32(fail.seed ?? 1) : () => 1;
  }

  /**
   * Changes the delay of later writes.
   *
   * @param ms - delay in ms of clock time; 0 for none.
   * @throws ConfigError when `ms` is negative or not finite, or positive without a clock.
   */
  setSlowMs(ms: number): void {
    check(Number.isFinite(ms) && ms >= 0, 'slowMs', ms, 'a non-negative number of milliseconds');
    check(ms === 0 || this.#clock !== undefined, 'clock', this.#clock, 'a Clock when `slowMs` is positive');
    this.#slowMs = ms;
  }

  /**
   * Every record handed to `write` or `writeMany`, in call order, one entry each (entries of pending writes change when they settle);
   * empty when `keepLog` is false.
   */
  get writes(): readonly MemorySinkWrite[] {
    return this.#writes;
  }

  /** The records of successful writes, in the order they succeeded; empty when `keepLog` is false. */
  get records(): readonly SinkRecord[] {
    return this.#records;
  }

  /** Every alert written, in order. */
  get alerts(): readonly Alert[] {
    return this.#alerts;
  }

  /** Every dataset written, in order. */
  get datasets(): readonly DatasetRecord[] {
    return this.#datasets;
  }

  /** Calls of `write`, `writeMany` and `flush` not yet settled (slow, or hanging until aborted). */
  get pending(): number {
    return this.#pending;
  }

  /** Number of successful `flush` calls. */
  get flushes(): number {
    return this.#flushes;
  }

  /**
   * The bars of one series as an upserting sink holds them: one per open time, the highest
   * revision written (a later write of the same revision replaces the earlier one).
   *
   * @param symbol - the series' symbol.
   * @param timeframe - the series' timeframe.
   * @returns The bars sorted by open time (empty when none was written).
   *
   * @example
   * ```ts
   * await sink.write({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [{ ...bar, revision: 0 }] }, { signal });
   * await sink.write({ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: [{ ...bar, close: 101, revision: 1 }] }, { signal });
   * sink.bars('BTCUSD', '1m')  // [{ ...bar, close: 101, revision: 1 }]
   * ```
   */
  bars(symbol: string, timeframe: Timeframe): RevisedBar[] {
    return this.#ledger.bars(symbol, timeframe);
  }

  /**
   * The latest forming bar written for a series.
   *
   * @param symbol - the series' symbol.
   * @param timeframe - the series' timeframe.
   * @returns The bar, or `undefined` when none was written.
   */
  forming(symbol: string, timeframe: Timeframe): Ohlcv | undefined {
    return this.#forming.get(symbol, timeframe);
  }

  /**
   * How many times one bar revision was written successfully.
   *
   * @param symbol - the series' symbol.
   * @param timeframe - the series' timeframe.
   * @param timestamp - the bar's open time, epoch ms.
   * @param revision - the bar's revision.
   * @returns The count; 0 when never delivered.
   */
  deliveryCount(symbol: string, timeframe: Timeframe, timestamp: number, revision: number): number {
    return this.#ledger.count(symbol, timeframe, timestamp, revision);
  }

  /**
   * Every bar revision delivered, with its count.
   *
   * @returns Sorted by symbol, timeframe (as text), open time and revision.
   */
  deliveries(): BarDelivery[] {
    return this.#ledger.deliveries();
  }

  /**
   * The bar revisions delivered more than once (an at-least-once pipeline may produce them;
   * an exactly-once test expects none).
   *
   * @returns Like {@link MemorySink.deliveries}, only those with `count > 1`.
   */
  duplicates(): BarDelivery[] {
    return this.deliveries().filter((d) => d.count > 1);
  }

  /**
   * The latest document of a name (and symbol, for the per-symbol documents).
   *
   * @param name - the document's name, e.g. `'data_status'`.
   * @param symbol - the symbol of a per-symbol document (`latest_ohlcv`, `market_context`).
   * @returns The document's body, or `undefined` when none was written.
   */
  document<N extends DocumentName>(name: N, symbol?: string): DocumentBodies[N] | undefined {
    return this.#documents.get(name, symbol) as DocumentBodies[N] | undefined;
  }

  /**
   * Whether the sink wants a record: datasets only in `datasetFormats`, then the `accepts`
   * option (every record by default).
   *
   * @param record - a record the pipeline is about to deliver.
   * @returns `true` when the sink takes it.
   */
  accepts(record: SinkRecord): boolean {
    if (record.kind === 'dataset' && !this.datasetFormats.includes(record.format)) return false;
    return this.#accepts?.(record) ?? true;
  }

  /**
   * Takes one record: waits `slowMs` (if set), then answers as the failure mode says; on
   * success updates the views.
   *
   * @param record - the record.
   * @param options - `signal` aborts the wait (or the hang): the write rejects with its reason
   *   and changes nothing.
   * @returns `{ outputPath: record.path }` for a dataset, `{}` otherwise.
   * @throws SinkError (as a rejection) when the failure mode says so; `signal.reason` on abort.
   */
  async write(record: SinkRecord, options: SinkWriteOptions): Promise<SinkWriteResult> {
    await this.#take([record], options.signal);
    return record.kind === 'dataset' ? { outputPath: record.path } : {};
  }

  /**
   * Takes several records as one write (`Sink.writeMany`): one wait of `slowMs`, one answer of
   * the failure mode (one draw of an intermittent mode) for all of them; on success updates
   * the views in order. Each record is logged in {@link MemorySink.writes} as its own entry
   * with the outcome of the call.
   *
   * @param records - the records, in order.
   * @param options - `signal` aborts the wait (or the hang): the call rejects with its reason
   *   and changes nothing.
   * @returns A promise that resolves when every record is stored.
   * @throws SinkError (as a rejection) when the failure mode says so; `signal.reason` on abort.
   *
   * @example
   * ```ts
   * const sink = new MemorySink();
   * await sink.writeMany([{ kind: 'alert', alert: a }, { kind: 'alert', alert: b }], { signal });
   * sink.alerts.length   // 2
   * sink.writes.length   // 2
   * ```
   */
  async writeMany(records: readonly SinkRecord[], options: SinkWriteOptions): Promise<void> {
    await this.#take(records, options.signal);
  }

  /** Logs the records as one write, answers as the failure mode says and stores them on success. */
  async #take(records: readonly SinkRecord[], signal: AbortSignal): Promise<void> {
    const at = this.#clock === undefined ? {} : { at: this.#clock.now() };
    const entries: MutableWrite[] = [];
    if (this.#keepLog) {
      for (const record of records) entries.push({ seq: this.#seq++, record, ...at, outcome: 'pending' });
      this.#writes.push(...entries);
    } else {
      this.#seq += records.length;
    }
    this.#pending++;
    try {
      signal.throwIfAborted();
      if (this.#slowMs > 0) await (this.#clock as Clock).sleep(this.#slowMs, signal);
      const fail = this.#fail;
      if (fail === 'hang') await waitForAbort(signal);
      if (fail === 'always' || fail === 'fatal' || (typeof fail === 'object' && this.#random() < fail.rate)) {
        const retryable = fail === 'always' || (typeof fail === 'object' && fail.retryable !== false);
        throw new SinkError(`${this.name}: simulated ${retryable ? 'transient' : 'fatal'} write failure`, { sink: this.name, retryable });
      }
      for (const record of records) this.#store(record);
      for (const entry of entries) entry.outcome = 'written';
    } catch (error) {
      const outcome = signal.aborted && error === signal.reason ? 'aborted' : 'failed';
      for (const entry of entries) {
        entry.outcome = outcome;
        entry.error = error;
      }
      throw error;
    } finally {
      this.#pending--;
    }
  }

  /**
   * Waits `slowMs` (if set) and counts the flush; hangs until aborted in the `'hang'` mode.
   * Other failure modes do not affect it.
   *
   * @param options - `signal` aborts the wait.
   * @returns A promise that resolves when the flush is done.
   * @throws `signal.reason` (as a rejection) when it aborts first.
   */
  async flush(options: SinkWriteOptions): Promise<void> {
    const { signal } = options;
    this.#pending++;
    try {
      signal.throwIfAborted();
      if (this.#slowMs > 0) await (this.#clock as Clock).sleep(this.#slowMs, signal);
      if (this.#fail === 'hang') await waitForAbort(signal);
      this.#flushes++;
    } finally {
      this.#pending--;
    }
  }

  #store(record: SinkRecord): void {
    if (this.#keepLog) this.#records.push(record);
    switch (record.kind) {
      case 'bars':
        this.#ledger.add(record.symbol, record.timeframe, record.bars);
        break;
      case 'forming':
        this.#forming.set(record.symbol, record.timeframe, record.bar);
        break;
      case 'document':
        this.#documents.set(record.name, record.symbol, record.body);
        break;
      case 'alert':
        this.#alerts.push(record.alert);
        break;
      case 'dataset':
        this.#datasets.push(record);
        break;
    }
  }
}
