/**
 * The consuming agent of the cluster demo and its test:
 *
 *     node --import tsx examples/nats-jetstream/agent-main.ts '<json>'
 *
 * `<json>`: `{ url, prefix, symbols, start, origin, speed, until, deadline }`. It reads every
 * bar stream from the beginning with an ordered consumer (live after that) into a `BarBook`, and
 * watches the document bucket. Once it holds every 1m and 5m bar of every symbol that opened
 * before `until` (simulated epoch ms), or at `deadline` (wall epoch ms), it prints its account as
 * one JSON line (see `AgentAccount`) and exits.
 */
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import type { RevisedBar } from 'market-data-pipeline';
import { BarBook } from './bar-book.js';
import { clusterExchange, CLUSTER_MARKET_START, CLUSTER_TIMEFRAMES } from './cluster-market.js';
import { unescapeToken } from './escape-token.js';
import { natsNames } from './nats-names.js';
import { ScaledClock } from './scaled-clock.js';

interface AgentArgs {
  readonly url: string;
  readonly prefix: string;
  readonly symbols: readonly string[];
  readonly start: number;
  readonly origin: number;
  readonly speed: number;
  readonly until: number;
  readonly deadline: number;
}

/** What the agent prints at the end. */
export interface AgentAccount {
  /** Bar messages received. */
  readonly messages: number;
  /** Distinct `(symbol, timeframe, open time)` received. */
  readonly keys: number;
  /** Expected keys (every 1m and 5m bar of every symbol opened before `until`). */
  readonly expected: number;
  /** Expected keys never received, as `symbol|tf|open time ISO`. */
  readonly missing: readonly string[];
  /** 1m bars whose kept (highest) revision differs from the exchange's bar. */
  readonly wrong: readonly string[];
  /** Messages ignored as a repeat of a kept revision. */
  readonly duplicates: number;
  /** Messages ignored as a lower revision than the one kept. */
  readonly stale: number;
  /** Keys received at a revision above 0. */
  readonly revised: number;
  /** Document updates seen by the KV watch. */
  readonly documents: number;
  /** Close-to-receipt latency of bars that closed while the agent ran, wall ms, sorted. */
  readonly latencies: readonly number[];
}

const MIN = 60_000;
const args = JSON.parse(process.argv[2] ?? '{}') as AgentArgs;
const names = natsNames(args.prefix);
const clock = new ScaledClock(args.start, args.origin, args.speed);
const startedAt = Date.now();
const nc = await connect({ servers: args.url, timeout: 5000, maxReconnectAttempts: -1 });
const js = jetstream(nc);
const book = new BarBook();
const latencies: number[] = [];
let messages = 0;
let documents = 0;
const expected: { symbol: string; tf: string; ts: number }[] = [];
for (const symbol of args.symbols)
  for (const tf of CLUSTER_TIMEFRAMES) {
    const width = tf === '1m' ? MIN : 5 * MIN;
    for (let ts = CLUSTER_MARKET_START; ts + width <= args.until; ts += width) expected.push({ symbol, tf, ts });
  }
const complete = (): boolean => expected.every(({ symbol, tf, ts }) => book.get(symbol, tf, ts) !== undefined);

const kv = await new Kvm(js).open(names.documentBucket);
const watch = await kv.watch();
void (async () => {
  for await (const entry of watch) if (entry.operation === 'PUT') documents++;
})();

let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));
const readers = CLUSTER_TIMEFRAMES.map(async (tf) => {
  const width = tf === '1m' ? MIN : 5 * MIN;
  const consumer = await js.consumers.get(names.barStream(tf));
  const stream = await consumer.consume();
  void finished.then(() => stream.stop());
  for await (const message of stream) {
    messages++;
    const bar = message.json<RevisedBar>();
    const symbol = unescapeToken(message.subject.split('.').at(-1) ?? '');
    if (book.offer(symbol, tf, bar) === 'new') {
      const closedAt = clock.wallTime(bar.timestamp + width);
      if (closedAt >= startedAt) latencies.push(Date.now() - closedAt);
    }
    if (complete()) finish();
  }
});
const timer = setTimeout(finish, Math.max(0, args.deadline - Date.now()));
await finished;
clearTimeout(timer);
watch.stop();
await Promise.allSettled(readers);
const exchange = clusterExchange(clock, args.symbols);
const wrong: string[] = [];
for (const symbol of args.symbols)
  for (const truth of exchange.series(symbol)) {
    if (truth.timestamp + MIN > args.until) break;
    const kept = book.get(symbol, '1m', truth.timestamp);
    if (kept !== undefined && (kept.open !== truth.open || kept.close !== truth.close || kept.volume !== truth.volume))
      wrong.push(`${symbol}|1m|${new Date(truth.timestamp).toISOString()}`);
  }
const account: AgentAccount = {
  messages,
  keys: book.size,
  expected: expected.length,
  missing: expected
    .filter(({ symbol, tf, ts }) => book.get(symbol, tf, ts) === undefined)
    .map(({ symbol, tf, ts }) => `${symbol}|${tf}|${new Date(ts).toISOString()}`),
  wrong,
  duplicates: book.duplicates,
  stale: book.stale,
  revised: book.revised,
  documents,
  latencies: latencies.sort((a, b) => a - b),
};
process.stdout.write(`${JSON.stringify(account)}\n`);
await nc.close();
process.exit(0);
