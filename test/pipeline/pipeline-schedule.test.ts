import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { Alert } from '../../src/schemas/alert-schema.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';
import { restOnly, runUntil } from './support.js';

const SEC = 1000;
const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30, 9, 0);

describe('Pipeline: stale data is "no data" (specification: detect on 30 s without data)', () => {
  it('a primary that answers without new bars is detected 30 s after the due bar closed, retried 5 s later, and the backup asked 10 s after that', async () => {
    const { bars } = generateOhlcv({ seed: 11, start: T0, count: 60, timeframe: '1m' });
    const clock = new ManualClock(T0 + 10 * MIN + SEC);
    // From 09:11 on, the primary answers every request with no rows for 5 minutes.
    const primary = new SimulatedSource({
      clock,
      name: 'exchange',
      bars: { BTCUSD: bars },
      faults: [{ kind: 'empty', from: T0 + 11 * MIN, durationMs: 5 * MIN }],
    });
    const backup = new SimulatedSource({ clock, name: 'provider', bars: { BTCUSD: bars } });
    const pipeline = new Pipeline({
      primary: restOnly(primary),
      backup: restOnly(backup),
      clock,
      start: T0,
      config: { symbols: ['BTCUSD'] },
    });
    const moves: [number, string][] = [];
    const alerts: Alert[] = [];
    pipeline.on('failover', ({ to, at }) => moves.push([at, to]));
    pipeline.on('alert', (alert) => alerts.push(alert));
    await runUntil(pipeline, clock, T0 + 14 * MIN);
    // The 09:10 bar closes at 09:11:00 and never comes from the primary.
    const close = T0 + 11 * MIN;
    expect(moves.slice(0, 3)).toEqual([
      [close + 30 * SEC, 'detected'],
      [close + 35 * SEC, 'retrying'],
      [close + 45 * SEC, 'on_backup'],
    ]);
    const stale = alerts.filter((a) => a.type === 'stale_data');
    expect(stale.map((a) => a.timestamp)).toEqual(['2025-01-30T09:11:30Z']);
    expect(backup.requests.find((r) => r.at >= close)?.at).toBe(close + 45 * SEC);
  });
});

describe('Pipeline: waits are scheduled, never slept inside a cycle', () => {
  it('asks again when a 429’s Retry-After ends, not at the next cycle, and never counts it as an outage', async () => {
    const { bars } = generateOhlcv({ seed: 12, start: T0, count: 60, timeframe: '1m' });
    const clock = new ManualClock(T0 + 10 * MIN + SEC);
    const primary = new SimulatedSource({
      clock,
      name: 'exchange',
      bars: { BTCUSD: bars },
      faults: [{ kind: 'rate_limited', from: T0 + 11 * MIN, times: 1, retryAfterMs: 7 * SEC }],
    });
    const pipeline = new Pipeline({ primary: restOnly(primary), clock, start: T0, config: { symbols: ['BTCUSD'] } });
    const moves: string[] = [];
    pipeline.on('failover', ({ to }) => moves.push(to));
    await runUntil(pipeline, clock, T0 + 12 * MIN);
    const limited = primary.requests.find((r) => r.at >= T0 + 11 * MIN);
    expect(limited?.at).toBe(T0 + 11 * MIN + SEC);
    const next = primary.requests.find((r) => r.at > T0 + 11 * MIN + SEC);
    expect(next?.at).toBe(T0 + 11 * MIN + 8 * SEC);
    expect(moves).not.toContain('detected');
  });
});

describe('Pipeline documents (specification: real-time update_interval 1 second)', () => {
  it('sends each document at most once a second, every second while it changes, and never unchanged', async () => {
    const { bars } = generateOhlcv({ seed: 17, start: T0, count: 60, timeframe: '1m' });
    const clock = new ManualClock(T0 + 10 * MIN + SEC);
    // The only source goes down at 09:11: the 09:09 bar (closed 09:10:00) stays the newest, and
    // the 1m freshness falls from 1 to 0 between 60 s and 120 s after that close (09:11:00–09:12:00).
    const primary = new SimulatedSource({
      clock,
      name: 'exchange',
      bars: { BTCUSD: bars },
      faults: [{ kind: 'outage', from: T0 + 11 * MIN, durationMs: 10 * MIN }],
    });
    const sink = new MemorySink();
    const pipeline = new Pipeline({ primary: restOnly(primary), sinks: [sink], clock, start: T0, config: { symbols: ['BTCUSD'] } });
    const sent: { at: number; key: string; content: string; body: unknown }[] = [];
    pipeline.on('document', (record) => {
      const { updated_at: _ignored, ...content } = record.body as { updated_at?: string };
      sent.push({ at: clock.now(), key: `${record.name} ${record.symbol ?? ''}`, content: JSON.stringify(content), body: record.body });
    });
    await runUntil(pipeline, clock, T0 + 14 * MIN);
    const byKey = new Map<string, typeof sent>();
    for (const d of sent) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
    for (const [key, docs] of byKey) {
      for (let i = 1; i < docs.length; i++) {
        // At most once per interval, and never the same content again.
        expect(docs[i]!.at - docs[i - 1]!.at, key).toBeGreaterThanOrEqual(SEC);
        expect(docs[i]!.content, key).not.toBe(docs[i - 1]!.content);
      }
    }
    // While the 1m quality score decays with freshness it changes every second: data_status goes out every second.
    const status = (byKey.get('data_status ') ?? []).map((d) => d.at).filter((t) => t > T0 + 11 * MIN && t < T0 + 12 * MIN);
    expect(status).toEqual(Array.from({ length: 59 }, (_, i) => T0 + 11 * MIN + (i + 1) * SEC));
    // The 09:09 bar, stored by the 09:10:01 poll, is in the latest_ohlcv sent at that second.
    const latest = byKey.get('latest_ohlcv BTCUSD') ?? [];
    const showing = latest.find(
      (d) => (d.body as { timeframes: { '1m'?: { timestamp: string } } }).timeframes['1m']?.timestamp === '2025-01-30T09:09:00Z',
    );
    expect(showing?.at).toBe(T0 + 10 * MIN + SEC);
  });
});
