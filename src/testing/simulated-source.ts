import { ConfigError } from '../errors/config-error.js';
import { SourceError, type SourceErrorOptions } from '../errors/source-error.js';
import { isoUtc } from '../internal/iso-utc.js';
import { mulberry32 } from './internal/seeded-random.js';
import { hashSeed } from './internal/hash-seed.js';
import { waitForAbort } from './internal/wait-for-abort.js';
import { corruptRows, duplicateRows, resolveFaultScript, shuffleRows, type ResolvedFault } from './internal/fault-script.js';
import type { Clock } from '../pipeline/clock.js';
import type { OhlcvAnswer, OhlcvRequest, Source } from '../pipeline/source.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { bucketStart } from '../time/bucket-start.js';
import { isFixedTimeframe, TIMEFRAMES, type FixedTimeframe, type Timeframe } from '../time/timeframe.js';
import { timeframeMs } from '../time/timeframe-ms.js';
import { generateOhlcv } from './generate-ohlcv.js';
import type { GenerateOhlcvOptions, GeneratedTruth } from './generate-ohlcv-options.js';
import { BAD_ROW_KINDS, type SourceFault, type SourceFaultKind } from './source-fault.js';
import { partitionPoint } from '../internal/search.js';

/** Options of {@link SimulatedSource}. Only `clock` is required. */
export interface SimulatedSourceOptions {
  /** The clock the market follows: which bars are closed, fault windows, latency. */
  readonly clock: Clock;
  /**
   * The source's name (`Source.name`).
   * @defaultValue 'simulated'
   */
  readonly name?: string;
  /**
   * The one timeframe the market holds and serves; requests for another are answered with a
   * `bad_data` `SourceError`.
   * @defaultValue '1m'
   */
  readonly timeframe?: FixedTimeframe;
  /**
   * Bars to serve, per symbol (served as given — anomalies included — but sorted by
   * `timestamp`; the input is not mutated).
   * @defaultValue none
   */
  readonly bars?: Readonly<Record<string, readonly Ohlcv[]>>;
  /**
   * Symbols whose bars are generated with `generate`: the `i`-th symbol of this list gets
   * `generateOhlcv({ ...generate, seed: (generate.seed ?? 1) + i, timeframe })`, so a test
   * can rebuild any series. Symbols that also appear in `bars` are served from `bars`.
   * @defaultValue `['BTCUSD', 'ETHUSD']` when `bars` is omitted, else none
   */
  readonly symbols?: readonly string[];
  /**
   * Generator options for `symbols` (see `generateOhlcv`; its defaults apply, e.g. 1440 bars
   * from 2025-01-01T00:00:00Z). `timeframe`, if set, must equal the source's `timeframe`.
   * @defaultValue `{}`
   */
  readonly generate?: GenerateOhlcvOptions;
  /**
   * Whether answers include the bar still forming at `clock.now()`. A simulation knows only
   * final bars, so the forming bar carries its final values (a real exchange's forming bar
   * changes until it closes).
   * @defaultValue true
   */
  readonly includeForming?: boolean;
  /**
   * The largest `limit` one request may ask for (`Source.maxLimit`); larger limits are
   * clamped to it, as exchanges do.
   * @defaultValue 1000
   */
  readonly maxLimit?: number;
  /**
   * Rate-limit weight of one request (`Source.requestWeight`).
   * @defaultValue 1
   */
  readonly requestWeight?: number;
  /**
   * Weight allowed per clock-aligned minute (Binance's model). A request that brings the
   * minute's used weight above it is answered with HTTP 429 (`rate_limited`, `retryAfterMs`
   * until the next minute, `usedWeight`). The rejected request's weight counts too.
   * @defaultValue Infinity (no limit)
   */
  readonly weightLimit?: number;
  /**
   * Whether answers report the minute's used weight (`OhlcvAnswer.usedWeight`, like Binance's
   * `X-MBX-USED-WEIGHT-1M` header).
   * @defaultValue false
   */
  readonly reportUsedWeight?: boolean;
  /**
   * The fault script; see {@link SourceFault} for how steps combine.
   * @defaultValue [] (a perfect market)
   */
  readonly faults?: readonly SourceFault[];
  /**
   * Seed of the faults' random choices (a step's own `seed` overrides it).
   * @defaultValue 1
   */
  readonly seed?: number;
}

