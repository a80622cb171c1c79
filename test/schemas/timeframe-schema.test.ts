import { describe, expect, it } from 'vitest';
import { TimeframeSchema } from '../../src/schemas/index.js';
import { TIMEFRAMES } from '../../src/time/index.js';

describe('TimeframeSchema', () => {
  it('accepts the canonical names only', () => {
    for (const tf of TIMEFRAMES) expect(TimeframeSchema.safeParse(tf).success).toBe(true);
    // ccxt spellings go through parseTimeframe first.
    for (const text of ['1h', '1d', '1w', '7m']) expect(TimeframeSchema.safeParse(text).success).toBe(false);
  });
});
