import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEED_POLICY, resolveFeedPolicy, type FeedPolicy } from '../../src/failover/feed-policy.js';
import type { FeedEvent, FeedSource, FeedSourceStats, FeedState } from '../../src/failover/feed-state.js';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';
import { nextFeedDeadline } from '../../src/failover/next-feed-deadline.js';
import { nextFeedState } from '../../src/failover/next-feed-state.js';
import { deepFreeze } from './feed-script.js';

const MIN = 60_000;
const sourceArb = fc.constantFrom<FeedSource>('primary', 'primary', 'backup');

/** An event as generated (the runner adds `newestBar` to successes from the clock). */
type RawEvent = FeedEvent;
const succeeded = (source: fc.Arbitrary<FeedSource>): fc.Arbitrary<RawEvent> =>
  fc.record({ kind: fc.constant('succeeded' as const), source, latencyMs: fc.integer({ min: 1, max: 400 }) });
const failed = (source: fc.Arbitrary<FeedSource>): fc.Arbitrary<RawEvent> =>
  fc.record({
    kind: fc.constant('failed' as const),
    source,
    failure: fc.constantFrom('network' as const, 'timeout' as const, 'server_error' as const, 'bad_data' as const),
  });
const limitedArb: fc.Arbitrary<RawEvent> = fc.record({
  kind: fc.constant('failed' as const),
  source: sourceArb,
  failure: fc.constantFrom('rate_limited' as const, 'banned' as const),
  retryAfterMs: fc.integer({ min: 0, max: 120_000 }),
});
const tickArb: fc.Arbitrary<RawEvent> = fc.constant({ kind: 'tick' as const });
const primary = fc.constant<FeedSource>('primary');
const backup = fc.constant<FeedSource>('backup');

/** Events of one regime: everything at random, or mostly the primary (or backup) up or down. */
const REGIMES: Record<string, fc.Arbitrary<RawEvent>> = {
  mixed: fc.oneof(
    { weight: 3, arbitrary: succeeded(sourceArb) },
    { weight: 4, arbitrary: failed(sourceArb) },
    { weight: 1, arbitrary: limitedArb },
    { weight: 3, arbitrary: tickArb },
  ),
  primaryUp: fc.oneof(
    { weight: 6, arbitrary: succeeded(primary) },
    { weight: 1, arbitrary: failed(backup) },
    { weight: 2, arbitrary: tickArb },
  ),
  primaryDown: fc.oneof(
    { weight: 4, arbitrary: failed(primary) },
    { weight: 2, arbitrary: succeeded(backup) },
    { weight: 2, arbitrary: tickArb },
  ),
  allDown: fc.oneof({ weight: 3, arbitrary: failed(sourceArb) }, { weight: 1, arbitrary: limitedArb }, { weight: 3, arbitrary: tickArb }),
};

const dtArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 5000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 400_000 }) },
);

/** Scripts made of segments of regimes, so that long outages and long recoveries both happen. */
const scriptArb = (maxSegments: number): fc.Arbitrary<{ dt: number; event: RawEvent }[]> =>
  fc
    .array(
      fc
        .constantFrom(...Object.keys(REGIMES))
        .chain((regime) => fc.array(fc.record({ dt: dtArb, event: REGIMES[regime] ?? tickArb }), { minLength: 1, maxLength: 40 })),
      { minLength: 1, maxLength: maxSegments },
    )
    .map((segments) => segments.flat());

const policyArb: fc.Arbitrary<FeedPolicy> = fc.oneof(
  fc.constant(DEFAULT_FEED_POLICY),
  fc
    .record({
      errorThreshold: fc.integer({ min: 1, max: 5 }),
      timeoutMs: fc.integer({ min: 1, max: 60_000 }),
      retryDelayMs: fc.integer({ min: 0, max: 20_000 }),
      failoverDelayMs: fc.integer({ min: 0, max: 20_000 }),
      haltAfterCachedMs: fc.integer({ min: 0, max: 100_000 }),
      recoveryStableMs: fc.integer({ min: 0, max: 120_000 }),
      sourceUnavailableMs: fc.integer({ min: 1, max: 600_000 }),
      maxBackfillBars: fc.integer({ min: 0, max: 200 }),
      hasBackup: fc.boolean(),
      backfillOnRestore: fc.boolean(),
    })
    .map((overrides) => resolveFeedPolicy(overrides)),
);

