import { describe, expect, it } from 'vitest';
import { DEFAULT_FEED_POLICY, resolveFeedPolicy } from '../../src/failover/feed-policy.js';
import type { FeedState } from '../../src/failover/feed-state.js';
import { nextFeedState } from '../../src/failover/next-feed-state.js';
import { fail, finalState, limited, ok, runScript, tick, trace, type ScriptStep } from './feed-script.js';

const MIN = 60_000;

// The specification's protocol (SPECIFICATION.md, "Feed Failure Protocol"): detection by a 30 s
// timeout or 3 errors; retry after 5 s; fail over to the backup after 10 s; use cached data and
// notify; halt trading and escalate; a source unavailable for more than 5 minutes escalates.
// The expected times below are those delays added by hand.

/** The primary answers at t = 0 with the bar opened at 0, then fails three times. */
const THREE_ERRORS: ScriptStep[] = [
  { at: 0, event: ok('primary', 45, 0) },
  { at: 1000, event: fail('primary', 'network') },
  { at: 2000, event: fail('primary', 'server_error') },
  { at: 3000, event: fail('primary', 'bad_data') }, // 3rd error: detection at 3000
];

/** THREE_ERRORS, then every ladder step until the halt. */
const WHOLE_LADDER: ScriptStep[] = [
  ...THREE_ERRORS,
  { at: 7999, event: tick },
  { at: 8000, event: tick }, // 3000 + 5 s: retry
  { at: 17_999, event: tick },
  { at: 18_000, event: tick }, // 8000 + 10 s: fail over
  { at: 19_000, event: fail('backup') },
  { at: 20_000, event: fail('backup') },
  { at: 21_000, event: fail('backup') }, // the backup's 3rd error: use cached
  { at: 80_999, event: tick },
  { at: 81_000, event: tick }, // 21 s + haltAfterCachedMs (60 s): halt
];

