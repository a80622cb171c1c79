import { describe, expect, it } from 'vitest';
import { feedHealth } from '../../src/failover/feed-health.js';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';
import { fail, finalState, limited, ok, runScript, tick } from './feed-script.js';

describe('feedHealth', () => {
  it('reports a healthy source as the data_status example does (latency 45 ms)', () => {
    const state = finalState(runScript([{ at: 1000, event: ok('primary', 45) }]));
    expect(feedHealth(state, 2000)).toEqual({
      status: 'healthy',
      lastResponseAt: 1000,
      latencyMs: 45,
      normalLatencyMs: 45,
      latencyElevated: false,
    });
  });

  it('reports healthy with nulls before the first request', () => {
    expect(feedHealth(initialFeedState(), 0, 'backup')).toEqual({
      status: 'healthy',
      lastResponseAt: null,
      latencyMs: null,
      normalLatencyMs: null,
      latencyElevated: false,
    });
  });

  it('reports degraded after an error below the threshold, and down once detected', () => {
    const one = finalState(
      runScript([
        { at: 0, event: ok('primary') },
        { at: 1000, event: fail('primary', 'server_error') },
      ]),
    );
    expect(feedHealth(one, 1000)).toMatchObject({ status: 'degraded', lastResponseAt: 1000 });
    const timedOut = finalState(
      runScript([
        { at: 0, event: ok('primary') },
        { at: 30_000, event: fail('primary', 'timeout') },
      ]),
    );
    // A timeout is no answer: last_response stays at the last answer.
    expect(feedHealth(timedOut, 30_000)).toMatchObject({ status: 'down', lastResponseAt: 0 });
  });

  it('reports degraded while latency is elevated, with the median as the normal level', () => {
    const steps = [44, 45, 45, 46, 45, 150].map((latency, i) => ({ at: i * 1000, event: ok('primary', latency) }));
    expect(feedHealth(finalState(runScript(steps)), 5000)).toEqual({
      status: 'degraded',
      lastResponseAt: 5000,
      latencyMs: 150,
      normalLatencyMs: 45,
      latencyElevated: true,
    });
  });

  it('reports degraded while a Retry-After is in force, healthy after', () => {
    const state = finalState(
      runScript([
        { at: 0, event: ok('primary') },
        { at: 1000, event: limited('primary', 5000) },
      ]),
    );
    expect(feedHealth(state, 5999).status).toBe('degraded');
    expect(feedHealth(state, 6000).status).toBe('healthy');
  });

  it('reports a recovered primary as degraded until the feed switches back to it', () => {
    const state = finalState(
      runScript([
        { at: 0, event: fail('primary', 'timeout') },
        { at: 5000, event: tick },
        { at: 15_000, event: tick },
        { at: 20_000, event: ok('primary') },
      ]),
    );
    expect(state.kind).toBe('on_backup');
    expect(feedHealth(state, 20_000).status).toBe('degraded');
  });
});
