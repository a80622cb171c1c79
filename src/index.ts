/**
 * market-data-pipeline: clean, validated, aligned market data for trading agents and
 * backtesters. Pure modules (no I/O) composed by one `Pipeline`.
 *
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './time/index.js';
export * from './schemas/index.js';
export * from './formats/index.js';
export * from './validate/index.js';
export * from './quality/index.js';
export * from './gaps/index.js';
export * from './preprocess/index.js';
export * from './aggregate/index.js';
export * from './indicators/index.js';
export * from './context/index.js';
export * from './failover/index.js';
export * from './retention/index.js';
export * from './reports/index.js';
export * from './pipeline/index.js';
