import { describe, expect, it } from 'vitest';
import { BAR_FLAG_BY_CODE, BarFlag, BarFlagCode, barFlagCode } from '../../src/schemas/index.js';

describe('barFlagCode', () => {
  it('maps every flag to its column code and back', () => {
    for (const flag of Object.values(BarFlag)) {
      expect(BAR_FLAG_BY_CODE[barFlagCode(flag)]).toBe(flag);
    }
    expect(barFlagCode(undefined)).toBe(BarFlagCode.None);
    expect(BAR_FLAG_BY_CODE[BarFlagCode.None]).toBeUndefined();
  });

  it('uses distinct codes that fit a Uint8Array', () => {
    const codes = Object.values(BarFlagCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Array.from(Uint8Array.from(codes))).toEqual(codes);
  });
});
