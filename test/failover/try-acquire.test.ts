import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { applyServerFeedback } from '../../src/failover/apply-server-feedback.js';
import { createRateLimiter } from '../../src/failover/create-rate-limiter.js';
import type { RateLimitFeedback, RateLimiterState } from '../../src/failover/rate-limiter-state.js';
import { tryAcquire } from '../../src/failover/try-acquire.js';
import { BINANCE_WEIGHT_LIMIT, DEFAULT_RATE_LIMIT, type RateLimitConfig } from '../../src/schemas/config.js';
import { deepFreeze } from './feed-script.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 30, 10, 30, 15); // 15 s into a clock minute

/** mulberry32: a small seeded generator, so fast-check's seed reproduces the whole day. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DayRun {
  grants: { t: number; w: number }[];
  /** Refusal periods the server imposed: from the `firstGrant`-th grant on, until `until`. */
  blocks: { firstGrant: number; until: number }[];
  /** Smallest `waitMs` returned. */
  minWait: number;
  feedbackMinutes: Set<number>;
  maxWeight: number;
}

/**
 * A day of requests against one limiter. `saturate`: the client always has a request ready
 * (asks again after exactly `waitMs` when refused, at once when granted); otherwise it pauses
 * a random time. The server sends feedback every `feedbackEveryMs` on average (exponential gaps).
 */
function simulateDay(config: RateLimitConfig, seed: number, saturate: boolean, maxWeight: number, feedbackEveryMs: number): DayRun {
  const random = mulberry32(seed);
  let state: RateLimiterState = createRateLimiter(config);
  const grants: { t: number; w: number }[] = [];
  const blocks: { firstGrant: number; until: number }[] = [];
  let minWait = Infinity;
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
      if (!saturate) t += Math.floor(random() * 2000);
    } else {
      if (d.waitMs < minWait) minWait = d.waitMs;
      t += saturate ? d.waitMs : Math.max(d.waitMs, Math.floor(random() * 5000));
    }
  }
  return { grants, blocks, feedbackMinutes, maxWeight, minWait };
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
    let s = createRateLimiter(DEFAULT_RATE_LIMIT);
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
    for (let i = 0; i < 3000; i++) {
      const t = T0 + i * 17;
      const da = tryAcquire(a, t, 1 + (i % 3));
      const db = tryAcquire(JSON.parse(JSON.stringify(b)) as RateLimiterState, t, 1 + (i % 3));
      expect(db).toEqual(da);
      a = da.state;
      b = db.state;
    }
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
          const run = simulateDay(DEFAULT_RATE_LIMIT, seed, saturate, maxWeight, 5 * MIN);
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
          const run = simulateDay(DEFAULT_RATE_LIMIT, seed, true, maxWeight, 30 * MIN);
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
