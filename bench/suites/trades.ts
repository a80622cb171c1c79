/**
 * Trades through the pipeline (issue 21's target: at least 100,000 trades a second on one
 * core): 100,000 seeded trades (one every 100 ms on average, about 2 h 47 min) served by a
 * source's `fetchTrades` in pages of 1000 by `fromId`, taken by `runOnce` (two cycles: a cycle
 * takes at most 50 pages) of a new `Pipeline` with trades on — parse, validate, dedupe by id, order, gap check, 1m bars from the
 * trades (`TickAggregator`) checked against the source's klines, delivery of the `ticks` records
 * to a `MemorySink` — and `flush`. Beside it, `ticksToOhlcv` alone on the same trades (the bars
 * only, no I/O), the floor of the bar step.
 */
import { Pipeline, ticksToOhlcv, type Ohlcv, type Source, type Tick, type TradesRequest } from '../../src/index.js';
import { generateTicks, ManualClock, MemorySink } from '../../src/testing/index.js';
import type { BenchGroup, Suite } from '../harness.js';

const TRADES = 100_000;
const START = Date.UTC(2025, 0, 1);
const PAGE = 1000;

/** A source of `ticks` by `fromId` (or from `since`), and of the exchange-exact 1m klines of them. */
function tradeSource(ticks: readonly Tick[], klines: readonly Ohlcv[]): Source {
  const first = ticks[0]?.tradeId ?? 0;
  return {
    name: 'exchange_api',
    fetchOhlcv: ({ since = 0, limit = 1000 }) => Promise.resolve(klines.filter((k) => k.timestamp >= since).slice(0, limit)),
    fetchTrades: ({ fromId, limit = PAGE }: TradesRequest) => {
      const at = fromId === undefined ? 0 : fromId - first;
      return Promise.resolve(ticks.slice(at, at + limit));
    },
  };
}

const suite: Suite = () => {
  const ticks = generateTicks({ seed: 7, start: START, count: TRADES, meanIntervalMs: 100 });
  const last = ticks.at(-1) as Tick;
  const end = Math.floor(last.timestamp / 60_000) * 60_000 + 120_000;
  const klines = ticksToOhlcv(ticks, '1m', { until: end }).bars;

  const throughPipeline = async (): Promise<number> => {
    const sink = new MemorySink({ keepLog: false });
    const pipeline = new Pipeline({
      primary: tradeSource(ticks, klines),
      sinks: [sink],
      clock: new ManualClock(end),
      start: START,
      config: {
        symbols: ['BTCUSD'],
        timeframes: ['1m'],
        trades: { symbols: ['BTCUSD'], limit: PAGE },
        feedFailure: { maxBackfillBars: 1000 },
        rateLimit: { kind: 'sliding_window', requestsPerMinute: 1_000_000 },
      },
    });
    // A cycle takes at most 50 pages (50,000 trades): the next cycles take the rest.
    for (let cycle = 0; cycle < 5 && pipeline.checkpoint().symbols['BTCUSD']?.lastTradeId !== last.tradeId; cycle++) {
      await pipeline.runOnce();
    }
    await pipeline.flush();
    const delivered = pipeline.checkpoint().symbols['BTCUSD']?.lastTradeId;
    await pipeline.stop();
    if (delivered !== last.tradeId) throw new Error(`Expected every trade through the pipeline, got up to ${String(delivered)}`);
    return delivered;
  };

  const groups: BenchGroup[] = [
    {
      title: `trades: ${TRADES.toLocaleString('en')} trades through the pipeline (target ≥ 100,000 trades/s, i.e. < ${TRADES / 100} ms)`,
      cases: [
        { name: 'runOnce: parse → validate → dedupe → bars → delivery', role: 'ours', fn: throughPipeline },
        { name: 'ticksToOhlcv alone (1m)', role: 'limit', fn: () => ticksToOhlcv(ticks, '1m', { until: end }) },
      ],
      targets: [
        {
          ours: 'runOnce: parse → validate → dedupe → bars → delivery',
          maxMs: TRADES / 100,
          per: { count: TRADES, unit: 'trade' },
        },
      ],
    },
  ];
  return groups;
};

export default suite;