/**
 * What became of a request, as logged in {@link SimulatedSource.requests}.
 *
 * - `pending`: waiting (a `latency` step, or a `hang` not yet aborted);
 * - `served`: answered with rows (possibly changed by `bad_rows`, `duplicates`, `out_of_order`);
 * - `empty`: answered `[]` by an `empty` step;
 * - `error`, `outage`, `timeout`, `rate_limited`, `banned`: rejected by that step (or, for
 *   `rate_limited`, by `weightLimit`);
 * - `rejected`: a bad request (unknown symbol, other timeframe, invalid `since`/`limit`);
 * - `aborted`: the request's signal aborted before an answer.
 */
export type SimulatedOutcome =
  'pending' | 'served' | 'empty' | 'error' | 'outage' | 'timeout' | 'rate_limited' | 'banned' | 'rejected' | 'aborted';

/** One `fetchOhlcv` call as the simulated market saw it. */
export interface SimulatedRequest {
  /** Sequence number, from 0. */
  readonly seq: number;
  /** The requested symbol. */
  readonly symbol: string;
  /** The requested timeframe. */
  readonly timeframe: Timeframe;
  /** The requested `since`, epoch ms, when given. */
  readonly since?: number;
  /** The requested `limit`, when given. */
  readonly limit?: number;
  /** Clock time when the request arrived, epoch ms. */
  readonly at: number;
  /** Clock time when it was answered or rejected, epoch ms; absent while pending. */
  readonly settledAt?: number;
  /** What became of it. */
  readonly outcome: SimulatedOutcome;
  /** Kinds of the fault steps that acted on it, in script order (a step may appear more than once). */
  readonly faults: readonly SourceFaultKind[];
  /** Number of rows answered (after `duplicates`), 0 unless served. */
  readonly rows: number;
  /** Open times of the real bars the answer was built from (before any fault changed it), oldest first. */
  readonly served: readonly number[];
  /** Open times of the rows a `bad_rows` step spoiled. */
  readonly corrupted: readonly number[];
  /** Open times of the rows a `duplicates` step repeated. */
  readonly duplicated: readonly number[];
}

type MutableRequest = { -readonly [K in keyof SimulatedRequest]: SimulatedRequest[K] };

interface Market {
  readonly bars: readonly Ohlcv[];
  readonly truth: GeneratedTruth | undefined;
}

const DEFAULT_SYMBOLS = ['BTCUSD', 'ETHUSD'] as const;
const MINUTE = 60_000;
const BAN_MS = 120_000;
const GARBAGE_KINDS = BAD_ROW_KINDS;

function check(ok: boolean, key: string, value: unknown, expected: string): void {
  if (!ok) throw new ConfigError(`Expected \`${key}\` to be ${expected}, got \`${String(value)}\``, { path: key.split('.'), value });
}

/** Index of the first bar with `timestamp >= t` (bars sorted by timestamp). */
function lowerBound(bars: readonly Ohlcv[], t: number): number {
  return partitionPoint(0, bars.length, (i) => (bars[i] as Ohlcv).timestamp < t);
}

/** Index of the first bar with `timestamp > t`. */
function upperBound(bars: readonly Ohlcv[], t: number): number {
  return lowerBound(bars, t + 1);
}

