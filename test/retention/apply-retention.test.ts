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
});
