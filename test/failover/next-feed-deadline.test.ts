import { describe, expect, it } from 'vitest';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';
import { nextFeedDeadline } from '../../src/failover/next-feed-deadline.js';
import { fail, finalState, runScript, tick } from './feed-script.js';

describe('nextFeedDeadline', () => {
  it('is null when nothing is pending', () => {
    expect(nextFeedDeadline(initialFeedState())).toBeNull();
  });

  it('names each step’s due time in turn, then the 5-minute escalation', () => {
    // Timeout detected at 30 s: retry at 35 s, failover at 45 s; then, with the backup failing
    // at 50 s, halt 60 s after use_cached (110 s); the primary failing since 30 s escalates after
    // 330 s, i.e. at 330.001 s.
    const results = runScript([
      { at: 30_000, event: fail('primary', 'timeout') },
      { at: 35_000, event: tick },
      { at: 45_000, event: tick },
      { at: 50_000, event: fail('backup', 'timeout') },
      { at: 110_000, event: tick },
    ]);
    expect(results.map((r) => nextFeedDeadline(r.state))).toEqual([35_000, 45_000, 330_001, 110_000, 330_001]);
  });

  it('is null again once the outage has been escalated and halted', () => {
    const state = finalState(
      runScript([
        { at: 0, event: fail('primary', 'timeout') },
        { at: 5000, event: tick },
        { at: 15_000, event: tick },
        { at: 16_000, event: fail('backup', 'timeout') },
        { at: 400_000, event: tick },
      ]),
    );
    expect(state.kind).toBe('halted');
    expect(nextFeedDeadline(state)).toBeNull();
  });
});
