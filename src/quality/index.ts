export { QualityCheck } from './quality-finding.js';
export type { QualityFinding } from './quality-finding.js';
export { OutlierRule } from './outlier-rule.js';
export { detectOutliers } from './detect-outliers.js';
export type { OutlierResult } from './detect-outliers.js';
export type { Outlier } from './outlier.js';
export { checkCompleteness } from './check-completeness.js';
export type { CheckCompletenessOptions } from './check-completeness.js';
export type { CompletenessResult, MissingRun, DailyMissing } from './completeness-result.js';
export { isCriticalGap } from './is-critical-gap.js';
export { checkValidity } from './check-validity.js';
export type { CheckValidityOptions, ValidityResult } from './check-validity.js';
export { checkFreshness } from './check-freshness.js';
export type { CheckFreshnessOptions, FreshnessResult } from './check-freshness.js';
export { checkConsistency } from './check-consistency.js';
export type {
  CheckConsistencyOptions,
  ConsistencyResult,
  ConsistencyReference,
  SourceReference,
  BaseReference,
  ConsistencyField,
  FieldDifference,
  Disagreement,
} from './check-consistency.js';
export { scoreQuality } from './score-quality.js';
export type { ScoreQualityOptions, QualityScore, QualityMetrics, QualityConfig } from './score-quality.js';
export { EscalationTrigger } from './escalation-trigger.js';
export { evaluateEscalation } from './evaluate-escalation.js';
export type { EscalationState, EscalationGap, UnavailableSource, EscalationReason, EscalationDecision } from './evaluate-escalation.js';
export { QualityTracker } from './quality-tracker.js';
export type { TrackedQuality } from './quality-tracker.js';
