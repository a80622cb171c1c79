import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const DAY = 86_400_000;
const bar = (timestamp: number): Ohlcv => ({ timestamp, open: 1, high: 1, low: 1, close: 1, volume: 1 });

// Which grid the bars are taken to be on: without `source`, the largest timeframe whose grid holds
// the first bar and every step between bars (`inferTimeframe`'s TSDoc; weeks open on Mondays,
// SPECIFICATION); with `source`, a larger such timeframe is reported as a mismatch.
describe('source and target grids', () => {
  it('reads hourly steps that open at half past as 30m bars, not 1H bars', () => {
    // 00:30, 01:30, 02:30: every step is 1H, but only the 30m grid holds 00:30.
    const halfPast = [0, 1, 2].map((h) => bar(Date.UTC(2024, 0, 1, h, 30)));
    expect(aggregateOhlcv(halfPast, '1H', { source: '30m' }).issues).toEqual([]);
    // On the hour, the same steps make the bars look like 1H bars, which the declared 30m contradicts.
    const onTheHour = [0, 1, 2].map((h) => bar(Date.UTC(2024, 0, 1, h)));
    // (Its last 30m bar covers only half of the 02:00 bucket, which is dropped as partial.)
    const codes = aggregateOhlcv(onTheHour, '1H', { source: '30m' }).issues.map((i) => i.code);
    expect(codes).toEqual(['source_timeframe_mismatch', 'partial_bucket_dropped']);
  });

  it('infers weekly bars that open on Mondays as 1W bars, so the last week is covered to its end', () => {
    // 2024-01-01, 08 and 15 are Mondays: 1W bars, each covering its whole week.
    const weeks = [0, 7, 14].map((d) => bar(Date.UTC(2024, 0, 1) + d * DAY));
    const result = aggregateOhlcv(weeks, '1W');
    expect(result.bars.map((b) => b.timestamp)).toEqual(weeks.map((b) => b.timestamp));
    expect(result.partial).toEqual({ first: false, last: false });
    expect(result.issues).toEqual([]);
  });
});
