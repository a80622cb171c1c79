export { retentionCutoff } from './retention-cutoff.js';
export { applyRetention } from './apply-retention.js';
export type { RetentionRemoval, RetentionResult } from './apply-retention.js';
