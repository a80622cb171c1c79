import { describe, expect, it } from 'vitest';
import { applyServerFeedback } from '../../src/failover/apply-server-feedback.js';
import { createRateLimiter } from '../../src/failover/create-rate-limiter.js';
import type { FeedState } from '../../src/failover/feed-state.js';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';
import { nextFeedState } from '../../src/failover/next-feed-state.js';
import { MAX_RETRY_AFTER_MS } from '../../src/failover/rate-limiter-state.js';
import { staleSince } from '../../src/failover/stale-since.js';
import { tryAcquire } from '../../src/failover/try-acquire.js';
import { feedActionAlert } from '../../src/reports/feed-action-alert.js';

const SEC = 1000;
const at = (h: number, m: number, s = 0): number => Date.UTC(2025, 0, 30, h, m, s);

// The specification's feed failure protocol: "no data for 30 seconds" is a failure; retry after
// 5 s; the backup within 10 s. With 1m bars the 10:30 bar closes at 10:31: without it by
// 10:31:30, the feed has had no data for 30 s.
describe('stale answers (no new bar 30 s after the due bar closed)', () => {
  it('staleSince is the due bar’s close plus 30 s', () => {
    expect(staleSince(at(10, 29))).toBe(at(10, 31, 30));
  });

  it('detects a primary that answers without the due bar, and never recovers on a stale answer', () => {
    let s: FeedState = initialFeedState();
    const ok = (now: number, newestBar: number): ReturnType<typeof nextFeedState> => {
      const t = nextFeedState(s, { kind: 'succeeded', source: 'primary', latencyMs: 40, newestBar, askedFrom: newestBar }, now);
      s = t.state;
      return t;
    };
    const tick = (now: number): ReturnType<typeof nextFeedState> => {
      const t = nextFeedState(s, { kind: 'tick' }, now);
      s = t.state;
      return t;
    };
    expect(ok(at(10, 30, 1), at(10, 29)).actions).toEqual([]);
    // One second before the limit: late, not yet stale.
    expect(ok(at(10, 31, 29), at(10, 29)).state.kind).toBe('healthy');
    const detected = ok(at(10, 31, 30), at(10, 29));
    expect(detected.state).toMatchObject({ kind: 'detected', detectedBy: 'stale', retryAt: at(10, 31, 35) });
    expect(detected.actions).toEqual([{ kind: 'stale', source: 'primary', lastBar: at(10, 29), since: at(10, 31, 30) }]);
    expect(tick(at(10, 31, 35)).state).toMatchObject({ kind: 'retrying', failoverAt: at(10, 31, 45) });
    // The retry is answered, still without the 10:30 bar: not a recovery, and no second alert.
    expect(ok(at(10, 31, 36), at(10, 29))).toMatchObject({ state: { kind: 'retrying' }, actions: [] });
    expect(tick(at(10, 31, 45)).actions).toEqual([{ kind: 'failover', to: 'backup' }]);
    // The primary brings the bar now: it must still prove itself for recoveryStableMs (60 s).
    expect(ok(at(10, 32, 1), at(10, 31)).state.kind).toBe('on_backup');
    expect(ok(at(10, 33, 1), at(10, 32)).actions.map((a) => a.kind)).toEqual(['switch_back', 'backfill']);
  });

  it('a stale backup in use gives cached data', () => {
    let s: FeedState = nextFeedState(initialFeedState(), { kind: 'failed', source: 'primary', failure: 'timeout' }, at(10, 0)).state;
    s = nextFeedState(s, { kind: 'tick' }, at(10, 0, 5)).state;
    s = nextFeedState(s, { kind: 'tick' }, at(10, 0, 15)).state;
    expect(s.kind).toBe('on_backup');
    s = nextFeedState(
      s,
      { kind: 'succeeded', source: 'backup', latencyMs: 50, newestBar: at(9, 59), askedFrom: at(9, 59) },
      at(10, 0, 16),
    ).state;
    const t = nextFeedState(
      s,
      { kind: 'succeeded', source: 'backup', latencyMs: 50, newestBar: at(9, 59), askedFrom: at(9, 59) },
      at(10, 1, 30),
    );
    expect(t.state.kind).toBe('cached');
    expect(t.actions.map((a) => a.kind)).toEqual(['stale', 'use_cached']);
  });

  it('the stale action raises a stale_data alert', () => {
    const state = initialFeedState();
    const alert = feedActionAlert(
      { kind: 'stale', source: 'primary', lastBar: at(10, 29), since: at(10, 31, 30) },
      { symbol: 'BTCUSD', sources: { primary: 'exchange_api', backup: 'data_provider' }, state },
    );
    expect(alert).toMatchObject({ type: 'stale_data', affected: { symbol: 'BTCUSD', source: 'exchange_api' } });
    expect(alert?.message).toContain('2025-01-30T10:29:00Z');
  });
});