/**
 * A simulated exchange for tests: a `Source` that serves given or generated bars of one
 * timeframe, only as far as an injected `Clock` says they exist, and misbehaves exactly as a
 * fault script says — errors, timeouts, hangs until aborted, empty answers, bad rows,
 * duplicates, shuffled answers, HTTP 429 with `Retry-After`, HTTP 418 bans, outages of a
 * given length, latency. Everything it does is deterministic (seeded) and logged in
 * {@link SimulatedSource.requests}, and it uses only `clock.sleep` to wait, so on a
 * `ManualClock` a test runs days of market in milliseconds.
 *
 * `fetchOhlcv` answers the bars that opened before the bucket of `clock.now()` (closed
 * bars), plus the forming bar unless `includeForming` is false; from `since` on (inclusive)
 * when given, else the most recent ones; oldest first; at most `limit` (clamped to
 * `maxLimit`). An unknown symbol, another timeframe or an invalid `since`/`limit` rejects
 * with a `SourceError` of kind `bad_data` (status 400).
 *
 * @example
 * ```ts
 * const clock = new ManualClock(Date.UTC(2025, 0, 1, 0, 10, 30)); // 00:10:30
 * const source = new SimulatedSource({
 *   clock,
 *   symbols: ['BTCUSD'],
 *   generate: { start: Date.UTC(2025, 0, 1), count: 60 },
 *   faults: [{ kind: 'rate_limited', times: 1, retryAfterMs: 5_000 }],
 * });
 * await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' });
 * // rejects: SourceError { kind: 'rate_limited', status: 429, retryAfterMs: 5000 }
 * const { rows } = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: Date.UTC(2025, 0, 1) });
 * rows.length                  // 11: ten closed bars (00:00–00:09) and the forming 00:10 bar
 * source.requests.map((r) => r.outcome) // ['rate_limited', 'served']
 * ```
 */
export class SimulatedSource implements Source {
  /** The source's name. */
  readonly name: string;
  /** Rate-limit weight of one request. */
  readonly requestWeight: number;
  /** The largest `limit` served in one answer. */
  readonly maxLimit: number;
  /** The timeframe the market holds. */
  readonly timeframe: FixedTimeframe;
  /** Whether answers include the forming bar. */
  readonly includeForming: boolean;

  readonly #clock: Clock;
  readonly #tfMs: number;
  readonly #markets = new Map<string, Market>();
  readonly #faults: readonly ResolvedFault[];
  readonly #remaining: number[];
  readonly #seed: number;
  readonly #weightLimit: number;
  readonly #reportUsedWeight: boolean;
  readonly #log: MutableRequest[] = [];
  #weightMinute = Number.NEGATIVE_INFINITY;
  #weightUsed = 0;
  #pending = 0;
  #streams = 0;

