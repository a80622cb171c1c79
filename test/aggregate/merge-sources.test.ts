import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeSources, MergeOrigin } from '../../src/aggregate/merge-sources.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/index.js';
import { toColumns } from '../../src/formats/to-columns.js';
import { toRows } from '../../src/formats/to-rows.js';
import { minuteBars } from './support.js';

const T0 = Date.UTC(2024, 0, 1);
const bar = (m: number, close: number, extra: Partial<Ohlcv> = {}): Ohlcv => ({
  timestamp: T0 + m * 60_000,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
  ...extra,
});

describe('mergeSources', () => {
  it('keeps the primary, fills holes from the backup and records the origin', () => {
    const merged = mergeSources([bar(0, 100), bar(3, 103)], [bar(0, 100), bar(1, 101), bar(2, 102), bar(3, 103), bar(4, 104)]);
    expect(merged.bars.map((b) => b.close)).toEqual([100, 101, 102, 103, 104]);
    expect(Array.from(merged.origin)).toEqual([0, 1, 1, 0, 1]);
    expect(merged.filled).toBe(3);
    expect(merged.sources).toEqual(['primary', 'backup']);
    expect(merged.disagreements).toEqual([]);
  });

  it('reports fields that differ beyond the tolerance where both have a real bar', () => {
    // 100 vs 100.05 is 0.05 % apart (within 0.1 %); 100 vs 100.5 is 0.4975 % apart.
    const merged = mergeSources([bar(0, 100), bar(1, 100)], [bar(0, 100.05), { ...bar(1, 100), close: 100.5 }], {
      names: ['binance', 'kraken'],
    });
    expect(merged.disagreements).toEqual([
      { timestamp: T0 + 60_000, field: 'close', primary: 100, backup: 100.5, relativeDifference: 0.5 / 100.5 },
    ]);
    expect(merged.sources[merged.origin[0] as number]).toBe('binance');
    expect(mergeSources([bar(0, 100)], [bar(0, 100.05)], { tolerance: 0.0001 }).disagreements).toHaveLength(4);
  });

  it('compares volume only on request', () => {
    const p = [bar(0, 1, { volume: 10 })];
    const b = [bar(0, 1, { volume: 20 })];
    expect(mergeSources(p, b).disagreements).toEqual([]);
    expect(mergeSources(p, b, { compareVolume: true }).disagreements.map((d) => d.field)).toEqual(['volume']);
  });

  it('prefers a real backup bar to a synthetic primary bar, unless told not to', () => {
    const p = [bar(0, 1), bar(1, 1, { flag: 'forward_filled', volume: 0 })];
    const b = [bar(1, 2)];
    expect(Array.from(mergeSources(p, b).origin)).toEqual([MergeOrigin.Primary, MergeOrigin.Backup]);
    expect(mergeSources(p, b).bars[1]).toEqual(bar(1, 2));
    expect(Array.from(mergeSources(p, b, { preferRealBackup: false }).origin)).toEqual([0, 0]);
  });

  it('returns the primary kind and reports skipped bars by source', () => {
    const merged = mergeSources(toColumns([bar(0, 1), bar(0, 2)]), [bar(1, 3)]);
    expect(Array.isArray(merged.bars)).toBe(false);
    expect(toRows(merged.bars).map((b) => b.close)).toEqual([1, 3]);
    expect(merged.issues.map((i) => [i.source, i.code, i.index])).toEqual([['primary', 'duplicate_timestamp', 1]]);
  });

  it('throws a ConfigError for a negative tolerance', () => {
    let error: unknown;
    try {
      mergeSources([], [], { tolerance: -1 });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
  });

  it('holds every timestamp of either source once, and every primary bar (property)', () => {
    fc.assert(
      fc.property(minuteBars(), minuteBars(), (p, b) => {
        const merged = mergeSources(p, b);
        const expected = [...new Set([...p, ...b].map((x) => x.timestamp))].sort((x, y) => x - y);
        expect(merged.bars.map((x) => x.timestamp)).toEqual(expected);
        const primary = new Map(p.map((x) => [x.timestamp, x]));
        merged.bars.forEach((x, i) => {
          if (primary.has(x.timestamp)) expect([merged.origin[i], x]).toEqual([0, primary.get(x.timestamp)]);
        });
      }),
    );
  });
});
