import { describe, expect, it } from 'vitest';
import { IsoDateSchema, IsoTimestampSchema } from '../../src/schemas/index.js';

describe('IsoTimestampSchema', () => {
  it('accepts UTC timestamps ending in Z, with or without a fraction', () => {
    for (const text of ['2025-01-30T10:30:00Z', '2025-01-30T10:30:00.123Z', '2024-02-29T00:00:00Z']) {
      expect(IsoTimestampSchema.safeParse(text).success).toBe(true);
    }
  });

  it('refuses offsets, local times, missing seconds and impossible dates', () => {
    for (const text of ['2025-01-30T10:30:00+01:00', '2025-01-30T10:30:00', '2025-01-30T10:30Z', '2025-02-29T00:00:00Z', '2025-01-30']) {
      expect(IsoTimestampSchema.safeParse(text).success).toBe(false);
    }
  });
});

describe('IsoDateSchema', () => {
  it('accepts real calendar dates, 29 February of leap years included', () => {
    // 2000 is a leap year (divisible by 400); 2100 is not (divisible by 100, not 400).
    expect(IsoDateSchema.safeParse('2000-02-29').success).toBe(true);
    expect(IsoDateSchema.safeParse('2024-02-29').success).toBe(true);
    expect(IsoDateSchema.safeParse('2100-02-29').success).toBe(false);
    expect(IsoDateSchema.safeParse('2025-01-30T00:00:00Z').success).toBe(false);
  });
});
