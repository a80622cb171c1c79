import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { isSinkError, type SinkError } from '../../src/errors/sink-error.js';
import type { DatasetRecord, DocumentRecord, RevisedBar, SinkRecord } from '../../src/pipeline/sink.js';
import type { Alert } from '../../src/schemas/alert-schema.js';
import type { LatestOhlcv } from '../../src/schemas/latest-ohlcv-schema.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1);

function bar(minute: number, revision: number, close = 100 + minute): RevisedBar {
  return Object.freeze({ timestamp: T0 + minute * MIN, open: 100, high: 110, low: 90, close, volume: 5, revision });
}

function bars(symbol: string, ...list: RevisedBar[]): SinkRecord {
  return Object.freeze({ kind: 'bars', symbol, timeframe: '1m', bars: Object.freeze(list) });
}

const signal = new AbortController().signal;

async function sinkError(promise: Promise<unknown>): Promise<SinkError> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!isSinkError(error)) throw new Error(`expected a SinkError, got ${String(error)}`);
  return error;
}

describe('MemorySink', () => {
  describe('views', () => {
    it('upserts bars by open time, keeping the highest revision', async () => {
      const sink = new MemorySink();
      await sink.write(bars('BTCUSD', bar(2, 0), bar(0, 0), bar(1, 0)), { signal });
      await sink.write(bars('BTCUSD', bar(1, 1, 555)), { signal });
      await sink.write(bars('BTCUSD', bar(1, 0)), { signal }); // a late, older revision changes nothing
      await sink.write(bars('ETHUSD', bar(0, 0, 7)), { signal });
      expect(sink.bars('BTCUSD', '1m')).toEqual([bar(0, 0), bar(1, 1, 555), bar(2, 0)]);
      expect(sink.bars('ETHUSD', '1m')).toEqual([bar(0, 0, 7)]);
      expect(sink.bars('BTCUSD', '5m')).toEqual([]);
    });

    it('counts deliveries per bar revision and finds the duplicates', async () => {
      const sink = new MemorySink();
      await sink.write(bars('BTCUSD', bar(0, 0), bar(1, 0)), { signal });
      await sink.write(bars('BTCUSD', bar(1, 0), bar(1, 1)), { signal });
      expect(sink.deliveryCount('BTCUSD', '1m', T0, 0)).toBe(1);
      expect(sink.deliveryCount('BTCUSD', '1m', T0 + MIN, 0)).toBe(2);
      expect(sink.deliveryCount('BTCUSD', '1m', T0 + MIN, 1)).toBe(1);
      expect(sink.deliveryCount('BTCUSD', '1m', T0 + 2 * MIN, 0)).toBe(0);
      expect(sink.deliveries()).toEqual([
        { symbol: 'BTCUSD', timeframe: '1m', timestamp: T0, revision: 0, count: 1 },
        { symbol: 'BTCUSD', timeframe: '1m', timestamp: T0 + MIN, revision: 0, count: 2 },
        { symbol: 'BTCUSD', timeframe: '1m', timestamp: T0 + MIN, revision: 1, count: 1 },
      ]);
      expect(sink.duplicates()).toEqual([{ symbol: 'BTCUSD', timeframe: '1m', timestamp: T0 + MIN, revision: 0, count: 2 }]);
    });

    it('keeps the latest document per name and symbol, every alert and the forming bar', async () => {
      const sink = new MemorySink();
      const latest = (close: number): LatestOhlcv => ({ close }) as unknown as LatestOhlcv;
      const doc = (symbol: string, close: number): DocumentRecord => ({
        kind: 'document',
        name: 'latest_ohlcv',
        symbol,
        body: latest(close),
      });
      await sink.write(doc('BTCUSD', 1), { signal });
      await sink.write(doc('ETHUSD', 2), { signal });
      await sink.write(doc('BTCUSD', 3), { signal });
      const alert = (id: string): Alert => ({ alert_id: id }) as unknown as Alert;
      await sink.write({ kind: 'alert', alert: alert('A1') }, { signal });
      await sink.write({ kind: 'alert', alert: alert('A2') }, { signal });
      await sink.write({ kind: 'forming', symbol: 'BTCUSD', timeframe: '1m', bar: bar(5, 0) }, { signal });
      expect(sink.document('latest_ohlcv', 'BTCUSD')).toEqual(latest(3));
      expect(sink.document('latest_ohlcv', 'ETHUSD')).toEqual(latest(2));
      expect(sink.document('data_status')).toBeUndefined();
      expect(sink.alerts).toEqual([alert('A1'), alert('A2')]);
      expect(sink.forming('BTCUSD', '1m')).toEqual(bar(5, 0));
      expect(sink.records).toHaveLength(6);
    });

    it('takes datasets in its formats and answers their path', async () => {
      const sink = new MemorySink();
      const dataset = (format: 'json' | 'parquet'): DatasetRecord => ({
        kind: 'dataset',
        requestId: 'r1',
        symbol: 'BTCUSD',
        timeframe: '1H',
        format,
        path: `data/BTCUSD_1H_20240101_20250130.${format}`,
        bars: [],
      });
      expect(sink.datasetFormats).toEqual(['json']);
      expect(sink.accepts(dataset('json'))).toBe(true);
      expect(sink.accepts(dataset('parquet'))).toBe(false);
      expect(await sink.write(dataset('json'), { signal })).toEqual({ outputPath: 'data/BTCUSD_1H_20240101_20250130.json' });
      expect(await sink.write(bars('BTCUSD', bar(0, 0)), { signal })).toEqual({});
      expect(sink.datasets).toEqual([dataset('json')]);
      expect(new MemorySink({ datasetFormats: ['parquet'] }).accepts(dataset('parquet'))).toBe(true);
    });

    it('asks the accepts option after the dataset formats', () => {
      const sink = new MemorySink({ accepts: (r) => r.kind === 'alert' });
      expect(sink.accepts({ kind: 'alert', alert: {} as Alert })).toBe(true);
      expect(sink.accepts(bars('BTCUSD', bar(0, 0)))).toBe(false);
    });

    it('logs every write in order with its time and outcome', async () => {
      const clock = new ManualClock(T0);
      const sink = new MemorySink({ clock, fail: 'always' });
      const first = bars('BTCUSD', bar(0, 0));
      await sink.write(first, { signal }).catch(() => undefined);
      await clock.advance(1_000);
      sink.setFailure('never');
      await sink.write(first, { signal });
      expect(sink.writes.map((w) => [w.seq, w.at, w.outcome, w.record])).toEqual([
        [0, T0, 'failed', first],
        [1, T0 + 1_000, 'written', first],
      ]);
      expect(isSinkError(sink.writes[0]?.error)).toBe(true);
      expect(sink.records).toEqual([first]);
    });

    it('keeps only the views when keepLog is false', async () => {
      const sink = new MemorySink({ keepLog: false });
      await sink.write(bars('BTCUSD', bar(0, 0)), { signal });
      expect([sink.writes, sink.records]).toEqual([[], []]);
      expect(sink.bars('BTCUSD', '1m')).toEqual([bar(0, 0)]);
      expect(sink.deliveryCount('BTCUSD', '1m', T0, 0)).toBe(1);
    });
  });

  describe('failure modes', () => {
    it('fails every write with a retryable SinkError in the always mode, changing nothing', async () => {
      const sink = new MemorySink({ name: 'files', fail: 'always' });
      const error = await sinkError(sink.write(bars('BTCUSD', bar(0, 0)), { signal }));
      expect([error.sink, error.retryable]).toEqual(['files', true]);
      expect(sink.bars('BTCUSD', '1m')).toEqual([]);
      expect(sink.deliveries()).toEqual([]);
    });

    it('fails with retryable false in the fatal mode', async () => {
      const sink = new MemorySink({ fail: 'fatal' });
      expect((await sinkError(sink.write(bars('BTCUSD', bar(0, 0)), { signal }))).retryable).toBe(false);
    });

    it('fails intermittently at about the rate asked, the same way for the same seed', async () => {
      const outcomes = async (seed: number): Promise<string[]> => {
        const sink = new MemorySink({ fail: { rate: 0.3, seed } });
        for (let i = 0; i < 1000; i++) await sink.write(bars('BTCUSD', bar(i, 0)), { signal }).catch(() => undefined);
        return sink.writes.map((w) => w.outcome);
      };
      const a = await outcomes(11);
      const failed = a.filter((o) => o === 'failed').length;
      // Binomial(1000, 0.3): mean 300, sd √(1000·0.3·0.7) ≈ 14.5; ±5 sd
      expect(failed).toBeGreaterThan(227);
      expect(failed).toBeLessThan(373);
      expect(await outcomes(11)).toEqual(a);
      expect(await outcomes(12)).not.toEqual(a);
    });

    it('fails non-retryably when the intermittent mode says so', async () => {
      const sink = new MemorySink({ fail: { rate: 1, retryable: false } });
      expect((await sinkError(sink.write(bars('BTCUSD', bar(0, 0)), { signal }))).retryable).toBe(false);
    });

    it('recovers when switched back to never', async () => {
      const sink = new MemorySink({ fail: 'always' });
      await expect(sink.write(bars('BTCUSD', bar(0, 0)), { signal })).rejects.toThrow();
      sink.setFailure('never');
      await sink.write(bars('BTCUSD', bar(0, 0)), { signal });
      expect(sink.deliveryCount('BTCUSD', '1m', T0, 0)).toBe(1);
    });

    it('hangs until aborted, then rejects with the reason, changing nothing and leaving nothing behind', async () => {
      const clock = new ManualClock(T0);
      const sink = new MemorySink({ clock, fail: 'hang' });
      const controller = new AbortController();
      let settled = false;
      const write = sink.write(bars('BTCUSD', bar(0, 0)), { signal: controller.signal });
      write.then(
        () => (settled = true),
        () => (settled = true),
      );
      await clock.advance(3_600_000);
      expect(settled).toBe(false);
      expect(sink.pending).toBe(1);
      const reason = new Error('stop');
      controller.abort(reason);
      await expect(write).rejects.toBe(reason);
      expect(sink.pending).toBe(0);
      expect(sink.writes[0]?.outcome).toBe('aborted');
      expect(sink.bars('BTCUSD', '1m')).toEqual([]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('hangs a flush in the hang mode until aborted', async () => {
      const sink = new MemorySink({ fail: 'hang' });
      const controller = new AbortController();
      const flush = sink.flush({ signal: controller.signal });
      expect(sink.pending).toBe(1);
      controller.abort(new Error('stop'));
      await expect(flush).rejects.toThrow('stop');
      expect([sink.pending, sink.flushes]).toEqual([0, 0]);
      const calm = new MemorySink();
      await calm.flush({ signal });
      expect(calm.flushes).toBe(1);
    });

    it('answers after slowMs of clock time', async () => {
      const clock = new ManualClock(T0);
      const sink = new MemorySink({ clock, slowMs: 2_000 });
      let done = false;
      const write = sink.write(bars('BTCUSD', bar(0, 0)), { signal }).then(() => (done = true));
      await clock.advance(1_999);
      expect(done).toBe(false);
      expect(sink.writes[0]?.outcome).toBe('pending');
      await clock.advance(1);
      await write;
      expect(sink.bars('BTCUSD', '1m')).toHaveLength(1);
      sink.setSlowMs(0);
      await sink.write(bars('BTCUSD', bar(1, 0)), { signal });
      expect(sink.bars('BTCUSD', '1m')).toHaveLength(2);
    });

    it('ends a slow write on abort without leaving the timer or the listener behind', async () => {
      const clock = new ManualClock(T0);
      const sink = new MemorySink({ clock, slowMs: 60_000 });
      const controller = new AbortController();
      const write = sink.write(bars('BTCUSD', bar(0, 0)), { signal: controller.signal });
      await clock.advance(1_000);
      expect(clock.pending).toBe(1);
      controller.abort(new Error('deadline'));
      await expect(write).rejects.toThrow('deadline');
      expect([clock.pending, sink.pending]).toEqual([0, 0]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      expect(sink.deliveries()).toEqual([]);
    });

    it('rejects at once when the signal has already aborted', async () => {
      const sink = new MemorySink();
      const controller = new AbortController();
      controller.abort(new Error('gone'));
      await expect(sink.write(bars('BTCUSD', bar(0, 0)), { signal: controller.signal })).rejects.toThrow('gone');
      expect(sink.writes[0]?.outcome).toBe('aborted');
    });
  });

  describe('options', () => {
    it('rejects invalid options with a ConfigError', () => {
      const errorOf = (make: () => unknown): unknown => {
        try {
          make();
        } catch (e) {
          return e;
        }
        return undefined;
      };
      for (const [make, name] of [
        [() => new MemorySink({ slowMs: 10 }), '`clock`'],
        [() => new MemorySink({ clock: new ManualClock(), slowMs: -1 }), '`slowMs`'],
        [() => new MemorySink({ fail: { rate: 1.5 } }), '`fail.rate`'],
        [() => new MemorySink({ fail: 'sometimes' as 'never' }), '`fail`'],
        [() => new MemorySink({ datasetFormats: ['csv' as 'json'] }), '`datasetFormats`'],
      ] as const) {
        const error = errorOf(make);
        expect(isConfigError(error), name).toBe(true);
        expect((error as Error).message).toContain(name);
      }
    });
  });
});
