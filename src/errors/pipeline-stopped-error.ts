import { isMarketDataError, MarketDataError } from './market-data-error.js';

/**
 * The pipeline was stopped: `runOnce()` or `flush()` was called after `stop()`, or a cycle was
 * still running when `stop()` was called. A stopped pipeline delivers nothing more; its
 * undelivered records are kept by `checkpoint()` for the pipeline that resumes from it.
 *
 * @example
 * ```ts
 * await pipeline.stop();
 * await pipeline.runOnce().catch((error) => isPipelineStoppedError(error)); // true
 * ```
 */
export class PipelineStoppedError extends MarketDataError<'ERR_PIPELINE_STOPPED'> {
  constructor(message = 'The pipeline is stopped') {
    super('ERR_PIPELINE_STOPPED', message);
    this.name = 'PipelineStoppedError';
  }
}

/**
 * Whether `value` is a {@link PipelineStoppedError} from any copy of this library.
 *
 * @example
 * ```ts
 * isPipelineStoppedError(new PipelineStoppedError()) // true
 * ```
 */
export function isPipelineStoppedError(value: unknown): value is PipelineStoppedError {
  return isMarketDataError(value) && value.code === 'ERR_PIPELINE_STOPPED';
}
