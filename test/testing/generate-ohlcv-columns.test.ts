import { describe, expect, it } from 'vitest';
import { toColumns } from '../../src/formats/to-columns.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { generateOhlcvColumns } from '../../src/testing/generate-ohlcv-columns.js';

describe('generateOhlcvColumns', () => {
  it('yields the same numbers and truth as generateOhlcv', () => {
    const options = { seed: 21, count: 3000, gapRate: 0.01, duplicateRate: 0.02, anomalyRate: 0.01, timeframe: '15m' as const };
    const rows = generateOhlcv(options);
    const cols = generateOhlcvColumns(options);
    expect(cols.columns).toEqual(toColumns(rows.bars));
    expect([cols.gaps, cols.duplicates, cols.anomalies]).toEqual([rows.gaps, rows.duplicates, rows.anomalies]);
  });

  it('returns arrays exactly `length` long when duplicates are asked for', () => {
    const { columns, duplicates } = generateOhlcvColumns({ count: 1000, duplicateRate: 0.1 });
    expect(columns.length).toBe(1000 + duplicates.length);
    expect(columns.close.length).toBe(columns.length);
  });

  it('generates a million bars', () => {
    const { columns } = generateOhlcvColumns({ seed: 42, count: 1_000_000 });
    expect(columns.length).toBe(1_000_000);
    expect(columns.timestamp[999_999]).toBe(Date.UTC(2025, 0, 1) + 999_999 * 60_000);
  });
});
