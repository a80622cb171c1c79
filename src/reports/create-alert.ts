import { isoUtc } from '../internal/iso-utc.js';
import type { Alert, AlertSeverity, AlertType } from '../schemas/alert-schema.js';
import type { Timeframe } from '../time/timeframe.js';

/** Inputs of {@link createAlert}. */
export interface AlertInput {
  /** The alert's number in its pipeline's sequence, from 1; becomes `DATA-ALERT-001`. */
  readonly sequence: number;
  /** When the alert is raised, epoch ms. */
  readonly now: number;
  readonly severity: AlertSeverity;
  readonly type: AlertType;
  /** What happened, for a person. */
  readonly message: string;
  /** What is concerned; give only what applies. */
  readonly affected: { readonly symbol?: string; readonly source?: string; readonly timeframe?: Timeframe };
  /** What the pipeline did about it. */
  readonly actionTaken: string;
  /** Whether this escalates to the trading coordinator. */
  readonly escalate: boolean;
}

/**
 * An alert in the specification's format. Ids are `DATA-ALERT-` and the sequence number,
 * zero-padded to at least three digits (`DATA-ALERT-001`, …, `DATA-ALERT-1000`).
 *
 * @example
 * ```ts
 * createAlert({ sequence: 1, now: Date.UTC(2025, 0, 30, 10, 30), severity: 'warning', type: 'data_quality',
 *   message: 'Data feed latency elevated (150ms vs normal 45ms)', affected: { symbol: 'BTCUSD', source: 'exchange_api' },
 *   actionTaken: 'Monitoring, no intervention required', escalate: false }).alert_id // 'DATA-ALERT-001'
 * ```
 */
export function createAlert(input: AlertInput): Alert {
  const affected: Alert['affected'] = {};
  if (input.affected.symbol !== undefined) affected.symbol = input.affected.symbol;
  if (input.affected.source !== undefined) affected.source = input.affected.source;
  if (input.affected.timeframe !== undefined) affected.timeframe = input.affected.timeframe;
  return {
    alert_id: `DATA-ALERT-${String(input.sequence).padStart(3, '0')}`,
    timestamp: isoUtc(input.now),
    severity: input.severity,
    type: input.type,
    message: input.message,
    affected,
    action_taken: input.actionTaken,
    escalate: input.escalate,
  };
}
