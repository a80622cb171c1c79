/**
 * The pipeline's name for the quality module's streaming tracker, until the pipeline calls
 * `QualityTracker` (and its `score`) directly. Not exported from the package.
 */
export { QualityTracker as QualityLedger } from '../quality/quality-tracker.js';
