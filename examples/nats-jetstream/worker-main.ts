/**
 * One worker process of the cluster demo and its test:
 *
 *     node --import tsx examples/nats-jetstream/worker-main.ts '<json>'
 *
 * `<json>`: `{ url, prefix, id, partitions, symbols, leaseTtlMs, start, origin, speed }` (see
 * `runCluster`). Prints one JSON line per worker event (`{ "worker", "kind", "partition", "at" }`, plus `resumed` on `acquired`,
 * `at` wall-clock epoch ms) and runs until killed; SIGTERM stops it cleanly (leases released).
 */
import { connect } from '@nats-io/transport-node';
import { clusterPipeline, CLUSTER_EXCHANGE } from './cluster-market.js';
import { natsNames } from './nats-names.js';
import { ScaledClock } from './scaled-clock.js';
import { Worker } from './worker.js';

interface WorkerArgs {
  readonly url: string;
  readonly prefix: string;
  readonly id: string;
  readonly partitions: number;
  readonly symbols: readonly string[];
  readonly leaseTtlMs: number;
  readonly start: number;
  readonly origin: number;
  readonly speed: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const clock = new ScaledClock(args.start, args.origin, args.speed);
const nc = await connect({ servers: args.url, timeout: 5000, maxReconnectAttempts: -1 });
const worker = new Worker(nc, {
  id: args.id,
  exchange: CLUSTER_EXCHANGE,
  symbols: args.symbols,
  partitions: args.partitions,
  names: natsNames(args.prefix),
  leaseTtlMs: args.leaseTtlMs,
  pipeline: clusterPipeline(clock, args.symbols),
  onEvent: (event) => {
    const line: Record<string, unknown> = { worker: args.id, kind: event.kind, partition: event.partition, at: Date.now() };
    if (event.kind === 'error' || event.kind === 'deadLetter') line['error'] = String(event.error);
    if (event.kind === 'acquired') line['resumed'] = event.resumed;
    process.stdout.write(`${JSON.stringify(line)}\n`);
  },
});
worker.start();
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => nc.close())
    .finally(() => process.exit(0));
});
