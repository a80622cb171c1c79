export { OhlcvSchema } from './ohlcv.js';
export type { Ohlcv, OhlcvNumericField } from './ohlcv.js';
export { isOhlcvColumns } from './ohlcv-columns.js';
export type { OhlcvColumns, OhlcvSeries } from './ohlcv-columns.js';
export { BarFlag, BarFlagCode, BAR_FLAG_BY_CODE, barFlagCode } from './bar-flag.js';
export { TimeframeSchema } from './timeframe-schema.js';
export { MissingFieldSchema } from './missing-field-schema.js';
export type { MissingField } from './missing-field-schema.js';
export {
  CompletenessConfigSchema,
  ValidityConfigSchema,
  FreshnessConfigSchema,
  ConsistencyConfigSchema,
  QualityWeightsSchema,
  EscalationConfigSchema,
  GapStrategiesSchema,
  PreprocessingConfigSchema,
  RetentionSchema,
  RateLimitConfigSchema,
  FeedFailureConfigSchema,
  DeliveryConfigSchema,
  PipelineConfigSchema,
  DEFAULT_COMPLETENESS,
  DEFAULT_VALIDITY,
  DEFAULT_FRESHNESS,
  DEFAULT_CONSISTENCY,
  DEFAULT_QUALITY_WEIGHTS,
  DEFAULT_ESCALATION,
  DEFAULT_GAP_STRATEGIES,
  DEFAULT_PREPROCESSING,
  DEFAULT_RETENTION,
  DEFAULT_RATE_LIMIT,
  BINANCE_WEIGHT_LIMIT,
  DEFAULT_FEED_FAILURE,
  DEFAULT_DELIVERY,
  DEFAULT_CONFIG,
  TradesConfigSchema,
  OrderBookConfigSchema,
  DEFAULT_TRADES,
  DEFAULT_ORDER_BOOK,
} from './config.js';
export type {
  CompletenessConfig,
  ValidityConfig,
  FreshnessConfig,
  ConsistencyConfig,
  QualityWeights,
  EscalationConfig,
  GapStrategies,
  PreprocessingConfig,
  Retention,
  RateLimitConfig,
  FeedFailureConfig,
  DeliveryConfig,
  PipelineConfig,
  TradesConfig,
  OrderBookConfig,
} from './config.js';
export { resolveConfig } from './resolve-config.js';
export type { DeepPartial } from './resolve-config.js';
export { TickSchema } from './tick.js';
export type { Tick } from './tick.js';
export { OrderBookSchema, BookLevelSchema } from './order-book.js';
export type { OrderBook, BookLevel } from './order-book.js';
export { IsoTimestampSchema, IsoDateSchema } from './iso-timestamp-schema.js';
export { DataStatusSchema, HealthStatus, HealthStatusSchema } from './data-status-schema.js';
export type { DataStatus } from './data-status-schema.js';
export { LatestOhlcvSchema, WireBarSchema } from './latest-ohlcv-schema.js';
export { OrderBookSummarySchema } from './order-book-summary-schema.js';
export type { OrderBookSummary } from './order-book-summary-schema.js';
export type { LatestOhlcv, WireBar } from './latest-ohlcv-schema.js';
export {
  MarketContextSchema,
  MarketEventSchema,
  TradingSession,
  TradingSessionSchema,
  Trend,
  TrendSchema,
  VolatilityRegime,
  VolatilityRegimeSchema,
} from './market-context-schema.js';
export type { MarketContext, MarketEvent } from './market-context-schema.js';
export {
  QualityReportSchema,
  QualityIssueSchema,
  QualityIssueType,
  QualityIssueTypeSchema,
  IssueResolution,
  IssueResolutionSchema,
} from './quality-report-schema.js';
export type { QualityReport, QualityIssue } from './quality-report-schema.js';
export {
  DataRequestSchema,
  DataFormat,
  DataFormatSchema,
  RequestPriority,
  RequestPrioritySchema,
  RequestType,
} from './data-request-schema.js';
export type { DataRequest } from './data-request-schema.js';
export { DataResponseSchema, DataResponseStatus } from './data-response-schema.js';
export type { DataResponse } from './data-response-schema.js';
export { AlertSchema, AlertSeverity, AlertSeveritySchema, AlertType, AlertTypeSchema } from './alert-schema.js';
export type { Alert } from './alert-schema.js';
export { parseOhlcv } from './parse-ohlcv.js';
export { parseTicks } from './parse-ticks.js';
export { parseOrderBook } from './parse-order-book.js';
export type { ParseOptions, ParseResult } from './parse-result.js';
export { parseOhlcvColumns } from './parse-ohlcv-columns.js';
export type { ParsedOhlcvColumns } from './parse-ohlcv-columns.js';
