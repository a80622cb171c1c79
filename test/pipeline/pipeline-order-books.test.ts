import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { OrderBookRequest } from '../../src/pipeline/source.js';
import { OrderBookSummarySchema } from '../../src/schemas/order-book-summary-schema.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { fakeSource, flat, runUntil } from './support.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

/** A source of one bar whose `fetchOrderBook` answers `book(request)`, and weighs a depth request as Binance does. */
function bookSource(clock: ManualClock, book: (request: OrderBookRequest) => unknown) {
  const requests: Omit<OrderBookRequest, 'signal'>[] = [];
  const source = Object.assign(fakeSource('exchange_api', [flat(T0, 100)], clock), {
    requests: [],
    bookRequests: requests,
    orderBookWeight: (depth: number): number => (depth <= 100 ? 5 : 25),
    fetchOrderBook(request: OrderBookRequest): Promise<unknown> {
      const { signal: _signal, ...asked } = request;
      requests.push(asked);
      return Promise.resolve(book(request));
    },
  });
  return source;
}

function pipelineOver(source: ReturnType<typeof bookSource>, clock: ManualClock, sink: MemorySink, depth = 5): Pipeline {
  return new Pipeline({
    primary: source,
    sinks: [sink],
    clock,
    start: T0,
    config: { symbols: ['BTCUSD'], timeframes: ['1m'], orderBook: { symbols: ['BTCUSD'], depth, band: 0.01 } },
  });
}

