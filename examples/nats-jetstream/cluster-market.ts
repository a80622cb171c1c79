import { Pipeline, type Timeframe } from 'market-data-pipeline';
import { SimulatedSource } from 'market-data-pipeline/testing';
import type { PartitionParts } from './worker.js';
import type { ScaledClock } from './scaled-clock.js';

/** Where the simulated market starts (epoch ms): 2025-01-30 00:00 UTC. */
export const CLUSTER_MARKET_START: number = Date.UTC(2025, 0, 30);
/** The exchange name hashed into the partitions. */
export const CLUSTER_EXCHANGE = 'simex';
/** The timeframes the cluster keeps. */
export const CLUSTER_TIMEFRAMES: readonly Timeframe[] = ['1m', '5m'];

/**
 * The demo's symbols: `count` of them, `S00USD`, `S01USD`, …, and one with a dot (`BRK.B`) to
 * show the escaping.
 *
 * @param count - How many, at least 1. @defaultValue 24
 * @returns The symbols.
 */
export function clusterSymbols(count = 24): string[] {
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? 'BRK.B' : `S${String(i).padStart(2, '0')}USD`));
}

/**
 * The seeded exchange, identical in every process: every symbol of the deployment (the seeds
 * follow the symbols' order, so each process builds it whole), one day of 1m bars.
 *
 * @param clock - The clock it answers by.
 * @param symbols - Every symbol of the deployment.
 * @returns The exchange.
 */
export function clusterExchange(clock: ScaledClock, symbols: readonly string[]): SimulatedSource {
  return new SimulatedSource({
    clock,
    name: 'exchange_api',
    symbols: [...symbols],
    generate: { start: CLUSTER_MARKET_START, count: 24 * 60 },
  });
}

/**
 * The pipeline a worker runs for one partition: its symbols from the seeded exchange, history in
 * the fenced `NatsStore`, documents through the fenced `NatsSink`, resuming from the partition's
 * checkpoint. Sink timeouts are 10 simulated minutes: the clock runs fast, the server does not.
 *
 * @param clock - The shared simulated clock.
 * @param symbols - Every symbol of the deployment.
 * @returns The factory `Worker` takes.
 */
export function clusterPipeline(clock: ScaledClock, symbols: readonly string[]): (parts: PartitionParts) => Pipeline {
  const primary = clusterExchange(clock, symbols);
  return (parts) =>
    new Pipeline({
      primary,
      store: parts.store,
      sinks: [parts.sink],
      clock,
      start: CLUSTER_MARKET_START,
      random: () => 0.5,
      sinkTimeoutMs: 600_000,
      config: { symbols: [...parts.symbols], timeframes: [...CLUSTER_TIMEFRAMES] },
      ...(parts.checkpoint === undefined ? {} : { checkpoint: parts.checkpoint }),
    });
}
