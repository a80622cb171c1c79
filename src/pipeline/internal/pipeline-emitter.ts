import { EventEmitter } from 'eventemitter3';
import type { PipelineEvents } from '../pipeline-events.js';

/**
 * Owns the pipeline's typed events. Listeners are wrapped so that one that throws is reported
 * on `error` (phase `listener`) and changes nothing the pipeline computes or delivers; frequent
 * payloads are built only when {@link PipelineEmitter.listened} says someone listens.
 */
export class PipelineEmitter {
  readonly #emitter = new EventEmitter<PipelineEvents>();

  /** Subscribes `listener`; returns the function that unsubscribes it. */
  on<E extends keyof PipelineEvents>(event: E, listener: PipelineEvents[E]): () => void {
    const call = listener as (...args: unknown[]) => void;
    const safe = (...args: unknown[]): void => {
      try {
        call(...args);
      } catch (error) {
        if (event !== 'error') this.emit('error', { phase: 'listener', error });
      }
    };
    this.#emitter.on(event, safe);
    return () => {
      this.#emitter.off(event, safe);
    };
  }

  /** Whether anyone listens to `event`. */
  listened(event: keyof PipelineEvents): boolean {
    return this.#emitter.listenerCount(event) > 0;
  }

  /** Calls every listener of `event` (none can throw through). */
  emit<E extends keyof PipelineEvents>(event: E, ...args: Parameters<PipelineEvents[E]>): void {
    (this.#emitter.emit as (event: E, ...args: unknown[]) => boolean)(event, ...args);
  }
}
