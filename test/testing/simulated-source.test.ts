import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { isSourceError, type SourceError } from '../../src/errors/source-error.js';
import type { OhlcvRequest } from '../../src/pipeline/source.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';
import type { SimulatedSourceOptions } from '../../src/testing/simulated-source-options.js';
import type { SourceFault } from '../../src/testing/source-fault.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1); // 2025-01-01T00:00:00Z
// The clock of most tests: 00:10:30, so bars 00:00 … 00:09 are closed and 00:10 is forming.
const NOW = T0 + 10 * MIN + 30_000;

function setup(options: Partial<SimulatedSourceOptions> = {}, now = NOW): { clock: ManualClock; source: SimulatedSource } {
  const clock = new ManualClock(now);
  const source = new SimulatedSource({ clock, symbols: ['BTCUSD', 'ETHUSD'], generate: { start: T0, count: 60 }, ...options });
  return { clock, source };
}

async function rows(source: SimulatedSource, request: Partial<OhlcvRequest> = {}): Promise<Ohlcv[]> {
  const answer = await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', ...request });
  return answer.rows as Ohlcv[];
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!isSourceError(error)) throw new Error(`expected a SourceError, got ${String(error)}`);
  return error;
}

const minutes = (...m: number[]): number[] => m.map((k) => T0 + k * MIN);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('SimulatedSource', () => {
  describe('serving bars', () => {
    it('serves the closed bars and the forming bar at the clock time, oldest first', async () => {
      const { source } = setup();
      const got = await rows(source, { since: T0 });
      // 00:10:30: ten bars have closed (00:00 … 00:09) and 00:10 is forming.
      expect(got.map((b) => b.timestamp)).toEqual(minutes(...range(0, 11)));
      // The rows are the generator's own bars (BTCUSD is the first symbol: seed 1 + 0).
      expect(got).toEqual(generateOhlcv({ seed: 1, start: T0, count: 60 }).bars.slice(0, 11));
    });

    it('leaves out the forming bar when includeForming is false', async () => {
      const { source } = setup({ includeForming: false });
      expect((await rows(source, { since: T0 })).map((b) => b.timestamp)).toEqual(minutes(...range(0, 10)));
    });

    it('gives each generated symbol the seed after the previous one', () => {
      const { source } = setup();
      expect(source.symbols).toEqual(['BTCUSD', 'ETHUSD']);
      expect(source.series('ETHUSD')).toEqual(generateOhlcv({ seed: 2, start: T0, count: 60 }).bars);
      expect(source.truth('ETHUSD')).toEqual({ gaps: [], duplicates: [], anomalies: [] });
    });

    it('generates BTCUSD and ETHUSD by default', () => {
      const source = new SimulatedSource({ clock: new ManualClock() });
      expect(source.symbols).toEqual(['BTCUSD', 'ETHUSD']);
      expect(source.series('BTCUSD')).toHaveLength(1440);
    });

    it('serves bars from since on, at most limit of them', async () => {
      const { source } = setup();
      expect((await rows(source, { since: T0 + 3 * MIN, limit: 4 })).map((b) => b.timestamp)).toEqual(minutes(3, 4, 5, 6));
      // since between two open times: from the next bar on
      expect((await rows(source, { since: T0 + 3 * MIN + 1, limit: 2 })).map((b) => b.timestamp)).toEqual(minutes(4, 5));
      // since in the future: nothing yet
      expect(await rows(source, { since: T0 + 30 * MIN })).toEqual([]);
    });

    it('serves the most recent bars when since is omitted', async () => {
      const { source } = setup();
      expect((await rows(source, { limit: 3 })).map((b) => b.timestamp)).toEqual(minutes(8, 9, 10));
      expect(await rows(source)).toHaveLength(11);
    });

    it('clamps limit to maxLimit', async () => {
      const { source } = setup({ maxLimit: 4 });
      expect((await rows(source, { since: T0, limit: 100 })).map((b) => b.timestamp)).toEqual(minutes(0, 1, 2, 3));
      expect(source.maxLimit).toBe(4);
    });

    it('pages through history with since and limit, each closed bar once', async () => {
      const { source, clock } = setup({ maxLimit: 7, includeForming: false });
      await clock.advanceTo(T0 + 45 * MIN + 1);
      const seen: number[] = [];
      let since = T0;
      for (;;) {
        const page = await rows(source, { since, limit: 7 });
        seen.push(...page.map((b) => b.timestamp));
        if (page.length < 7) break;
        since = (page.at(-1) as Ohlcv).timestamp + MIN;
      }
      expect(seen).toEqual(minutes(...range(0, 45)));
      expect(source.closedBars('BTCUSD').map((b) => b.timestamp)).toEqual(seen);
      expect(source.requests.map((r) => r.since)).toEqual(minutes(0, 7, 14, 21, 28, 35, 42));
    });

    it('serves new bars as the clock moves on', async () => {
      const { source, clock } = setup({ includeForming: false });
      expect(await rows(source, { since: T0 + 10 * MIN })).toEqual([]);
      await clock.advance(30_000); // 00:11:00: the 00:10 bar has just closed
      expect((await rows(source, { since: T0 + 10 * MIN })).map((b) => b.timestamp)).toEqual(minutes(10));
    });

    it('serves given bars sorted by time without mutating them', async () => {
      const given = Object.freeze(
        [3, 1, 0, 2].map((m) => Object.freeze({ timestamp: T0 + m * MIN, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 })),
      );
      const clock = new ManualClock(NOW);
      const source = new SimulatedSource({ clock, bars: { XRPETH: given } });
      expect(source.symbols).toEqual(['XRPETH']);
      expect((await rows(source, { symbol: 'XRPETH', since: T0 })).map((b) => b.timestamp)).toEqual(minutes(0, 1, 2, 3));
      expect(given.map((b) => b.timestamp)).toEqual(minutes(3, 1, 0, 2));
    });

    it('rejects an unknown symbol, another timeframe and an invalid limit with bad_data', async () => {
      const { source } = setup();
      const unknown = await failure(source.fetchOhlcv({ symbol: 'DOGEUSD', timeframe: '1m' }));
      expect([unknown.kind, unknown.status, unknown.source]).toEqual(['bad_data', 400, 'simulated']);
      expect((await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '5m' }))).kind).toBe('bad_data');
      expect((await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', limit: 0 }))).kind).toBe('bad_data');
      expect(source.requests.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected']);
    });

    it('logs each request with what it asked, when and what came of it', async () => {
      const { source, clock } = setup();
      await rows(source, { since: T0 + 8 * MIN, limit: 2 });
      await clock.advance(1_000);
      await rows(source, { symbol: 'ETHUSD' });
      expect(source.requests).toEqual([
        {
          seq: 0,
          symbol: 'BTCUSD',
          timeframe: '1m',
          since: T0 + 8 * MIN,
          limit: 2,
          at: NOW,
          settledAt: NOW,
          outcome: 'served',
          faults: [],
          rows: 2,
          served: minutes(8, 9),
          corrupted: [],
          duplicated: [],
        },
        {
          seq: 1,
          symbol: 'ETHUSD',
          timeframe: '1m',
          at: NOW + 1_000,
          settledAt: NOW + 1_000,
          outcome: 'served',
          faults: [],
          rows: 11,
          served: minutes(...range(0, 11)),
          corrupted: [],
          duplicated: [],
        },
      ]);
    });

    it('rejects at once with the reason of an already aborted signal', async () => {
      const { source } = setup();
      const controller = new AbortController();
      const reason = new Error('stopped');
      controller.abort(reason);
      await expect(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', signal: controller.signal })).rejects.toBe(reason);
      expect(source.requests[0]?.outcome).toBe('aborted');
    });
  });

  describe('rate-limit weight', () => {
    it('answers 429 once the minute’s weight exceeds weightLimit, until the next minute', async () => {
      const { source, clock } = setup({ requestWeight: 2, weightLimit: 5, reportUsedWeight: true });
      expect((await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' })).usedWeight).toBe(2);
      expect((await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' })).usedWeight).toBe(4);
      const limited = await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }));
      // 00:10:30: the window resets at 00:11:00, 30 s later; 3 requests × weight 2 = 6.
      expect([limited.kind, limited.status, limited.retryAfterMs, limited.usedWeight]).toEqual(['rate_limited', 429, 30_000, 6]);
      await clock.advance(30_000);
      expect((await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' })).usedWeight).toBe(2);
    });

    it('does not report used weight unless asked', async () => {
      const { source } = setup();
      expect(await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', limit: 1 })).not.toHaveProperty('usedWeight');
    });
  });

  describe('fault script', () => {
    it('fails with a network error or a server error', async () => {
      const { source } = setup({
        faults: [
          { kind: 'error', times: 1 },
          { kind: 'error', failure: 'server_error', status: 503, times: 1 },
        ],
      });
      const network = await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }));
      expect([network.kind, network.status]).toEqual(['network', undefined]);
      const server = await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }));
      expect([server.kind, server.status]).toEqual(['server_error', 503]);
      expect(await rows(source)).toHaveLength(11);
      expect(source.requests.map((r) => r.outcome)).toEqual(['error', 'error', 'served']);
    });

    it('times out at once', async () => {
      const { source, clock } = setup({ faults: [{ kind: 'timeout', times: 1 }] });
      const error = await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }));
      expect(error.kind).toBe('timeout');
      expect(source.requests[0]).toMatchObject({ outcome: 'timeout', at: NOW, settledAt: NOW, faults: ['timeout'] });
      expect(clock.pending).toBe(0);
    });

    it('hangs until the signal aborts, then rejects with its reason and leaves nothing behind', async () => {
      const { source, clock } = setup({ faults: [{ kind: 'hang', times: 1 }] });
      const controller = new AbortController();
      let settled = false;
      const request = source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', signal: controller.signal });
      request.then(
        () => (settled = true),
        () => (settled = true),
      );
      await clock.advance(3_600_000);
      expect(settled).toBe(false);
      expect(source.pendingRequests).toBe(1);
      expect(source.requests[0]?.outcome).toBe('pending');
      const reason = new Error('deadline');
      controller.abort(reason);
      await expect(request).rejects.toBe(reason);
      expect(source.requests[0]).toMatchObject({ outcome: 'aborted', faults: ['hang'], settledAt: NOW + 3_600_000 });
      expect(source.pendingRequests).toBe(0);
      expect(clock.pending).toBe(0);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      // the step was spent: the next request is served
      expect(await rows(source, { limit: 1 })).toHaveLength(1);
    });

    it('answers empty', async () => {
      const { source } = setup({ faults: [{ kind: 'empty', times: 2 }] });
      expect(await rows(source)).toEqual([]);
      expect(await rows(source)).toEqual([]);
      expect(await rows(source)).toHaveLength(11);
      expect(source.requests.map((r) => r.outcome)).toEqual(['empty', 'empty', 'served']);
    });

    it('spoils rows in each of the four ways', async () => {
      const kinds = ['nan_price', 'high_below_low', 'garbage_field', 'garbage_row'] as const;
      for (const kind of kinds) {
        const { source } = setup({ faults: [{ kind: 'bad_rows', rate: 0.3, corruptions: [kind] }] });
        const got = (await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: T0 })).rows;
        const truth = source.series('BTCUSD');
        const log = source.requests[0];
        expect(log?.corrupted.length).toBeGreaterThan(0);
        got.forEach((row, i) => {
          const original = truth[i] as Ohlcv;
          const bad = log?.corrupted.includes(original.timestamp) ?? false;
          if (!bad) return expect(row).toBe(original);
          if (kind === 'nan_price') expect((row as Ohlcv).close).toBeNaN();
          if (kind === 'high_below_low') expect((row as Ohlcv).high).toBeLessThan((row as Ohlcv).low);
          if (kind === 'garbage_field') expect((row as { high: unknown }).high).toBe('#N/A');
          if (kind === 'garbage_row') expect(typeof row).toBe('string');
        });
      }
    });

    it('spoils at least one row even at a tiny rate', async () => {
      const { source } = setup({ faults: [{ kind: 'bad_rows', rate: 0, times: 1 }] });
      await rows(source);
      expect(source.requests[0]?.corrupted).toHaveLength(1);
    });

    it('repeats rows right after themselves', async () => {
      const { source } = setup({ faults: [{ kind: 'duplicates', rate: 0.5, times: 1 }] });
      const got = await rows(source, { since: T0 });
      const log = source.requests[0];
      const duplicated = log?.duplicated ?? [];
      expect(duplicated.length).toBeGreaterThan(0);
      expect(got).toHaveLength(11 + duplicated.length);
      expect(log?.rows).toBe(got.length);
      for (const t of duplicated) {
        const at = got.findIndex((b) => b.timestamp === t);
        expect(got[at + 1]).toEqual(got[at]);
      }
      expect([...new Set(got.map((b) => b.timestamp))]).toEqual(minutes(...range(0, 11)));
    });

    it('shuffles rows out of order, never leaving them sorted', async () => {
      const { source } = setup({ faults: [{ kind: 'out_of_order' }] });
      for (let limit = 2; limit <= 11; limit++) {
        const got = (await rows(source, { since: T0, limit })).map((b) => b.timestamp);
        expect(got).not.toEqual([...got].sort((a, b) => a - b));
        expect([...got].sort((a, b) => a - b)).toEqual(minutes(...range(0, limit)));
      }
      // one row cannot be out of order: the step is not spent on it
      expect(await rows(source, { since: T0, limit: 1 })).toHaveLength(1);
      expect(source.requests.at(-1)?.faults).toEqual([]);
    });

    it('answers 429 with Retry-After, by default until the next minute', async () => {
      const { source } = setup({
        faults: [
          { kind: 'rate_limited', times: 1 },
          { kind: 'rate_limited', times: 1, retryAfterMs: 5_000, usedWeight: 6100 },
        ],
      });
      const first = await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }));
      // 00:10:30 → 00:11:00
      expect([first.kind, first.status, first.retryAfterMs, first.usedWeight]).toEqual(['rate_limited', 429, 30_000, undefined]);
      const second = await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }));
      expect([second.retryAfterMs, second.usedWeight]).toEqual([5_000, 6100]);
    });

    it('answers 418 while banned, with the rest of the ban as retryAfterMs', async () => {
      const { source, clock } = setup({ faults: [{ kind: 'banned', from: NOW, durationMs: 120_000 }] });
      const first = await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }));
      expect([first.kind, first.status, first.retryAfterMs]).toEqual(['banned', 418, 120_000]);
      await clock.advance(100_000);
      expect((await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }))).retryAfterMs).toBe(20_000);
      await clock.advance(20_000);
      expect(await rows(source, { limit: 1 })).toHaveLength(1);
    });

    it('fails every request with a network error during an outage, and only then', async () => {
      const from = NOW + 60_000;
      const { source, clock } = setup({ faults: [{ kind: 'outage', from, to: from + 300_000 }] });
      expect(await rows(source, { limit: 1 })).toHaveLength(1);
      await clock.advanceTo(from);
      for (let i = 0; i < 3; i++)
        expect((await failure(source.fetchOhlcv({ symbol: i === 1 ? 'ETHUSD' : 'BTCUSD', timeframe: '1m' }))).kind).toBe('network');
      await clock.advanceTo(from + 299_999);
      expect((await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }))).kind).toBe('network');
      await clock.advanceTo(from + 300_000); // `to` is exclusive
      expect(await rows(source, { limit: 1 })).toHaveLength(1);
      expect(source.requests.map((r) => r.outcome)).toEqual(['served', 'outage', 'outage', 'outage', 'outage', 'served']);
    });

    it('answers late by the latency, in clock time', async () => {
      const { source, clock } = setup({ faults: [{ kind: 'latency', ms: 5_000, times: 1 }] });
      let answer: readonly unknown[] | undefined;
      const request = source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: T0 }).then((a) => (answer = a.rows));
      await clock.advance(4_999);
      expect(answer).toBeUndefined();
      await clock.advance(1);
      await request;
      // the answer is the market as it stood when the request arrived
      expect(answer).toHaveLength(11);
      expect(source.requests[0]).toMatchObject({ at: NOW, settledAt: NOW + 5_000, outcome: 'served', faults: ['latency'] });
    });

    it('ends a latency wait on abort without leaving the timer or the listener behind', async () => {
      const { source, clock } = setup({ faults: [{ kind: 'latency', ms: 60_000 }] });
      const controller = new AbortController();
      const request = source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', signal: controller.signal });
      await clock.advance(1_000);
      expect(clock.pending).toBe(1);
      controller.abort(new Error('stop'));
      await expect(request).rejects.toThrow('stop');
      expect(clock.pending).toBe(0);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      expect(source.requests[0]?.outcome).toBe('aborted');
    });

    it('applies a step only in its window, for its symbols and as many times as it says', async () => {
      const { source, clock } = setup({ faults: [{ kind: 'empty', from: NOW + 1_000, to: NOW + 2_000, times: 2, symbols: ['ETHUSD'] }] });
      const sizes = async (): Promise<number[]> => [(await rows(source)).length, (await rows(source, { symbol: 'ETHUSD' })).length];
      expect(await sizes()).toEqual([11, 11]); // before the window
      await clock.advance(1_000);
      expect(await sizes()).toEqual([11, 0]); // in the window, only ETHUSD
      expect(await sizes()).toEqual([11, 0]);
      expect(await sizes()).toEqual([11, 11]); // spent after two
      const later = setup({ faults: [{ kind: 'empty', from: NOW + 1_000, to: NOW + 2_000 }] });
      await later.clock.advance(2_000);
      expect(await rows(later.source)).toHaveLength(11); // after the window
    });

    it('lets the first deciding step win and adds up latencies before it', async () => {
      const { source, clock } = setup({
        faults: [
          { kind: 'latency', ms: 1_000, times: 1 },
          { kind: 'error', failure: 'server_error', times: 1 },
          { kind: 'timeout', times: 1 },
          { kind: 'latency', ms: 2_000, times: 1 },
        ],
      });
      const first = failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }));
      await clock.advance(3_000);
      expect((await first).kind).toBe('server_error');
      expect(source.requests[0]).toMatchObject({ settledAt: NOW + 3_000, faults: ['latency', 'latency', 'error'] });
      // the timeout was not spent by the first request
      expect((await failure(source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m' }))).kind).toBe('timeout');
    });

    it('applies row faults together, in script order, when nothing decides the answer', async () => {
      const { source } = setup({
        faults: [{ kind: 'duplicates', rate: 0.3 }, { kind: 'bad_rows', rate: 0.3, corruptions: ['nan_price'] }, { kind: 'out_of_order' }],
      });
      const got = await rows(source, { since: T0 });
      const log = source.requests[0];
      expect(log?.faults).toEqual(['duplicates', 'bad_rows', 'out_of_order']);
      expect(got).toHaveLength(11 + (log?.duplicated.length ?? 0));
      expect(got.filter((b) => Number.isNaN(b.close)).length).toBeGreaterThan(0);
    });

    it('gives the same answers for the same seed and script, and others for another seed', async () => {
      const faults: SourceFault[] = [{ kind: 'duplicates', rate: 0.3 }, { kind: 'bad_rows', rate: 0.3 }, { kind: 'out_of_order' }];
      const run = async (seed: number): Promise<unknown[]> => {
        const { source } = setup({ faults, seed });
        const out: unknown[] = [];
        for (let i = 0; i < 5; i++) out.push((await source.fetchOhlcv({ symbol: 'BTCUSD', timeframe: '1m', since: T0 })).rows);
        return out;
      };
      const a = await run(7);
      expect(await run(7)).toEqual(a);
      expect(await run(8)).not.toEqual(a);
    });

    it('rejects an invalid step with a ConfigError naming it', () => {
      const clock = new ManualClock(NOW);
      const bad: [SourceFault, string][] = [
        [{ kind: 'outage', from: NOW }, 'faults[0].to'],
        [{ kind: 'latency', ms: -1 }, 'faults[0].ms'],
        [{ kind: 'empty', times: 0 }, 'faults[0].times'],
        [{ kind: 'empty', from: NOW, to: NOW }, 'faults[0].to'],
        [{ kind: 'bad_rows', rate: 2 }, 'faults[0].rate'],
        [{ kind: 'empty', durationMs: 5 }, 'faults[0].from'],
        [{ kind: 'nope' } as unknown as SourceFault, 'faults[0].kind'],
      ];
      for (const [step, name] of bad) {
        let error: unknown;
        try {
          new SimulatedSource({ clock, faults: [step] });
        } catch (e) {
          error = e;
        }
        expect(isConfigError(error), name).toBe(true);
        expect((error as Error).message).toContain(`\`${name}\``);
      }
    });
  });

  describe('options', () => {
    it('rejects invalid options with a ConfigError', () => {
      const clock = new ManualClock(NOW);
      expect(() => new SimulatedSource({ clock, maxLimit: 0 })).toThrow('`maxLimit`');
      expect(() => new SimulatedSource({ clock, timeframe: '1M' as '1m' })).toThrow('`timeframe`');
      expect(() => new SimulatedSource({ clock, generate: { timeframe: '5m' } })).toThrow('`generate.timeframe`');
      expect(() => new SimulatedSource({ clock, bars: {} })).toThrow('`symbols`');
      expect(() => new SimulatedSource({} as SimulatedSourceOptions)).toThrow('`clock`');
    });
  });

  describe('subscribe', () => {
    it('yields each bar as the clock passes its close, then stops on abort leaving nothing behind', async () => {
      const { source, clock } = setup();
      const controller = new AbortController();
      const seen: [number, number][] = [];
      const done = (async () => {
        for await (const bar of source.subscribe({ symbol: 'BTCUSD', timeframe: '1m', signal: controller.signal }))
          seen.push([bar.timestamp, clock.now()]);
      })();
      await clock.advance(3 * MIN);
      // subscribed at 00:10:30: the 00:10 bar closes at 00:11:00, 00:11 at 00:12:00, …
      expect(seen).toEqual([
        [T0 + 10 * MIN, T0 + 11 * MIN],
        [T0 + 11 * MIN, T0 + 12 * MIN],
        [T0 + 12 * MIN, T0 + 13 * MIN],
      ]);
      expect(source.activeSubscriptions).toBe(1);
      expect(clock.pending).toBe(1);
      const reason = new Error('stop');
      controller.abort(reason);
      await expect(done).rejects.toBe(reason);
      expect(source.activeSubscriptions).toBe(0);
      expect(clock.pending).toBe(0);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('catches up from since, then follows the clock, and ends with the market', async () => {
      const { source, clock } = setup({ generate: { start: T0, count: 12 } });
      const seen: number[] = [];
      const done = (async () => {
        for await (const bar of source.subscribe({ symbol: 'ETHUSD', timeframe: '1m', since: T0 + 8 * MIN })) seen.push(bar.timestamp);
      })();
      await clock.advance(10 * MIN);
      await done;
      // closed at subscription: 00:08, 00:09; then 00:10 and 00:11, the market's last bar
      expect(seen).toEqual(minutes(8, 9, 10, 11));
      expect(source.activeSubscriptions).toBe(0);
      expect(clock.pending).toBe(0);
    });

    it('breaks the stream with a network error when an outage starts', async () => {
      const from = T0 + 12 * MIN + 15_000;
      const { source, clock } = setup({ faults: [{ kind: 'outage', from, durationMs: MIN }] });
      const seen: number[] = [];
      const done = (async () => {
        for await (const bar of source.subscribe({ symbol: 'BTCUSD', timeframe: '1m' })) seen.push(bar.timestamp);
      })();
      const error = failure(done);
      await clock.advance(5 * MIN);
      expect((await error).kind).toBe('network');
      expect(seen).toEqual(minutes(10, 11));
      expect(clock.pending).toBe(0);
    });

    it('rejects a bad request like fetchOhlcv', async () => {
      const { source } = setup();
      const iterator = source.subscribe({ symbol: 'NOPE', timeframe: '1m' });
      expect((await failure(iterator.next())).kind).toBe('bad_data');
      expect(source.activeSubscriptions).toBe(0);
    });
  });
});
