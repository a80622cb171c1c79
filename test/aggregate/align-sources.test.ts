import { describe, expect, it } from 'vitest';
import { alignSources, DEFAULT_MAX_GRID_BARS } from '../../src/aggregate/align-sources.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/index.js';
import { toColumns } from '../../src/formats/to-columns.js';

const T0 = Date.UTC(2024, 0, 1);
const bar = (m: number, close: number, extraMs = 0): Ohlcv => ({
  timestamp: T0 + m * 60_000 + extraMs,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

describe('alignSources', () => {
  const a = [bar(0, 1), bar(1, 2), bar(4, 3)];
  const b = [bar(1, 10), bar(2, 20)];

  it('puts every source on the full grid with a presence mask', () => {
    const out = alignSources({ a, b }, '1m');
    expect(Array.from(out.timestamps)).toEqual([0, 1, 2, 3, 4].map((m) => T0 + m * 60_000));
    expect(Array.from(out.present.a)).toEqual([1, 1, 0, 0, 1]);
    expect(Array.from(out.present.b)).toEqual([0, 1, 1, 0, 0]);
    expect(out.series.a.map((x) => x?.close)).toEqual([1, 2, undefined, undefined, 3]);
    expect(out.series.b[2]).toEqual(bar(2, 20));
  });

  it('builds union and intersection grids', () => {
    expect(alignSources({ a, b }, '1m', { grid: 'union' }).timestamps.length).toBe(4);
    const both = alignSources({ a, b }, '1m', { grid: 'intersection' });
    expect(Array.from(both.timestamps)).toEqual([T0 + 60_000]);
    expect(both.series.a.map((x) => x?.close)).toEqual([2]);
  });

  it('keeps columns as columns, with NaN where a source has no bar', () => {
    const out = alignSources({ a: toColumns(a), b }, '1m');
    expect(Array.from(out.series.a.close)).toEqual([1, 2, Number.NaN, Number.NaN, 3]);
    expect(Array.from(out.series.a.timestamp)).toEqual(Array.from(out.timestamps));
  });

  it('skips off-grid bars and reports them, or snaps them on request', () => {
    const late = [bar(0, 1, 1_500), bar(1, 2, 1_500)];
    const skipped = alignSources({ late, b }, '1m');
    expect(skipped.issues.map((i) => [i.source, i.code, i.index])).toEqual([
      ['late', 'misaligned_timestamp', 0],
      ['late', 'misaligned_timestamp', 1],
    ]);
    const snapped = alignSources({ late, b }, '1m', { snap: true });
    expect(snapped.issues).toEqual([]);
    expect(Array.from(snapped.present.late)).toEqual([1, 1, 0]);
  });

  it('reports a second bar in the same bucket and older bars', () => {
    const messy = [bar(0, 1), bar(0, 9), bar(2, 2), bar(1, 5)];
    const out = alignSources({ messy }, '1m');
    expect(out.issues.map((i) => [i.code, i.index])).toEqual([
      ['duplicate_timestamp', 1],
      ['unsorted_timestamp', 3],
    ]);
  });

  it('aligns to calendar months', () => {
    const daily = [
      { ...bar(0, 1), timestamp: Date.UTC(2024, 0, 1) },
      { ...bar(0, 2), timestamp: Date.UTC(2024, 2, 1) },
    ];
    const out = alignSources({ daily }, '1M');
    expect(Array.from(out.timestamps)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)]);
  });

  it('throws a ConfigError for an unknown grid', () => {
    let error: unknown;
    try {
      alignSources({ a }, '1m', { grid: 'outer' as 'full' });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
  });

  describe('grid bound (issue 16 item 12)', () => {
    // The promise: bad options throw a ConfigError up front; nothing else runs out of memory.
    // Two valid 1m bars 10 and 50 years apart used to build a 5.3 M- and a 26 M-slot grid
    // (1 GB of heap, then an aborted process) before anything was checked.
    const thrown = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const at = (timestamp: number): Ohlcv => ({ ...bar(0, 1), timestamp });
    const yearsApart = (years: number): Ohlcv[] => [at(T0), at(Date.UTC(2024 + years, 0, 1))];

    it('throws a ConfigError naming maxGridBars before building a full grid past it', () => {
      for (const years of [10, 50]) {
        for (const series of [yearsApart(years), toColumns(yearsApart(years))]) {
          const error = thrown(() => alignSources({ a: series, b: [at(T0)] }, '1m'));
          expect(isConfigError(error), `${years} years`).toBe(true);
          expect(isConfigError(error) && error.message).toContain('maxGridBars');
        }
      }
    });

    it('counts the slots of the full grid against maxGridBars: the bound is inclusive', () => {
      // Minutes 0 … 9 make a grid of 10 one-minute slots.
      const ends = [bar(0, 1), bar(9, 2)];
      expect(alignSources({ ends }, '1m', { maxGridBars: 10 }).timestamps.length).toBe(10);
      expect(isConfigError(thrown(() => alignSources({ ends }, '1m', { maxGridBars: 9 })))).toBe(true);
      // Calendar months: Jan … Mar 2024 are 3 slots.
      const months = [at(Date.UTC(2024, 0, 1)), at(Date.UTC(2024, 2, 1))];
      expect(alignSources({ months }, '1M', { maxGridBars: 3 }).timestamps.length).toBe(3);
      expect(isConfigError(thrown(() => alignSources({ months }, '1M', { maxGridBars: 2 })))).toBe(true);
    });

    it('bounds only the full grid: union and intersection hold at most the bars given', () => {
      const out = alignSources({ a: yearsApart(50) }, '1m', { grid: 'union' });
      expect(out.timestamps.length).toBe(2);
    });

    it('defaults to DEFAULT_MAX_GRID_BARS, about 3.8 years of 1m bars', () => {
      expect(DEFAULT_MAX_GRID_BARS).toBe(2_000_000);
      // 2,000,001 one-minute slots span 2,000,000 minutes (the inclusive edge is tested above).
      const past = [at(T0), at(T0 + 2_000_000 * 60_000)];
      expect(isConfigError(thrown(() => alignSources({ past }, '1m')))).toBe(true);
    });

    it('refuses a maxGridBars that is not a positive integer', () => {
      for (const maxGridBars of [0, -1, 1.5, Number.NaN, '10' as unknown as number]) {
        expect(isConfigError(thrown(() => alignSources({ a }, '1m', { maxGridBars }))), String(maxGridBars)).toBe(true);
      }
    });
  });

  it('does not mutate its inputs', () => {
    const frozen = Object.freeze(a.map((x) => Object.freeze({ ...x })));
    expect(() => alignSources({ frozen, b }, '1m', { snap: true })).not.toThrow();
  });
});
