import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { applyServerFeedback } from '../../src/failover/apply-server-feedback.js';
import { createRateLimiter } from '../../src/failover/create-rate-limiter.js';
import type { RateLimitFeedback, RateLimiterState } from '../../src/failover/rate-limiter-state.js';
import { tryAcquire } from '../../src/failover/try-acquire.js';
import { BINANCE_WEIGHT_LIMIT, DEFAULT_RATE_LIMIT, type RateLimitConfig } from '../../src/schemas/config.js';
import { deepFreeze } from './feed-script.js';
import { mulberry32 } from '../../src/testing/internal/seeded-random.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 30, 10, 30, 15); // 15 s into a clock minute
/** A token bucket of the specification's rate: 1200 tokens, refilled at 1200 a minute (bursts up to 2× the rate). */
const TOKEN_BUCKET: RateLimitConfig = { kind: 'token_bucket', requestsPerMinute: 1200 };

interface DayRun {
  grants: { t: number; w: number }[];
  /** Refusal periods the server imposed: from the `firstGrant`-th grant on, until `until`. */
  blocks: { firstGrant: number; until: number }[];
  /** Smallest `waitMs` returned. */
  minWait: number;
  /** Every refusal: when, for what weight, and the `waitMs` it said. */
  refusals: { t: number; w: number; waitMs: number }[];
  feedbackMinutes: Set<number>;
  maxWeight: number;
}

/**
 * A day of requests against one limiter. `saturate`: the client always has a request ready
 * (asks again after exactly `waitMs` when refused, at once when granted); otherwise it pauses
 * a random time, up to `maxPauseMs`. The server sends feedback every `feedbackEveryMs` on average (exponential gaps).
 */
function simulateDay(
  config: RateLimitConfig,
  seed: number,
  saturate: boolean,
  maxWeight: number,
  feedbackEveryMs: number,
  maxPauseMs = 2000,
): DayRun {
  const random = mulberry32(seed);
  let state: RateLimiterState = createRateLimiter(config);
  const grants: { t: number; w: number }[] = [];
  const blocks: { firstGrant: number; until: number }[] = [];
  let minWait = Infinity;
  const refusals: { t: number; w: number; waitMs: number }[] = [];
  const feedbackMinutes = new Set<number>();
  const windowMs = config.kind === 'weight_window' ? config.windowMs : MIN;
  const limit = config.kind === 'weight_window' ? config.limit : config.requestsPerMinute;
  const start = T0 + Math.floor(random() * MIN);
  let t = start;
  let w = 1 + Math.floor(random() * maxWeight);
  const nextFeedback = (from: number): number => from + Math.floor(-Math.log(1 - random()) * feedbackEveryMs);
  let feedbackAt = nextFeedback(start);
  while (t < start + DAY) {
    if (t >= feedbackAt) {
      feedbackAt = nextFeedback(t);
      const r = random();
      let feedback: RateLimitFeedback;
      if (r < 0.4) {
        feedback = { kind: 'used_weight', used: Math.floor(random() * limit * 1.2), sentAt: t - Math.floor(random() * 2000) };
      } else if (r < 0.7) {
        feedback = { kind: 'rate_limited', retryAfterMs: Math.floor(random() * 60_000) };
        blocks.push({ firstGrant: grants.length, until: t + feedback.retryAfterMs! });
      } else if (r < 0.85) {
        feedback = { kind: 'rate_limited' }; // no Retry-After: the rest of the window is spent
        if (config.kind === 'weight_window')
          blocks.push({ firstGrant: grants.length, until: Math.floor(t / windowMs) * windowMs + windowMs });
      } else {
        feedback = { kind: 'banned', retryAfterMs: 60_000 + Math.floor(random() * 240_000) };
        blocks.push({ firstGrant: grants.length, until: t + feedback.retryAfterMs! });
      }
      state = applyServerFeedback(state, t, feedback);
      feedbackMinutes.add(Math.floor(t / windowMs));
      // A block can reach into the next windows: those are not saturated either.
      const last = blocks.at(-1);
      if (last !== undefined && last.firstGrant === grants.length) {
        for (let m = Math.floor(t / windowMs); m * windowMs < last.until; m++) feedbackMinutes.add(m);
      }
    }
    const d = tryAcquire(state, t, w);
    state = d.state;
    if (d.granted) {
      grants.push({ t, w });
      w = 1 + Math.floor(random() * maxWeight);
      if (!saturate) t += Math.floor(random() * maxPauseMs);
    } else {
      if (d.waitMs < minWait) minWait = d.waitMs;
      refusals.push({ t, w, waitMs: d.waitMs });
      t += saturate ? d.waitMs : Math.max(d.waitMs, Math.floor(random() * 5000));
    }
  }
  return { grants, blocks, feedbackMinutes, maxWeight, minWait, refusals };
}

