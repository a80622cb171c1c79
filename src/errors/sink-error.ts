import { isMarketDataError, MarketDataError } from './market-data-error.js';

/** Options of {@link SinkError}. */
export interface SinkErrorOptions {
  /** The sink's name. */
  readonly sink: string;
  /** Whether trying the same write again may succeed. */
  readonly retryable?: boolean;
  /** The underlying failure. */
  readonly cause?: unknown;
}

/**
 * A sink could not take a record. The pipeline retries retryable failures with backoff,
 * then hands the record to the `deadLetter` event; nothing is dropped silently.
 *
 * @example
 * ```ts
 * throw new SinkError('disk full', { sink: 'files', retryable: false })
 * ```
 */
export class SinkError extends MarketDataError<'ERR_SINK'> {
  /** The sink's name. */
  readonly sink: string;
  /** Whether trying the same write again may succeed. */
  readonly retryable: boolean;

  constructor(message: string, options: SinkErrorOptions) {
    super('ERR_SINK', message, 'cause' in options ? { cause: options.cause } : {});
    this.name = 'SinkError';
    this.sink = options.sink;
    this.retryable = options.retryable ?? true;
  }
}

/**
 * Whether `value` is a {@link SinkError} from any copy of this library.
 *
 * @example
 * ```ts
 * isSinkError(new SinkError('x', { sink: 's' })) // true
 * ```
 */
export function isSinkError(value: unknown): value is SinkError {
  return isMarketDataError(value) && value.code === 'ERR_SINK';
}
