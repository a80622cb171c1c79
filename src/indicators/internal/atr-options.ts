/**
 * ATR option checks and the synthetic-bar test of the `indicators/` kernels. Never exported from the
 * package.
 */
import { ConfigError } from '../../errors/config-error.js';
import { BarFlag, BarFlagCode } from '../../schemas/bar-flag.js';
import { AtrSeed, DEFAULT_ATR_OPTIONS, type AtrCalculatorOptions } from '../atr-options.js';

/** ATR options after defaults and checks. */
export interface ResolvedAtrOptions {
  readonly period: number;
  readonly talib: boolean;
}

/** Applies the defaults of `DEFAULT_ATR_OPTIONS` and throws `ConfigError` on a bad value. */
export function resolveAtrOptions(options: AtrCalculatorOptions | undefined): ResolvedAtrOptions {
  const period: unknown = options?.period ?? DEFAULT_ATR_OPTIONS.period;
  if (typeof period !== 'number' || !Number.isSafeInteger(period) || period < 1) {
    throw new ConfigError(`Expected \`period\` to be a positive integer, got \`${String(period)}\``, {
      path: ['period'],
      value: period,
    });
  }
  return { period, talib: isTalibSeed(options?.seed) };
}

/** Whether `seed` (default `DEFAULT_ATR_OPTIONS.seed`) is `'talib'`; throws `ConfigError` when unknown. */
export function isTalibSeed(seed: AtrSeed | undefined): boolean {
  const value: string = seed ?? DEFAULT_ATR_OPTIONS.seed;
  if (value !== AtrSeed.FirstRange && value !== AtrSeed.Talib) {
    throw new ConfigError(`Expected \`seed\` to be 'first-range' or 'talib', got \`${value}\``, {
      path: ['seed'],
      value,
    });
  }
  return value === AtrSeed.Talib;
}

/** Whether a `BarFlagCode` marks a bar the library made up (interpolated or forward-filled). */
export function isSyntheticCode(code: number | undefined): boolean {
  return code === BarFlagCode.Interpolated || code === BarFlagCode.ForwardFilled;
}

/** Whether a row flag marks a bar the library made up (interpolated or forward-filled). */
export function isSyntheticFlag(flag: string | undefined): boolean {
  return flag === BarFlag.Interpolated || flag === BarFlag.ForwardFilled;
}