/**
 * The largest weight granted in any sliding window of `windowMs` (any `[s, s + windowMs)`):
 * the heaviest window ends at a grant, so a two-pointer pass over the grants finds it.
 */
function heaviestSlidingWindow(grants: readonly { t: number; w: number }[], windowMs: number): number {
  let worst = 0;
  let sum = 0;
  let first = 0;
  for (const g of grants) {
    sum += g.w;
    while (grants[first]!.t <= g.t - windowMs) sum -= grants[first++]!.w;
    worst = Math.max(worst, sum);
  }
  return worst;
}

/** Weight granted in `(from, to]`, from the grants' prefix sums (`cum[i]` = weight of the first `i` grants). */
function grantedIn(times: readonly number[], cum: readonly number[], from: number, to: number): number {
  const upper = (x: number): number => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return cum[upper(to)]! - cum[upper(from)]!;
}

function perWindow(run: DayRun, windowMs: number): Map<number, number> {
  const sums = new Map<number, number>();
  for (const g of run.grants) {
    const k = Math.floor(g.t / windowMs);
    sums.set(k, (sums.get(k) ?? 0) + g.w);
  }
  return sums;
}

/** Grants made after a block was imposed and before it ended (the simulation's clock only moves forward). */
function grantsInsideBlocks(run: DayRun): { t: number; w: number }[] {
  const inside: { t: number; w: number }[] = [];
  for (const b of run.blocks) {
    for (let i = b.firstGrant; i < run.grants.length; i++) {
      const g = run.grants[i];
      if (g === undefined || g.t >= b.until) break;
      inside.push(g);
    }
  }
  return inside;
}

