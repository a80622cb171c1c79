import { describe, expect, it } from 'vitest';
import { LatestOhlcvSchema } from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from './example-documents.js';

const example = (): Record<string, unknown> => JSON.parse(EXAMPLE_DOCUMENTS.latestOhlcv) as Record<string, unknown>;

describe('LatestOhlcvSchema', () => {
  it('parses the specification example verbatim and re-serialises it unchanged', () => {
    const parsed = LatestOhlcvSchema.parse(JSON.parse(EXAMPLE_DOCUMENTS.latestOhlcv));
    expect(JSON.stringify(parsed)).toBe(EXAMPLE_DOCUMENTS.latestOhlcv);
    expect(parsed.timeframes['1H']?.close).toBe(45060);
  });

  it('accepts null derived values (not enough history)', () => {
    const doc = { ...example(), derived: { atr_14_1H: null, daily_high: null, daily_low: null, daily_volume: null } };
    expect(LatestOhlcvSchema.safeParse(doc).success).toBe(true);
  });

  it('refuses a missing derived value, an epoch-number timestamp and a negative ATR', () => {
    const bar = { timestamp: 1738232940000, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    const bad = [
      { ...example(), derived: { atr_14_1H: 250.5, daily_high: 45200, daily_low: 44700 } },
      { ...example(), timeframes: { '1m': bar } },
      { ...example(), derived: { atr_14_1H: -1, daily_high: 45200, daily_low: 44700, daily_volume: 1 } },
    ];
    for (const doc of bad) expect(LatestOhlcvSchema.safeParse(doc).success).toBe(false);
  });
});
