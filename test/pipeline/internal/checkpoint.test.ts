import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/pipeline/memory-store.js';
import { Pipeline } from '../../../src/pipeline/pipeline.js';
import type { RevisedBar, Sink } from '../../../src/pipeline/sink.js';
import type { Source } from '../../../src/pipeline/source.js';
import { ManualClock } from '../../../src/testing/manual-clock.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 30);
const flat = (timestamp: number, flag?: 'forward_filled'): RevisedBar => ({
  timestamp,
  open: 1,
  high: 1,
  low: 1,
  close: 1,
  volume: 1,
  revision: 0,
  ...(flag === undefined ? {} : { flag }),
});

describe('takeCheckpoint', () => {
  it('names every symbol the pipeline worked on, even one only a data request touched', async () => {
    const now = T0 + 2 * DAY;
    const clock = new ManualClock(now);
    const store = new MemoryStore();
    // A stored day, and a filled bar 30 minutes before now: within the 100-bar backfill reach, so re-requested.
    const day = Array.from({ length: 24 * 60 }, (_, i) => flat(T0 + i * MIN));
    const recent = Array.from({ length: 60 }, (_, i) => flat(now - (60 - i) * MIN, i === 30 ? 'forward_filled' : undefined));
    store.upsert('BTCUSD', '1m', [...day, ...recent]);
    const primary: Source = { name: 'exchange', fetchOhlcv: () => Promise.resolve([]) };
    const sink: Sink = { name: 'files', datasetFormats: ['json'], write: () => Promise.resolve({ outputPath: '/x' }) };
    const pipeline = new Pipeline({ primary, store, clock, sinks: [sink], config: { symbols: ['BTCUSD'], timeframes: ['1m'] } });
    const response = await pipeline.request({
      request_id: 'DATA-001',
      requester: 'feature-engineer',
      request_type: 'historical_data',
      parameters: { symbol: 'BTCUSD', timeframe: '1m', start_date: '2025-01-30', end_date: '2025-01-30', format: 'json' },
      priority: 'normal',
    });
    expect(response.status).toBe('completed');
    const saved = pipeline.checkpoint();
    expect(Object.keys(saved.symbols)).toEqual(['BTCUSD']);
    expect(saved.symbols['BTCUSD']?.syntheticSince).toBe(now - 30 * MIN);
  });
});
