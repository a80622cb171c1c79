import { SourceError, type SourceErrorOptions } from '../errors/source-error.js';
import { isoUtc } from '../internal/iso-utc.js';
import { mulberry32 } from './internal/seeded-random.js';
import { hashSeed } from './internal/hash-seed.js';
import { answerFault } from './internal/fault-answer.js';
import { resolveFaultScript, transformRows, type ResolvedFault } from './internal/fault-script.js';
import type { Clock } from '../pipeline/clock.js';
import type { OhlcvAnswer, OhlcvRequest, Source } from '../pipeline/source.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { bucketStart } from '../time/bucket-start.js';
import { isFixedTimeframe, TIMEFRAMES, type FixedTimeframe } from '../time/timeframe.js';
import { timeframeMs } from '../time/timeframe-ms.js';
import type { GeneratedTruth } from './generate-ohlcv-options.js';
import { buildMarkets, check, lowerBound, requestProblem, selectBars, type Market } from './internal/simulated-market.js';
import type { SimulatedRequest, SimulatedSourceOptions } from './simulated-source-options.js';
import type { SourceFault } from './source-fault.js';

type MutableRequest = { -readonly [K in keyof SimulatedRequest]: SimulatedRequest[K] };

const MINUTE = 60_000;

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
  readonly #markets: ReadonlyMap<string, Market>;
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

    this.#markets = buildMarkets(options, timeframe);
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
    const rows: unknown[] = selectBars(market.bars, request, bucketStart(at, this.timeframe), this.includeForming, this.maxLimit);
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
    const problem = requestProblem(request, market, this.timeframe);
    if (problem !== undefined || market === undefined) throw this.#error(`HTTP 400: ${problem}`, { kind: 'bad_data', status: 400 });
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

  #random(i: number, step: SourceFault, entry: MutableRequest): () => number {
    const seed = 'seed' in step ? step.seed : undefined;
    return mulberry32(hashSeed(seed ?? this.#seed, i, entry.seq));
  }

  #transform(i: number, rows: unknown[], entry: MutableRequest): unknown[] {
    const step = (this.#faults[i] as ResolvedFault).step;
    const out = transformRows(step, rows, this.#random(i, step, entry));
    if (out === undefined) return rows;
    this.#spendFault(i, entry);
    const stamps = out.touched.map((k) => (rows[k] as { timestamp?: unknown } | undefined)?.timestamp).filter((t) => typeof t === 'number');
    if (step.kind === 'bad_rows') entry.corrupted = [...entry.corrupted, ...stamps];
    if (step.kind === 'duplicates') entry.duplicated = [...entry.duplicated, ...stamps];
    return out.rows;
  }

  async #decide(i: number, entry: MutableRequest, at: number, signal: AbortSignal | undefined): Promise<OhlcvAnswer> {
    this.#spendFault(i, entry);
    return answerFault(this.#faults[i] as ResolvedFault, entry, at, signal, (message, options) => this.#error(message, options));
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
