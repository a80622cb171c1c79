import { EventEmitter } from 'eventemitter3';
import type { PipelineEvents } from '../pipeline-events.js';

/**
 * A deep copy of `value` in which every plain object and array is frozen; anything else (an
 * error, a class instance, a primitive) is kept as it is. What listeners get, so that none can
 * change what the pipeline stores or delivers.
 */
function frozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = frozenCopy(field);
  return Object.freeze(copy) as T;
}

/**
 * Owns the pipeline's typed events. Listeners are wrapped so that one that throws, or returns a
 * promise that rejects, is reported on `error` (phase `listener`) and changes nothing the
 * pipeline computes or delivers; listeners get a frozen copy of each payload (plain objects and
 * arrays; errors as they are), made once per emit and only when someone listens, so one that
 * edits its event cannot change what sinks receive. Frequent payloads are built only when
 * {@link PipelineEmitter.listened} says someone listens.
 */
export class PipelineEmitter {
  readonly #emitter = new EventEmitter<PipelineEvents>();

  /** Subscribes `listener`; returns the function that unsubscribes it. */
  on<E extends keyof PipelineEvents>(event: E, listener: PipelineEvents[E]): () => void {
    const call = listener as (...args: unknown[]) => unknown;
    const report = (error: unknown): void => {
      if (event !== 'error') this.emit('error', { phase: 'listener', error });
    };
    const safe = (...args: unknown[]): void => {
      try {
        const result = call(...args);
        // An async listener's rejection is reported like a throw, never left unhandled.
        if (isThenable(result)) result.then(undefined, report);
      } catch (error) {
        report(error);
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

  /** Calls every listener of `event` with a frozen copy of the payload (none can throw through). */
  emit<E extends keyof PipelineEvents>(event: E, ...args: Parameters<PipelineEvents[E]>): void {
    if (this.#emitter.listenerCount(event) === 0) return;
    (this.#emitter.emit as (event: E, ...args: unknown[]) => boolean)(event, ...args.map(frozenCopy));
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
