import { ConfigError } from '../errors/config-error.js';
import { mulberry32 } from './internal/seeded-random.js';
import { SOURCE_FAULT_KINDS, type SourceFault, type SourceFaultKind } from './source-fault.js';

/** Options of {@link randomFaultScript}. */
export interface RandomFaultScriptOptions {
  /** Seed; the same options always give the same script. An integer. */
  readonly seed: number;
  /** Earliest start of a step, epoch ms (inclusive). */
  readonly start: number;
  /** Latest start of a step, epoch ms (exclusive); after `start`. */
  readonly end: number;
  /**
   * Number of steps.
   * @defaultValue 8
   */
  readonly steps?: number;
  /**
   * Kinds to draw from, uniformly.
   * @defaultValue every kind of {@link SOURCE_FAULT_KINDS}
   */
  readonly kinds?: readonly SourceFaultKind[];
  /**
   * When given, each step is limited to one of these symbols with probability one half.
   * @defaultValue steps apply to every symbol
   */
  readonly symbols?: readonly string[];
  /**
   * Longest `outage` or `banned` window, ms (each is uniform in 1 s … this). Keep it below
   * the failover's "source unavailable" limit so that recovery is possible.
   * @defaultValue 300000 (5 minutes)
   */
  readonly maxOutageMs?: number;
  /**
   * Longest `latency`, ms (uniform in 1 ms … this).
   * @defaultValue 10000
   */
  readonly maxLatencyMs?: number;
  /**
   * Largest `times` of a counted step (uniform in 1 … this).
   * @defaultValue 3
   */
  readonly maxTimes?: number;
}

function check(ok: boolean, key: string, value: unknown, expected: string): void {
  if (!ok) throw new ConfigError(`Expected \`${key}\` to be ${expected}, got \`${String(value)}\``, { path: [key], value });
}

/**
 * Draws a reproducible fault script for a `SimulatedSource`, for reliability tests that run
 * many seeded schedules. Each step starts at a uniform time in `[start, end)`:
 *
 * - `outage` and `banned` get a window of 1 s … `maxOutageMs` (a ban's `retryAfterMs` is the
 *   rest of its window);
 * - every other kind acts on the next `1 … maxTimes` matching requests from its start
 *   (`latency` with `1 … maxLatencyMs` ms; `error` as `network` or a 500/502/503
 *   `server_error`; `rate_limited` with a `retryAfterMs` of 1 … 60 s).
 *
 * Steps come back sorted by start. Outages never cover all time: each is bounded, so with a
 * bounded number of steps there are always stretches of clean service.
 *
 * @param options - see {@link RandomFaultScriptOptions}.
 * @returns The script.
 * @throws ConfigError on an invalid option.
 *
 * @example
 * ```ts
 * const T0 = Date.UTC(2025, 0, 1);
 * const faults = randomFaultScript({ seed: 42, start: T0, end: T0 + 6 * 3_600_000, steps: 5 });
 * faults.length                                // 5
 * faults.every((f) => (f.from ?? 0) >= T0)     // true
 * randomFaultScript({ seed: 42, start: T0, end: T0 + 6 * 3_600_000, steps: 5 }) // the same steps again
 * new SimulatedSource({ clock, faults });
 * ```
 */
export function randomFaultScript(options: RandomFaultScriptOptions): SourceFault[] {
  const { seed, start, end } = options;
  check(Number.isSafeInteger(seed), 'seed', seed, 'an integer');
  check(Number.isFinite(start), 'start', start, 'epoch milliseconds');
  check(Number.isFinite(end) && end > start, 'end', end, `epoch milliseconds after \`start\` (${start})`);
  const steps = options.steps ?? 8;
  check(Number.isSafeInteger(steps) && steps >= 0, 'steps', steps, 'a non-negative integer');
  const kinds = options.kinds ?? SOURCE_FAULT_KINDS;
  check(
    kinds.length > 0 && kinds.every((k) => (SOURCE_FAULT_KINDS as readonly string[]).includes(k)),
    'kinds',
    kinds,
    `a non-empty list of ${SOURCE_FAULT_KINDS.join(', ')}`,
  );
  const symbols = options.symbols ?? [];
  const maxOutageMs = options.maxOutageMs ?? 300_000;
  check(Number.isFinite(maxOutageMs) && maxOutageMs >= 1000, 'maxOutageMs', maxOutageMs, 'at least 1000 ms');
  const maxLatencyMs = options.maxLatencyMs ?? 10_000;
  check(Number.isFinite(maxLatencyMs) && maxLatencyMs >= 1, 'maxLatencyMs', maxLatencyMs, 'at least 1 ms');
  const maxTimes = options.maxTimes ?? 3;
  check(Number.isSafeInteger(maxTimes) && maxTimes >= 1, 'maxTimes', maxTimes, 'a positive integer');

  const random = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const script: SourceFault[] = [];
  for (let s = 0; s < steps; s++) {
    const kind = kinds[Math.floor(random() * kinds.length)] as SourceFaultKind;
    const from = start + Math.floor(random() * (end - start));
    const only = symbols.length > 0 && random() < 0.5 ? { symbols: [symbols[Math.floor(random() * symbols.length)] as string] } : {};
    const times = int(1, maxTimes);
    const durationMs = int(1000, Math.floor(maxOutageMs));
    switch (kind) {
      case 'outage':
        script.push({ kind, from, durationMs, ...only });
        break;
      case 'banned':
        script.push({ kind, from, durationMs, ...only });
        break;
      case 'latency':
        script.push({ kind, from, times, ms: int(1, Math.floor(maxLatencyMs)), ...only });
        break;
      case 'error': {
        const server = random() < 0.5;
        script.push(
          server
            ? { kind, from, times, failure: 'server_error', status: [500, 502, 503][int(0, 2)] as number, ...only }
            : { kind, from, times, failure: 'network', ...only },
        );
        break;
      }
      case 'rate_limited':
        script.push({ kind, from, times, retryAfterMs: int(1, 60) * 1000, ...only });
        break;
      case 'bad_rows':
      case 'duplicates':
      case 'out_of_order':
        script.push({ kind, from, times, seed: int(0, 0x7fffffff), ...only });
        break;
      case 'timeout':
      case 'hang':
      case 'empty':
        script.push({ kind, from, times, ...only });
        break;
    }
  }
  return script.sort((a, b) => (a.from ?? 0) - (b.from ?? 0));
}
