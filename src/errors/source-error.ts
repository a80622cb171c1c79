import { isMarketDataError, MarketDataError } from './market-data-error.js';

/**
 * Why a request to a source failed. `rate_limited` is HTTP 429 (or an exchange's own
 * rate-limit answer); `banned` is HTTP 418 (Binance's IP ban after ignoring 429s); `stale`: the
 * source brought no bar `timeoutMs` after one was due (it answered without it, or could not be
 * asked in time: the specification's "no data for 30 seconds").
 */
export type SourceFailureKind = 'network' | 'timeout' | 'rate_limited' | 'banned' | 'server_error' | 'bad_data' | 'stale';

/** Options of {@link SourceError}. */
export interface SourceErrorOptions {
  /** Why the request failed. */
  readonly kind: SourceFailureKind;
  /** The source's name. */
  readonly source?: string;
  /** HTTP status, when there was one. */
  readonly status?: number;
  /** How long the server asked us to wait (`Retry-After`, or a ban's duration), in ms. */
  readonly retryAfterMs?: number;
  /** Request weight the server reports as used in the current window (e.g. `X-MBX-USED-WEIGHT-1M`). */
  readonly usedWeight?: number;
  /** The underlying failure. */
  readonly cause?: unknown;
}

/**
 * A source could not answer: network failure, timeout, rate limit or ban, server error, or
 * an answer that was not data. Sources throw it (adapters map their client's errors to it);
 * the pipeline feeds its `kind`, `retryAfterMs` and `usedWeight` to the failover state machine
 * and the rate limiter.
 *
 * @example
 * ```ts
 * throw new SourceError('HTTP 429 from /api/v3/klines', { kind: 'rate_limited', status: 429, retryAfterMs: 30_000 })
 * ```
 */
export class SourceError extends MarketDataError<'ERR_SOURCE'> {
  /** Why the request failed. */
  readonly kind: SourceFailureKind;
  /** The source's name, when known. */
  readonly source: string | undefined;
  /** HTTP status, when there was one. */
  readonly status: number | undefined;
  /** How long the server asked us to wait, in ms. */
  readonly retryAfterMs: number | undefined;
  /** Weight the server reports as used in the current window. */
  readonly usedWeight: number | undefined;

  constructor(message: string, options: SourceErrorOptions) {
    super('ERR_SOURCE', message, 'cause' in options ? { cause: options.cause } : {});
    this.name = 'SourceError';
    this.kind = options.kind;
    this.source = options.source;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.usedWeight = options.usedWeight;
  }
}

/**
 * Whether `value` is a {@link SourceError} from any copy of this library.
 *
 * @example
 * ```ts
 * isSourceError(new SourceError('down', { kind: 'network' })) // true
 * ```
 */
export function isSourceError(value: unknown): value is SourceError {
  return isMarketDataError(value) && value.code === 'ERR_SOURCE';
}
