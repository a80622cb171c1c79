import type { Clock } from '../clock.js';
import { Alarm } from './alarm.js';
import type { DocumentPublisher } from './document-publisher.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import type { Poller } from './poller.js';

/** What the loops of a started pipeline work with. */
export interface RunLoopUnits {
  readonly poller: Poller;
  readonly publisher: DocumentPublisher;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
  /** Per symbol: rung when its feed or stream changed. */
  readonly alarms: ReadonlyMap<string, Alarm>;
  /** Runs `task` under the symbol's lock. */
  readonly exclusive: (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * The loops of a started pipeline, one per symbol and one for the documents, each settling
 * (never rejecting) when `signal` aborts. Each symbol keeps its own pace: it is polled when the
 * poller's schedule says ({@link Poller.dueAt}: after each bar closes, at the feed's ladder
 * steps, when a limiter's wait ends, while a due bar is late), so a symbol whose source hangs,
 * is banned or is throttled holds up no other. The documents are built when something changed,
 * at most once per update interval ({@link DocumentPublisher.nextAt}).
 */
export function runLoops(symbols: readonly string[], signal: AbortSignal, units: RunLoopUnits): Promise<void>[] {
  const alarms = [...units.alarms.values(), units.publisher.alarm];
  // One listener wakes every loop when the pipeline stops (not one per sleeping loop).
  const wakeAll = (): void => {
    for (const alarm of alarms) alarm.ring();
  };
  signal.addEventListener('abort', wakeAll, { once: true });
  return [...symbols.map((symbol) => pollLoop(symbol, signal, units)), publishLoop(signal, units)];
}

async function pollLoop(symbol: string, signal: AbortSignal, units: RunLoopUnits): Promise<void> {
  const { poller, clock, emitter, exclusive } = units;
  const alarm = units.alarms.get(symbol) ?? new Alarm();
  // Bounded by `signal`: every round either cycles (which moves `dueAt` past now) or sleeps until `dueAt`.
  while (!signal.aborted) {
    if (clock.now() >= poller.dueAt(symbol)) {
      try {
        if (poller.isCurrent(symbol)) poller.rest(symbol);
        else await exclusive(symbol, () => poller.cycle(symbol, signal), signal);
      } catch (error) {
        if (signal.aborted) return;
        emitter.emit('error', { phase: 'cycle', error, symbol });
        poller.rest(symbol);
      }
    }
    if (!signal.aborted) await alarm.sleepUntil(clock, poller.dueAt(symbol));
  }
}

async function publishLoop(signal: AbortSignal, units: RunLoopUnits): Promise<void> {
  const { publisher, clock, emitter } = units;
  while (!signal.aborted) {
    try {
      await publisher.publish(clock.now(), signal);
    } catch (error) {
      if (signal.aborted) return;
      emitter.emit('error', { phase: 'cycle', error });
    }
    if (!signal.aborted) await publisher.alarm.sleepUntil(clock, publisher.nextAt(clock.now()));
  }
}
