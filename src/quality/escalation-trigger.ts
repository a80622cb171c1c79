/**
 * The specification's escalation triggers ("Escalate to trading-coordinator when …").
 *
 * - `feed_offline`: the data feed went offline;
 * - `quality_below`: the quality score dropped below `qualityBelow` (0.8);
 * - `critical_gap`: a critical gap ended within the last `recentGapWindowMs` (1 hour);
 * - `source_unavailable`: a source has been unavailable for more than `sourceUnavailableMs` (5 minutes).
 */
export const EscalationTrigger = {
  FeedOffline: 'feed_offline',
  QualityBelow: 'quality_below',
  CriticalGap: 'critical_gap',
  SourceUnavailable: 'source_unavailable',
} as const;

/** One of the values of {@link EscalationTrigger}. */
export type EscalationTrigger = (typeof EscalationTrigger)[keyof typeof EscalationTrigger];