describe('an absurd Retry-After is capped at 3 days and reported', () => {
  it('the machine backs off for at most 3 days and says what was asked', () => {
    const t = nextFeedState(initialFeedState(), { kind: 'failed', source: 'primary', failure: 'rate_limited', retryAfterMs: 1e15 }, 0);
    expect(MAX_RETRY_AFTER_MS).toBe(3 * 24 * 3600 * SEC);
    expect(t.actions).toEqual([{ kind: 'backoff', source: 'primary', until: MAX_RETRY_AFTER_MS, requestedMs: 1e15 }]);
    const alert = feedActionAlert(t.actions[0]!, { symbol: 'BTCUSD', sources: { primary: 'exchange_api', backup: 'b' }, state: t.state });
    expect(alert?.severity).toBe('warning');
    expect(alert?.message).toContain('capped');
  });

  it('the limiter is blocked for at most 3 days, Infinity included', () => {
    for (const kind of ['rate_limited', 'banned'] as const) {
      for (const retryAfterMs of [1e15, Number.POSITIVE_INFINITY]) {
        const limiter = applyServerFeedback(createRateLimiter(), 0, { kind, retryAfterMs });
        expect(limiter.blockedUntil).toBe(MAX_RETRY_AFTER_MS);
        expect(tryAcquire(limiter, MAX_RETRY_AFTER_MS).granted).toBe(true);
      }
    }
  });
});

describe('what is not stale', () => {
  it('an empty answer to a poll asked from the bar still forming (nothing was due from it)', () => {
    const s = nextFeedState(
      initialFeedState(),
      { kind: 'succeeded', source: 'primary', latencyMs: 40, newestBar: at(10, 0), askedFrom: at(10, 0) },
      at(10, 1, 1),
    ).state;
    // The primary was last asked for 10:00 (it brought it); now asked from 10:35, the bar forming at 10:35:40.
    const t = nextFeedState(s, { kind: 'succeeded', source: 'primary', latencyMs: 40, askedFrom: at(10, 35) }, at(10, 35, 40));
    expect(t.state.kind).toBe('healthy');
    // An empty answer to a poll from 10:34: the 10:34 bar closed at 10:35, so 10:35:29 is late, not yet stale; 10:35:30 is stale.
    const from1034 = (now: number) => nextFeedState(s, { kind: 'succeeded', source: 'primary', latencyMs: 40, askedFrom: at(10, 34) }, now);
    expect(from1034(at(10, 35, 29)).state.kind).toBe('healthy');
    expect(from1034(at(10, 35, 30)).state.kind).toBe('detected');
  });

  it('an answer to a range request (not live) with old bars is a success', () => {
    const t = nextFeedState(initialFeedState(), { kind: 'succeeded', source: 'primary', latencyMs: 40, newestBar: at(8, 0) }, at(10, 0));
    expect(t.state.kind).toBe('healthy');
    expect(t.actions).toEqual([]);
  });
});
