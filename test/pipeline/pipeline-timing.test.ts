import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/pipeline/memory-store.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';
import { restOnly } from './support.js';

const SEC = 1000;
const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30, 9, 0);

describe('Pipeline feed failure timing (the specification’s seconds)', () => {
  it('detects a hanging primary 30 s after the request was sent, retries 5 s later and asks the backup within 10 s', async () => {
    const { bars } = generateOhlcv({ seed: 3, start: T0, count: 60, timeframe: '1m' });
    const clock = new ManualClock(T0 + 10 * MIN + SEC);
    const primary = new SimulatedSource({
      clock,
      name: 'exchange',
      bars: { BTCUSD: bars },
      faults: [{ kind: 'hang', from: T0 + 11 * MIN }],
    });
    const backup = new SimulatedSource({ clock, name: 'provider', bars: { BTCUSD: bars } });
    // REST only (the simulated stream knows outages, not hanging requests).
    const pipeline = new Pipeline({
      primary: restOnly(primary),
      backup: restOnly(backup),
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'] },
    });
    const moves: [number, string][] = [];
    pipeline.on('failover', ({ to, at }) => moves.push([at, to]));
    pipeline.start();
    // Second by second, so every timer the pipeline arms meanwhile fires at its time.
    while (clock.now() < T0 + 14 * MIN) await clock.advance(SEC);
    await pipeline.stop();
    // The poll after 09:11 closes goes out at 09:11:01 and hangs.
    const hung = primary.requests.find((r) => r.at >= T0 + 11 * MIN);
    expect(hung?.at).toBe(T0 + 11 * MIN + SEC);
    const sent = hung?.at ?? Number.NaN;
    // Specification: no data for 30 s → detected; retry after 5 s; backup within 10 s.
    expect(moves.slice(0, 3)).toEqual([
      [sent + 30 * SEC, 'detected'],
      [sent + 35 * SEC, 'retrying'],
      [sent + 45 * SEC, 'on_backup'],
    ]);
    const retry = primary.requests.find((r) => r.at === sent + 35 * SEC);
    // The retry is abandoned (aborted) when the ladder moves on, and the backup is asked at once.
    expect(retry?.outcome).toBe('aborted');
    expect(retry?.settledAt).toBe(sent + 45 * SEC);
    expect(backup.requests.find((r) => r.at >= T0 + 11 * MIN)?.at).toBe(sent + 45 * SEC);
  });
});

describe('Pipeline streams', () => {
  it('reopens a failed subscribe stream with backoff, polling for it while it is down', async () => {
    const { bars } = generateOhlcv({ seed: 4, start: T0, count: 60, timeframe: '1m' });
    const clock = new ManualClock(T0 + 10 * MIN + SEC);
    const primary = new SimulatedSource({
      clock,
      name: 'exchange',
      bars: { BTCUSD: bars },
      faults: [{ kind: 'outage', from: T0 + 20 * MIN, durationMs: 5 * MIN }],
    });
    const store = new MemoryStore();
    const pipeline = new Pipeline({ primary, store, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
    pipeline.start();
    while (clock.now() < T0 + 30 * MIN) await clock.advance(SEC);
    // The stream broke at 09:20 and is open again once the outage is over.
    expect(primary.activeSubscriptions).toBe(1);
    const polled = primary.requests.length;
    while (clock.now() < T0 + 40 * MIN + 30 * SEC) await clock.advance(SEC);
    await pipeline.stop();
    // From then on the stream delivers every bar: no poll, and none of the market's bars missing.
    expect(primary.requests.length).toBe(polled);
    const stored = store.range('BTCUSD', '1m', T0, T0 + 40 * MIN).map((b) => b.timestamp);
    expect(stored).toEqual(bars.slice(0, 40).map((b) => b.timestamp));
  });
});