describe('tryAcquire', () => {
  it('grants a clock-aligned window up to its limit, then says when the next window starts', () => {
    // Binance: 6000 weight per clock minute. At 10:30:15, 5990 + 10 fit; 1 more waits 45 s.
    let s = createRateLimiter(BINANCE_WEIGHT_LIMIT);
    let d = tryAcquire(s, T0, 5990);
    expect(d.granted).toBe(true);
    d = tryAcquire((s = d.state), T0 + 1000, 10);
    expect(d.granted).toBe(true);
    d = tryAcquire((s = d.state), T0 + 2000, 1);
    expect(d).toMatchObject({ granted: false, waitMs: 43_000 });
    expect(tryAcquire(d.state, Date.UTC(2025, 0, 30, 10, 31), 6000).granted).toBe(true);
  });

  it('refills a token bucket at the configured rate', () => {
    // 1200 requests a minute: capacity 1200, 1 token every 50 ms.
    let s = createRateLimiter(TOKEN_BUCKET);
    for (let i = 0; i < 1200; i++) {
      const d = tryAcquire(s, T0, 1);
      expect(d.granted).toBe(true);
      s = d.state;
    }
    expect(tryAcquire(s, T0, 1)).toMatchObject({ granted: false, waitMs: 50 });
    expect(tryAcquire(s, T0 + 49, 1).granted).toBe(false);
    expect(tryAcquire(s, T0 + 50, 1).granted).toBe(true);
    expect(tryAcquire(s, T0 + 50, 2)).toMatchObject({ granted: false, waitMs: 50 });
  });

  it('does not mutate the state it is given', () => {
    const s = deepFreeze(createRateLimiter(BINANCE_WEIGHT_LIMIT));
    const d = tryAcquire(s, T0, 100);
    expect(s).toEqual(createRateLimiter(BINANCE_WEIGHT_LIMIT));
    expect(d.state).toMatchObject({ used: 100, windowStart: Date.UTC(2025, 0, 30, 10, 30) });
  });

  it('refuses weights that could never be granted', () => {
    const s = createRateLimiter(BINANCE_WEIGHT_LIMIT);
    for (const weight of [6001, -1, Number.NaN]) {
      expect(() => tryAcquire(s, T0, weight)).toThrow(/weight/);
      try {
        tryAcquire(s, T0, weight);
      } catch (error) {
        expect(isConfigError(error)).toBe(true);
      }
    }
  });

  it('survives a JSON round trip between calls', () => {
    let a = createRateLimiter(DEFAULT_RATE_LIMIT);
    let b = a;
    let refused = 0;
    // 1000 calls 17 ms apart (weights 1–3): the window fills (1200 weight) after about 600, then
    // requests are refused with a wait; every call goes through JSON. (It made 3000 calls, all
    // inside the same 60 s and so proving no more, and took 2 s: once per mutant under Stryker.)
    for (let i = 0; i < 1000; i++) {
      const t = T0 + i * 17;
      const da = tryAcquire(a, t, 1 + (i % 3));
      const db = tryAcquire(JSON.parse(JSON.stringify(b)) as RateLimiterState, t, 1 + (i % 3));
      // Compared as JSON text (plain data): a deep toEqual of ~600 grants per call took 1 s.
      expect(JSON.stringify(db)).toBe(JSON.stringify(da));
      a = da.state;
      b = db.state;
      if (!da.granted) refused++;
    }
    expect(refused).toBeGreaterThan(300);
  });

  it('holds the specification’s 1200 requests per minute in every 60 s window by default', () => {
    // Specification: 'rate_limit': 1200 requests per minute. A client that always has a request
    // ready, asking again after exactly `waitMs`, gets 1200 in its first minute, not 2399.
    let s = createRateLimiter(DEFAULT_RATE_LIMIT);
    const grants: number[] = [];
    for (let t = T0; t < T0 + 3 * MIN;) {
      const d = tryAcquire(s, t, 1);
      s = d.state;
      if (d.granted) grants.push(t);
      else t += d.waitMs;
    }
    expect(grants.filter((t) => t < T0 + MIN)).toHaveLength(1200);
    expect(
      heaviestSlidingWindow(
        grants.map((t) => ({ t, w: 1 })),
        MIN,
      ),
    ).toBe(1200);
    // The 1201st goes out when the first grant is 60 s old, not before.
    expect(grants[1200]).toBe(T0 + MIN);
  });

  it('makes a request wait exactly until enough of its window’s grants are 60 s old', () => {
    // 600 at T0 and 600 at T0 + 30 s fill the 1200 of the minute. At T0 + 40 s, 1 more fits
    // when the T0 grants leave the window (T0 + 60 s): 20 s; 601 more need the T0 + 30 s
    // grants gone as well (T0 + 90 s): 50 s.
    let s = createRateLimiter(DEFAULT_RATE_LIMIT);
    s = tryAcquire(s, T0, 600).state;
    s = tryAcquire(s, T0 + 30_000, 600).state;
    expect(tryAcquire(s, T0 + 40_000, 1)).toMatchObject({ granted: false, waitMs: 20_000 });
    expect(tryAcquire(s, T0 + 40_000, 601)).toMatchObject({ granted: false, waitMs: 50_000 });
    expect(tryAcquire(s, T0 + MIN - 1, 1).granted).toBe(false);
    expect(tryAcquire(s, T0 + MIN, 600).granted).toBe(true);
    expect(tryAcquire(s, T0 + MIN, 601).granted).toBe(false);
  });

  it('counts Binance’s weight per calendar minute, as the exchange does', () => {
    // Binance counts REQUEST_WEIGHT per clock minute: 6000 at 10:30:59 and 6000 more at
    // 10:31:00 are both within the limit, and the used-weight header of a request sent in the
    // current minute raises our count to the server's.
    const at = (s: number): number => Date.UTC(2025, 0, 30, 10, 30, s);
    let s = createRateLimiter(BINANCE_WEIGHT_LIMIT);
    let d = tryAcquire(s, at(59), 6000);
    expect(d.granted).toBe(true);
    d = tryAcquire((s = d.state), at(60), 6000);
    expect(d.granted).toBe(true);
    s = tryAcquire(createRateLimiter(BINANCE_WEIGHT_LIMIT), at(10), 20).state;
    s = applyServerFeedback(s, at(11), { kind: 'used_weight', used: 5990, sentAt: at(10) });
    expect(tryAcquire(s, at(12), 10).granted).toBe(true);
    expect(tryAcquire(tryAcquire(s, at(12), 10).state, at(12), 1)).toMatchObject({ granted: false, waitMs: 48_000 });
  });

  describe('over a simulated day of random requests (the default: 1200 a minute, sliding window)', () => {
    it('never grants more than 1200 in any 60 s window, and delays a request exactly until its window has room', () => {
      fc.assert(
        fc.property(
          fc.integer(),
          fc.boolean(),
          fc.integer({ min: 1, max: 20 }),
          fc.integer({ min: 1, max: 200 }),
          (seed, saturate, maxWeight, pause) => {
            // Without server feedback; pauses of up to `pause` ms (mean pause/2) reach the limit in bursts.
            const run = simulateDay(DEFAULT_RATE_LIMIT, seed, saturate, maxWeight, Infinity, pause);
            expect(heaviestSlidingWindow(run.grants, MIN)).toBeLessThanOrEqual(1200);
            const times = run.grants.map((g) => g.t);
            const cum = [0];
            for (const g of run.grants) cum.push(cum.at(-1)! + g.w);
            // Room for weight w at x: the grants made up to the refusal (none come while the client
            // waits) that are still inside (x − 60 s, x], plus w, fit in 1200.
            const room = (r: { t: number; w: number }, x: number): boolean => grantedIn(times, cum, x - MIN, r.t) + r.w <= 1200;
            const early = run.refusals.filter((r) => room(r, r.t + r.waitMs - 1) && r.waitMs > 1);
            const late = run.refusals.filter((r) => !room(r, r.t + r.waitMs));
            expect(early).toEqual([]);
            expect(late).toEqual([]);
            if (saturate) expect(run.refusals.length).toBeGreaterThan(1000);
          },
        ),
        { numRuns: 4 },
      );
    });

    it('stays within 1200 in any 60 s window and grants nothing inside a Retry-After or ban, whatever the server says', () => {
      fc.assert(
        fc.property(fc.integer(), fc.boolean(), fc.integer({ min: 1, max: 20 }), (seed, saturate, maxWeight) => {
          const run = simulateDay(DEFAULT_RATE_LIMIT, seed, saturate, maxWeight, 5 * MIN);
          expect(heaviestSlidingWindow(run.grants, MIN)).toBeLessThanOrEqual(1200);
          expect(grantsInsideBlocks(run)).toEqual([]);
          expect(run.minWait).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: 3 },
      );
    });
  });

  describe('over a simulated day of random requests (weight window, 6000 per clock minute)', () => {
    it('never grants more than the limit in a window, nor anything inside a Retry-After or ban', () => {
      fc.assert(
        fc.property(fc.integer(), fc.boolean(), fc.integer({ min: 20, max: 100 }), (seed, saturate, maxWeight) => {
          const run = simulateDay(BINANCE_WEIGHT_LIMIT, seed, saturate, maxWeight, 5 * MIN);
          for (const [, sum] of perWindow(run, MIN)) expect(sum).toBeLessThanOrEqual(6000);
          expect(grantsInsideBlocks(run)).toEqual([]);
          expect(run.minWait).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: 3 },
      );
    });

    it('grants at least the limit minus the largest single weight in every saturated window', () => {
      fc.assert(
        fc.property(fc.integer(), fc.integer({ min: 20, max: 100 }), (seed, maxWeight) => {
          const run = simulateDay(BINANCE_WEIGHT_LIMIT, seed, true, maxWeight, 30 * MIN);
          const sums = perWindow(run, MIN);
          const minutes = [...sums.keys()].sort((x, y) => x - y);
          let checked = 0;
          // The first and last minutes are partial; minutes with server feedback are not ours alone.
          for (const m of minutes.slice(1, -1)) {
            if (run.feedbackMinutes.has(m)) continue;
            expect(sums.get(m)).toBeGreaterThanOrEqual(6000 - maxWeight + 1);
            checked++;
          }
          expect(checked).toBeGreaterThan(1000);
        }),
        { numRuns: 3 },
      );
    });
  });

  describe('over a simulated day of random requests (token bucket, 1200 a minute)', () => {
    it('never grants more than capacity + rate × T in any interval T, nor anything inside a Retry-After or ban', () => {
      fc.assert(
        fc.property(fc.integer(), fc.boolean(), fc.integer({ min: 5, max: 20 }), (seed, saturate, maxWeight) => {
          const run = simulateDay(TOKEN_BUCKET, seed, saturate, maxWeight, 5 * MIN);
          // For all i <= j: sum(w_i..w_j) <= C + r (t_j - t_i), checked in one pass as
          // (cum_j - r t_j) - min_{i<=j}(cum_{i-1} - r t_i) <= C.
          const rate = 1200 / MIN;
          let cum = 0;
          let minPrefix = Infinity;
          let worst = 0;
          for (const g of run.grants) {
            minPrefix = Math.min(minPrefix, cum - rate * g.t);
            cum += g.w;
            worst = Math.max(worst, cum - rate * g.t - minPrefix);
          }
          expect(worst).toBeLessThanOrEqual(1200 + 1e-6);
          if (saturate) expect(worst).toBeGreaterThan(1200 - maxWeight); // a greedy client reaches the bound
          expect(grantsInsideBlocks(run)).toEqual([]);
          expect(run.minWait).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: 3 },
      );
    });

    it('grants at least the per-minute rate minus the largest single weight in every saturated minute', () => {
      fc.assert(
        fc.property(fc.integer(), fc.integer({ min: 5, max: 20 }), (seed, maxWeight) => {
          const run = simulateDay(TOKEN_BUCKET, seed, true, maxWeight, 30 * MIN);
          const sums = perWindow(run, MIN);
          const minutes = [...sums.keys()].sort((x, y) => x - y);
          let checked = 0;
          for (const m of minutes.slice(1, -1)) {
            if (run.feedbackMinutes.has(m)) continue;
            expect(sums.get(m)).toBeGreaterThanOrEqual(1200 - maxWeight + 1 - 1e-6);
            checked++;
          }
          expect(checked).toBeGreaterThan(1000);
        }),
        { numRuns: 3 },
      );
    });
  });
});
