import { describe, expect, it } from 'vitest';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';
import { requestDeadline } from '../../src/failover/request-deadline.js';
import { fail, finalState, runScript, tick } from './feed-script.js';

// The specification: no data for 30 s is a failure; retry after 5 s; use the backup within 10 s.
describe('requestDeadline', () => {
  it('gives a request 30 s from the moment it is sent', () => {
    expect(requestDeadline(initialFeedState(), 'primary', 1_000)).toBe(31_000);
  });

  it('abandons the retry of the primary when failing over falls due, 10 s after it was sent', () => {
    const retrying = finalState(
      runScript([
        { at: 30_000, event: fail('primary', 'timeout') },
        { at: 35_000, event: tick },
      ]),
    );
    expect(retrying.kind).toBe('retrying');
    expect(requestDeadline(retrying, 'primary', 35_000)).toBe(45_000);
    // A request to the backup in the same state keeps its own 30 s.
    expect(requestDeadline(retrying, 'backup', 35_000)).toBe(65_000);
  });
});
