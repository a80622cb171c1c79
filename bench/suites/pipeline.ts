/**
 * The whole pipeline, end to end, into a `MemorySink` (issue 8's targets):
 * - steady-state streaming: one new 1m bar for each of 100 symbols with 6 timeframes, per
 *   minute (target: under 50 µs per bar, i.e. under 5 ms per minute), as `start()` runs it: each
 *   symbol's `subscribe` stream delivers its bar through every step (validate, store, aggregate,
 *   judge, deliver), then the minute's cycle (`runOnce`: a poll only for what a stream missed,
 *   every state document rebuilt and delivered) and `flush`. The same minute polled through
 *   `runOnce` alone (a source request per bar) is printed beside it;
 * - a backfill of one year of 1m bars for one symbol (target: under 2 s);
 * - memory held by `MemoryStore` per stored 1m bar (target: at most 64 bytes), printed at setup.
 * The pipeline has no peer library; the reference case is the sink-less ingestion of the same
 * bars (`runOnce` without sinks), so the ratio shows what delivery costs.
 */
import { MemoryStore, Pipeline, type Clock, type Ohlcv, type Source } from '../../src/index.js';
import { generateOhlcv, MemorySink } from '../../src/testing/index.js';
import type { BenchGroup, Suite } from '../harness.js';

const MIN = 60_000;
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
/** Minutes of the steady state per timed call: one minute (~10 ms) alone is too short to time steadily. */
const MINUTES_PER_CALL = 10;

/**
 * A clock the bench moves by hand, at once. `ManualClock.advance` waits one real
 * `setTimeout(0)` per call (at least 1 ms in Node) so that a test's continuations run; timed
 * here, that wait would count as the pipeline's. Nothing times out in these runs, so a sleep
 * ends only when its signal aborts.
 */
class BenchClock implements Clock {
  time: number;
  constructor(time: number) {
    this.time = time;
  }
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
  }
}

/**
 * One symbol's stream: the bench pushes bars in; `idle()` resolves once the pipeline has taken
 * every bar pushed and waits for the next (its previous bar went through every step).
 */
class BarStream {
  readonly #queue: Ohlcv[] = [];
  #wake: ((bar: Ohlcv) => void) | undefined;
  #idle: (() => void) | undefined;

  push(bar: Ohlcv): void {
    const wake = this.#wake;
    this.#wake = undefined;
    if (wake === undefined) this.#queue.push(bar);
    else wake(bar);
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idle = resolve;
    });
  }

  next(signal: AbortSignal | undefined): Promise<Ohlcv> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    this.#idle?.();
    this.#idle = undefined;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason as Error);
      this.#wake = (bar) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(bar);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function source(bars: ReadonlyMap<string, readonly Ohlcv[]>, clock: Clock, streams?: ReadonlyMap<string, BarStream>): Source {
  return {
    name: 'bench',
    maxLimit: 1000,
    ...(streams === undefined
      ? {}
      : {
          async *subscribe({ symbol, signal }: { symbol: string; signal?: AbortSignal }) {
            const stream = streams.get(symbol) as BarStream;
            for (;;) yield await stream.next(signal);
          },
        }),
    fetchOhlcv({ symbol, since = 0, limit = 1000 }) {
      const all = bars.get(symbol) ?? [];
      const closedEnd = Math.floor(clock.now() / MIN) * MIN;
      // Bars are one a minute from START: index arithmetic instead of a scan.
      const from = Math.max(0, Math.ceil((since - START) / MIN));
      const to = Math.min(all.length, Math.floor((closedEnd - START) / MIN), from + limit);
      return Promise.resolve(all.slice(from, Math.max(from, to)));
    },
  };
}

const suite: Suite = async () => {
  const symbols = Array.from({ length: 100 }, (_, i) => `SYM${i}`);
  const history = 2 * 1440;
  const future = 2 * 1440;
  const bars = new Map<string, readonly Ohlcv[]>();
  for (const [i, symbol] of symbols.entries()) {
    bars.set(symbol, generateOhlcv({ seed: i + 1, start: START, count: history + future, timeframe: '1m' }).bars);
  }
  const steady = async (way: 'streamed' | 'polled', withSink: boolean) => {
    const clock = new BenchClock(START + history * MIN + 1000);
    const streams = way === 'streamed' ? new Map(symbols.map((symbol) => [symbol, new BarStream()])) : undefined;
    const pipeline = new Pipeline({
      primary: source(bars, clock, streams),
      sinks: withSink ? [new MemorySink({ keepLog: false })] : [],
      clock,
      start: START,
      config: { symbols, delivery: { bufferSize: 10_000 } },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    // start(): its first cycle finds nothing new, then it sleeps on the bench clock (which
    // never wakes it); the streams stay open.
    if (streams !== undefined) pipeline.start();
    let minute = history;
    return async () => {
      for (let cycle = 0; cycle < MINUTES_PER_CALL; cycle++) {
        clock.time += MIN;
        if (streams !== undefined) {
          const taken = [...streams.values()].map((stream) => stream.idle());
          for (const symbol of symbols) streams.get(symbol)?.push(bars.get(symbol)?.[minute] as Ohlcv);
          await Promise.all(taken);
        }
        minute++;
        await pipeline.runOnce();
        await pipeline.flush();
      }
    };
  };
  const streamed = await steady('streamed', true);
  const polled = await steady('polled', true);
  const withoutSink = await steady('streamed', false);

  const year = generateOhlcv({ seed: 7, start: START, count: 365 * 1440, timeframe: '1m' }).bars;
  const yearBars = new Map([['BTCUSD', year]]);
  const backfill = async () => {
    const clock = new BenchClock(START + 365 * DAY + 1000);
    const pipeline = new Pipeline({
      primary: source(yearBars, clock),
      sinks: [new MemorySink({ keepLog: false })],
      clock,
      start: START,
      config: { symbols: ['BTCUSD'], delivery: { bufferSize: 10_000 } },
    });
    await pipeline.runOnce();
    await pipeline.flush();
  };

  const store = new MemoryStore();
  store.upsert(
    'BTCUSD',
    '1m',
    year.map((bar) => ({ ...bar, revision: 0 })),
  );
  const perBar = store.byteLength / store.size('BTCUSD', '1m');
  console.log(
    `MemoryStore: ${store.size('BTCUSD', '1m')} 1m bars in ${store.byteLength} bytes = ${perBar.toFixed(1)} bytes per bar (target ≤ 64)`,
  );

  const groups: BenchGroup[] = [
    {
      title: `pipeline: ${MINUTES_PER_CALL} minutes of one 1m bar for each of 100 symbols, 6 timeframes (target < 50 µs per bar)`,
      cases: [
        { name: 'streamed + runOnce + delivery to a sink', role: 'ours', fn: streamed },
        { name: 'polled: runOnce + delivery to a sink', role: 'ours', fn: polled },
        { name: 'streamed + runOnce, no sinks', role: 'limit', fn: withoutSink },
      ],
      targets: [
        {
          ours: 'streamed + runOnce + delivery to a sink',
          maxMs: 0.05 * 100 * MINUTES_PER_CALL,
          per: { count: 100 * MINUTES_PER_CALL, unit: 'bar' },
        },
      ],
    },
    {
      title: 'pipeline: backfill one year of 1m bars for one symbol, end to end (target < 2000 ms)',
      cases: [{ name: 'new Pipeline + runOnce + flush', role: 'ours', fn: backfill }],
      targets: [{ ours: 'new Pipeline + runOnce + flush', maxMs: 2000 }],
    },
  ];
  return groups;
};

export default suite;
