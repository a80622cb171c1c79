import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { atr } from '../../src/indicators/atr.js';
import type { AtrSeed } from '../../src/indicators/atr-options.js';
import type { HighLowCloseRow } from '../../src/indicators/indicator-input.js';
import { trueRange } from '../../src/indicators/true-range.js';
import { describeFixtures, readFixtureJson } from '../support/fixtures.js';
import { flaggedBar, hlcBar, highLowCloseColumns } from './arbitraries.js';

interface AtrTable {
  readonly rows: HighLowCloseRow[];
  readonly period: number;
  readonly expected: (number | null)[];
}

interface AtrTableJson {
  readonly params: { readonly period: number };
  readonly input: { readonly columns: string[]; readonly rows: (string | number)[][] };
  readonly expected: { readonly atr_by_row?: (number | null)[]; readonly atr14_by_row_sparse?: (number | null)[] };
}

/** Reads a table from `../shared/fixtures/reference/` (see its README for each convention). */
function loadTable(file: string): AtrTable & { readonly json: AtrTableJson } {
  const json = readFixtureJson(`reference/${file}`) as AtrTableJson;
  const col = (name: string): number => {
    const index = json.input.columns.indexOf(name);
    if (index < 0) throw new Error(`${file} has no column ${name}`);
    return index;
  };
  const [h, l, c] = [col('high'), col('low'), col('close')];
  const rows = json.input.rows.map((row) => ({ high: Number(row[h]), low: Number(row[l]), close: Number(row[c]) }));
  const expected = json.expected.atr_by_row ?? json.expected.atr14_by_row_sparse ?? [];
  return { rows, period: json.params.period, expected, json };
}

/** Largest |ours − theirs| over the rows the source gives, and the rows whose definedness differs. */
function compare(ours: Float64Array, expected: readonly (number | null)[]): { maxDiff: number; mismatched: number[] } {
  let maxDiff = 0;
  const mismatched: number[] = [];
  expected.forEach((value, i) => {
    const mine = ours[i] as number;
    if (value === null) {
      if (!Number.isNaN(mine)) mismatched.push(i);
    } else if (Number.isNaN(mine)) {
      mismatched.push(i);
    } else {
      maxDiff = Math.max(maxDiff, Math.abs(mine - value));
    }
  });
  return { maxDiff, mismatched };
}

const bars = (triples: readonly (readonly [number, number, number])[]): HighLowCloseRow[] =>
  triples.map(([high, low, close]) => ({ high, low, close }));

