export type { Clock } from './clock.js';
export { systemClock } from './system-clock.js';
export type { Source, OhlcvRequest, OhlcvAnswer, TradesRequest, OrderBookRequest } from './source.js';
export type {
  Sink,
  SinkRecord,
  SinkWriteResult,
  SinkWriteOptions,
  RevisedBar,
  BarsRecord,
  FormingBarRecord,
  DocumentRecord,
  DocumentBodies,
  DocumentName,
  AlertRecord,
  DatasetRecord,
  TicksRecord,
  OrderBookRecord,
} from './sink.js';
export type { Store, StoreSnapshot } from './store.js';
export { MemoryStore } from './memory-store.js';
export type { PipelineEvents } from './pipeline-events.js';
export type { PipelineOptions, PipelineCheckpoint, SymbolCheckpoint } from './pipeline-options.js';
export { DEFAULT_SINK_OVERFLOW_SIZE } from './pipeline-options.js';
export { Pipeline } from './pipeline.js';
