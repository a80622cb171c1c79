export { aggregateOhlcv, DEFAULT_AGGREGATION } from './aggregate-ohlcv.js';
export type {
  AggregateOptions,
  AggregateDefaults,
  AggregateResult,
  AggregateResults,
  PartialBuckets,
  PartialBucketPolicy,
} from './aggregate-ohlcv.js';
export { AggregateIssueCode } from './aggregate-issue.js';
export type { AggregateIssue, SourceIssue } from './aggregate-issue.js';
export { OhlcvAggregator } from './ohlcv-aggregator.js';
export type { OhlcvAggregatorOptions } from './ohlcv-aggregator.js';
export { ticksToOhlcv } from './ticks-to-ohlcv.js';
export type { TicksToOhlcvOptions } from './ticks-to-ohlcv.js';
export { TickAggregator } from './tick-aggregator.js';
export type { TickAggregatorOptions } from './tick-aggregator.js';
export { alignSources } from './align-sources.js';
export type { AlignSourcesOptions, AlignGrid, AlignedSeries, AlignedSources } from './align-sources.js';
export { mergeSources, MergeOrigin } from './merge-sources.js';
export type { MergeSourcesOptions, MergedSources, SourceDisagreement } from './merge-sources.js';
export { joinHigherTimeframe } from './join-higher-timeframe.js';
export type { JoinedBar } from './join-higher-timeframe.js';