describe('atr', () => {
  it('seeds with the mean of the first period true ranges, then smooths with alpha 1/period', () => {
    // Worked by hand, period 3, first-range: TR = 2, max(3, |12−9|, |9−9|) = 3, max(1, 1, 0) = 1,
    // then max(4, |14−11|, |10−11|) = 4. ATR[2] = (2 + 3 + 1) / 3 = 2; ATR[3] = 2 + (4 − 2) / 3.
    const out = atr(
      bars([
        [10, 8, 9],
        [12, 9, 11],
        [12, 11, 11.5],
        [14, 10, 13],
      ]),
      { period: 3 },
    );
    expect(Array.from(out)).toEqual([NaN, NaN, 2, 2 + 2 / 3]);
  });

  it('starts one bar later with the talib seed, whose true range needs a previous close', () => {
    // Same bars, talib: TR from row 1 = 3, 1, 4. ATR[3] = (3 + 1 + 4) / 3.
    const out = atr(
      bars([
        [10, 8, 9],
        [12, 9, 11],
        [12, 11, 11.5],
        [14, 10, 13],
      ]),
      { period: 3, seed: 'talib' },
    );
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, 8 / 3]);
  });

  it('restarts the warm-up after a break and measures nothing across it', () => {
    const series = bars([
      [10, 8, 9],
      [11, 9, 10],
      [100, 98, 99],
      [101, 99, 100],
    ]);
    // Without the break, row 2's TR would be 100 − 10 = 90. With it, row 2 is a new first bar.
    const out = atr(series, { period: 2, breaks: [2] });
    expect(Array.from(out)).toEqual([NaN, 2, NaN, 2]);
  });

  it('equals the concatenation of atr over each segment when given breaks', () => {
    fc.assert(
      fc.property(
        fc.array(hlcBar, { maxLength: 60 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<AtrSeed>('first-range', 'talib'),
        (series, breaks, period, seed) => {
          const cuts = [0, ...breaks.filter((b) => b > 0 && b < series.length).sort((a, b) => a - b), series.length];
          const expected: number[] = [];
          for (let k = 0; k + 1 < cuts.length; k++) {
            expected.push(...atr(series.slice(cuts[k], cuts[k + 1]), { period, seed }));
          }
          expect(Array.from(atr(series, { period, seed, breaks }))).toEqual(expected);
        },
      ),
    );
  });

  it('lets synthetic bars repeat the current value and measures the next real bar from the last real close', () => {
    const real = bars([
      [10, 8, 9],
      [11, 9, 10],
      [12, 10, 11],
      [13, 11, 12],
    ]);
    const filled: HighLowCloseRow[] = [
      real[0]!,
      real[1]!,
      { high: 10, low: 10, close: 10, flag: 'forward_filled' },
      { high: 10.5, low: 10, close: 10.5, flag: 'interpolated' },
      real[2]!,
      real[3]!,
    ];
    const plain = atr(real, { period: 2 });
    const out = atr(filled, { period: 2 });
    expect(Array.from(out)).toEqual([plain[0], plain[1], plain[1], plain[1], plain[2], plain[3]]);
  });

  it('reads the flags column of columns input the same way as row flags', () => {
    fc.assert(
      fc.property(fc.array(flaggedBar, { maxLength: 40 }), fc.integer({ min: 1, max: 5 }), (series, period) => {
        expect(Array.from(atr(highLowCloseColumns(series), { period }))).toEqual(Array.from(atr(series, { period })));
      }),
    );
  });

  it('stays within the range of the true ranges it averages', () => {
    fc.assert(
      fc.property(fc.array(hlcBar, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (series, period) => {
        const tr = trueRange(series);
        const out = atr(series, { period });
        let lo = Infinity;
        let hi = -Infinity;
        out.forEach((value, i) => {
          lo = Math.min(lo, tr[i]!);
          hi = Math.max(hi, tr[i]!);
          if (!Number.isNaN(value)) {
            expect(value).toBeGreaterThanOrEqual(lo - 1e-9 * hi);
            expect(value).toBeLessThanOrEqual(hi * (1 + 1e-12));
          }
        });
      }),
    );
  });

  it('returns an empty array for an empty series', () => {
    expect(atr([]).length).toBe(0);
  });

  it('does not modify its input', () => {
    const rows = Object.freeze(
      bars([
        [10, 8, 9],
        [12, 9, 11],
      ]).map((row) => Object.freeze(row)),
    );
    expect(() => atr(rows, { period: 1, breaks: Object.freeze([1]) })).not.toThrow();
    expect(rows[0]).toEqual({ high: 10, low: 8, close: 9 });
  });

  it.each([0, -1, 1.5, NaN, Infinity])('throws ConfigError naming period %s', (period) => {
    let caught: unknown;
    try {
      atr([], { period });
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught)).toBe(true);
    expect((caught as Error).message).toContain(`\`${period}\``);
  });

  it('throws ConfigError on an unknown seed or a bad break index', () => {
    expect(() => atr([], { seed: 'ema' as AtrSeed })).toThrow(/`ema`/);
    expect(() => atr([], { breaks: [2.5] })).toThrow(/`2.5`/);
    expect(() => atr([], { breaks: [-1] })).toThrow(/`-1`/);
  });
});

