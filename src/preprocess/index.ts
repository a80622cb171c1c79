export { dedupe } from './dedupe.js';
export type { DedupeOptions, DedupeResult } from './dedupe.js';
export type { DuplicateIssue, DuplicatePolicy } from './duplicate-issue.js';
export { sortByTime } from './sort-by-time.js';
export { handleOutliers } from './handle-outliers.js';
export type { HandleOutliersOptions, HandleOutliersResult } from './handle-outliers.js';
export { OutlierHandler } from './outlier-handler.js';
export type { OutlierHandlerOptions, HandledBar } from './outlier-handler.js';
export type { OutlierMethod } from './outlier-method.js';
export { normalize } from './normalize.js';
export type { NormalizeMethod, NormalizeOptions } from './normalize.js';
export { preprocess } from './preprocess.js';
export type {
  PreprocessOptions,
  PreprocessResult,
  PreprocessReport,
  PreprocessDuplicates,
  PreprocessGaps,
  PreprocessOutliers,
} from './preprocess.js';
