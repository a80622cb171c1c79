export { toColumns } from './to-columns.js';
export { toRows } from './to-rows.js';
export { fromCcxtOhlcv } from './from-ccxt-ohlcv.js';
export { toCcxtOhlcv } from './to-ccxt-ohlcv.js';
export type { CcxtOhlcv } from './to-ccxt-ohlcv.js';
export { fromBinanceKlines } from './from-binance-klines.js';
export { fromCcxtTrades } from './from-ccxt-trades.js';
