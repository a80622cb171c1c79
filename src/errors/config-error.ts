import { isMarketDataError, MarketDataError } from './market-data-error.js';

/** Options accepted by {@link ConfigError}. */
export interface ConfigErrorOptions {
  /** Where in the options object the bad value sits, e.g. `['weights', 'completeness']`. */
  readonly path: readonly PropertyKey[];
  /** The offending value, as given. */
  readonly value?: unknown;
  /** The underlying failure (for example a zod error). */
  readonly cause?: unknown;
}

/**
 * Thrown at construction time for invalid options: a bad threshold, an unknown timeframe,
 * weights that do not sum to 1. Market data itself never causes it.
 *
 * @example
 * ```ts
 * new ConfigError('Expected `period` to be a positive integer, got `0`', { path: ['period'], value: 0 })
 * ```
 */
export class ConfigError extends MarketDataError<'ERR_CONFIG'> {
  /** Where in the options the bad value sits. */
  readonly path: readonly PropertyKey[];
  /** The offending value, as given. */
  readonly value: unknown;

  constructor(message: string, options: ConfigErrorOptions) {
    super('ERR_CONFIG', message, 'cause' in options ? { cause: options.cause } : {});
    this.name = 'ConfigError';
    this.path = options.path;
    this.value = options.value;
  }
}

/**
 * Whether `value` is a {@link ConfigError} from any copy of this library.
 *
 * @example
 * ```ts
 * isConfigError(new ConfigError('bad', { path: [] })) // true
 * ```
 */
export function isConfigError(value: unknown): value is ConfigError {
  return isMarketDataError(value) && value.code === 'ERR_CONFIG';
}