const KINDS = new Set(['healthy', 'detected', 'retrying', 'on_backup', 'cached', 'halted']);
const isTime = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

/** Every way a state can be invalid; an empty list means valid. */
function problems(s: FeedState, policy: FeedPolicy): string[] {
  const out: string[] = [];
  if (!KINDS.has(s.kind)) out.push(`unknown kind ${s.kind}`);
  const checkSource = (name: string, st: FeedSourceStats): void => {
    if (!Number.isInteger(st.consecutiveErrors) || st.consecutiveErrors < 0) out.push(`${name}.consecutiveErrors`);
    for (const key of [
      'lastResponseAt',
      'lastSuccessAt',
      'latencyMs',
      'failingSince',
      'okSince',
      'rateLimitedSince',
      'rateLimitedUntil',
      'lastBar',
    ] as const) {
      if (!isTime(st[key])) out.push(`${name}.${key} = ${String(st[key])}`);
    }
    if (st.latencies.length > policy.latencyWindow || st.latencies.some((l) => !(l >= 0 && Number.isFinite(l))))
      out.push(`${name}.latencies`);
    if (st.okSince !== null && st.failingSince !== null) out.push(`${name} both ok and failing`);
    if (st.down && st.failingSince === null) out.push(`${name} down without failingSince`);
  };
  checkSource('primary', s.primary);
  checkSource('backup', s.backup);
  if (s.kind === 'healthy' && s.primary.down) out.push('healthy with the primary down');
  if ((s.kind === 'detected' || s.kind === 'retrying') && !s.primary.down) out.push(`${s.kind} with the primary up`);
  if (s.kind !== 'healthy') {
    if (!isTime(s.detectedAt) || !isTime(s.since) || !isTime(s.lastGoodBar)) out.push('outage times');
    if (s.since < s.detectedAt) out.push('since before detection');
  }
  if (s.kind === 'detected' && s.retryAt !== s.since + policy.retryDelayMs) out.push('retryAt');
  if (s.kind === 'retrying' && s.failoverAt !== s.since + policy.failoverDelayMs) out.push('failoverAt');
  if (s.kind === 'cached' && s.haltAt !== s.since + policy.haltAfterCachedMs) out.push('haltAt');
  if (s.kind === 'on_backup' && !policy.hasBackup) out.push('on_backup without a backup');
  return out;
}