  /**
   * @param options - see {@link SimulatedSourceOptions}.
   * @throws ConfigError on an invalid option or fault step (the message names it and its value).
   */
  constructor(options: SimulatedSourceOptions) {
    const clock = options.clock as Clock | undefined;
    check(typeof clock?.now === 'function' && typeof clock.sleep === 'function', 'clock', clock, 'a Clock');
    this.#clock = options.clock;
    this.name = options.name ?? 'simulated';
    check(this.name.length > 0, 'name', this.name, 'a non-empty string');
    const timeframe: FixedTimeframe = options.timeframe ?? '1m';
    check(
      (TIMEFRAMES as readonly string[]).includes(timeframe) && isFixedTimeframe(timeframe),
      'timeframe',
      timeframe,
      'a fixed-width timeframe (1m … 1W)',
    );
    this.timeframe = timeframe;
    this.#tfMs = timeframeMs(timeframe);
    this.includeForming = options.includeForming ?? true;
    this.maxLimit = options.maxLimit ?? 1000;
    check(Number.isSafeInteger(this.maxLimit) && this.maxLimit > 0, 'maxLimit', this.maxLimit, 'a positive integer');
    this.requestWeight = options.requestWeight ?? 1;
    check(Number.isFinite(this.requestWeight) && this.requestWeight >= 0, 'requestWeight', this.requestWeight, 'a non-negative number');
    this.#weightLimit = options.weightLimit ?? Infinity;
    check(this.#weightLimit > 0, 'weightLimit', this.#weightLimit, 'a positive number');
    this.#reportUsedWeight = options.reportUsedWeight ?? false;
    this.#seed = options.seed ?? 1;
    check(Number.isSafeInteger(this.#seed), 'seed', this.#seed, 'an integer');
    this.#faults = resolveFaultScript(options.faults ?? []);
    this.#remaining = this.#faults.map((f) => f.times);

    for (const [symbol, bars] of Object.entries(options.bars ?? {})) {
      check(Array.isArray(bars), `bars.${symbol}`, bars, 'an array of bars');
      const rows = bars.map((bar, i) => {
        check(Number.isFinite(bar.timestamp), `bars.${symbol}.${i}.timestamp`, bar.timestamp, 'epoch milliseconds');
        return Object.freeze({ ...bar });
      });
      rows.sort((a, b) => a.timestamp - b.timestamp);
      this.#markets.set(symbol, { bars: Object.freeze(rows), truth: undefined });
    }
    const symbols = options.symbols ?? (options.bars === undefined ? DEFAULT_SYMBOLS : []);
    const generate = options.generate ?? {};
    check(
      generate.timeframe === undefined || generate.timeframe === timeframe,
      'generate.timeframe',
      generate.timeframe,
      `the source's timeframe (${timeframe})`,
    );
    symbols.forEach((symbol, i) => {
      if (this.#markets.has(symbol)) return;
      const { bars, ...truth } = generateOhlcv({ ...generate, seed: (generate.seed ?? 1) + i, timeframe });
      for (const bar of bars) Object.freeze(bar);
      this.#markets.set(symbol, { bars: Object.freeze(bars), truth });
    });
    check(this.#markets.size > 0, 'symbols', '[]', 'at least one symbol (from `bars` or `symbols`)');
  }

  /** The symbols the market knows, in the order given (`bars` first). */
  get symbols(): readonly string[] {
    return [...this.#markets.keys()];
  }

  /**
   * Every `fetchOhlcv` call so far, in arrival order. Entries of pending requests change when
   * they settle.
   */
  get requests(): readonly SimulatedRequest[] {
    return this.#log;
  }

  /** Number of `fetchOhlcv` calls not yet settled (waiting on latency or hanging). */
  get pendingRequests(): number {
    return this.#pending;
  }

  /** Number of `subscribe` streams still running. */
  get activeSubscriptions(): number {
    return this.#streams;
  }

  /**
   * Every bar of `symbol` the market holds (past and future), sorted by open time; frozen.
   *
   * @param symbol - a symbol of {@link SimulatedSource.symbols}.
   * @returns The bars, or an empty array for an unknown symbol.
   */
  series(symbol: string): readonly Ohlcv[] {
    return this.#markets.get(symbol)?.bars ?? [];
  }

  /**
   * The bars of `symbol` closed at `at` (open time before the bucket of `at`): what a perfect
   * feed would have delivered by then. Use it as the expected output of a pipeline.
   *
   * @param symbol - a symbol of {@link SimulatedSource.symbols}.
   * @param at - epoch ms; `clock.now()` when omitted.
   * @returns The closed bars, oldest first (empty for an unknown symbol).
   */
  closedBars(symbol: string, at: number = this.#clock.now()): readonly Ohlcv[] {
    const bars = this.series(symbol);
    return bars.slice(0, lowerBound(bars, bucketStart(at, this.timeframe)));
  }

  /**
   * The generator's truth (gaps, duplicates, anomalies) about a generated series.
   *
   * @param symbol - a generated symbol.
   * @returns The truth, or `undefined` for a symbol served from `bars` or unknown.
   */
  truth(symbol: string): GeneratedTruth | undefined {
    return this.#markets.get(symbol)?.truth;
  }

  /**
   * Answers a request for bars as the simulated market stands at `clock.now()`, following
   * the fault script. Always answers an {@link OhlcvAnswer} (with `usedWeight` when
   * `reportUsedWeight` is set). The bars are frozen objects shared with {@link SimulatedSource.series}.
   *
   * @param request - symbol, timeframe, optional `since` (epoch ms, inclusive), `limit` and `signal`.
   * @returns The rows, oldest first (unless a fault says otherwise).
   * @throws SourceError (as a rejection) of the kind a fault step or a bad request says; the
   *   signal's reason when it aborts first.
   */
  async fetchOhlcv(request: OhlcvRequest): Promise<OhlcvAnswer> {
    const at = this.#clock.now();
    const entry: MutableRequest = {
      seq: this.#log.length,
      symbol: request.symbol,
      timeframe: request.timeframe,
      ...(request.since === undefined ? {} : { since: request.since }),
      ...(request.limit === undefined ? {} : { limit: request.limit }),
      at,
      outcome: 'pending',
      faults: [],
      rows: 0,
      served: [],
      corrupted: [],
      duplicated: [],
    };
    this.#log.push(entry);
    this.#pending++;
    try {
      const answer = await this.#answer(request, entry);
      if (entry.outcome === 'pending') entry.outcome = 'served';
      entry.rows = answer.rows.length;
      return answer;
    } catch (error) {
      if (request.signal?.aborted === true && error === request.signal.reason) entry.outcome = 'aborted';
      else if (entry.outcome === 'pending') entry.outcome = 'error';
      throw error;
    } finally {
      entry.settledAt = this.#clock.now();
      this.#pending--;
    }
  }

  async #answer(request: OhlcvRequest, entry: MutableRequest): Promise<OhlcvAnswer> {
    const { signal, symbol } = request;
    signal?.throwIfAborted();
    const at = entry.at;
    let market: Market;
    try {
      market = this.#market(request);
    } catch (error) {
      entry.outcome = 'rejected';
      throw error;
    }
    const used = this.#spend(at);
    if (used > this.#weightLimit) {
      entry.outcome = 'rate_limited';
      throw this.#error(`HTTP 429: request weight ${used} exceeds ${this.#weightLimit} per minute`, {
        kind: 'rate_limited',
        status: 429,
        retryAfterMs: bucketStart(at, '1m') + MINUTE - at,
        usedWeight: used,
      });
    }
    const rows: unknown[] = this.#select(market.bars, request, at);
    entry.served = rows.map((r) => (r as Ohlcv).timestamp);

    // Plan: latency adds up; the first deciding step wins; otherwise transformations apply.
    let latency = 0;
    let decider: number | undefined;
    const transforms: number[] = [];
    this.#faults.forEach((fault, i) => {
      if (!this.#active(i, symbol, at)) return;
      switch (fault.step.kind) {
        case 'latency':
          latency += fault.step.ms;
          this.#spendFault(i, entry);
          break;
        case 'bad_rows':
        case 'duplicates':
        case 'out_of_order':
          transforms.push(i);
          break;
        default:
          decider ??= i;
      }
    });
    if (latency > 0) await this.#clock.sleep(latency, signal);
    signal?.throwIfAborted();

    if (decider !== undefined) return this.#decide(decider, entry, at, signal);
    let answer = rows;
    for (const i of transforms) answer = this.#transform(i, answer, entry);
    return this.#reportUsedWeight ? { rows: answer, usedWeight: used } : { rows: answer };
  }

  /** The market of a valid request; a bad request throws a `bad_data` `SourceError` (HTTP 400). */
  #market(request: OhlcvRequest): Market {
    const market = this.#markets.get(request.symbol);
    const bad = (message: string): SourceError => this.#error(`HTTP 400: ${message}`, { kind: 'bad_data', status: 400 });
    if (market === undefined) throw bad(`unknown symbol ${JSON.stringify(request.symbol)}`);
    if (request.timeframe !== this.timeframe) throw bad(`timeframe ${request.timeframe} not served (only ${this.timeframe})`);
    if (request.since !== undefined && !Number.isFinite(request.since)) throw bad(`invalid since ${String(request.since)}`);
    if (request.limit !== undefined && !(Number.isSafeInteger(request.limit) && request.limit > 0))
      throw bad(`invalid limit ${String(request.limit)}`);
    return market;
  }

  /** Adds one request's weight to the current clock-aligned minute; returns the minute's total. */
  #spend(at: number): number {
    const minute = bucketStart(at, '1m');
    if (minute !== this.#weightMinute) {
      this.#weightMinute = minute;
      this.#weightUsed = 0;
    }
    this.#weightUsed += this.requestWeight;
    return this.#weightUsed;
  }

