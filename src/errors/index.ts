export { MarketDataError, isMarketDataError } from './market-data-error.js';
export type { MarketDataErrorOptions } from './market-data-error.js';
export { ConfigError, isConfigError } from './config-error.js';
export type { ConfigErrorOptions } from './config-error.js';
export type { Result, DataIssue } from './result.js';
export { SourceError, isSourceError } from './source-error.js';
export type { SourceErrorOptions, SourceFailureKind } from './source-error.js';
export { SinkError, isSinkError } from './sink-error.js';
export type { SinkErrorOptions } from './sink-error.js';
