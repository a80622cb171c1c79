import { describe, expect, it } from 'vitest';
import { mergeSources } from '../../src/aggregate/merge-sources.js';
import { toColumns } from '../../src/formats/to-columns.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const at = (minute: number, price: number, extra: Partial<Ohlcv> = {}): Ohlcv => ({
  timestamp: T0 + minute * MINUTE,
  open: price,
  high: price,
  low: price,
  close: price,
  volume: 1,
  ...extra,
});

// The rules of `mergeSources`'s TSDoc and options: the primary wins where it has a bar, holes
// are filled from the backup, a synthetic primary bar gives way to a real backup bar
// (`preferRealBackup`), and two real bars disagree beyond `tolerance` (|a − b| / max(|a|, |b|)).
describe('mergeSources’ rules', () => {
  for (const flag of ['interpolated', 'forward_filled'] as const) {
    it(`replaces a ${flag} primary bar by the real backup bar, counted as filled, without comparing them`, () => {
      const merged = mergeSources([at(0, 1), at(1, 5, { flag, volume: 0 })], [at(1, 9)]);
      expect(merged.bars.map((b) => b.close)).toEqual([1, 9]);
      expect(merged.origin).toEqual(Uint8Array.of(0, 1));
      expect(merged.filled).toBe(1);
      expect(merged.disagreements).toEqual([]);
    });
  }

  it('keeps a clipped primary bar (it is real) and compares it', () => {
    const merged = mergeSources([at(0, 5, { flag: 'clipped' })], [at(0, 9)]);
    expect(merged.origin).toEqual(Uint8Array.of(0));
    expect(merged.filled).toBe(0);
    expect(merged.disagreements).toHaveLength(4);
  });

  it('does not compare a real primary bar with a synthetic backup bar, nor a kept synthetic primary bar', () => {
    expect(mergeSources([at(0, 5)], [at(0, 9, { flag: 'interpolated', volume: 0 })]).disagreements).toEqual([]);
    const kept = mergeSources([at(0, 5, { flag: 'interpolated', volume: 0 })], [at(0, 9)], { preferRealBackup: false });
    expect(kept.origin).toEqual(Uint8Array.of(0));
    expect(kept.filled).toBe(0);
    expect(kept.disagreements).toEqual([]);
  });

  it('agrees at a relative difference of exactly the tolerance, and disagrees above it', () => {
    // |2 − 1| / 2 = 0.5; |3 − 1| / 3 = 2/3.
    expect(mergeSources([at(0, 2)], [at(0, 1)], { tolerance: 0.5 }).disagreements).toEqual([]);
    expect(mergeSources([at(0, 3)], [at(0, 1)], { tolerance: 0.5 }).disagreements).toEqual(
      (['open', 'high', 'low', 'close'] as const).map((field) => ({
        timestamp: T0,
        field,
        primary: 3,
        backup: 1,
        relativeDifference: 2 / 3,
      })),
    );
  });

  it('agrees on two volumes of zero (the relative difference of 0 and 0 is 0)', () => {
    expect(mergeSources([at(0, 1, { volume: 0 })], [at(0, 1, { volume: 0 })], { compareVolume: true, tolerance: 0 }).disagreements).toEqual(
      [],
    );
  });

  it('keeps the primary bars after the backup ends, with nothing to compare them to', () => {
    const merged = mergeSources(toColumns([at(0, 1), at(1, 2), at(2, 3)]), toColumns([at(0, 1)]));
    expect(Array.from(merged.bars.close)).toEqual([1, 2, 3]);
    expect(merged.origin).toEqual(Uint8Array.of(0, 0, 0));
    expect(merged.filled).toBe(0);
    expect(merged.disagreements).toEqual([]);
  });

  it('prefixes each skipped bar’s message with its source’s name', () => {
    const merged = mergeSources([at(0, 1), at(0, 1)], [at(1, 1), at(1, 1)], { names: ['exchange', 'vendor'] });
    expect(merged.issues.map((issue) => [issue.code, issue.source, issue.index])).toEqual([
      ['duplicate_timestamp', 'exchange', 1],
      ['duplicate_timestamp', 'vendor', 1],
    ]);
    expect(merged.issues[0]?.message.startsWith('exchange: ')).toBe(true);
    expect(merged.issues[1]?.message.startsWith('vendor: ')).toBe(true);
  });

  it('reads a backup of malformed columns as no bars and names it in the issue', () => {
    const backup = { ...toColumns([at(0, 1), at(1, 2)]), length: 5 };
    const merged = mergeSources([at(0, 1)], backup, { names: ['exchange', 'vendor'] });
    expect(merged.bars.map((b) => b.timestamp)).toEqual([T0]);
    expect(merged.issues).toHaveLength(1);
    expect(merged.issues[0]).toMatchObject({ code: 'malformed_columns', source: 'vendor', index: -1, path: [], timestamp: Number.NaN });
    expect(merged.issues[0]?.message.startsWith('vendor: ')).toBe(true);
  });
});
