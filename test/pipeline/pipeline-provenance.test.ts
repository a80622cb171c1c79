/**
 * Aggregated bars carry their provenance through the pipeline (issue 15 item 10, issue 16
 * item 9): a higher-timeframe bar says how many of its base bars were filled (`synthetic`) or
 * never came (`missing`), and data responses count them.
 */
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';
import { flat } from './support.js';

const MIN = 60_000;
/** 2025-01-30 10:00 UTC. */
const T0 = Date.UTC(2025, 0, 30, 10);

/** Flat 1m bars from T0 for `minutes` minutes, without the minutes in `holes`. */
function market(minutes: number, holes: (i: number) => boolean): Ohlcv[] {
  return Array.from({ length: minutes }, (_, i) => i)
    .filter((i) => !holes(i))
    .map((i) => flat(T0 + i * MIN, 100));
}

describe('Pipeline provenance of higher-timeframe bars', () => {
  it('delivers a 5m or 15m bucket built from two of its minutes only once its time has passed, with the missing minutes', async () => {
    // The market has 10:00 and 10:01, nothing from 10:02 to 10:17 (16 bars: a large gap, not
    // filled), then every minute from 10:18.
    const clock = new ManualClock(T0 + 10 * MIN + 30_000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: market(60, (i) => i >= 2 && i < 18) } });
    const sink = new MemorySink();
    const pipeline = new Pipeline({
      primary: source,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m', '5m', '15m'] },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    // 10:10: no base bar after 10:01 yet, so nothing shows the 10:00 bucket is over: held.
    expect(sink.bars('BTCUSD', '5m')).toEqual([]);
    expect(sink.bars('BTCUSD', '15m')).toEqual([]);

    await clock.advance(20 * MIN); // 10:30:30
    await pipeline.runOnce();
    await pipeline.flush();
    await pipeline.stop();
    const m5 = sink.bars('BTCUSD', '5m');
    const m15 = sink.bars('BTCUSD', '15m');
    // 5m at 10:00 from 2 of its 5 minutes; 5m at 10:15 from 10:18 and 10:19 (2 of 5).
    expect(m5.find((b) => b.timestamp === T0)).toMatchObject({ count: 2, missing: 3 });
    expect(m5.find((b) => b.timestamp === T0 + 15 * MIN)).toMatchObject({ count: 2, missing: 3 });
    // 15m at 10:00 from 2 of its 15 minutes; 15m at 10:15 from 10:18–10:29 (12 of 15).
    expect(m15.find((b) => b.timestamp === T0)).toMatchObject({ count: 2, missing: 13 });
    expect(m15.find((b) => b.timestamp === T0 + 15 * MIN)).toMatchObject({ count: 12, missing: 3 });
    // A whole bucket carries no provenance.
    const whole = m5.find((b) => b.timestamp === T0 + 20 * MIN);
    expect(whole?.count).toBe(5);
    expect(whole).not.toHaveProperty('missing');
  });

  it('answers a 1H request over 5 filled and 20 missing 1m bars with the filled bars counted and a score below 1', async () => {
    // The range: 10:00–12:59 with 10:40–10:59 missing (20 bars: a large gap, marked
    // missing) and 11:10–11:14 missing at the source (5 bars: a medium gap, forward-filled).
    // The source never gets them.
    const clock = new ManualClock(T0 + 3 * 60 * MIN + 30_000);
    const source = new SimulatedSource({
      clock,
      bars: { BTCUSD: market(180, (i) => (i >= 40 && i < 60) || (i >= 70 && i < 75)) },
    });
    const sink = new MemorySink({ datasetFormats: ['json'] });
    const pipeline = new Pipeline({
      primary: source,
      sinks: [sink],
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'], timeframes: ['1m', '1H'] },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    const h1 = sink.bars('BTCUSD', '1H');
    expect(h1.map((b) => [b.timestamp, b.count, b.synthetic, b.missing])).toEqual([
      [T0, 40, undefined, 20],
      [T0 + 60 * MIN, 60, 5, undefined],
      [T0 + 120 * MIN, 60, undefined, undefined],
    ]);

    const response = await pipeline.request({
      request_id: 'DATA-010',
      requester: 'feature-engineer',
      request_type: 'historical_data',
      parameters: {
        symbol: 'BTCUSD',
        timeframe: '1H',
        start_date: '2025-01-30T10:00:00Z',
        end_date: '2025-01-30T13:00:00Z',
        format: 'json',
      },
      priority: 'normal',
    });
    await pipeline.stop();
    // The specification's weights (0.3 completeness, 0.3 validity, 0.25 freshness, 0.15
    // consistency) with completeness 160 of 180 1m bars (the 5 filled ones are present, the 20
    // missing are not) and the other metrics whole: 0.3 × 160/180 + 0.7.
    const expected = Math.round((0.3 * (160 / 180) + 0.3 + 0.25 + 0.15) * 10_000) / 10_000;
    expect(response).toMatchObject({
      status: 'completed',
      rows: 3,
      quality_score: expected,
      metadata: { first_timestamp: '2025-01-30T10:00:00Z', last_timestamp: '2025-01-30T12:00:00Z', gaps_filled: 5 },
    });
  });
});
