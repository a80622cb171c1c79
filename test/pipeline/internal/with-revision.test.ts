import { describe, expect, it } from 'vitest';
import { withRevision } from '../../../src/pipeline/internal/with-revision.js';

describe('withRevision', () => {
  it('copies every field of the bar, optional ones included, and adds the revision', () => {
    const bar = Object.freeze({
      timestamp: 60_000,
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 3,
      quoteVolume: 4,
      trades: 5,
      takerBuyVolume: 1,
      flag: 'interpolated' as const,
      count: 5,
    });
    const revised = withRevision(bar, 2);
    expect(revised).toEqual({ ...bar, revision: 2 });
    expect(revised).not.toBe(bar);
  });

  it('gives bars without optional fields one property order', () => {
    const a = withRevision({ volume: 1, close: 1, low: 1, high: 1, open: 1, timestamp: 0 }, 0);
    const b = withRevision({ timestamp: 60_000, open: 2, high: 2, low: 2, close: 2, volume: 0 }, 1);
    expect(Object.keys(a)).toEqual(['timestamp', 'open', 'high', 'low', 'close', 'volume', 'revision']);
    expect(Object.keys(b)).toEqual(Object.keys(a));
  });
});
