export type {
  CloseRow,
  CloseColumns,
  CloseSeries,
  HighLowCloseRow,
  HighLowCloseColumns,
  HighLowCloseSeries,
  SeriesBreakOptions,
  IndicatorOutputOptions,
  ReturnsOptions,
} from './indicator-input.js';
export { returns } from './returns.js';
export { logReturns } from './log-returns.js';
export { trueRange } from './true-range.js';
export type { TrueRangeOptions } from './true-range.js';
export { AtrSeed, DEFAULT_ATR_OPTIONS } from './atr-options.js';
export type { AtrOptions, AtrCalculatorOptions } from './atr-options.js';
export { atr } from './atr.js';
export { AtrCalculator } from './atr-calculator.js';
export { dailyStats } from './daily-stats.js';
export type { DailyStats, DailyStatsRow, DailyStatsColumns } from './daily-stats.js';
