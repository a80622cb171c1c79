export { MarketDataError, isMarketDataError } from './market-data-error.js';
export type { MarketDataErrorOptions } from './market-data-error.js';
export { ConfigError, isConfigError } from './config-error.js';
export type { ConfigErrorOptions } from './config-error.js';
export type { Result, DataIssue } from './result.js';
