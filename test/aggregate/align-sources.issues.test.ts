import { describe, expect, it } from 'vitest';
import { alignSources } from '../../src/aggregate/align-sources.js';
import { toColumns } from '../../src/formats/to-columns.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const at = (minutes: number, close = 1): Ohlcv => ({
  timestamp: T0 + minutes * MINUTE,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

// `alignSources`' TSDoc: a bar off the grid is skipped (or moved to its bucket with `snap`),
// so is a duplicated or out-of-order one, each reported with its source's name; columns that
// cannot be read count as a source without bars.
describe('alignSources’ skipped bars', () => {
  it('reports each skipped bar with its source, position, time and why, and builds the grid from the rest', () => {
    const a = [at(0), at(Number.NaN), at(0, 9), at(-1, 9), at(0.5, 9), at(2, 3)];
    const result = alignSources({ a, b: [] as Ohlcv[] }, '1m');
    expect(result.issues).toEqual([
      {
        code: 'unsorted_timestamp',
        path: [1],
        index: 1,
        timestamp: Number.NaN,
        source: 'a',
        message: 'a: bar 1 has no finite timestamp; it is skipped',
      },
      {
        code: 'duplicate_timestamp',
        path: [2],
        index: 2,
        timestamp: T0,
        source: 'a',
        message: 'a: bar 2 (2024-01-01T00:00:00.000Z) falls in the 1m bucket 2024-01-01T00:00:00.000Z of the bar before it; it is skipped',
      },
      {
        code: 'unsorted_timestamp',
        path: [3],
        index: 3,
        timestamp: T0 - MINUTE,
        source: 'a',
        message: 'a: bar 3 (2023-12-31T23:59:00.000Z) is older than the bar before it; it is skipped',
      },
      {
        code: 'misaligned_timestamp',
        path: [4],
        index: 4,
        timestamp: T0 + 30_000,
        source: 'a',
        message: 'a: bar 4 (2024-01-01T00:00:30.000Z) does not open on the 1m grid; it is skipped (or pass `snap: true`)',
      },
    ]);
    // The full grid runs from the first to the last bar of any source; `b` has none.
    expect(result.timestamps).toEqual(Float64Array.of(T0, T0 + MINUTE, T0 + 2 * MINUTE));
    expect(result.present.a).toEqual(Uint8Array.of(1, 0, 1));
    expect(result.present.b).toEqual(Uint8Array.of(0, 0, 0));
    expect(result.series.a.map((bar) => bar?.close)).toEqual([1, undefined, 3]);
  });

  it('with `snap`, reports a moved bar that lands on a kept one as a duplicate', () => {
    const result = alignSources({ a: [at(0), at(0.5, 9)] }, '1m', { snap: true });
    expect(result.issues.map((issue) => issue.message)).toEqual([
      'a: bar 1 (2024-01-01T00:00:30.000Z) falls in the 1m bucket 2024-01-01T00:00:00.000Z of the bar before it; it is skipped',
    ]);
  });

  it('reads malformed columns as a source without bars, and names it', () => {
    const b = { ...toColumns([at(0), at(1)]), length: 5 };
    const result = alignSources({ a: toColumns([at(0), at(1)]), b }, '1m');
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ code: 'malformed_columns', source: 'b', index: -1, path: [], timestamp: Number.NaN });
    expect(result.issues[0]?.message.startsWith('b: ')).toBe(true);
    expect(result.present.b).toEqual(Uint8Array.of(0, 0));
    expect(Array.from(result.series.b.close)).toEqual([Number.NaN, Number.NaN]);
  });

  it('gives each source of columns its own copy of the grid', () => {
    const result = alignSources({ a: toColumns([at(0)]), b: toColumns([at(1)]) }, '1m');
    expect(result.series.a.timestamp).not.toBe(result.series.b.timestamp);
    expect(result.series.a.timestamp).not.toBe(result.timestamps);
    expect(result.series.a.timestamp).toEqual(result.timestamps);
  });

  it('builds a full month grid as epoch milliseconds of each month’s start', () => {
    const result = alignSources(
      {
        a: [
          { ...at(0), timestamp: Date.UTC(2024, 0, 1) },
          { ...at(0), timestamp: Date.UTC(2024, 2, 1) },
        ],
      },
      '1M',
    );
    expect(result.timestamps).toEqual(Float64Array.of(Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)));
  });

  it('sorts the union and the intersection grids in time, whatever the order of the sources', () => {
    const sources = { a: [at(2), at(3)], b: [at(0), at(2), at(3)], c: [at(1), at(2), at(3)] };
    expect(alignSources(sources, '1m', { grid: 'union' }).timestamps).toEqual(
      Float64Array.of(T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE),
    );
    expect(alignSources({ a: [at(3), at(4)], b: [at(1), at(3)], c: [at(3), at(4)] }, '1m', { grid: 'intersection' }).timestamps).toEqual(
      Float64Array.of(T0 + 3 * MINUTE),
    );
  });
});
