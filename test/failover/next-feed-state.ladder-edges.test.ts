import { describe, expect, it } from 'vitest';
import { resolveFeedPolicy } from '../../src/failover/feed-policy.js';
import { nextFeedDeadline } from '../../src/failover/next-feed-deadline.js';
import { fail, finalState, limited, ok, runScript, tick } from './feed-script.js';

/**
 * The failover ladder's smaller promises, each from its TSDoc: the retry goes out when a
 * Retry-After still in force ends, or now; a feed cached on stale data switches back to a
 * recovered primary without a `resume` (only a halted feed resumes); a backup failing while the
 * primary is healthy changes nothing; a `bad_data` answer is an answer; the next deadline is the
 * earliest of the steps and the escalations.
 */
describe('nextFeedState: the ladder’s edges', () => {
  it('retries at once when the primary’s Retry-After ended before the retry was due', () => {
    // A 429 with a 1 s Retry-After at 0 (a back-off, not an outage), a timeout at 2 s: detected,
    // retry due at 7 s, when the Retry-After ended long ago.
    const results = runScript([
      { at: 0, event: limited('primary', 1000) },
      { at: 2000, event: fail('primary', 'timeout') },
      { at: 7000, event: tick },
    ]);
    expect(results[2]?.actions).toContainEqual({ kind: 'retry', source: 'primary', at: 7000 });
  });

  it('waits for a Retry-After still in force at the retry', () => {
    const results = runScript([
      { at: 0, event: limited('primary', 20_000) },
      { at: 2000, event: fail('primary', 'timeout') },
      { at: 7000, event: tick },
    ]);
    expect(results[2]?.actions).toContainEqual({ kind: 'retry', source: 'primary', at: 20_000 });
  });

  it('switches back from cached data to a recovered primary without a resume (nothing was halted)', () => {
    const results = runScript(
      [
        { at: 0, event: fail('primary', 'timeout') },
        { at: 5000, event: tick },
        { at: 15_000, event: tick },
        { at: 16_000, event: ok('primary') },
      ],
      { policy: resolveFeedPolicy({ hasBackup: false }) },
    );
    expect(results[2]?.state.kind).toBe('cached');
    expect(results[3]?.actions).toEqual([{ kind: 'switch_back', to: 'primary' }]);
    expect(results[3]?.state.kind).toBe('healthy');
  });

  it('stays healthy on the primary when the backup fails', () => {
    const state = finalState(
      runScript([
        { at: 0, event: ok('primary') },
        { at: 1000, event: fail('backup', 'timeout') },
      ]),
    );
    expect(state.kind).toBe('healthy');
  });

  it('counts a bad_data answer as an answer (its time is the last response), a timeout not', () => {
    const answered = finalState(runScript([{ at: 1000, event: fail('primary', 'bad_data') }]));
    expect(answered.primary.lastResponseAt).toBe(1000);
    const silent = finalState(runScript([{ at: 1000, event: fail('primary', 'timeout') }]));
    expect(silent.primary.lastResponseAt).toBeNull();
  });
});

describe('nextFeedDeadline: the earliest of what is pending', () => {
  it('names an escalation due before the retry (a policy that escalates after 1 s)', () => {
    // Detected at 30 s: retry at 35 s; unavailable for more than 1 s escalates at 31.001 s.
    const policy = resolveFeedPolicy({ sourceUnavailableMs: 1000 });
    const state = finalState(runScript([{ at: 30_000, event: fail('primary', 'timeout') }], { policy }));
    expect(state.kind).toBe('detected');
    expect(nextFeedDeadline(state, policy)).toBe(31_001);
  });
});
