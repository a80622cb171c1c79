import type { Clock } from '../clock.js';
import { Alarm } from './alarm.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

/** A job a started pipeline runs per symbol at its own interval (trades, order books). */
export interface PeriodicJob {
  /** When `symbol`'s next run is due, epoch ms (`-Infinity`: at once); it must move past now after each run. */
  readonly dueAt: (symbol: string) => number;
  /** One run for `symbol` (it takes the symbol's lock itself). */
  readonly run: (symbol: string, signal: AbortSignal) => Promise<void>;
}

/**
 * One loop per symbol running `job` when it is due, each settling (never rejecting) when
 * `signal` aborts. A run that fails is reported on `error` (phase `cycle`) and the loop goes on
 * at the next due time; the loops wait on the injected clock only.
 */
export function periodicLoops(
  symbols: readonly string[],
  signal: AbortSignal,
  job: PeriodicJob,
  units: { readonly clock: Clock; readonly emitter: PipelineEmitter },
): Promise<void>[] {
  const alarms = symbols.map(() => new Alarm());
  signal.addEventListener('abort', () => alarms.forEach((alarm) => alarm.ring()), { once: true });
  return symbols.map(async (symbol, i) => {
    const alarm = alarms[i] ?? new Alarm();
    const { clock, emitter } = units;
    // Bounded by `signal`: each round runs (which moves `dueAt` past now) or sleeps until `dueAt`.
    while (!signal.aborted) {
      if (clock.now() >= job.dueAt(symbol)) {
        try {
          await job.run(symbol, signal);
        } catch (error) {
          if (signal.aborted) return;
          emitter.emit('error', { phase: 'cycle', error, symbol });
        }
      }
      if (!signal.aborted) await alarm.sleepUntil(clock, Math.max(job.dueAt(symbol), clock.now() + 1));
    }
  });
}