describe('Pipeline order books', () => {
  it('delivers a valid snapshot and its summary: spread, mid and depth within the band', async () => {
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = bookSource(clock, () => ({
      timestamp: T0 + MIN,
      bids: [
        [99.5, 2],
        [99.2, 3],
        [98, 7],
      ],
      asks: [
        [100.5, 1],
        [100.9, 4],
        [101.5, 6],
      ],
    }));
    const sink = new MemorySink();
    const pipeline = pipelineOver(source, clock, sink);
    await pipeline.runOnce();
    await pipeline.flush();
    expect(source.bookRequests).toEqual([{ symbol: 'BTCUSD', depth: 5 }]);
    const books = sink.records.filter((r) => r.kind === 'orderBook');
    expect(books).toHaveLength(1);
    // mid = (99.5 + 100.5) / 2 = 100; spread 1 = 100 bps of mid; the 1 % band is [99, 101]:
    // bids 2 + 3 (98 is outside), asks 1 + 4 (101.5 is outside).
    const summary = OrderBookSummarySchema.parse(sink.document('order_book', 'BTCUSD'));
    expect(summary).toEqual({
      symbol: 'BTCUSD',
      timestamp: '2025-01-30T00:01:00Z',
      source: 'exchange_api',
      best_bid: 99.5,
      best_ask: 100.5,
      mid: 100,
      spread: 1,
      spread_bps: 100,
      band: 0.01,
      bid_depth: 5,
      ask_depth: 5,
      bid_levels: 3,
      ask_levels: 3,
    });
  });

  it('rejects a crossed book with an issue and delivers nothing of it', async () => {
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = bookSource(clock, () => ({ timestamp: T0 + MIN, bids: [[101, 1]], asks: [[100, 1]] }));
    const sink = new MemorySink();
    const pipeline = pipelineOver(source, clock, sink);
    const rejected: string[] = [];
    pipeline.on('rejected', (e) => rejected.push(...e.issues.map((i) => i.code)));
    await pipeline.runOnce();
    await pipeline.flush();
    expect(rejected).toEqual(['not_crossed']);
    expect(sink.records.filter((r) => r.kind === 'orderBook')).toEqual([]);
    expect(sink.document('order_book', 'BTCUSD')).toBeUndefined();
    const issues = pipeline.checkpoint().symbols['BTCUSD']?.issues ?? [];
    expect(issues).toContainEqual(expect.objectContaining({ type: 'invalid_bar', resolution: 'removed' }));
  });

  it("takes the primary's order-book stream while it is up (a crossed snapshot refused), and polls again once it ends", async () => {
    const clock = new ManualClock(T0 + MIN + 1000);
    // Polled books have a best bid of 90; streamed ones of 99. The stream opens once; reopening it fails.
    let opened = 0;
    const source = Object.assign(
      bookSource(clock, () => ({ timestamp: clock.now(), bids: [[90, 1]], asks: [[100, 1]] })),
      {
        async *subscribeOrderBook(request: OrderBookRequest): AsyncIterable<unknown> {
          if (opened++ > 0) throw new Error('stream unavailable');
          yield { timestamp: clock.now(), bids: [[99, 1]], asks: [[100, 1]] };
          await clock.sleep(2000, request.signal);
          yield { timestamp: clock.now(), bids: [[101, 1]], asks: [[100, 1]] }; // crossed
          await clock.sleep(2000, request.signal);
          yield { timestamp: clock.now(), bids: [[99, 2]], asks: [[100, 1]] };
          // The stream then ends, and stays unavailable: polling takes over.
          await clock.sleep(60_000, request.signal);
          throw new Error('stream gone');
        },
      },
    );
    const sink = new MemorySink();
    const pipeline = pipelineOver(source, clock, sink);
    const rejected: string[] = [];
    pipeline.on('rejected', (e) => rejected.push(...e.issues.map((i) => i.code)));
    let polledWhileStreaming = -1;
    pipeline.on('document', (record) => {
      // The stream's last snapshot (bid 99, quantity 2) is in: count the polls up to here.
      if (record.name === 'order_book' && record.body.bid_depth === 2 && polledWhileStreaming < 0)
        polledWhileStreaming = source.bookRequests.length;
    });
    await runUntil(pipeline, clock, T0 + MIN + 90_000);
    const bids = sink.records.flatMap((r) => (r.kind === 'orderBook' ? [r.book.bids[0]?.price] : []));
    // The first poll goes out as the loops start, before the stream's first message; then the
    // streamed books (the crossed one refused), with no poll while the stream is up, though
    // one is due every 10 s; once it has ended, the polls take over again.
    expect(bids.slice(0, 3)).toEqual([90, 99, 99]);
    expect(rejected).toEqual(['not_crossed']);
    expect(polledWhileStreaming).toBe(1);
    expect(bids.slice(3).length).toBeGreaterThan(0);
    expect(bids.slice(3).every((b) => b === 90)).toBe(true);
  });

  it('rejects a book deeper than asked', async () => {
    const clock = new ManualClock(T0 + MIN + 1000);
    const bids = Array.from({ length: 3 }, (_, i) => [99 - i, 1]);
    const source = bookSource(clock, () => ({ timestamp: T0 + MIN, bids, asks: [[100, 1]] }));
    const sink = new MemorySink();
    const pipeline = pipelineOver(source, clock, sink, 2);
    const rejected: string[] = [];
    pipeline.on('rejected', (e) => rejected.push(...e.issues.map((i) => i.code)));
    await pipeline.runOnce();
    expect(rejected).toEqual(['depth_levels']);
  });

  it("takes each snapshot's weight for its depth from the source's rate limiter", async () => {
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = bookSource(clock, () => ({ timestamp: T0 + MIN, bids: [[99, 1]], asks: [[100, 1]] }));
    const pipeline = new Pipeline({
      primary: source,
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m'], orderBook: { symbols: ['BTCUSD'], depth: 500 } },
    });
    await pipeline.runOnce();
    const limiter = pipeline.checkpoint().limiters['exchange_api'];
    // One klines request (weight 1, the source's default) and one 500-level book (weight 25, as the source says).
    expect(limiter).toMatchObject({ kind: 'sliding_window' });
    const used = limiter?.kind === 'sliding_window' ? limiter.grants.reduce((sum, g) => sum + g.weight, 0) : 0;
    expect(used).toBe(1 + 25);
  });

  it("charges a deeper snapshot more through the pipeline, by Binance's depth weight table", async () => {
    // Binance's /api/v3/depth weight (the issue and Binance's docs): 5 up to 100 levels, 25 up to
    // 500, 50 up to 1000, 250 beyond.
    const binanceDepthWeight = (depth: number): number => (depth <= 100 ? 5 : depth <= 500 ? 25 : depth <= 1000 ? 50 : 250);
    const used = async (depth: number): Promise<number> => {
      const clock = new ManualClock(T0 + MIN + 1000);
      const source = Object.assign(
        bookSource(clock, () => ({ timestamp: T0 + MIN, bids: [[99, 1]], asks: [[100, 1]] })),
        { orderBookWeight: binanceDepthWeight },
      );
      const pipeline = new Pipeline({
        primary: source,
        clock,
        start: T0,
        config: { symbols: ['BTCUSD'], timeframes: ['1m'], orderBook: { symbols: ['BTCUSD'], depth } },
      });
      await pipeline.runOnce();
      const limiter = pipeline.checkpoint().limiters['exchange_api'];
      return limiter?.kind === 'sliding_window' ? limiter.grants.reduce((sum, g) => sum + g.weight, 0) : 0;
    };
    // One klines request (weight 1) and one book of each depth.
    expect(await used(100)).toBe(1 + 5);
    expect(await used(1000)).toBe(1 + 50);
    expect(await used(5000)).toBe(1 + 250);
  });
});
