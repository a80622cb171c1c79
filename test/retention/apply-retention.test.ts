import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRetention } from '../../src/retention/apply-retention.js';
import { retentionCutoff } from '../../src/retention/retention-cutoff.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 0, 30);

function bar(timestamp: number, extra: Partial<Ohlcv> = {}): Ohlcv {
  return { timestamp, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, ...extra };
}

function toColumns(rows: readonly Ohlcv[], withOptional = false): OhlcvColumns {
  const col = (f: (r: Ohlcv) => number): Float64Array => Float64Array.from(rows, f);
  return {
    length: rows.length,
    timestamp: col((r) => r.timestamp),
    open: col((r) => r.open),
    high: col((r) => r.high),
    low: col((r) => r.low),
    close: col((r) => r.close),
    volume: col((r) => r.volume),
    ...(withOptional
      ? {
          quoteVolume: col((r) => r.volume * 2),
          trades: col((r) => r.timestamp % 7),
          takerBuyVolume: col((r) => r.volume / 2),
          count: col(() => 1),
          flags: Uint8Array.from(rows, (_, i) => i % 4),
        }
      : {}),
  };
}

describe('applyRetention', () => {
  it('cuts 1m bars older than 90 days and reports how many and which', () => {
    const rows = Object.freeze(
      [bar(NOW - 100 * DAY), bar(NOW - 91 * DAY), bar(NOW - 90 * DAY), bar(NOW - 60_000)].map((b) => Object.freeze(b)),
    );
    const { bars, removed, cutoff } = applyRetention(rows, '1m', NOW);
    expect(cutoff).toBe(NOW - 90 * DAY);
    expect(bars.map((b) => b.timestamp)).toEqual([NOW - 90 * DAY, NOW - 60_000]);
    expect(removed).toEqual({ count: 2, from: NOW - 100 * DAY, to: NOW - 91 * DAY });
  });

  it('keeps everything for unlimited timeframes and returns the same series', () => {
    const rows = [bar(0), bar(DAY)];
    const result = applyRetention(rows, '1D', NOW);
    expect(result).toEqual({ bars: rows, removed: { count: 0, from: null, to: null }, cutoff: null });
    expect(result.bars).toBe(rows);
  });

  it('returns columns for columns, carrying every optional column, without mutating the input', () => {
    const rows = [bar(NOW - 200 * DAY), bar(NOW - 181 * DAY), bar(NOW - 179 * DAY), bar(NOW - DAY)];
    const cols = toColumns(rows, true);
    const before = structuredClone(cols);
    const { bars, removed } = applyRetention(cols, '5m', NOW);
    expect(cols).toEqual(before);
    expect(removed).toEqual({ count: 2, from: NOW - 200 * DAY, to: NOW - 181 * DAY });
    expect(bars.length).toBe(2);
    expect(Array.from(bars.timestamp)).toEqual([NOW - 179 * DAY, NOW - DAY]);
    expect(Array.from(bars.quoteVolume ?? [])).toEqual([20, 20]);
    expect(Array.from(bars.flags ?? [])).toEqual([2, 3]);
    expect(Array.from(bars.count ?? [])).toEqual([1, 1]);
    expect(bars.timestamp.buffer).not.toBe(cols.timestamp.buffer);
  });

  it('filters an unsorted series, keeping its order and reporting the removed range', () => {
    const rows = [bar(NOW - DAY), bar(NOW - 400 * DAY), bar(NOW - 2 * DAY), bar(NOW - 366 * DAY, { volume: 3 })];
    const fromRows = applyRetention(rows, '15m', NOW);
    expect(fromRows.bars.map((b) => b.timestamp)).toEqual([NOW - DAY, NOW - 2 * DAY]);
    expect(fromRows.removed).toEqual({ count: 2, from: NOW - 400 * DAY, to: NOW - 366 * DAY });
    const fromCols = applyRetention(toColumns(rows, true), '15m', NOW);
    expect(Array.from(fromCols.bars.timestamp)).toEqual([NOW - DAY, NOW - 2 * DAY]);
    expect(Array.from(fromCols.bars.flags ?? [])).toEqual([0, 2]);
    expect(fromCols.removed).toEqual(fromRows.removed);
  });

  it('ignores the unused tail of over-allocated columns', () => {
    const cols = toColumns([bar(NOW - 800 * DAY), bar(NOW - DAY), bar(NOW - 900 * DAY)]);
    const { bars, removed } = applyRetention({ ...cols, length: 2 }, '1H', NOW);
    expect(removed.count).toBe(1);
    expect(Array.from(bars.timestamp)).toEqual([NOW - DAY]);
  });

  it('never reads past `length` of over-allocated columns, even when every bar is past retention', () => {
    const cols = toColumns([bar(NOW - 900 * DAY), bar(NOW - 800 * DAY), bar(NOW - 1000 * DAY)]);
    const { bars, removed } = applyRetention({ ...cols, length: 2 }, '1H', NOW);
    expect(removed).toEqual({ count: 2, from: NOW - 900 * DAY, to: NOW - 800 * DAY });
    expect(bars.length).toBe(0);
  });

  it('keeps exactly the bars at or after the cutoff, for rows and columns alike', () => {
    const tsArb = fc.integer({ min: NOW - 400 * DAY, max: NOW }).map((t) => Math.floor(t / 60_000) * 60_000);
    fc.assert(
      fc.property(fc.array(tsArb, { maxLength: 200 }), fc.boolean(), (stamps, sorted) => {
        const ts = sorted ? [...stamps].sort((a, b) => a - b) : stamps;
        const rows = ts.map((t) => bar(t));
        const cutoff = retentionCutoff('1m', NOW) ?? 0;
        const expected = ts.filter((t) => t >= cutoff);
        const removedTs = ts.filter((t) => t < cutoff);
        const r = applyRetention(rows, '1m', NOW);
        const c = applyRetention(toColumns(rows), '1m', NOW);
        expect(r.bars.map((b) => b.timestamp)).toEqual(expected);
        expect(Array.from(c.bars.timestamp)).toEqual(expected);
        expect(r.removed).toEqual(c.removed);
        expect(r.removed).toEqual({
          count: removedTs.length,
          from: removedTs.length > 0 ? Math.min(...removedTs) : null,
          to: removedTs.length > 0 ? Math.max(...removedTs) : null,
        });
      }),
    );
  });

  it('keeps a bar exactly at the cutoff wherever it lies in an unsorted series, for rows and columns', () => {
    // 5m retention is 180 days: the cutoff is NOW − 180 d, the open time of a bar that is kept.
    const cutoff = NOW - 180 * DAY;
    const rows = [bar(NOW - DAY), bar(NOW - 200 * DAY), bar(cutoff), bar(cutoff - 300_000)];
    const fromRows = applyRetention(rows, '5m', NOW);
    expect(fromRows.cutoff).toBe(cutoff);
    expect(fromRows.bars.map((b) => b.timestamp)).toEqual([NOW - DAY, cutoff]);
    expect(fromRows.removed).toEqual({ count: 2, from: NOW - 200 * DAY, to: cutoff - 300_000 });
    const fromCols = applyRetention(toColumns(rows, true), '5m', NOW);
    expect(Array.from(fromCols.bars.timestamp)).toEqual([NOW - DAY, cutoff]);
    expect(Array.from(fromCols.bars.flags ?? [])).toEqual([0, 2]);
    expect(fromCols.removed).toEqual(fromRows.removed);
  });

  it('copies every column of the kept bars, cut at the front or filtered', () => {
    // Each bar's fields are distinct, so a column copied from the wrong row, or not copied, shows.
    const rows = [0, 1, 2, 3].map((k) =>
      bar(NOW - (k === 1 ? 400 : 3 - k) * DAY, { open: 10 + k, high: 20 + k, low: 5 + k, close: 15 + k, volume: 100 + k }),
    );
    const sorted = [rows[1]!, rows[0]!, rows[2]!, rows[3]!];
    for (const series of [sorted, rows]) {
      const kept = series.filter((r) => r.timestamp >= NOW - 365 * DAY);
      const { bars } = applyRetention(toColumns(series, true), '15m', NOW);
      expect(bars.length).toBe(3);
      expect(Array.from(bars.timestamp)).toEqual(kept.map((r) => r.timestamp));
      expect(Array.from(bars.open)).toEqual(kept.map((r) => r.open));
      expect(Array.from(bars.high)).toEqual(kept.map((r) => r.high));
      expect(Array.from(bars.low)).toEqual(kept.map((r) => r.low));
      expect(Array.from(bars.close)).toEqual(kept.map((r) => r.close));
      expect(Array.from(bars.volume)).toEqual(kept.map((r) => r.volume));
      expect(Array.from(bars.quoteVolume ?? [])).toEqual(kept.map((r) => r.volume * 2));
      expect(Array.from(bars.trades ?? [])).toEqual(kept.map((r) => r.timestamp % 7));
      expect(Array.from(bars.takerBuyVolume ?? [])).toEqual(kept.map((r) => r.volume / 2));
      expect(Array.from(bars.count ?? [])).toEqual([1, 1, 1]);
    }
  });
});