  #select(bars: readonly Ohlcv[], request: OhlcvRequest, at: number): Ohlcv[] {
    const forming = bucketStart(at, this.timeframe);
    const end = this.includeForming ? upperBound(bars, forming) : lowerBound(bars, forming);
    const limit = Math.min(request.limit ?? this.maxLimit, this.maxLimit);
    if (request.since === undefined) return bars.slice(Math.max(0, end - limit), end);
    const start = lowerBound(bars, request.since);
    return bars.slice(start, Math.min(end, start + limit));
  }

  #active(i: number, symbol: string, at: number): boolean {
    const fault = this.#faults[i] as ResolvedFault;
    return (
      (this.#remaining[i] as number) > 0 && at >= fault.from && at < fault.to && (fault.symbols === undefined || fault.symbols.has(symbol))
    );
  }

  #spendFault(i: number, entry: MutableRequest): void {
    this.#remaining[i] = (this.#remaining[i] as number) - 1;
    entry.faults = [...entry.faults, (this.#faults[i] as ResolvedFault).step.kind];
  }

  #random(i: number, step: { readonly seed?: number }, entry: MutableRequest): () => number {
    return mulberry32(hashSeed(step.seed ?? this.#seed, i, entry.seq));
  }

  #transform(i: number, rows: unknown[], entry: MutableRequest): unknown[] {
    const step = (this.#faults[i] as ResolvedFault).step;
    const stamps = (touched: readonly number[], from: readonly unknown[]): number[] =>
      touched.map((k) => (from[k] as { timestamp?: unknown } | undefined)?.timestamp).filter((t): t is number => typeof t === 'number');
    switch (step.kind) {
      case 'bad_rows': {
        if (rows.length === 0) return rows;
        this.#spendFault(i, entry);
        const out = corruptRows(rows, step.rate ?? 0.1, step.corruptions ?? GARBAGE_KINDS, this.#random(i, step, entry));
        entry.corrupted = [...entry.corrupted, ...stamps(out.touched, rows)];
        return out.rows;
      }
      case 'duplicates': {
        if (rows.length === 0) return rows;
        this.#spendFault(i, entry);
        const out = duplicateRows(rows, step.rate ?? 0.1, this.#random(i, step, entry));
        entry.duplicated = [...entry.duplicated, ...stamps(out.touched, rows)];
        return out.rows;
      }
      case 'out_of_order': {
        if (rows.length < 2) return rows;
        this.#spendFault(i, entry);
        return shuffleRows(rows, this.#random(i, step, entry)).rows;
      }
      default:
        return rows;
    }
  }

  async #decide(i: number, entry: MutableRequest, at: number, signal: AbortSignal | undefined): Promise<OhlcvAnswer> {
    const fault = this.#faults[i] as ResolvedFault;
    const step = fault.step;
    this.#spendFault(i, entry);
    switch (step.kind) {
      case 'empty':
        entry.outcome = 'empty';
        return { rows: [] };
      case 'hang':
        return waitForAbort(signal);
      case 'timeout':
        entry.outcome = 'timeout';
        throw this.#error('simulated timeout', { kind: 'timeout' });
      case 'outage':
        entry.outcome = 'outage';
        throw this.#error(`simulated outage until ${isoUtc(fault.to)}`, { kind: 'network' });
      case 'error':
        entry.outcome = 'error';
        if (step.failure === 'server_error') {
          const status = step.status ?? 500;
          throw this.#error(`HTTP ${status}: simulated server error`, { kind: 'server_error', status });
        }
        throw this.#error('simulated network error (connection reset)', { kind: 'network' });
      case 'rate_limited': {
        entry.outcome = 'rate_limited';
        const retryAfterMs = step.retryAfterMs ?? bucketStart(at, '1m') + MINUTE - at;
        throw this.#error(`HTTP 429: too many requests, retry after ${retryAfterMs} ms`, {
          kind: 'rate_limited',
          status: 429,
          retryAfterMs,
          ...(step.usedWeight === undefined ? {} : { usedWeight: step.usedWeight }),
        });
      }
      case 'banned': {
        entry.outcome = 'banned';
        const retryAfterMs = step.retryAfterMs ?? (Number.isFinite(fault.to) ? fault.to - at : BAN_MS);
        throw this.#error(`HTTP 418: IP banned for ${retryAfterMs} ms`, { kind: 'banned', status: 418, retryAfterMs });
      }
      default:
        return { rows: [] };
    }
  }

  #error(message: string, options: Omit<SourceErrorOptions, 'source'>): SourceError {
    return new SourceError(`${this.name}: ${message}`, { ...options, source: this.name });
  }

  /**
   * Streams closed bars as the clock passes their close: first the closed bars from `since`
   * (when given), then each new bar as soon as `clock.now()` reaches the end of its bucket
   * (the stream sleeps on the clock until the next bar's close, or until the next `outage`
   * window for the symbol starts). Ends when the market has no more bars.
   *
   * Only `outage` steps act on streams: while one is active for the symbol the stream fails
   * with a `network` `SourceError` (as a dropped websocket does). Other faults act on
   * `fetchOhlcv` only. Bad requests fail like `fetchOhlcv`'s.
   *
   * Aborting `signal` stops the stream: a pending wait rejects with `signal.reason`, and the
   * clock timer and abort listener are removed. Abort (rather than `break`) is the way to
   * stop a stream that is waiting for a bar.
   *
   * @param request - symbol, timeframe, optional `since` and `signal` (`limit` is ignored).
   * @returns An async iterable of frozen bars, oldest first.
   *
   * @example
   * ```ts
   * const controller = new AbortController();
   * const seen: number[] = [];
   * const done = (async () => {
   *   for await (const bar of source.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: controller.signal })) seen.push(bar.timestamp);
   * })().catch(() => undefined);
   * await clock.advance(3 * 60_000);
   * seen.length      // 3: one bar per minute passed
   * controller.abort();
   * await done;
   * source.activeSubscriptions // 0
   * ```
   */
  async *subscribe(request: OhlcvRequest): AsyncGenerator<Ohlcv, void, undefined> {
    const { signal, symbol } = request;
    this.#streams++;
    try {
      signal?.throwIfAborted();
      const bars = this.#market(request).bars;
      let index = lowerBound(bars, request.since ?? bucketStart(this.#clock.now(), this.timeframe));
      for (;;) {
        const now = this.#clock.now();
        this.#throwIfOutage(symbol, now);
        const closedEnd = bucketStart(now, this.timeframe);
        while (index < bars.length && (bars[index] as Ohlcv).timestamp < closedEnd) {
          yield bars[index] as Ohlcv;
          index++;
          signal?.throwIfAborted();
        }
        const next = bars[index];
        if (next === undefined) return;
        let wake = bucketStart(next.timestamp, this.timeframe) + this.#tfMs;
        for (const fault of this.#faults) {
          if (
            fault.step.kind === 'outage' &&
            fault.from > now &&
            fault.from < wake &&
            (fault.symbols === undefined || fault.symbols.has(symbol))
          )
            wake = fault.from;
        }
        await this.#clock.sleep(Math.max(wake - this.#clock.now(), 0), signal);
      }
    } finally {
      this.#streams--;
    }
  }

  #throwIfOutage(symbol: string, now: number): void {
    for (const fault of this.#faults) {
      if (
        fault.step.kind === 'outage' &&
        now >= fault.from &&
        now < fault.to &&
        (fault.symbols === undefined || fault.symbols.has(symbol))
      ) {
        throw this.#error(`simulated outage until ${isoUtc(fault.to)}: stream disconnected`, { kind: 'network' });
      }
    }
  }
}
