/**
 * market-data-pipeline: clean, validated, aligned market data for trading agents and
 * backtesters. Pure modules (no I/O) composed by one `Pipeline`.
 *
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './time/index.js';
export * from './schemas/index.js';
