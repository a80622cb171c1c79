import { describe, expect, it } from 'vitest';
import { alignSources } from '../../src/aggregate/align-sources.js';
import { ConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const bar = (timestamp: number): Ohlcv => ({ timestamp, open: 1, high: 1, low: 1, close: 1, volume: 1 });

// The full grid's edges (`alignSources`' TSDoc: the full grid runs from the earliest to the latest
// bar of all sources; `maxGridBars` caps its slots, counted before it is built).
describe('alignSources’ full grid at its edges', () => {
  it('is empty when no source has a bar', () => {
    const out = alignSources({ a: [], b: [] }, '1m');
    expect(Array.from(out.timestamps)).toEqual([]);
    expect(Array.from(out.present.a)).toEqual([]);
    expect(out.series.b).toEqual([]);
    expect(out.issues).toEqual([]);
  });

  it('counts the calendar months of a 1M grid: February to April is 3 slots', () => {
    const feb = Date.UTC(2024, 1, 1);
    const mar = Date.UTC(2024, 2, 1);
    const apr = Date.UTC(2024, 3, 1);
    const sources = { a: [bar(feb)], b: [bar(apr)] };
    expect(Array.from(alignSources(sources, '1M', { maxGridBars: 3 }).timestamps)).toEqual([feb, mar, apr]);
    expect(() => alignSources(sources, '1M', { maxGridBars: 2 })).toThrow(ConfigError);
  });
});
