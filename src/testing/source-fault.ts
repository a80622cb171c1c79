/**
 * The faults a `SimulatedSource` can be scripted to show, in the order the documentation of
 * {@link SourceFault} describes them.
 */
export const SOURCE_FAULT_KINDS = [
  'error',
  'timeout',
  'hang',
  'empty',
  'bad_rows',
  'duplicates',
  'out_of_order',
  'rate_limited',
  'banned',
  'outage',
  'latency',
] as const;

/** One of {@link SOURCE_FAULT_KINDS}. */
export type SourceFaultKind = (typeof SOURCE_FAULT_KINDS)[number];

/**
 * How a `bad_rows` fault spoils a row.
 *
 * - `nan_price`: `close` is `NaN`;
 * - `high_below_low`: `high` is set below `low` (the two are swapped and pushed 1 % apart);
 * - `garbage_field`: `high` is the string `'#N/A'`;
 * - `garbage_row`: the whole row is the string `'<html>502 Bad Gateway</html>'`.
 */
export const BAD_ROW_KINDS = ['nan_price', 'high_below_low', 'garbage_field', 'garbage_row'] as const;

/** One of {@link BAD_ROW_KINDS}. */
export type BadRowKind = (typeof BAD_ROW_KINDS)[number];

/**
 * When a step of a fault script is active. All conditions must hold; a step without any is
 * active for every request.
 *
 * Time is the source clock's time when the request arrives (`clock.now()`), epoch ms.
 */
export interface SourceFaultWhen {
  /**
   * Start of the step's window, epoch ms (inclusive).
   * @defaultValue no lower bound
   */
  readonly from?: number;
  /**
   * End of the step's window, epoch ms (exclusive); must be after `from`.
   * @defaultValue no upper bound (or `from + durationMs`)
   */
  readonly to?: number;
  /**
   * Length of the window in ms, instead of `to` (needs `from`).
   * @defaultValue no upper bound
   */
  readonly durationMs?: number;
  /**
   * The step applies to this many requests (that match its window and symbols) and then
   * is spent. A positive integer.
   * @defaultValue unlimited
   */
  readonly times?: number;
  /**
   * Only requests for these symbols.
   * @defaultValue every symbol
   */
  readonly symbols?: readonly string[];
}

/**
 * One step of a `SimulatedSource` fault script, tagged by `kind`, plus when it is active
 * ({@link SourceFaultWhen}).
 *
 * For each request the source looks at the active steps in script order:
 *
 * - every active `latency` step adds its `ms` (waited with `clock.sleep(ms, signal)` before
 *   answering);
 * - the first active step that decides the answer — `error`, `outage`, `timeout`, `hang`,
 *   `empty`, `rate_limited`, `banned` — wins; the other deciding steps are not used (and not
 *   spent);
 * - when none decides, every active `bad_rows`, `duplicates` and `out_of_order` step changes
 *   the answer, in script order (a step that finds nothing to change — no rows, or fewer than
 *   two rows to shuffle — is not spent).
 *
 * | kind | effect |
 * |---|---|
 * | `error` | rejects with `SourceError` of kind `failure` (`'network'`, or `'server_error'` with `status`, 500 by default) |
 * | `outage` | like `error` with `'network'`, but needs a window (`from` and `to` or `durationMs`); also breaks `subscribe` streams during the window |
 * | `timeout` | rejects at once with `SourceError` kind `'timeout'` |
 * | `hang` | never answers; rejects with `signal.reason` when the request's signal aborts (nothing left behind) |
 * | `empty` | answers `[]` |
 * | `bad_rows` | spoils a fraction `rate` (0.1 by default; at least one row) of the rows, see {@link BadRowKind} |
 * | `duplicates` | repeats a fraction `rate` (0.1 by default; at least one row) of the rows right after themselves (the answer may then exceed `limit`) |
 * | `out_of_order` | shuffles the rows (never leaving them in order) |
 * | `rate_limited` | rejects with kind `'rate_limited'`, status 429 and `retryAfterMs` (default: until the next clock-aligned minute) |
 * | `banned` | rejects with kind `'banned'`, status 418 and `retryAfterMs` (default: until the window's `to`, else 2 minutes) |
 * | `latency` | answers `ms` of clock time late |
 *
 * Random choices (which rows, which corruption, the shuffle) come from a generator seeded
 * with the step's `seed` (default: the source's `seed`), the step's index and the request's
 * sequence number, so the same script and the same requests give the same answers.
 *
 * @example
 * ```ts
 * const faults: SourceFault[] = [
 *   { kind: 'outage', from: T0 + 60_000, durationMs: 120_000 },   // 2 minutes offline
 *   { kind: 'rate_limited', times: 1, retryAfterMs: 5_000 },       // the very next request gets 429
 *   { kind: 'bad_rows', symbols: ['ETHUSD'], times: 2, rate: 0.5 }, // two answers with bad rows
 *   { kind: 'latency', ms: 40_000, from: T0 + 600_000, times: 1 },  // one answer too slow
 * ];
 * ```
 */
export type SourceFault = SourceFaultWhen &
  (
    | {
        readonly kind: 'error';
        /**
         * The `SourceError` kind.
         * @defaultValue 'network'
         */
        readonly failure?: 'network' | 'server_error';
        /**
         * HTTP status of a `server_error`.
         * @defaultValue 500
         */
        readonly status?: number;
      }
    | { readonly kind: 'outage' }
    | { readonly kind: 'timeout' }
    | { readonly kind: 'hang' }
    | { readonly kind: 'empty' }
    | {
        readonly kind: 'bad_rows';
        /**
         * Fraction (0–1) of the rows spoiled; at least one row always is.
         * @defaultValue 0.1
         */
        readonly rate?: number;
        /**
         * Which corruptions to pick from (uniformly).
         * @defaultValue every kind of {@link BAD_ROW_KINDS}
         */
        readonly corruptions?: readonly BadRowKind[];
        /**
         * Seed of this step's choices.
         * @defaultValue the source's `seed`
         */
        readonly seed?: number;
      }
    | {
        readonly kind: 'duplicates';
        /**
         * Fraction (0–1) of the rows repeated; at least one row always is.
         * @defaultValue 0.1
         */
        readonly rate?: number;
        /**
         * Seed of this step's choices.
         * @defaultValue the source's `seed`
         */
        readonly seed?: number;
      }
    | {
        readonly kind: 'out_of_order';
        /**
         * Seed of the shuffle.
         * @defaultValue the source's `seed`
         */
        readonly seed?: number;
      }
    | {
        readonly kind: 'rate_limited';
        /**
         * The `Retry-After` the server sends, in ms.
         * @defaultValue the time until the next clock-aligned minute
         */
        readonly retryAfterMs?: number;
        /**
         * The used weight the server reports with the 429.
         * @defaultValue not reported
         */
        readonly usedWeight?: number;
      }
    | {
        readonly kind: 'banned';
        /**
         * How long the ban lasts, in ms, as the server says.
         * @defaultValue until the window's `to`, else 120000 (2 minutes, Binance's shortest ban)
         */
        readonly retryAfterMs?: number;
      }
    | {
        readonly kind: 'latency';
        /** Delay of the answer, ms of clock time; non-negative. */
        readonly ms: number;
      }
  );