describeFixtures('atr (reference tables, ../shared/fixtures/reference)', () => {
  // Each case: the file, the seed its README names, the tolerance its README names.
  const cases: readonly [file: string, seed: AtrSeed, tolerance: number][] = [
    ['atr-stockcharts-qqq-2010-p14.json', 'first-range', 1e-9],
    ['atr-stockcharts-qqq-2010-p10-bukosabino.json', 'first-range', 1e-12],
    ['atr-tulip-p5.json', 'first-range', 5e-4],
    ['atr-achelis-atoz-p4.json', 'first-range', 1e-4],
    ['atr-lean-spy-wilder-p14.json', 'first-range', 1e-5],
    ['atr-technicalindicators-p14.json', 'talib', 0],
  ];

  it.each(cases)('matches %s (seed %s) within %s, defined on exactly the same rows', (file, seed, tolerance) => {
    const table = loadTable(file);
    const { maxDiff, mismatched } = compare(atr(table.rows, { period: table.period, seed }), table.expected);
    expect(mismatched).toEqual([]);
    expect(maxDiff).toBeLessThanOrEqual(tolerance);
  });

  it('matches the StockCharts true ranges within 1e-9', () => {
    const table = loadTable('atr-stockcharts-qqq-2010-p14.json');
    const expected = (table.json.expected as { true_range_by_row: number[] }).true_range_by_row;
    const { maxDiff, mismatched } = compare(trueRange(table.rows), expected);
    expect(mismatched).toEqual([]);
    expect(maxDiff).toBeLessThanOrEqual(1e-9);
  });

  it('matches every TA-Lib regression entry (ATR 14, ATR 1, unstable period) within 0.01 with the talib seed', () => {
    interface Entry {
      readonly function: string;
      readonly period: number;
      readonly row_index: number;
      readonly expected: number;
      readonly expected_out_beg_idx: number;
      readonly unstable_period: number;
    }
    const table = loadTable('atr-talib-regtest-p14.json');
    const entries = (table.json.expected as unknown as { all_table_entries: Entry[] }).all_table_entries;
    const atrEntries = entries.filter((e) => e.function === 'TA_ATR');
    expect(atrEntries.length).toBeGreaterThan(0);
    for (const entry of atrEntries) {
      const out = atr(table.rows, { period: entry.period, seed: 'talib' });
      expect(Math.abs(out[entry.row_index]! - entry.expected), JSON.stringify(entry)).toBeLessThan(0.01);
      // TA-Lib's first output (without an unstable period) is the first value we define.
      if (entry.unstable_period === 0) {
        expect(Number.isNaN(out[entry.expected_out_beg_idx - 1]!)).toBe(true);
        expect(Number.isNaN(out[entry.expected_out_beg_idx]!)).toBe(false);
      }
    }
    const out14 = atr(table.rows, { period: 14, seed: 'talib' });
    expect(out14.filter((v) => !Number.isNaN(v)).length).toBe(238); // atr14_output_count
  });

  it('does not follow the TA-Lib table with the first-range seed (the README shows 0.066 off)', () => {
    const table = loadTable('atr-talib-regtest-p14.json');
    const out = atr(table.rows, { period: 14 });
    expect(Math.abs(out[14]! - 3.578)).toBeGreaterThan(0.01);
  });

  it('does not match the Lean simple-average table, which is an SMA of TR and not Wilder', () => {
    // The README lists atr-lean-spy-p14-simple-not-wilder.json as a counter-example: a 14-bar
    // simple mean of TR. Our ATR is Wilder only, so under Lean's own tolerance (1e-3) it must miss.
    const table = loadTable('atr-lean-spy-p14-simple-not-wilder.json');
    for (const seed of ['first-range', 'talib'] as const) {
      const { maxDiff } = compare(atr(table.rows, { period: 14, seed }), table.expected);
      expect(maxDiff).toBeGreaterThan(0.5);
    }
    // …while a simple mean of our true ranges does reproduce it (the table itself is sound).
    const tr = trueRange(table.rows, { seed: 'talib' });
    const sma = table.expected.map((_, i) => {
      if (i < 14) return NaN;
      let sum = 0;
      for (let k = i - 13; k <= i; k++) sum += tr[k]!;
      return sum / 14;
    });
    expect(compare(Float64Array.from(sma), table.expected).maxDiff).toBeLessThan(1e-5);
  });
});

// Not under the fixtures: these need no outside data (without ../shared they were skipped, and
// Stryker's sandbox, which has no ../shared, never ran them).
describe('atr out', () => {
  // The TSDoc example: TR 2, 2, 4 with period 2 → NaN, mean(2, 2) = 2, 2 + (4 − 2) / 2 = 3.
  const bars: HighLowCloseRow[] = [
    { high: 10, low: 8, close: 9 },
    { high: 11, low: 9, close: 10 },
    { high: 14, low: 10, close: 13 },
  ];

  it('writes every entry into the given array and returns it', () => {
    const out = new Float64Array(3).fill(7);
    const result = atr(bars, { period: 2, out });
    expect(result).toBe(out);
    expect(Array.from(out)).toEqual([NaN, 2, 3]);
  });

  it('gives the same values as without it, on columns with breaks and flags', () => {
    fc.assert(
      fc.property(fc.array(flaggedBar, { maxLength: 40 }), fc.array(fc.nat(45), { maxLength: 3 }), (rows, breaks) => {
        const columns = highLowCloseColumns(rows);
        const out = new Float64Array(rows.length).fill(-1);
        expect(Array.from(atr(columns, { period: 3, breaks, out }))).toEqual(Array.from(atr(columns, { period: 3, breaks })));
      }),
    );
  });

  it('answers a wrong length or memory shared with an input column with ConfigError at path out', () => {
    const columns = { length: 3, high: Float64Array.of(10, 11, 14), low: Float64Array.of(8, 9, 10), close: Float64Array.of(9, 10, 13) };
    for (const out of [new Float64Array(2), columns.low]) {
      expect(() => atr(columns, { period: 2, out })).toThrow(expect.objectContaining({ name: 'ConfigError', path: ['out'] }));
    }
  });
});
