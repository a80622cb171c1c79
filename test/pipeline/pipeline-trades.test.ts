import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { PipelineEvents } from '../../src/pipeline/pipeline-events.js';
import type { SinkRecord } from '../../src/pipeline/sink.js';
import type { TradesRequest } from '../../src/pipeline/source.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { Tick } from '../../src/schemas/tick.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { ccxtTrades, describeFixtures, freqtradeBars } from '../support/fixtures.js';
import { fakeSource, flat, runUntil, type FakeSource } from './support.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

type TradeGapEvent = Parameters<PipelineEvents['tradeGap']>[0];

/** Trade `id` at `T0 + ms`, price `price`. */
function trade(id: number, ms: number, price = 100): Tick {
  return { timestamp: T0 + ms, price, quantity: 1, side: id % 2 === 0 ? 'buy' : 'sell', tradeId: id };
}

/** A source of `bars` (served as they close) whose `fetchTrades` answers with `answer(request)`. */
function tradingSource(
  clock: ManualClock,
  bars: readonly Ohlcv[],
  answer: (request: TradesRequest) => readonly unknown[],
): FakeSource & { readonly tradeRequests: Omit<TradesRequest, 'signal'>[] } {
  const tradeRequests: Omit<TradesRequest, 'signal'>[] = [];
  const source = fakeSource('exchange_api', bars, clock);
  return Object.assign(source, {
    tradeRequests,
    fetchTrades(request: TradesRequest): Promise<readonly unknown[]> {
      const { signal: _signal, ...asked } = request;
      tradeRequests.push(asked);
      return Promise.resolve(answer(request));
    },
  });
}

/** Trades from `trades` that a Binance-like source returns: by `fromId` or from `since`, at most `limit`. */
function serve(trades: readonly Tick[], request: TradesRequest): Tick[] {
  const from = request.fromId;
  const picked = from === undefined ? trades.filter((t) => t.timestamp >= (request.since ?? 0)) : trades.filter((t) => t.tradeId >= from);
  return picked.slice(0, request.limit ?? 1000);
}

function deliveredTicks(records: readonly SinkRecord[]): number[] {
  return records.flatMap((r) => (r.kind === 'ticks' ? r.ticks.map((t) => t.tradeId) : []));
}

function pipelineFor(source: FakeSource, clock: ManualClock, sink: MemorySink, checkpoint?: ReturnType<Pipeline['checkpoint']>): Pipeline {
  return new Pipeline({
    primary: source,
    sinks: [sink],
    clock,
    start: T0,
    config: { symbols: ['BTCUSD'], timeframes: ['1m'], trades: { symbols: ['BTCUSD'], limit: 100 } },
    ...(checkpoint === undefined ? {} : { checkpoint }),
  });
}

