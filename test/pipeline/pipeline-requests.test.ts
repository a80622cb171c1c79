/**
 * Data requests that wait for the rate limiter are served by `priority` (issue 15 item 10).
 */
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { DataResponse } from '../../src/schemas/data-response-schema.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';

const MIN = 60_000;
/** 2025-01-30 10:00 UTC. */
const T0 = Date.UTC(2025, 0, 30, 10);
const SYMBOLS = ['AAAUSD', 'BBBUSD', 'CCCUSD', 'DDDUSD'];
/** The limiter's window: one request each. */
const WINDOW = 15_000;

function historical(id: string, symbol: string, priority: 'low' | 'normal' | 'high' | 'urgent') {
  return {
    request_id: id,
    requester: 'feature-engineer',
    request_type: 'historical_data',
    parameters: { symbol, timeframe: '1m', start_date: '2025-01-30T10:00:00Z', end_date: '2025-01-30T10:10:00Z', format: 'json' },
    priority,
  };
}

describe('Pipeline data requests and the rate limiter', () => {
  it('serves a high-priority request queued behind low ones first', async () => {
    // One request per 15 s window: the first low request takes it, the other three wait (each
    // within the minute a page may wait). The high request, sent last, is the next one the source
    // sees; the low ones follow in arrival order.
    const clock = new ManualClock(T0 + 30 * MIN);
    const source = new SimulatedSource({ clock, symbols: SYMBOLS, generate: { start: T0, count: 60 } });
    const pipeline = new Pipeline({
      primary: source,
      sinks: [new MemorySink({ datasetFormats: ['json'] })],
      clock,
      config: { symbols: SYMBOLS, timeframes: ['1m'], rateLimit: { kind: 'weight_window', limit: 1, windowMs: 15_000 } },
    });
    const answered: string[] = [];
    const ask = (id: string, symbol: string, priority: 'low' | 'high'): Promise<DataResponse> =>
      pipeline.request(historical(id, symbol, priority)).then((response) => {
        answered.push(id);
        return response;
      });
    const pending = [ask('low-1', 'AAAUSD', 'low'), ask('low-2', 'BBBUSD', 'low'), ask('low-3', 'CCCUSD', 'low')];
    await clock.advance(0);
    pending.push(ask('high', 'DDDUSD', 'high'));
    for (let i = 0; i < 4 && answered.length < 4; i++) await clock.advance(WINDOW);
    const responses = await Promise.all(pending);
    await pipeline.stop();
    expect(source.requests.map((r) => r.symbol)).toEqual(['AAAUSD', 'DDDUSD', 'BBBUSD', 'CCCUSD']);
    expect(answered).toEqual(['low-1', 'high', 'low-2', 'low-3']);
    // One window apart, as the limit allows.
    expect(source.requests.map((r) => r.at - (T0 + 30 * MIN))).toEqual([0, WINDOW, 2 * WINDOW, 3 * WINDOW]);
    expect(responses.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  });
  it('takes a waiting request out of the queue when its signal aborts, and serves the rest', async () => {
    const clock = new ManualClock(T0 + 30 * MIN);
    const source = new SimulatedSource({ clock, symbols: SYMBOLS, generate: { start: T0, count: 60 } });
    const pipeline = new Pipeline({
      primary: source,
      sinks: [new MemorySink({ datasetFormats: ['json'] })],
      clock,
      config: { symbols: SYMBOLS, timeframes: ['1m'], rateLimit: { kind: 'weight_window', limit: 1, windowMs: 15_000 } },
    });
    const first = pipeline.request(historical('first', 'AAAUSD', 'normal'));
    const controller = new AbortController();
    const aborted = pipeline.request(historical('aborted', 'BBBUSD', 'urgent'), controller.signal);
    const last = pipeline.request(historical('last', 'CCCUSD', 'low'));
    await clock.advance(0);
    controller.abort(new Error('no longer needed'));
    await expect(aborted).rejects.toThrow('no longer needed');
    await clock.advance(WINDOW);
    await expect(first).resolves.toMatchObject({ status: 'completed' });
    await expect(last).resolves.toMatchObject({ status: 'completed' });
    await pipeline.stop();
    expect(source.requests.map((r) => r.symbol)).toEqual(['AAAUSD', 'CCCUSD']);
  });
  it('answers partial a waiting request that its turn would push past the minute a page may wait', async () => {
    // One request per 15 s: a normal request takes the first window, four high ones the next
    // four (15, 30, 45, 60 s); the low one, sent first of the waiting, would go at 75 s, past
    // its minute, and is answered partial at 60 s, never sent. (Behind three high ones it would
    // go at 60 s, within its minute.)
    const clock = new ManualClock(T0 + 30 * MIN);
    const symbols = [...SYMBOLS, 'EEEUSD', 'FFFUSD'];
    const source = new SimulatedSource({ clock, symbols, generate: { start: T0, count: 60 } });
    const pipeline = new Pipeline({
      primary: source,
      sinks: [new MemorySink({ datasetFormats: ['json'] })],
      clock,
      config: { symbols, timeframes: ['1m'], rateLimit: { kind: 'weight_window', limit: 1, windowMs: 15_000 } },
    });
    const first = pipeline.request(historical('first', 'AAAUSD', 'normal'));
    const low = pipeline.request(historical('low', 'BBBUSD', 'low'));
    const highs = ['CCCUSD', 'DDDUSD', 'EEEUSD', 'FFFUSD'].map((symbol) => pipeline.request(historical(`high-${symbol}`, symbol, 'high')));
    for (let i = 0; i < 6; i++) await clock.advance(WINDOW);
    await expect(first).resolves.toMatchObject({ status: 'completed' });
    for (const high of highs) await expect(high).resolves.toMatchObject({ status: 'completed' });
    await expect(low).resolves.toMatchObject({ status: 'partial' });
    await pipeline.stop();
    expect(source.requests.map((r) => r.symbol)).toEqual(['AAAUSD', 'CCCUSD', 'DDDUSD', 'EEEUSD', 'FFFUSD']);
  });
});
