/**
 * Tools for testing code that uses market-data-pipeline: seeded generators of bars and
 * trades that report the gaps and faults they contain, a hand-driven clock, a simulated
 * exchange with scripted faults (`SimulatedSource`) and a recording sink (`MemorySink`).
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
export { SimulatedSource } from './simulated-source.js';
export type { SimulatedSourceOptions, SimulatedRequest, SimulatedOutcome } from './simulated-source-options.js';
export { SOURCE_FAULT_KINDS, BAD_ROW_KINDS } from './source-fault.js';
export type { SourceFault, SourceFaultKind, SourceFaultWhen, BadRowKind } from './source-fault.js';
export { randomFaultScript } from './random-fault-script.js';
export type { RandomFaultScriptOptions } from './random-fault-script.js';
export { MemorySink } from './memory-sink.js';
export type { MemorySinkOptions, MemorySinkFailure, MemorySinkWrite, MemorySinkWriteOutcome, BarDelivery } from './memory-sink-options.js';
