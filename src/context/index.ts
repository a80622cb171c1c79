export { currentSession } from './current-session.js';
export type { SessionOptions, SessionState } from './current-session.js';
export type { SessionWindow } from './session-window.js';
export { DEFAULT_SESSIONS, DEFAULT_KILLZONES, ICT_KILLZONES } from './default-sessions.js';
export type { SessionName } from './default-sessions.js';
export { floorPivots } from './floor-pivots.js';
export type { FloorPivots, PivotInput } from './floor-pivots.js';
export { weeklyHighLow } from './weekly-high-low.js';
export type { WeeklyHighLow, WeeklyHighLowOptions, WeekChoice } from './weekly-high-low.js';
export { volatilityRegime, DEFAULT_VOLATILITY_THRESHOLDS } from './volatility-regime.js';
export type { VolatilityRegimeResult, VolatilityThresholds } from './volatility-regime.js';
export { trendDirection, DEFAULT_TREND_OPTIONS } from './trend-direction.js';
export type { TrendOptions } from './trend-direction.js';
export { buildMarketContext } from './build-market-context.js';
export type { MarketContextInputs, MarketContextResult, MissingContextField } from './build-market-context.js';
export { DEFAULT_MARKET_CONTEXT_OPTIONS } from './market-context-options.js';
export type {
  MarketContextOptions,
  VolatilityContextOptions,
  WeeklyContextOptions,
  RecentEventsOptions,
} from './market-context-options.js';
