import { describe, expect, it } from 'vitest';
import { bucketStart } from '../../src/time/bucket-start.js';

describe('bucketStart', () => {
  it('starts weeks on Monday 00:00 UTC', () => {
    // 2025-01-30 is a Thursday; the Monday of that week is 2025-01-27.
    expect(bucketStart(Date.UTC(2025, 0, 30, 10, 30), '1W')).toBe(Date.UTC(2025, 0, 27));
  });
  it('starts months on the 1st 00:00 UTC', () => {
    expect(bucketStart(Date.UTC(2024, 1, 29, 23, 59), '1M')).toBe(Date.UTC(2024, 1, 1));
  });
});
