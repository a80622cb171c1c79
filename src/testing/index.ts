/**
 * Tools for testing code that uses market-data-pipeline: seeded generators of bars and
 * trades that report the gaps and faults they contain, and a hand-driven clock.
 * Import from `market-data-pipeline/testing`.
 *
 * @packageDocumentation
 */
export { generateOhlcv } from './generate-ohlcv.js';
export type { GeneratedOhlcv } from './generate-ohlcv.js';
export { generateOhlcvColumns } from './generate-ohlcv-columns.js';
export type { GeneratedOhlcvColumns } from './generate-ohlcv-columns.js';
export { ANOMALY_RULES, DEFAULT_GENERATE_OHLCV } from './generate-ohlcv-options.js';
export type {
  AnomalyRule,
  GenerateOhlcvOptions,
  GeneratedGap,
  GeneratedDuplicate,
  GeneratedAnomaly,
  GeneratedTruth,
} from './generate-ohlcv-options.js';
export { generateTicks, DEFAULT_GENERATE_TICKS } from './generate-ticks.js';
export type { GenerateTicksOptions } from './generate-ticks.js';
export { ManualClock } from './manual-clock.js';