describe('nextFeedState', () => {
  it('climbs the whole ladder at the specification’s delays', () => {
    expect(trace(runScript(WHOLE_LADDER))).toEqual([
      [0, 'healthy', []],
      [1000, 'healthy', []],
      [2000, 'healthy', []],
      [3000, 'detected', []],
      [7999, 'detected', []],
      [8000, 'retrying', [{ kind: 'retry', source: 'primary', at: 8000 }]],
      [17_999, 'retrying', []],
      [18_000, 'on_backup', [{ kind: 'failover', to: 'backup' }]],
      [19_000, 'on_backup', []],
      [20_000, 'on_backup', []],
      [21_000, 'cached', [{ kind: 'use_cached', notify: true }]],
      [80_999, 'cached', []],
      [81_000, 'halted', [{ kind: 'halt' }, { kind: 'escalate', reason: 'feed_offline', since: 3000 }]],
    ]);
  });

  it('records the detection and the due time of each step', () => {
    const results = runScript(WHOLE_LADDER);
    expect(results[3]?.state).toMatchObject({ kind: 'detected', detectedAt: 3000, detectedBy: 'errors', retryAt: 8000, lastGoodBar: 0 });
    expect(results[5]?.state).toMatchObject({ kind: 'retrying', since: 8000, failoverAt: 18_000 });
    expect(results[10]?.state).toMatchObject({ kind: 'cached', since: 21_000, haltAt: 81_000 });
  });

  it('detects an outage with a single timeout', () => {
    const results = runScript([
      { at: 0, event: ok('primary') },
      { at: 30_000, event: fail('primary', 'timeout') }, // the request sent at 0 timed out after 30 s
      { at: 35_000, event: tick },
    ]);
    expect(results[1]?.state).toMatchObject({ kind: 'detected', detectedAt: 30_000, detectedBy: 'timeout', retryAt: 35_000 });
    expect(results[2]?.actions).toEqual([{ kind: 'retry', source: 'primary', at: 35_000 }]);
  });

  it('forgets errors that a success interrupts', () => {
    const state = finalState(
      runScript([
        { at: 0, event: fail('primary') },
        { at: 1000, event: fail('primary') },
        { at: 2000, event: ok('primary') },
        { at: 3000, event: fail('primary') },
        { at: 4000, event: fail('primary') },
      ]),
    );
    expect(state.kind).toBe('healthy');
    expect(state.primary.consecutiveErrors).toBe(2);
  });

  it('takes every step that fell due when time jumps, one after the other', () => {
    // No tick between 3000 and 60 s: the retry is due and taken at 60 s; the failover is then
    // due 10 s after the retry actually happened, not before.
    const results = runScript([...THREE_ERRORS, { at: 60_000, event: tick }, { at: 69_999, event: tick }, { at: 70_000, event: tick }]);
    expect(trace(results).slice(4)).toEqual([
      [60_000, 'retrying', [{ kind: 'retry', source: 'primary', at: 60_000 }]],
      [69_999, 'retrying', []],
      [70_000, 'on_backup', [{ kind: 'failover', to: 'backup' }]],
    ]);
  });

  it('escalates a source unavailable for more than 5 minutes, once', () => {
    // The primary has been failing since its first error at 1000; the backup since 19 000.
    const results = runScript([
      ...WHOLE_LADDER,
      { at: 301_000, event: tick },
      { at: 301_001, event: tick },
      { at: 319_000, event: tick },
      { at: 319_001, event: tick },
      { at: 400_000, event: tick },
    ]);
    expect(trace(results).slice(-5)).toEqual([
      [301_000, 'halted', []],
      [301_001, 'halted', [{ kind: 'escalate', reason: 'source_unavailable', source: 'primary', since: 1000 }]],
      [319_000, 'halted', []],
      [319_001, 'halted', [{ kind: 'escalate', reason: 'source_unavailable', source: 'backup', since: 19_000 }]],
      [400_000, 'halted', []],
    ]);
  });

  describe('recovery', () => {
    it('returns to healthy when the retry succeeds', () => {
      const results = runScript([...THREE_ERRORS, { at: 8000, event: tick }, { at: 8500, event: ok('primary', 45, 0) }]);
      expect(trace(results).slice(-1)).toEqual([[8500, 'healthy', []]]);
    });

    it('returns to healthy when the primary answers before the retry is due', () => {
      const results = runScript([...THREE_ERRORS, { at: 4000, event: ok('primary', 45, 0) }, { at: 8000, event: tick }]);
      expect(trace(results).slice(-2)).toEqual([
        [4000, 'healthy', []],
        [8000, 'healthy', []],
      ]);
    });

    it('switches back from the backup only after recoveryStableMs of successes', () => {
      const onBackup = [...THREE_ERRORS, { at: 8000, event: tick }, { at: 18_000, event: tick }];
      const results = runScript([
        ...onBackup,
        { at: 20_000, event: ok('primary', 45, 0) }, // proving starts at 20 s
        { at: 50_000, event: ok('primary', 45, 0) },
        { at: 60_000, event: fail('primary') }, // a failure: proving starts again
        { at: 70_000, event: ok('primary', 45, MIN) },
        { at: 129_999, event: ok('primary', 45, MIN) }, // 59.999 s of successes: not yet
        { at: 130_000, event: ok('primary', 45, 2 * MIN) }, // 60 s: switch back
      ]);
      expect(trace(results).slice(-6)).toEqual([
        [20_000, 'on_backup', []],
        [50_000, 'on_backup', []],
        [60_000, 'on_backup', []],
        [70_000, 'on_backup', []],
        [129_999, 'on_backup', []],
        [
          130_000,
          'healthy',
          [
            { kind: 'switch_back', to: 'primary' },
            // last good bar 0, newest bar 2 min: the bar at 1 min is strictly between.
            { kind: 'backfill', source: 'primary', from: MIN, to: MIN, bars: 1 },
          ],
        ],
      ]);
    });

    it('serves the backup again when it answers while cached data is served', () => {
      const cached = WHOLE_LADDER.slice(0, 11);
      const results = runScript([...cached, { at: 30_000, event: ok('backup') }]);
      expect(trace(results).slice(-2)).toEqual([
        [21_000, 'cached', [{ kind: 'use_cached', notify: true }]],
        [30_000, 'on_backup', [{ kind: 'failover', to: 'backup' }]],
      ]);
    });

    it('resumes on the primary after a halt, backfilling the most recent 100 bars and reporting the rest as a gap', () => {
      // Last good bar at 0; the primary comes back at 200 min with the bar of 200 min: bars
      // 1..199 min were missed (199 bars); the 100 most recent (100..199 min) are backfilled,
      // 1..99 min (99 bars) reported as a gap.
      const results = runScript([...WHOLE_LADDER, { at: 200 * MIN + 5000, event: ok('primary', 45, 200 * MIN) }]);
      expect(trace(results).slice(-1)).toEqual([
        [
          200 * MIN + 5000,
          'healthy',
          [
            { kind: 'switch_back', to: 'primary' },
            { kind: 'resume', source: 'primary' },
            { kind: 'gap', source: 'primary', from: MIN, to: 99 * MIN, bars: 99 },
            { kind: 'backfill', source: 'primary', from: 100 * MIN, to: 199 * MIN, bars: 100 },
            // No tick came since the backup's first failure at 19 s: its outage of more than
            // 5 minutes is escalated now.
            { kind: 'escalate', reason: 'source_unavailable', source: 'backup', since: 19_000 },
          ],
        ],
      ]);
    });

    it('resumes on the backup after a halt', () => {
      const results = runScript([...WHOLE_LADDER, { at: 90_000, event: ok('backup') }]);
      expect(trace(results).slice(-1)).toEqual([
        [
          90_000,
          'on_backup',
          [
            { kind: 'failover', to: 'backup' },
            { kind: 'resume', source: 'backup' },
          ],
        ],
      ]);
    });

    it('reports every missed bar as a gap when backfill is off', () => {
      const policy = resolveFeedPolicy({ backfillOnRestore: false });
      const results = runScript([...THREE_ERRORS, { at: 5 * MIN, event: ok('primary', 45, 4 * MIN) }], { policy });
      expect(results.at(-1)?.actions).toEqual([{ kind: 'gap', source: 'primary', from: MIN, to: 3 * MIN, bars: 3 }]);
    });

    it('asks for no backfill when no bar was missed', () => {
      const results = runScript([...THREE_ERRORS, { at: 20_000, event: ok('primary', 45, MIN) }]);
      expect(results.at(-1)?.actions).toEqual([]);
    });
  });

  describe('rate limits', () => {
    it('honours Retry-After without counting it as an error', () => {
      const results = runScript([
        { at: 0, event: ok('primary') },
        { at: 1000, event: limited('primary', 10_000) },
        { at: 11_000, event: limited('primary', 10_000) },
        { at: 12_000, event: ok('primary') },
      ]);
      expect(trace(results)).toEqual([
        [0, 'healthy', []],
        [1000, 'healthy', [{ kind: 'backoff', source: 'primary', until: 11_000 }]],
        [11_000, 'healthy', [{ kind: 'backoff', source: 'primary', until: 21_000 }]],
        [12_000, 'healthy', []],
      ]);
      expect(results[1]?.state.primary.consecutiveErrors).toBe(0);
    });

    it('treats a 429 as a back-off, never an outage, however long its Retry-After', () => {
      // Specification: a 429 is the server's rate limit, not a failed feed. Rate-limited since
      // 1000, then asked to wait 10 s, 10 s, and 10 minutes: 10 min 30 s in all, far beyond the
      // 30 s timeout. Each answer is a back-off until its Retry-After; nothing is detected, so
      // no retry, failover or escalation is ever due.
      const results = runScript([
        { at: 0, event: ok('primary') },
        { at: 1000, event: limited('primary', 10_000) },
        { at: 11_000, event: limited('primary', 10_000) },
        { at: 21_000, event: limited('primary', 600_000) },
        { at: 26_000, event: tick },
        { at: 700_000, event: tick },
      ]);
      expect(trace(results)).toEqual([
        [0, 'healthy', []],
        [1000, 'healthy', [{ kind: 'backoff', source: 'primary', until: 11_000 }]],
        [11_000, 'healthy', [{ kind: 'backoff', source: 'primary', until: 21_000 }]],
        [21_000, 'healthy', [{ kind: 'backoff', source: 'primary', until: 621_000 }]],
        [26_000, 'healthy', []],
        [700_000, 'healthy', []],
      ]);
      expect(finalState(results).primary).toMatchObject({
        down: false,
        consecutiveErrors: 0,
        rateLimitedSince: 1000,
        rateLimitedUntil: 621_000,
      });
    });

    it('keeps a 429 on the backup a back-off as well', () => {
      const results = runScript([
        ...THREE_ERRORS,
        { at: 8000, event: tick },
        { at: 18_000, event: tick },
        { at: 21_000, event: limited('backup', 120_000) },
      ]);
      expect(results[5]?.state.kind).toBe('on_backup');
      expect(results[6]?.state.kind).toBe('on_backup');
      expect(results[6]?.actions).toEqual([{ kind: 'backoff', source: 'backup', until: 141_000 }]);
    });

    it('treats an HTTP 418 ban as an outage at once', () => {
      const results = runScript([{ at: 1000, event: limited('primary', 120_000, 'banned') }]);
      expect(results[0]?.actions).toEqual([{ kind: 'backoff', source: 'primary', until: 121_000 }]);
      expect(results[0]?.state).toMatchObject({ kind: 'detected', detectedBy: 'rate_limited', retryAt: 6000 });
    });
    it('treats an HTTP 418 ban of the backup in use as an outage: cached data', () => {
      const results = runScript([
        ...THREE_ERRORS,
        { at: 8000, event: tick },
        { at: 18_000, event: tick },
        { at: 21_000, event: limited('backup', 120_000, 'banned') },
      ]);
      expect(results[5]?.state.kind).toBe('on_backup');
      expect(results[6]?.state.kind).toBe('cached');
      expect(results[6]?.actions).toEqual([
        { kind: 'backoff', source: 'backup', until: 141_000 },
        { kind: 'use_cached', notify: true },
      ]);
    });
  });

  describe('latency', () => {
    it('alerts at the specification’s example, 150 ms against a normal 45 ms, once', () => {
      const normal = [44, 45, 45, 46, 45].map((latency, i): ScriptStep => ({ at: i * 1000, event: ok('primary', latency) }));
      const results = runScript([
        ...normal,
        { at: 5000, event: ok('primary', 150) },
        { at: 6000, event: ok('primary', 150) }, // still elevated: no second alert
        { at: 7000, event: ok('primary', 45) }, // back to normal
        { at: 8000, event: ok('primary', 150) }, // elevated again: alert again
      ]);
      expect(results.slice(5).map((r) => r.actions)).toEqual([
        [{ kind: 'alert', source: 'primary', latencyMs: 150, normalLatencyMs: 45 }],
        [],
        [],
        [{ kind: 'alert', source: 'primary', latencyMs: 150, normalLatencyMs: 45 }],
      ]);
    });

    it('does not alert on latency at most 3× the median, nor before 5 latencies are known', () => {
      const results = runScript([
        ...[45, 45, 45, 45].map((latency, i): ScriptStep => ({ at: i * 1000, event: ok('primary', latency) })),
        { at: 4000, event: ok('primary', 400) }, // only 4 known before it
        { at: 5000, event: ok('primary', 135) }, // median of [45×4, 400] is 45; 135 = 3 × 45 is not above
      ]);
      expect(results.flatMap((r) => r.actions)).toEqual([]);
    });
  });

  describe('policy', () => {
    it('serves cached data at the failover step when there is no backup', () => {
      const policy = resolveFeedPolicy({ hasBackup: false });
      const results = runScript([...THREE_ERRORS, { at: 8000, event: tick }, { at: 18_000, event: tick }], { policy });
      expect(trace(results).slice(-1)).toEqual([[18_000, 'cached', [{ kind: 'use_cached', notify: true }]]]);
    });

    it('halts without escalating when escalateOnHalt is off, and does not notify when notifyOnCached is off', () => {
      const policy = resolveFeedPolicy({ escalateOnHalt: false, notifyOnCached: false });
      const results = runScript(WHOLE_LADDER, { policy });
      expect(results[10]?.actions).toEqual([{ kind: 'use_cached', notify: false }]);
      expect(results[12]?.actions).toEqual([{ kind: 'halt' }]);
    });

    it('takes steps with zero delay in the same call', () => {
      const policy = resolveFeedPolicy({ retryDelayMs: 0, failoverDelayMs: 0 });
      const results = runScript(THREE_ERRORS, { policy });
      expect(trace(results).slice(-1)).toEqual([
        [
          3000,
          'on_backup',
          [
            { kind: 'retry', source: 'primary', at: 3000 },
            { kind: 'failover', to: 'backup' },
          ],
        ],
      ]);
    });
  });

  it('gives the same results when the state goes through JSON between every step', () => {
    const script = [...WHOLE_LADDER, { at: 200 * MIN, event: ok('primary', 45, 199 * MIN) }];
    expect(runScript(script, { roundTrip: true })).toEqual(runScript(script));
  });

  it('ignores a negative or non-finite latency and a non-finite bar time', () => {
    const { state } = nextFeedState(
      { kind: 'healthy', primary: DEFAULT_PRIMARY, backup: DEFAULT_PRIMARY },
      { kind: 'succeeded', source: 'primary', latencyMs: Number.NaN, newestBar: Number.POSITIVE_INFINITY },
      1000,
      DEFAULT_FEED_POLICY,
    );
    expect(state.primary).toMatchObject({ latencyMs: null, latencies: [], lastBar: null, lastSuccessAt: 1000 });
  });
});

const DEFAULT_PRIMARY: FeedState['primary'] = {
  consecutiveErrors: 0,
  lastResponseAt: null,
  lastSuccessAt: null,
  latencyMs: null,
  latencies: [],
  latencyElevated: false,
  down: false,
  failingSince: null,
  okSince: null,
  escalated: false,
  rateLimitedSince: null,
  rateLimitedUntil: null,
  lastBar: null,
};
