import { describe, expect, it } from 'vitest';
import { DEFAULT_FEED_POLICY } from '../../src/failover/feed-policy.js';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';

describe('initialFeedState', () => {
  it('starts healthy on the primary with nothing known, as plain JSON', () => {
    const state = initialFeedState();
    expect(state.kind).toBe('healthy');
    expect(state.primary).toMatchObject({ consecutiveErrors: 0, down: false, lastResponseAt: null, lastBar: null, latencies: [] });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('validates the policy once, at construction', () => {
    expect(() => initialFeedState({ ...DEFAULT_FEED_POLICY, retryDelayMs: -1 })).toThrow(/retryDelayMs/);
  });
});
