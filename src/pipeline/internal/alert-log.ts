import { createAlert, type AlertInput } from '../../reports/create-alert.js';
import type { Alert } from '../../schemas/alert-schema.js';
import { DAY_MS } from '../../time/timeframe.js';
import type { Delivery } from './delivery.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

/**
 * Owns the alerts: numbers them (`DATA-ALERT-001`, … across restarts, through the checkpoint),
 * emits and delivers each one, and keeps those of the last 24 hours for the market context.
 */
export class AlertLog {
  readonly #emitter: PipelineEmitter;
  readonly #delivery: Delivery;
  #sequence = 0;
  #alerts: Alert[] = [];

  constructor(emitter: PipelineEmitter, delivery: Delivery) {
    this.#emitter = emitter;
    this.#delivery = delivery;
  }

  /** Number of the last alert raised (0 before the first). */
  get sequence(): number {
    return this.#sequence;
  }

  /** Raises an alert at `now` (epoch ms): numbered, emitted on `alert` and queued for every sink. */
  raise(input: Omit<AlertInput, 'sequence' | 'now'>, now: number): Alert {
    const alert = createAlert({ ...input, sequence: ++this.#sequence, now });
    this.#alerts.push(alert);
    this.#emitter.emit('alert', alert);
    this.#delivery.enqueue({ kind: 'alert', alert });
    return alert;
  }

  /** The alerts raised in the 24 hours before `now`, oldest first (older ones are forgotten). */
  recent(now: number): readonly Alert[] {
    const dayAgo = now - DAY_MS;
    this.#alerts = this.#alerts.filter((alert) => Date.parse(alert.timestamp) >= dayAgo);
    return this.#alerts;
  }

  /** Continues the numbering of a checkpoint. */
  restore(sequence: number): void {
    this.#sequence = sequence;
  }
}
