/**
 * The options of `SimulatedSource` and the shape of its request log. A leaf file: the
 * class, its helpers and the tests read these types without importing the class.
 */
import type { Clock } from '../pipeline/clock.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { FixedTimeframe, Timeframe } from '../time/timeframe.js';
import type { GenerateOhlcvOptions } from './generate-ohlcv-options.js';
import type { SourceFault, SourceFaultKind } from './source-fault.js';

/** Options of `SimulatedSource`. Only `clock` is required. */
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
 * What became of a request, as logged in `SimulatedSource.requests`.
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