describe('Pipeline trades', () => {
  it('judges no stall of a backup that has no trades at all', async () => {
    // The primary has trades; its backup only bars. Once the primary fails and the feed is on the
    // backup, trades are unavailable, not stalled: the backup keeps serving bars.
    const bars = Array.from({ length: 10 }, (_, i) => flat(T0 + i * MIN, 100, 5));
    const clock = new ManualClock(T0 + MIN + 1000);
    const primary = tradingSource(clock, bars, () => [trade(1, 5000)]);
    const backup = fakeSource('data_provider', bars, clock);
    const pipeline = new Pipeline({
      primary,
      backup,
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], trades: { symbols: ['BTCUSD'], stallMs: MIN } },
    });
    const moves: string[] = [];
    pipeline.on('failover', (e) => moves.push(e.to));
    await pipeline.runOnce();
    primary.fail = () => new Error('primary down');
    for (let i = 0; i < 30; i++) {
      await clock.advance(5000);
      await pipeline.runOnce();
    }
    expect(moves).toContain('on_backup');
    expect(moves.at(-1)).toBe('on_backup');
  });

  it('asks for no trade and delivers no ticks when trades are off', async () => {
    const clock = new ManualClock(T0 + 3 * MIN + 1000);
    const source = tradingSource(clock, [flat(T0, 100), flat(T0 + MIN, 100)], () => [trade(1, 0)]);
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: source,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'] },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    expect(source.tradeRequests).toEqual([]);
    expect(sink.records.filter((r) => r.kind === 'ticks')).toEqual([]);
    expect(pipeline.checkpoint().symbols['BTCUSD']).not.toHaveProperty('lastTradeId');
  });

  it('finds a jump in consecutive trade ids, re-fetches it by id and reports it', async () => {
    // Trades 1–10, one every 5 s; the first answer lacks 6 and 7, as a source dropping a page would.
    const trades = Array.from({ length: 10 }, (_, i) => trade(i + 1, i * 5000));
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = tradingSource(clock, [flat(T0, 100)], (request) =>
      request.fromId === undefined ? serve(trades, request).filter((t) => t.tradeId !== 6 && t.tradeId !== 7) : serve(trades, request),
    );
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const gaps: TradeGapEvent[] = [];
    pipeline.on('tradeGap', (e) => gaps.push(e));
    await pipeline.runOnce();
    await pipeline.flush();
    expect(source.tradeRequests.map((r) => r.fromId)).toEqual([undefined, 6]);
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(gaps).toEqual([{ symbol: 'BTCUSD', source: 'exchange_api', fromId: 6, toId: 7, refetched: 2, missing: 0, completeness: 1 }]);
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    expect(issues).toContainEqual(expect.objectContaining({ type: 'gap_detected', resolution: 'flagged' }));
  });

  it('re-fetches a gap larger than one page page by page until its last id, delivering each trade once', async () => {
    // Trades 1–260; the first answer lacks 4–249 (246 trades, more than two pages of `limit` 100).
    // Re-fetched by id from 4 in pages of 100: 4–103, 104–203, then 204–260 (short: all there is).
    const trades = Array.from({ length: 260 }, (_, i) => trade(i + 1, i * 100));
    const dropped = trades.filter((t) => t.tradeId < 4 || t.tradeId > 249);
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = tradingSource(clock, [flat(T0, 100)], (request) =>
      request.fromId === undefined ? serve(dropped, request) : serve(trades, request),
    );
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const gaps: TradeGapEvent[] = [];
    pipeline.on('tradeGap', (e) => gaps.push(e));
    await pipeline.runOnce();
    await pipeline.flush();
    expect(source.tradeRequests.map((r) => r.fromId)).toEqual([undefined, 4, 104, 204]);
    expect(deliveredTicks(sink.records)).toEqual(trades.map((t) => t.tradeId));
    expect(gaps).toEqual([{ symbol: 'BTCUSD', source: 'exchange_api', fromId: 4, toId: 249, refetched: 246, missing: 0, completeness: 1 }]);
  });

  it('loses no trade when the re-fetch of a gap fails: the trades after it wait for the next poll', async () => {
    // Trades 1–10; the first answer lacks 6 and 7 and the re-fetch by id fails once (a transient
    // error). Only 1–5 are taken; the next poll asks from 6 again and gets 6–10.
    const trades = Array.from({ length: 10 }, (_, i) => trade(i + 1, i * 5000));
    const clock = new ManualClock(T0 + MIN + 1000);
    let failures = 1;
    const source = tradingSource(clock, [flat(T0, 100)], (request) => {
      if (request.fromId === undefined) return serve(trades, request).filter((t) => t.tradeId !== 6 && t.tradeId !== 7);
      if (failures-- > 0) throw new Error('503 Service Unavailable');
      return serve(trades, request);
    });
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const gaps: TradeGapEvent[] = [];
    pipeline.on('tradeGap', (e) => gaps.push(e));
    await pipeline.runOnce();
    await pipeline.flush();
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4, 5]);
    expect(pipeline.checkpoint().symbols['BTCUSD']?.lastTradeId).toBe(5);
    await clock.advance(10_000);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(source.tradeRequests.map((r) => r.fromId)).toEqual([undefined, 6, 6]);
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(gaps.filter((g) => g.missing > 0)).toEqual([]);
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    expect(issues.filter((i) => i.type === 'gap_detected' && i.resolution === 'marked_missing')).toEqual([]);
  });

  it('asks a bounded number of times and notes one issue when the ids are not consecutive (ids 10, 20, …, 500)', async () => {
    // A source numbering its trades 10, 20, …, 500 (as ccxt exchanges other than Binance may) with
    // `consecutiveIds` left on: 49 "gaps". The first re-fetch (from 11) answers 20–500, short, so it
    // covers every other gap: 2 requests in all, not 50, and one gap_detected issue, not 49.
    const trades = Array.from({ length: 50 }, (_, i) => trade((i + 1) * 10, i * 1000));
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = tradingSource(clock, [flat(T0, 100)], (request) => serve(trades, request));
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(source.tradeRequests.map((r) => r.fromId)).toEqual([undefined, 11]);
    expect(deliveredTicks(sink.records)).toEqual(trades.map((t) => t.tradeId));
    const issues = (pipeline.checkpoint().symbols['BTCUSD']?.issues ?? []).filter((i) => i.type === 'gap_detected');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('49 gaps in trade ids 11–499');
  });

  it('counts trades the re-fetch cannot bring as missing in the completeness', async () => {
    // Trades 1–10 without 4 and 5 anywhere: 8 received of 10 → completeness 0.8.
    const trades = Array.from({ length: 10 }, (_, i) => trade(i + 1, i * 5000)).filter((t) => t.tradeId !== 4 && t.tradeId !== 5);
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = tradingSource(clock, [flat(T0, 100)], (request) => serve(trades, request));
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const gaps: TradeGapEvent[] = [];
    pipeline.on('tradeGap', (e) => gaps.push(e));
    await pipeline.runOnce();
    expect(gaps).toEqual([{ symbol: 'BTCUSD', source: 'exchange_api', fromId: 4, toId: 5, refetched: 0, missing: 2, completeness: 0.8 }]);
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    expect(issues).toContainEqual(expect.objectContaining({ type: 'gap_detected', resolution: 'marked_missing' }));
  });

  it('delivers each trade once, in id order, when answers overlap, repeat ids or come unsorted', async () => {
    const trades = Array.from({ length: 6 }, (_, i) => trade(i + 1, i * 5000));
    const clock = new ManualClock(T0 + MIN + 1000);
    let calls = 0;
    // A source that ignores `fromId` and answers everything it has, shuffled and with a repeat.
    const source = tradingSource(clock, [flat(T0, 100)], () => {
      calls++;
      const have = calls === 1 ? trades.slice(0, 4) : trades;
      return [...have].reverse().concat(have[0] as Tick);
    });
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    await pipeline.runOnce();
    await clock.advance(10_000);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a trade that breaks a value rule and reports it', async () => {
    const clock = new ManualClock(T0 + MIN + 1000);
    const bad = { ...trade(2, 5000), price: -1 };
    const source = tradingSource(clock, [flat(T0, 100)], () => [trade(1, 0), bad, trade(3, 10_000)]);
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: source,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], trades: { symbols: ['BTCUSD'], limit: 100, consecutiveIds: false } },
    });
    const rejected: string[] = [];
    pipeline.on('rejected', (e) => rejected.push(...e.issues.map((i) => i.code)));
    await pipeline.runOnce();
    await pipeline.flush();
    expect(rejected).toEqual(['price_positive']);
    expect(deliveredTicks(sink.records)).toEqual([1, 3]);
  });

  it("takes the primary's trade stream, re-fetching a jump in its ids by id", async () => {
    const trades = Array.from({ length: 7 }, (_, i) => trade(i + 1, 1000 + i * 1000));
    const clock = new ManualClock(T0 + 500);
    // fetchTrades answers only by id, so every trade comes from the stream but the re-fetched ones.
    const source = Object.assign(
      tradingSource(clock, [flat(T0, 100)], (request) => (request.fromId === undefined ? [] : serve(trades, request))),
      {
        async *subscribeTrades(request: TradesRequest): AsyncIterable<unknown> {
          if (request.fromId !== undefined) return;
          yield trades.slice(0, 3);
          await clock.sleep(2000);
          yield trades.slice(5);
          await clock.sleep(60_000, request.signal);
        },
      },
    );
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const gaps: TradeGapEvent[] = [];
    pipeline.on('tradeGap', (e) => gaps.push(e));
    await runUntil(pipeline, clock, T0 + 10_000);
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(gaps).toMatchObject([{ fromId: 4, toId: 5, refetched: 2, missing: 0 }]);
  });

  it('fetches the trades from `start` to the first message of the stream before taking it', async () => {
    // Trades 1–7 every second from 00:00:01; the stream opens late and its first message is 4–7.
    // Trades 1–3 (and 4) are fetched from `since` first, so none is lost and each is delivered once.
    const trades = Array.from({ length: 7 }, (_, i) => trade(i + 1, 1000 + i * 1000));
    const clock = new ManualClock(T0 + 500);
    const source = Object.assign(
      tradingSource(clock, [flat(T0, 100)], (request) => serve(trades, request).filter((t) => t.timestamp <= clock.now())),
      {
        async *subscribeTrades(request: TradesRequest): AsyncIterable<unknown> {
          if (request.fromId !== undefined) return;
          await clock.sleep(3500, request.signal);
          yield trades.slice(3);
          await clock.sleep(60_000, request.signal);
        },
      },
    );
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    await runUntil(pipeline, clock, T0 + 10_000);
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps the trades after a gap of the stream waiting while its re-fetch fails, then takes them all', async () => {
    // The stream sends 1–3, then 6–7 (4 and 5 missing) while the re-fetch by id fails once, then 8–9:
    // the gap, now 4–7, is re-fetched and every trade is delivered once, none written off.
    const trades = Array.from({ length: 9 }, (_, i) => trade(i + 1, 1000 + i * 1000));
    const clock = new ManualClock(T0 + 500);
    let failures = 1;
    const source = Object.assign(
      tradingSource(clock, [flat(T0, 100)], (request) => {
        if (request.fromId === undefined) return [];
        if (failures-- > 0) throw new Error('503 Service Unavailable');
        return serve(trades, request);
      }),
      {
        async *subscribeTrades(request: TradesRequest): AsyncIterable<unknown> {
          if (request.fromId !== undefined) return;
          yield trades.slice(0, 3);
          await clock.sleep(4000);
          yield trades.slice(5, 7);
          await clock.sleep(2000);
          yield trades.slice(7);
          await clock.sleep(60_000, request.signal);
        },
      },
    );
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const gaps: TradeGapEvent[] = [];
    pipeline.on('tradeGap', (e) => gaps.push(e));
    await runUntil(pipeline, clock, T0 + 10_000);
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gaps.filter((g) => g.missing > 0)).toEqual([]);
  });

  it('gives up a gap of the stream whose re-fetch keeps failing after three batches, delivering the trades it held', async () => {
    // 4 and 5 never come back: the re-fetch fails for the batches 6–7, 8 and 9; at the third the
    // gap is reported lost (2 trades) and the trades held after it, 6–9, are delivered.
    const trades = Array.from({ length: 9 }, (_, i) => trade(i + 1, 1000 + i * 1000));
    const clock = new ManualClock(T0 + 500);
    const source = Object.assign(
      tradingSource(clock, [flat(T0, 100)], (request) => {
        if (request.fromId === undefined) return [];
        throw new Error('503 Service Unavailable');
      }),
      {
        async *subscribeTrades(request: TradesRequest): AsyncIterable<unknown> {
          if (request.fromId !== undefined) return;
          yield trades.slice(0, 3);
          for (const batch of [trades.slice(5, 7), trades.slice(7, 8), trades.slice(8)]) {
            await clock.sleep(1000);
            yield batch;
          }
          await clock.sleep(60_000, request.signal);
        },
      },
    );
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const gaps: TradeGapEvent[] = [];
    pipeline.on('tradeGap', (e) => gaps.push(e));
    await runUntil(pipeline, clock, T0 + 10_000);
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 6, 7, 8, 9]);
    expect(gaps).toMatchObject([{ fromId: 4, toId: 5, refetched: 0, missing: 2 }]);
  });

  it('resumes from the checkpoint after the last trade delivered, without judging the minute it only partly has', async () => {
    // Trades 1–8 every 5 s in minute 0, 9 at 00:01:05; the kline of minute 0 has all eight (volume 8).
    // The resumed pipeline takes 6–9 only: minute 0 is not built from them, so no false disagreement.
    const trades = [...Array.from({ length: 8 }, (_, i) => trade(i + 1, i * 5000)), trade(9, MIN + 5000)];
    const clock = new ManualClock(T0 + 21_000);
    const source = tradingSource(clock, [flat(T0, 100, 8), flat(T0 + MIN, 100, 1)], (request) =>
      serve(trades, request).filter((t) => t.timestamp < clock.now()),
    );
    const first = new MemorySink();
    const before = pipelineFor(source, clock, first);
    await before.runOnce();
    await before.flush();
    expect(deliveredTicks(first.records)).toEqual([1, 2, 3, 4, 5]);
    const saved = JSON.parse(JSON.stringify(before.checkpoint())) as ReturnType<Pipeline['checkpoint']>;
    expect(saved.symbols['BTCUSD']?.lastTradeId).toBe(5);
    await before.stop();
    await clock.advance(MIN);
    const second = new MemorySink();
    const after = pipelineFor(source, clock, second, saved);
    const built: Ohlcv[] = [];
    after.on('tradeBar', (e) => built.push(e.bar));
    await after.runOnce();
    await after.flush();
    expect(source.tradeRequests.at(-1)?.fromId).toBe(6);
    expect(deliveredTicks(second.records)).toEqual([6, 7, 8, 9]);
    expect(built.map((b) => b.timestamp)).not.toContain(T0);
    const issues = after.checkpoint().symbols['BTCUSD']?.issues ?? [];
    expect(issues.filter((i) => i.type === 'inconsistent_source')).toEqual([]);
  });

  it('builds no bar for the minute a first request asked from its middle, so reports no false disagreement', async () => {
    // `start` is 00:00:30: the trades of minute 0 before it are never asked for, so minute 0 (whose
    // kline has all 12 trades, volume 12) cannot be built from trades; minute 1 can.
    const trades = [...Array.from({ length: 12 }, (_, i) => trade(i + 1, i * 5000)), trade(13, MIN + 5000), trade(14, 2 * MIN + 5000)];
    const clock = new ManualClock(T0 + 2 * MIN + 10_000);
    const source = tradingSource(clock, [flat(T0, 100, 12), flat(T0 + MIN, 100, 1)], (request) => serve(trades, request));
    const pipeline = new Pipeline({
      primary: source,
      clock,
      start: T0 + 30_000,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], trades: { symbols: ['BTCUSD'], limit: 100 } },
    });
    const built: Ohlcv[] = [];
    pipeline.on('tradeBar', (e) => built.push(e.bar));
    await pipeline.runOnce();
    expect(source.tradeRequests[0]).toMatchObject({ since: T0 + 30_000 });
    expect(built.map((b) => b.timestamp)).toEqual([T0 + MIN]);
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    expect(issues.filter((i) => i.type === 'inconsistent_source')).toEqual([]);
  });

  it('reports a bar from trades that disagrees with the bar from klines', async () => {
    // Minute 0 trades at 100, 103, 101 (the exchange-exact bar: O 100 H 103 L 100 C 101, volume 3);
    // the source's kline says the minute closed at 100 with volume 3: the close differs by 1 %,
    // beyond the consistency tolerance of 0.1 %.
    const trades = [trade(1, 0, 100), trade(2, 20_000, 103), trade(3, 40_000, 101), trade(4, MIN + 1000, 101)];
    const kline: Ohlcv = { timestamp: T0, open: 100, high: 103, low: 100, close: 100, volume: 3 };
    const clock = new ManualClock(T0 + 2 * MIN + 1000);
    const source = tradingSource(clock, [kline, flat(T0 + MIN, 101)], (request) => serve(trades, request));
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const tradeBars: Ohlcv[] = [];
    pipeline.on('tradeBar', (e) => tradeBars.push(e.bar));
    await pipeline.runOnce();
    expect(tradeBars[0]).toMatchObject({ timestamp: T0, open: 100, high: 103, low: 100, close: 101, volume: 3 });
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    const inconsistent = issues.filter((i) => i.type === 'inconsistent_source');
    expect(inconsistent).toHaveLength(1);
    expect(inconsistent[0]?.message).toContain('close 101 from trades, 100 from klines');
  });

  it('counts a trade at 00:00:59.9 that the exchange publishes only after the next minute began', async () => {
    // The exchange shows a trade 0.5 s after it happened. The poll sent at 00:01:00.2 has trades 1–3;
    // trade 4 (00:00:59.9, the minute's close) comes with the next poll. The minute's kline has all
    // four: O 100 H 103 L 100 C 102, volume 4. The bar from trades must wait for it.
    const trades = [trade(1, 0, 100), trade(2, 20_000, 103), trade(3, 40_000, 101), trade(4, 59_900, 102)];
    const kline: Ohlcv = { timestamp: T0, open: 100, high: 103, low: 100, close: 102, volume: 4 };
    const clock = new ManualClock(T0 + MIN + 200);
    const source = tradingSource(clock, [kline], (request) => serve(trades, request).filter((t) => t.timestamp <= clock.now() - 500));
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    const built: Ohlcv[] = [];
    pipeline.on('tradeBar', (e) => built.push(e.bar));
    await pipeline.runOnce();
    await clock.advance(10_000);
    await pipeline.runOnce();
    expect(built).toHaveLength(1);
    expect(built[0]).toMatchObject({ timestamp: T0, open: 100, high: 103, low: 100, close: 102, volume: 4, trades: 4 });
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    expect(issues.filter((i) => i.type === 'inconsistent_source' || i.type === 'gap_detected')).toEqual([]);
  });

  it('reports a trade left out of the bars from trades because it came after its bar closed', async () => {
    // The exchange shows trades 15 s late: the poll sent at 00:01:14 has trades 1–3 and closes minute 0
    // (its end is more than 5 s before); trade 4 (00:00:59.9) comes at 00:01:24, too late for the bar.
    const trades = [trade(1, 0, 100), trade(2, 20_000, 103), trade(3, 40_000, 101), trade(4, 59_900, 102)];
    const kline: Ohlcv = { timestamp: T0, open: 100, high: 103, low: 100, close: 102, volume: 4 };
    const clock = new ManualClock(T0 + MIN + 14_000);
    const source = tradingSource(clock, [kline], (request) => serve(trades, request).filter((t) => t.timestamp <= clock.now() - 15_000));
    const sink = new MemorySink();
    const pipeline = pipelineFor(source, clock, sink);
    await pipeline.runOnce();
    await clock.advance(10_000);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4]);
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    expect(issues).toContainEqual(
      expect.objectContaining({ type: 'gap_detected', timestamp: '2025-01-30T00:00:00Z', resolution: 'flagged', severity: 'info' }),
    );
    expect(issues.find((i) => i.type === 'gap_detected')?.message).toContain('1 trade left out of the 1m bars built from trades');
  });

  it('reports the bars from trades it gives up uncompared when more than a day of them wait for klines', async () => {
    // One trade a minute for 1,442 minutes, all taken in one poll before any comparison: 1,441 bars
    // close, at most 1,440 (a day of 1m bars) wait, so the oldest one is given up, with an issue
    // naming its minute.
    const trades = Array.from({ length: 1442 }, (_, i) => trade(i + 1, i * MIN));
    const clock = new ManualClock(T0 + 1442 * MIN);
    const klines = trades.map((t) => flat(t.timestamp, 100, 1));
    const source = tradingSource(clock, klines, (request) => serve(trades, request));
    const pipeline = new Pipeline({
      primary: source,
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], trades: { symbols: ['BTCUSD'] } },
    });
    await pipeline.runOnce();
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    const givenUp = issues.filter((i) => i.message?.includes('given up uncompared') === true);
    expect(givenUp).toEqual([expect.objectContaining({ type: 'gap_detected', resolution: 'flagged' })]);
    expect(givenUp[0]?.message).toContain('1 1m bar built from trades (2025-01-30T00:00:00Z–2025-01-30T00:00:00Z) given up');
  });

  it('makes the source stale when its trades stall while its bars with volume still come', async () => {
    // One trade at 00:00:05, then none, while 1m bars with volume keep coming for 5 minutes.
    const bars = Array.from({ length: 10 }, (_, i) => flat(T0 + i * MIN, 100, 5));
    const clock = new ManualClock(T0 + 1000);
    const source = tradingSource(clock, bars, () => [trade(1, 5000)]);
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: source,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], trades: { symbols: ['BTCUSD'], stallMs: 3 * MIN } },
    });
    const detected: { at: number; by: unknown }[] = [];
    pipeline.on('failover', (e) => {
      const feed = pipeline.checkpoint().symbols['BTCUSD']?.feed;
      if (e.to === 'detected' && feed?.kind === 'detected') detected.push({ at: e.at, by: feed.detectedBy });
    });
    for (let i = 0; i < 5; i++) {
      await clock.advance(MIN);
      await pipeline.runOnce();
    }
    // The last trade came at 00:00:05; 3 minutes on, at the 00:04:01 cycle, the bars of 00:01–00:03 had volume.
    expect(detected[0]).toEqual({ at: T0 + 4 * MIN + 1000, by: 'stale' });
  });

  it("keeps the source healthy while its trades keep coming with its bars (the stall test's opposite)", async () => {
    // A trade every 30 s and 1m bars with volume for 5 minutes: never stale.
    const bars = Array.from({ length: 10 }, (_, i) => flat(T0 + i * MIN, 100, 5));
    const trades = Array.from({ length: 20 }, (_, i) => trade(i + 1, 5000 + i * 30_000));
    const clock = new ManualClock(T0 + 1000);
    const source = tradingSource(clock, bars, (request) => serve(trades, request).filter((t) => t.timestamp < clock.now()));
    const pipeline = new Pipeline({
      primary: source,
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], trades: { symbols: ['BTCUSD'], stallMs: 3 * MIN } },
    });
    const moves: string[] = [];
    pipeline.on('failover', (e) => moves.push(e.to));
    for (let i = 0; i < 5; i++) {
      await clock.advance(MIN);
      await pipeline.runOnce();
    }
    expect(source.tradeRequests.length).toBeGreaterThanOrEqual(5);
    expect(moves).toEqual([]);
  });

  it("charges each trades request the source's tradesRequestWeight in the symbol's rate limiter", async () => {
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = Object.assign(
      tradingSource(clock, [flat(T0, 100)], () => [trade(1, 5000)]),
      { tradesRequestWeight: 25 },
    );
    const pipeline = pipelineFor(source, clock, new MemorySink());
    await pipeline.runOnce();
    const limiter = pipeline.checkpoint().limiters['exchange_api'];
    // One klines request (weight 1, the default) and one trades request (weight 25, as the source says).
    const used = limiter?.kind === 'sliding_window' ? limiter.grants.reduce((sum, g) => sum + g.weight, 0) : 0;
    expect(source.tradeRequests).toHaveLength(1);
    expect(used).toBe(1 + 25);
  });

  it('takes the trades from the backup once the failover ladder is on it', async () => {
    // The primary fails, bars and trades alike: the feed moves to the backup, and the trades come
    // from the backup's fetchTrades through the same ladder.
    const bars = Array.from({ length: 10 }, (_, i) => flat(T0 + i * MIN, 100, 5));
    const trades = Array.from({ length: 5 }, (_, i) => trade(i + 1, 5000 + i * 1000));
    const clock = new ManualClock(T0 + MIN + 1000);
    const primary = tradingSource(clock, bars, () => {
      throw new Error('503 Service Unavailable');
    });
    const backup = Object.assign(fakeSource('data_provider', bars, clock), {
      tradeRequests: 0,
      fetchTrades(request: TradesRequest): Promise<readonly unknown[]> {
        backup.tradeRequests++;
        return Promise.resolve(serve(trades, request));
      },
    });
    primary.fail = () => new Error('primary down');
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary,
      backup,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], trades: { symbols: ['BTCUSD'] } },
    });
    const moves: string[] = [];
    pipeline.on('failover', (e) => moves.push(e.to));
    for (let i = 0; i < 10 && !moves.includes('on_backup'); i++) {
      await pipeline.runOnce();
      await clock.advance(10_000);
    }
    await pipeline.runOnce();
    await pipeline.flush();
    expect(moves).toContain('on_backup');
    expect(backup.tradeRequests).toBeGreaterThan(0);
    expect(deliveredTicks(sink.records)).toEqual([1, 2, 3, 4, 5]);
  });
});

