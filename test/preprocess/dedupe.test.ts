import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dedupe } from '../../src/preprocess/dedupe.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { bar, columnsOf, rowsOf } from './series.js';

const a = bar(0, 10);
const b = bar(1, 20, { high: 25, volume: 5 });
const b2 = bar(1, 22, { open: 19, high: 23, low: 15, volume: 8 });
const c = bar(2, 30);

describe('dedupe', () => {
  it('drops identical duplicates and reports each', () => {
    const input = Object.freeze([a, b, b, c]);
    const { bars, issues } = dedupe(input);
    expect(bars).toEqual([a, b, c]);
    expect(bars[1]).toBe(b);
    expect(issues).toMatchObject([{ code: 'duplicate_identical', index: 2, keptIndex: 1, resolution: 'dropped', path: [2, 'timestamp'] }]);
  });

  it('keeps the last conflicting bar by default', () => {
    const { bars, issues } = dedupe(Object.freeze([a, b, b2, c]));
    expect(bars).toEqual([a, b2, c]);
    expect(issues).toMatchObject([{ code: 'duplicate_conflict', index: 1, keptIndex: 2, resolution: 'dropped' }]);
  });

  it('keeps the first conflicting bar with keep: first', () => {
    expect(dedupe(Object.freeze([a, b, b2, c]), { keep: 'first' }).bars).toEqual([a, b, c]);
  });

  it('merges: first open, max high, min low, last close, larger volume', () => {
    const { bars, issues } = dedupe(Object.freeze([a, b, b2, c]), { keep: 'merge' });
    // b: O20 H25 L19 C20 V5; b2: O19 H23 L15 C22 V8
    expect(bars[1]).toEqual({ timestamp: M(1), open: 20, high: 25, low: 15, close: 22, volume: 8 });
    expect(issues).toMatchObject([{ code: 'duplicate_conflict', index: 2, keptIndex: 1, resolution: 'merged' }]);
  });

  it('finds duplicates that are not adjacent and keeps the first position', () => {
    const { bars } = dedupe(Object.freeze([b, a, b2]), { keep: 'last' });
    expect(bars).toEqual([b2, a]);
  });

  it('returns columns for columns with the same answer', () => {
    const rows = [a, b, b2, c];
    const { bars } = dedupe(columnsOf(rows), { keep: 'merge' });
    expect(rowsOf(bars)).toEqual(dedupe(rows, { keep: 'merge' }).bars);
  });

  it('throws ConfigError on an unknown policy', () => {
    let caught: unknown;
    try {
      dedupe([a], { keep: 'middle' as 'first' });
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught)).toBe(true);
    expect(String(caught)).toMatch(/`keep`.*middle/);
    expect(caught).toMatchObject({ path: ['keep'], value: 'middle' });
  });

  it('is idempotent (property)', () => {
    const rows = fc.array(
      fc.record({ m: fc.integer({ min: 0, max: 20 }), c: fc.integer({ min: 1, max: 4 }), v: fc.integer({ min: 0, max: 3 }) }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(rows, fc.constantFrom<('first' | 'last' | 'merge')[]>('first', 'last', 'merge'), (spec, keep) => {
        const input: Ohlcv[] = spec.map(({ m, c: close, v }) => bar(m, close, { volume: v }));
        const once = dedupe(input, { keep });
        const twice = dedupe(once.bars, { keep });
        expect(twice.bars).toEqual(once.bars);
        expect(twice.issues).toEqual([]);
        expect(new Set(once.bars.map((x) => x.timestamp)).size).toBe(once.bars.length);
        expect(once.bars.length + once.issues.length).toBe(input.length);
      }),
    );
  });
});

function M(minutes: number): number {
  return minutes * 60_000;
}
