import { describe, expect, it } from 'vitest';
import { isOhlcvColumns, type OhlcvColumns } from '../../src/schemas/index.js';

describe('isOhlcvColumns', () => {
  it('tells columns from rows', () => {
    const empty = new Float64Array(0);
    const columns: OhlcvColumns = { length: 0, timestamp: empty, open: empty, high: empty, low: empty, close: empty, volume: empty };
    expect(isOhlcvColumns(columns)).toBe(true);
    expect(isOhlcvColumns([])).toBe(false);
    expect(isOhlcvColumns(Object.freeze([]))).toBe(false);
  });
});
