import { describe, expect, it } from 'vitest';
import { floorPivots } from '../../src/context/floor-pivots.js';

describe('floorPivots of something that is not a period', () => {
  it('is null for null, not a throw (bad data is an answer)', () => {
    expect(floorPivots(null as never)).toBeNull();
  });

  it('is null for undefined', () => {
    expect(floorPivots(undefined as never)).toBeNull();
  });

  it('is null for a primitive', () => {
    expect(floorPivots(45000 as never)).toBeNull();
  });

  it('takes a period whose high equals its low (P = C = H = L, every level at that price)', () => {
    expect(floorPivots({ high: 100, low: 100, close: 100 })).toEqual({ pivot: 100, r1: 100, s1: 100, r2: 100, s2: 100, r3: 100, s3: 100 });
  });
});