/** Runs a random script, checking every step against a small model; throws with a message on the first violation. */
function check(steps: readonly { dt: number; event: RawEvent }[], policy: FeedPolicy, roundTripAt: number): void {
  let state = deepFreeze(initialFeedState(policy));
  let now = 1_000_000_000;
  let episode: {
    detectedAt: number;
    retryAt: number | null;
    failoverAt: number | null;
    cachedAt: number | null;
    haltAt: number | null;
  } | null = null;
  const lastSuccess: Record<FeedSource, number | null> = { primary: null, backup: null };
  let primaryOkSince: number | null = null;
  steps.forEach(({ dt, event: raw }, index) => {
    now += dt;
    const event: FeedEvent = raw.kind === 'succeeded' ? { ...raw, newestBar: Math.floor(now / MIN) * MIN - MIN } : raw;
    const input = index === roundTripAt ? deepFreeze(JSON.parse(JSON.stringify(state)) as FeedState) : state;
    const prev = state;
    const { state: next, actions } = nextFeedState(input, deepFreeze(event), now, policy);
    const where = `step ${index} at ${now} (${prev.kind} + ${JSON.stringify(event)} → ${next.kind}, ${JSON.stringify(actions)})`;

    const bad = problems(next, policy);
    if (bad.length > 0) throw new Error(`invalid state: ${bad.join(', ')} at ${where}`);
    expect(JSON.parse(JSON.stringify(next))).toEqual(next);

    if (prev.kind === 'healthy' && next.kind !== 'healthy')
      episode = { detectedAt: now, retryAt: null, failoverAt: null, cachedAt: null, haltAt: null };
    if (event.kind === 'succeeded' && event.source === 'primary') primaryOkSince ??= now;
    if (event.kind === 'failed' && event.source === 'primary' && event.failure !== 'rate_limited' && event.failure !== 'banned')
      primaryOkSince = null;

    for (const action of actions) {
      const e = episode;
      switch (action.kind) {
        case 'retry':
          if (e === null || e.retryAt !== null) throw new Error(`retry out of order at ${where}`);
          if (now < e.detectedAt + policy.retryDelayMs) throw new Error(`retry before its delay at ${where}`);
          e.retryAt = now;
          break;
        case 'failover':
          if (e === null || e.retryAt === null) throw new Error(`failover before a retry at ${where}`);
          if (e.failoverAt === null) {
            if (now < e.retryAt + policy.failoverDelayMs) throw new Error(`failover before its delay at ${where}`);
            e.failoverAt = now;
          } else if (prev.kind !== 'cached' && prev.kind !== 'halted') {
            throw new Error(`second failover from ${prev.kind} at ${where}`);
          }
          break;
        case 'use_cached':
          if (e === null || (policy.hasBackup ? e.failoverAt === null : e.retryAt === null))
            throw new Error(`use_cached skips a step at ${where}`);
          if (!policy.hasBackup && now < e.retryAt! + policy.failoverDelayMs) throw new Error(`use_cached before its delay at ${where}`);
          e.cachedAt = now;
          break;
        case 'halt':
          if (e === null || e.cachedAt === null) throw new Error(`halt before use_cached at ${where}`);
          if (now < e.cachedAt + policy.haltAfterCachedMs) throw new Error(`halt before its delay at ${where}`);
          e.haltAt = now;
          e.cachedAt = null; // another halt needs another use_cached first
          break;
        case 'switch_back':
          if (prev.kind === 'on_backup' && (primaryOkSince === null || now - primaryOkSince < policy.recoveryStableMs)) {
            throw new Error(`switch_back before recoveryStableMs at ${where}`);
          }
          if (prev.kind === 'healthy' || prev.kind === 'detected' || prev.kind === 'retrying')
            throw new Error(`switch_back from ${prev.kind}`);
          break;
        case 'escalate':
          if (action.reason === 'feed_offline') {
            if (e === null || e.haltAt !== now) throw new Error(`feed_offline without a halt at ${where}`);
          } else {
            if (!(now - action.since > policy.sourceUnavailableMs)) throw new Error(`escalated before sourceUnavailableMs at ${where}`);
            const success = lastSuccess[action.source];
            if (success !== null && success > action.since) throw new Error(`escalated a source that answered since at ${where}`);
          }
          break;
        case 'backfill':
          if (action.bars < 1 || action.bars > policy.maxBackfillBars || !policy.backfillOnRestore)
            throw new Error(`backfill size at ${where}`);
          if (action.to - action.from !== (action.bars - 1) * MIN) throw new Error(`backfill range at ${where}`);
          break;
        default:
          break;
      }
    }
    if (event.kind === 'succeeded') lastSuccess[event.source] = now;
    if (next.kind === 'healthy') episode = null;
    const deadline = nextFeedDeadline(next, policy);
    if (deadline !== null && deadline <= now) throw new Error(`deadline ${deadline} not in the future at ${where}`);
    state = deepFreeze(next);
  });
}

describe('nextFeedState (properties)', () => {
  it('never produces an invalid state, never skips a ladder step and never acts before its delay', () => {
    fc.assert(
      fc.property(scriptArb(10), policyArb, fc.nat(400), (steps, policy, roundTripAt) => {
        check(steps, policy, roundTripAt);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same transitions when the state is restored from JSON at any step', () => {
    fc.assert(
      fc.property(scriptArb(6), fc.nat(240), (steps, cut) => {
        const run = (roundTrip: boolean): unknown[] => {
          let state = initialFeedState();
          let now = 0;
          return steps.map(({ dt, event }, i) => {
            now += dt;
            const input = roundTrip && i === cut ? (JSON.parse(JSON.stringify(state)) as FeedState) : state;
            const result = nextFeedState(input, event, now);
            state = result.state;
            return result;
          });
        };
        expect(run(true)).toEqual(run(false));
      }),
      { numRuns: 200 },
    );
  });

  it('reaches every state of the ladder under random events', () => {
    // Guards the properties above against a generator that never leaves `healthy`.
    const seen = new Set<string>();
    fc.assert(
      fc.property(scriptArb(10), (steps) => {
        let state = initialFeedState();
        let now = 0;
        for (const { dt, event } of steps) {
          now += dt;
          state = nextFeedState(state, event, now).state;
          seen.add(state.kind);
        }
      }),
      { numRuns: 200 },
    );
    expect([...seen].sort()).toEqual([...KINDS].sort());
  });
});