describeFixtures('Pipeline trades on real Binance trades (XRP/ETH, 12,477 aggTrades)', () => {
  it("builds, through the pipeline, every one of the exchange's 2,469 traded 1m candles and finds them consistent", async () => {
    const trades = ccxtTrades('real/freqtrade/XRP_ETH-trades.json.gz');
    const candles = freqtradeBars('real/freqtrade/XRP_ETH-1m.json');
    const first = trades[0] as Tick;
    const start = Math.floor(first.timestamp / MIN) * MIN;
    // The 1m file ends with the 11:19 candle, so the trades are complete until 11:20. The clock is
    // 10 s on: the pipeline closes a bar from trades once its end is 5 s (the late-trade allowance) past.
    const end = Date.UTC(2019, 9, 13, 11, 20);
    const clock = new ManualClock(end + 10_000);
    const source = tradingSource(clock, candles, (request) => serve(trades, request));
    const pipeline = new Pipeline({
      primary: source,
      clock,
      start,
      warmUpBars: 10_000,
      config: {
        symbols: ['XRPETH'],
        timeframes: ['1m'],
        trades: { symbols: ['XRPETH'], limit: 1000 },
        feedFailure: { maxBackfillBars: 10_000 },
      },
    });
    const built: Ohlcv[] = [];
    const gaps: TradeGapEvent[] = [];
    pipeline.on('tradeBar', (e) => built.push(e.bar));
    pipeline.on('tradeGap', (e) => gaps.push(e));
    await pipeline.runOnce();
    expect(gaps).toEqual([]);
    const byTs = new Map(candles.map((c) => [c.timestamp, c]));
    const traded = built.filter((b) => b.timestamp < end);
    // Every candle of the exchange with volume in the trades' range is a traded minute (2,469 of them).
    const tradedCandles = candles.filter((c) => c.timestamp >= start && c.timestamp < end && c.volume > 0);
    expect(tradedCandles).toHaveLength(2469);
    expect(traded.map((b) => b.timestamp)).toEqual(tradedCandles.map((c) => c.timestamp));
    for (const bar of traded) {
      const candle = byTs.get(bar.timestamp) as Ohlcv;
      expect([bar.open, bar.high, bar.low, bar.close]).toEqual([candle.open, candle.high, candle.low, candle.close]);
      expect(Math.abs(bar.volume - candle.volume) / candle.volume).toBeLessThanOrEqual(1e-9);
    }
    const issues = pipeline.checkpoint().symbols['XRPETH']?.issues ?? [];
    expect(issues.filter((i) => i.type === 'inconsistent_source')).toEqual([]);
  });
});
