import { describe, expect, it } from 'vitest';
import { missedBars } from '../../src/failover/missed-bars.js';

const MIN = 60_000;

// The specification: "backfill on restore, at most 100 bars" (DESIGN.md §6). Bars strictly
// between the last bar held and the next one are missed; the newest 100 are fetched.
describe('missedBars', () => {
  it('misses nothing when the next bar follows the last one', () => {
    expect(missedBars(0, MIN, MIN, 100)).toEqual({ backfill: undefined, gap: undefined });
  });

  it('fetches every missed bar while there are at most 100', () => {
    // Last bar 00:00, next 00:10: 00:01 … 00:09 are missed, nine bars.
    expect(missedBars(0, 10 * MIN, MIN, 100)).toEqual({ backfill: { from: MIN, to: 9 * MIN, bars: 9 }, gap: undefined });
  });

  it('fetches the newest 100 of 150 missed bars and leaves the oldest 50 as a gap', () => {
    expect(missedBars(0, 151 * MIN, MIN, 100)).toEqual({
      gap: { from: MIN, to: 50 * MIN, bars: 50 },
      backfill: { from: 51 * MIN, to: 150 * MIN, bars: 100 },
    });
  });

  it('leaves every missed bar as a gap when backfill is off (0 bars)', () => {
    expect(missedBars(0, 4 * MIN, MIN, 0)).toEqual({ backfill: undefined, gap: { from: MIN, to: 3 * MIN, bars: 3 } });
  });
});
