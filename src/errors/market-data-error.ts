/**
 * The brand every error of this library carries. It is a registered symbol
 * (`Symbol.for`), so the guards work even when two copies of the package are loaded.
 */
const BRAND: unique symbol = Symbol.for('market-data-pipeline.error') as never;

/** Options accepted by {@link MarketDataError}. */
export interface MarketDataErrorOptions {
  /** The underlying failure, kept for diagnosis. */
  readonly cause?: unknown;
}

/**
 * Base class of every error this library throws or rejects with.
 *
 * Bad market data never throws (it becomes issues, flags and reports); errors are for
 * bad options ({@link ConfigError}) and runtime failures (sources, sinks, aborts).
 * Each subclass has a literal `code`; test for it with a guard such as
 * {@link isMarketDataError} rather than `instanceof`, which fails across package copies.
 *
 * @example
 * ```ts
 * try { resolveConfig({ weights: { completeness: -1 } }) }
 * catch (error) { if (isConfigError(error)) console.log(error.code) } // 'ERR_CONFIG'
 * ```
 */
export class MarketDataError<Code extends string = string> extends Error {
  /** A stable, machine-readable identifier such as `'ERR_CONFIG'`. */
  readonly code: Code;
  /** @internal */
  readonly [BRAND] = true;

  constructor(code: Code, message: string, options: MarketDataErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'MarketDataError';
    this.code = code;
  }
}

/**
 * Whether `value` is an error thrown by this library (any copy of it).
 *
 * @example
 * ```ts
 * isMarketDataError(new ConfigError('bad', { path: ['x'], value: 1 })) // true
 * isMarketDataError(new Error('x')) // false
 * ```
 */
export function isMarketDataError(value: unknown): value is MarketDataError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
