import { z } from 'zod';
import { IsoTimestampSchema } from './iso-timestamp-schema.js';
import { TimeframeSchema } from './timeframe-schema.js';

/**
 * How urgent an alert is.
 *
 * - `info`: for the record, nothing to do;
 * - `warning`: degraded but handled (latency up, a gap filled, a failover done);
 * - `critical`: data cannot be trusted or is not arriving; usually escalated.
 */
export const AlertSeverity = {
  Info: 'info',
  Warning: 'warning',
  Critical: 'critical',
} as const;

/** One of the values of {@link AlertSeverity}. */
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/** zod schema of {@link AlertSeverity}. */
export const AlertSeveritySchema = z.enum([AlertSeverity.Info, AlertSeverity.Warning, AlertSeverity.Critical]);

/**
 * What an alert is about.
 *
 * - `data_quality`: a quality score or metric below its threshold (the specification's example);
 * - `feed`: a source timed out, errored or came back;
 * - `gap`: missing bars detected (filled or marked missing);
 * - `stale_data`: the newest bar is older than the freshness limit;
 * - `failover`: the pipeline switched source or fell back to the cache;
 * - `rate_limit`: a source refused requests (HTTP 429/418) or the local limiter is saturated;
 * - `escalation`: an escalation trigger fired (feed offline, quality below 0.8, critical
 *   gaps, a source unavailable for more than 5 minutes).
 */
export const AlertType = {
  DataQuality: 'data_quality',
  Feed: 'feed',
  Gap: 'gap',
  StaleData: 'stale_data',
  Failover: 'failover',
  RateLimit: 'rate_limit',
  Escalation: 'escalation',
} as const;

/** One of the values of {@link AlertType}. */
export type AlertType = (typeof AlertType)[keyof typeof AlertType];

/** zod schema of {@link AlertType}. */
export const AlertTypeSchema = z.enum([
  AlertType.DataQuality,
  AlertType.Feed,
  AlertType.Gap,
  AlertType.StaleData,
  AlertType.Failover,
  AlertType.RateLimit,
  AlertType.Escalation,
]);

/**
 * The specification's alert document. `alert_id` is unique per pipeline (the specification
 * numbers them: `DATA-ALERT-001`); `timestamp` is when the alert was raised (ISO-8601 UTC);
 * `affected` names what is concerned — each of `symbol`, `source` and `timeframe` is given
 * only when it applies (a feed alert has no symbol); `action_taken` says what the pipeline
 * did; `escalate` whether it escalates to the coordinator. Unknown keys are stripped.
 *
 * @example
 * ```ts
 * AlertSchema.parse(JSON.parse(text)).severity // 'warning'
 * ```
 */
export const AlertSchema = z.object({
  alert_id: z.string().min(1),
  timestamp: IsoTimestampSchema,
  severity: AlertSeveritySchema,
  type: AlertTypeSchema,
  message: z.string(),
  affected: z.object({
    symbol: z.string().min(1).optional(),
    source: z.string().min(1).optional(),
    timeframe: TimeframeSchema.optional(),
  }),
  action_taken: z.string(),
  escalate: z.boolean(),
});

/** The alert document; see {@link AlertSchema}. */
export type Alert = z.output<typeof AlertSchema>;
