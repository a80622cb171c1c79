import { describe, expect, it } from 'vitest';
import { lastMissingOpen } from '../../src/gaps/last-missing-open.js';
import { detectGaps } from '../../src/index.js';

// Known answers from the calendar: the slot before an exclusive end is one bar width earlier on a
// fixed grid (1970-01-05 and 2025-01-06 are Mondays), and the previous month's first day for 1M.
describe('lastMissingOpen', () => {
  it('is the grid slot before the exclusive end', () => {
    expect(lastMissingOpen(Date.UTC(2025, 0, 1, 0, 5), '1m')).toBe(Date.UTC(2025, 0, 1, 0, 4));
    expect(lastMissingOpen(Date.UTC(2025, 0, 1, 8), '4H')).toBe(Date.UTC(2025, 0, 1, 4));
    expect(lastMissingOpen(Date.UTC(2025, 0, 13), '1W')).toBe(Date.UTC(2025, 0, 6));
    expect(lastMissingOpen(Date.UTC(2025, 2, 1), '1M')).toBe(Date.UTC(2025, 1, 1));
  });

  it("turns a detected gap's exclusive end into the open time of its last missing bar", () => {
    const M = 60_000;
    const bar = (t: number) => ({ timestamp: t, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    // Bars at minutes 0, 1 and 5: minutes 2, 3 and 4 are missing.
    const { gaps } = detectGaps([bar(0), bar(M), bar(5 * M)], '1m');
    expect(gaps).toMatchObject([{ start: 2 * M, end: 5 * M, missingBars: 3 }]);
    expect(lastMissingOpen((gaps[0] as { end: number }).end, '1m')).toBe(4 * M);
  });
});
