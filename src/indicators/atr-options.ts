import type { IndicatorOutputOptions, SeriesBreakOptions } from './indicator-input.js';

/**
 * How the ATR's warm-up is seeded. Both conventions smooth with Wilder's α = 1/period after
 * the seed; they differ only in where the first value is and what it averages.
 *
 * - `first-range` (StockCharts, Wilder, Lean, Tulip, Achelis): TR₀ = high₀ − low₀; the first
 *   ATR is at index `period − 1` and is the mean of TR₀ … TR₍period−1₎.
 * - `talib` (TA-Lib, technicalindicators, trading-signals): TR is defined from index 1 (it
 *   needs a previous close); the first ATR is at index `period` and is the mean of TR₁ … TRₚₑᵣᵢₒ𝒹.
 */
export const AtrSeed = {
  FirstRange: 'first-range',
  Talib: 'talib',
} as const;

/** One of the values of {@link AtrSeed}. */
export type AtrSeed = (typeof AtrSeed)[keyof typeof AtrSeed];

/** Options of {@link AtrCalculator}; the batch {@link atr} also takes {@link AtrOptions.breaks}. */
export interface AtrCalculatorOptions {
  /**
   * Smoothing period in bars; a positive integer.
   *
   * @defaultValue 14
   */
  readonly period?: number;
  /**
   * Warm-up convention; see {@link AtrSeed}.
   *
   * @defaultValue `'first-range'`
   */
  readonly seed?: AtrSeed;
}

/** Options of {@link atr}. */
export interface AtrOptions extends AtrCalculatorOptions, SeriesBreakOptions, IndicatorOutputOptions {}

/**
 * Defaults of {@link atr} and {@link AtrCalculator}: period 14 (the specification's ATR(14),
 * Wilder), seeded the StockCharts/Wilder way.
 *
 * @defaultValue `{ period: 14, seed: 'first-range' }`
 */
export const DEFAULT_ATR_OPTIONS: Readonly<Required<AtrCalculatorOptions>> = {
  period: 14,
  seed: AtrSeed.FirstRange,
};
