/**
 * Hostile sources, sinks, listeners, streams and checkpoints (issue 16): each case states the
 * README promise it keeps. Everything runs on a ManualClock, through the public entry points.
 */
import { describe, expect, it } from 'vitest';
import { Pipeline, type Ohlcv, type PipelineEvents } from '../../src/index.js';
import { ManualClock, MemorySink, SimulatedSource } from '../../src/testing/index.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

/** Thirty 1m bars from T0, each with its own prices, so a wrong bar cannot pass for the right one. */
const BARS: readonly Ohlcv[] = Array.from({ length: 30 }, (_, i) => ({
  timestamp: T0 + i * MIN,
  open: 100 + i,
  high: 101 + i,
  low: 99 + i,
  close: 100.5 + i,
  volume: 10 + i,
}));

/** A clock just after the last of {@link BARS} closed. */
function clockAfterBars(): ManualClock {
  return new ManualClock(T0 + BARS.length * MIN + 1000);
}

/** A pipeline over BTCUSD 1m fed by a simulated exchange serving {@link BARS} (closed bars only). */
function pipelineOver(clock: ManualClock, sinks: readonly MemorySink[], extra: Partial<ConstructorParameters<typeof Pipeline>[0]> = {}) {
  const source = new SimulatedSource({ clock, bars: { BTCUSD: BARS }, includeForming: false });
  return new Pipeline({ primary: source, sinks, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] }, ...extra });
}

/** The OHLCV fields of a bar (without its revision). */
const ohlcv = ({ timestamp, open, high, low, close, volume }: Ohlcv): Ohlcv => ({ timestamp, open, high, low, close, volume });

type ErrorEvent = Parameters<PipelineEvents['error']>[0];

describe('Pipeline against hostile listeners', () => {
  it('reports an async listener that rejects on error, like a synchronous throw, and keeps running', async () => {
    // Promise: "a listener that throws … is reported on `error` and changes nothing" — a returned
    // promise's rejection is caught too, never an unhandled rejection.
    const clock = clockAfterBars();
    const sink = new MemorySink();
    const pipeline = pipelineOver(clock, [sink]);
    const errors: ErrorEvent[] = [];
    pipeline.on('error', (event) => errors.push(event));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the hostile case: an async listener
    pipeline.on('bar', async () => {
      await Promise.resolve();
      throw new Error('listener failed');
    });
    await pipeline.runOnce();
    await pipeline.flush();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // One report per bar event: the 30 bars of the cycle.
    expect(errors.filter((e) => e.phase === 'listener').map((e) => (e.error as Error).message)).toEqual(
      Array.from({ length: BARS.length }, () => 'listener failed'),
    );
    expect(sink.bars('BTCUSD', '1m').map(ohlcv)).toEqual(BARS);
    await pipeline.stop();
  });

  it('gives listeners values they cannot change: sinks receive what the source sent', async () => {
    // Promise: a listener "changes nothing the pipeline computes or delivers", even one that
    // edits its event.
    const clock = clockAfterBars();
    const sink = new MemorySink();
    const pipeline = pipelineOver(clock, [sink]);
    let edits = 0;
    pipeline.on('bar', (event) => {
      try {
        (event.bar as { close: number }).close = -1;
        (event.bar as { revision: number }).revision = 99;
      } catch {
        edits++;
      }
    });
    await pipeline.runOnce();
    await pipeline.flush();
    expect(edits).toBe(BARS.length);
    expect(sink.bars('BTCUSD', '1m').map(ohlcv)).toEqual(BARS);
    expect(sink.bars('BTCUSD', '1m').map((b) => b.revision)).toEqual(BARS.map(() => 0));
    await pipeline.stop();
  });
});
