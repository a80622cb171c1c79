/** Small fakes for pipeline tests; the full test doubles live in `src/testing/`. */
import type { Pipeline } from '../../src/pipeline/pipeline.js';
import type { Sink, SinkRecord, RevisedBar } from '../../src/pipeline/sink.js';
import type { OhlcvRequest, Source } from '../../src/pipeline/source.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { ManualClock } from '../../src/testing/manual-clock.js';

/** A source over fixed bars that serves the bars closed at the clock's time. */
export interface FakeSource extends Source {
  bars: Ohlcv[];
  fail: (() => Error) | undefined;
  readonly requests: OhlcvRequest[];
}

export function fakeSource(name: string, bars: readonly Ohlcv[], clock: ManualClock, width = 60_000): FakeSource {
  const source: FakeSource = {
    name,
    bars: [...bars],
    fail: undefined,
    requests: [],
    fetchOhlcv(request) {
      source.requests.push(request);
      if (source.fail !== undefined) return Promise.reject(source.fail());
      const closedEnd = Math.floor(clock.now() / width) * width;
      const since = request.since ?? 0;
      return Promise.resolve(source.bars.filter((b) => b.timestamp >= since && b.timestamp < closedEnd).slice(0, request.limit ?? 1000));
    },
  };
  return source;
}

/** A sink that records every record it is given. */
export interface RecordingSink extends Sink {
  readonly records: SinkRecord[];
}

export function recordingSink(name = 'memory', options: Partial<Sink> = {}): RecordingSink {
  const records: SinkRecord[] = [];
  return {
    name,
    records,
    write(record) {
      records.push(record);
      return Promise.resolve(record.kind === 'dataset' ? { outputPath: `/out/${record.path}` } : undefined);
    },
    ...options,
  };
}

/** Every bar delivered for a timeframe, in delivery order. */
export function delivered(records: readonly SinkRecord[], timeframe: string, symbol?: string): RevisedBar[] {
  return records.flatMap((r) =>
    r.kind === 'bars' && r.timeframe === timeframe && (symbol === undefined || r.symbol === symbol) ? [...r.bars] : [],
  );
}

/** The upserted view: the highest revision per timestamp. */
export function latestView(records: readonly SinkRecord[], timeframe: string, symbol?: string): RevisedBar[] {
  const byTs = new Map<number, RevisedBar>();
  for (const bar of delivered(records, timeframe, symbol)) {
    const seen = byTs.get(bar.timestamp);
    if (seen === undefined || bar.revision >= seen.revision) byTs.set(bar.timestamp, bar);
  }
  return [...byTs.values()].sort((a, b) => a.timestamp - b.timestamp);
}

/** A flat bar at `price`. */
export function flat(timestamp: number, price: number, volume = 1): Ohlcv {
  return { timestamp, open: price, high: price, low: price, close: price, volume };
}

/**
 * `source` without its `subscribe`: requests only. A simulated stream would cover for faults
 * scripted on requests, which these tests want to see.
 */
export function restOnly(source: Source): Source {
  return {
    name: source.name,
    ...(source.maxLimit === undefined ? {} : { maxLimit: source.maxLimit }),
    fetchOhlcv: (request) => source.fetchOhlcv(request),
  };
}

/**
 * Runs `pipeline.start()` second by second until `until` (epoch ms), so every timer it arms
 * fires at its time; then flushes (a stopped pipeline delivers nothing more) and stops.
 */
export async function runUntil(pipeline: Pipeline, clock: ManualClock, until: number): Promise<void> {
  pipeline.start();
  while (clock.now() < until) await clock.advance(1000);
  await pipeline.flush();
  await pipeline.stop();
}
