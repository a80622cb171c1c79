/**
 * The answer of a `SimulatedSource` request to the fault step that decides it (`empty`, `hang`,
 * `timeout`, `outage`, `error`, `rate_limited`, `banned`): an empty answer, a wait for the
 * abort, or a `SourceError` like the one a real exchange gives. Never exported from the package.
 */
import type { SourceError, SourceErrorOptions } from '../../errors/source-error.js';
import { isoUtc } from '../../internal/iso-utc.js';
import type { OhlcvAnswer } from '../../pipeline/source.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { SimulatedOutcome } from '../simulated-source-options.js';
import type { ResolvedFault } from './fault-script.js';
import { waitForAbort } from './wait-for-abort.js';

const MINUTE = 60_000;
/** How long a `banned` step without `retryAfterMs` or end bans for, ms. */
const BAN_MS = 120_000;

/**
 * Answers a request by `fault`, writing its `outcome` into `entry` first. Rejects with
 * `fail(message, options)` for the failing steps; `at` is the request's clock time (epoch ms).
 */
export async function answerFault(
  fault: ResolvedFault,
  entry: { outcome: SimulatedOutcome },
  at: number,
  signal: AbortSignal | undefined,
  fail: (message: string, options: Omit<SourceErrorOptions, 'source'>) => SourceError,
): Promise<OhlcvAnswer> {
  const step = fault.step;
  switch (step.kind) {
    case 'empty':
      entry.outcome = 'empty';
      return { rows: [] };
    case 'hang':
      return waitForAbort(signal);
    case 'timeout':
      entry.outcome = 'timeout';
      throw fail('simulated timeout', { kind: 'timeout' });
    case 'outage':
      entry.outcome = 'outage';
      throw fail(`simulated outage until ${isoUtc(fault.to)}`, { kind: 'network' });
    case 'error':
      entry.outcome = 'error';
      if (step.failure === 'server_error') {
        const status = step.status ?? 500;
        throw fail(`HTTP ${status}: simulated server error`, { kind: 'server_error', status });
      }
      throw fail('simulated network error (connection reset)', { kind: 'network' });
    case 'rate_limited': {
      entry.outcome = 'rate_limited';
      const retryAfterMs = step.retryAfterMs ?? bucketStart(at, '1m') + MINUTE - at;
      throw fail(`HTTP 429: too many requests, retry after ${retryAfterMs} ms`, {
        kind: 'rate_limited',
        status: 429,
        retryAfterMs,
        ...(step.usedWeight === undefined ? {} : { usedWeight: step.usedWeight }),
      });
    }
    case 'banned': {
      entry.outcome = 'banned';
      const retryAfterMs = step.retryAfterMs ?? (Number.isFinite(fault.to) ? fault.to - at : BAN_MS);
      throw fail(`HTTP 418: IP banned for ${retryAfterMs} ms`, { kind: 'banned', status: 418, retryAfterMs });
    }
    default:
      return { rows: [] };
  }
}
