import {
  Pipeline,
  SourceError,
  type Ohlcv,
  type OrderBook,
  type OrderBookRequest,
  type Source,
  type Tick,
  type TradesRequest,
} from 'market-data-pipeline';
import { ManualClock, MemorySink, SimulatedSource } from 'market-data-pipeline/testing';

/** Trades a simulated bar is split into: open, high, low, close, 15 s apart. */
const TRADES_PER_BAR = 4;
/** Price step between two book levels, as a fraction of the price (1 bp). */
const LEVEL_STEP = 0.0001;

/**
 * The demo exchange's trades and order books, made from its simulated bars so the pipeline's
 * trades-versus-klines check has something true to agree with: each bar with volume trades four
 * times (its open, high, low and close, at :00, :15, :30 and :45, a quarter of its volume each;
 * ids consecutive per symbol), and the book is 20 levels a side around the last trade, 1 bp
 * apart. Both fail, as the bars do, while `down(now)` says the exchange is down.
 *
 * @param exchange - The simulated exchange (its bars, clock and name).
 * @param now - The demo's clock.
 * @param down - Whether the exchange is down at a time (epoch ms).
 * @returns `exchange` with `fetchTrades` and `fetchOrderBook`.
 */
export function withMarketDepth(exchange: SimulatedSource, now: () => number, down: (at: number) => boolean): Source {
  const tape = new Map<string, Tick[]>();
  const tradesOf = (symbol: string): Tick[] => {
    let ticks = tape.get(symbol);
    if (ticks === undefined) {
      ticks = [];
      for (const bar of exchange.series(symbol)) {
        if (!(bar.volume > 0)) continue;
        const prices = [bar.open, bar.high, bar.low, bar.close];
        for (let k = 0; k < TRADES_PER_BAR; k++) {
          ticks.push({
            timestamp: bar.timestamp + k * 15_000,
            price: prices[k] as number,
            quantity: bar.volume / TRADES_PER_BAR,
            side: k % 2 === 0 ? 'buy' : 'sell',
            tradeId: ticks.length + 1,
          });
        }
      }
      tape.set(symbol, ticks);
    }
    return ticks;
  };
  const refuseWhileDown = (): void => {
    if (down(now())) throw new SourceError(`${exchange.name} is down`, { kind: 'network' });
  };
  return {
    name: exchange.name,
    requestWeight: exchange.requestWeight,
    maxLimit: exchange.maxLimit,
    fetchOhlcv: (request) => exchange.fetchOhlcv(request),
    fetchTrades: (request: TradesRequest): Promise<Tick[]> => {
      refuseWhileDown();
      const at = now();
      const done = tradesOf(request.symbol).filter((t) => t.timestamp <= at);
      const limit = request.limit ?? 1000;
      const { fromId, since } = request;
      const from =
        fromId !== undefined
          ? done.filter((t) => t.tradeId >= fromId)
          : since !== undefined
            ? done.filter((t) => t.timestamp >= since)
            : done.slice(-limit);
      return Promise.resolve(from.slice(0, limit));
    },
    fetchOrderBook: (request: OrderBookRequest): Promise<OrderBook> => {
      refuseWhileDown();
      const at = now();
      const last = tradesOf(request.symbol).findLast((t) => t.timestamp <= at)?.price ?? 1;
      const levels = Math.min(request.depth ?? 20, 20);
      const side = (sign: number): { price: number; quantity: number }[] =>
        Array.from({ length: levels }, (_, i) => ({ price: last * (1 + sign * LEVEL_STEP * (i + 1)), quantity: 1 + i / 2 }));
      return Promise.resolve({ timestamp: at, bids: side(-1), asks: side(1), depthLevels: levels });
    },
  };
}

/** What arrived of one symbol's trades and order books in {@link demoMarketDepth}. */
export interface DepthSummary {
  /** The symbol. */
  readonly symbol: string;
  /** Minutes run. */
  readonly minutes: number;
  /** Trades delivered (in `ticks` records). */
  readonly trades: number;
  /** `ticks` records delivered. */
  readonly batches: number;
  /** 1m bars the pipeline built from the trades (`tradeBar` events), each checked against the exchange's kline. */
  readonly tradeBars: number;
  /** Of those, the ones the quality report says disagree with the klines (`inconsistent_source` issues). */
  readonly disagreements: number;
  /** Order-book snapshots delivered (`orderBook` records). */
  readonly books: number;
  /** The last `order_book` document's mid price and spread (basis points); `null` when none came. */
  readonly mid: number | null;
  readonly spreadBps: number | null;
}

/**
 * The demo's trades-and-books part: a pipeline over one symbol of the simulated exchange, with
 * trades (polled, bars built from them and checked against the klines) and order books (20
 * levels a side) turned on, run minute by minute from `from` for `minutes` minutes.
 *
 * @param bars - The exchange's 1m bars of `symbol`.
 * @param symbol - The symbol.
 * @param from - Epoch ms of the first minute run (the pipeline backfills from there).
 * @param minutes - Minutes to run.
 * @returns What arrived.
 */
export async function demoMarketDepth(bars: readonly Ohlcv[], symbol: string, from: number, minutes: number): Promise<DepthSummary> {
  const clock = new ManualClock(from + 1000);
  const exchange = new SimulatedSource({ clock, name: 'exchange_api', bars: { [symbol]: bars } });
  const sink = new MemorySink();
  const pipeline = new Pipeline({
    primary: withMarketDepth(
      exchange,
      () => clock.now(),
      () => false,
    ),
    sinks: [sink],
    clock,
    start: from,
    config: { symbols: [symbol], timeframes: ['1m'], trades: { symbols: [symbol] }, orderBook: { symbols: [symbol], depth: 20 } },
  });
  let tradeBars = 0;
  let mid: number | null = null;
  let spreadBps: number | null = null;
  let disagreements = 0;
  pipeline.on('tradeBar', () => tradeBars++);
  pipeline.on('document', (record) => {
    if (record.name === 'order_book') ({ mid, spread_bps: spreadBps } = record.body);
    if (record.name === 'quality_report') disagreements = record.body.issues_24h.filter((i) => i.type === 'inconsistent_source').length;
  });
  try {
    for (let m = 1; m <= minutes; m++) {
      // 10 s past each minute: a bar from trades closes 5 s after its end (trades published late still count).
      await clock.advanceTo(from + m * 60_000 + 10_000);
      await pipeline.runOnce();
    }
    await pipeline.flush();
  } finally {
    await pipeline.stop();
  }
  const ticks = sink.records.filter((r) => r.kind === 'ticks');
  return {
    symbol,
    minutes,
    trades: ticks.reduce((n, r) => n + r.ticks.length, 0),
    batches: ticks.length,
    tradeBars,
    disagreements,
    books: sink.records.filter((r) => r.kind === 'orderBook').length,
    mid,
    spreadBps,
  };
}
