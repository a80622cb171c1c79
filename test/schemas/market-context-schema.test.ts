import { describe, expect, it } from 'vitest';
import { MarketContextSchema } from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from './example-documents.js';

const example = (): Record<string, unknown> => JSON.parse(EXAMPLE_DOCUMENTS.marketContext) as Record<string, unknown>;

describe('MarketContextSchema', () => {
  it('parses the specification example verbatim and re-serialises it unchanged', () => {
    const parsed = MarketContextSchema.parse(JSON.parse(EXAMPLE_DOCUMENTS.marketContext));
    expect(JSON.stringify(parsed)).toBe(EXAMPLE_DOCUMENTS.marketContext);
  });

  it('accepts null for every field that needs history, and an off-session clock', () => {
    const doc = {
      ...example(),
      volatility_regime: null,
      volatility_percentile: null,
      trend_1D: null,
      trend_4H: null,
      session: { current: 'off_session', minutes_into_session: null, killzone_active: false },
      key_levels: { daily_pivot: null, daily_r1: null, daily_s1: null, weekly_high: null, weekly_low: null },
      recent_events: [{ timestamp: '2025-01-30T10:00:00Z', type: 'gap', severity: 'info', message: '2 bars forward-filled' }],
    };
    expect(MarketContextSchema.safeParse(doc).success).toBe(true);
  });

  it('refuses upper-case sessions, percentiles outside 0–100 and unknown trends', () => {
    const base = example();
    const bad = [
      { ...base, session: { current: 'London', minutes_into_session: 150, killzone_active: true } },
      { ...base, volatility_percentile: 101 },
      { ...base, trend_1D: 'up' },
    ];
    for (const doc of bad) expect(MarketContextSchema.safeParse(doc).success).toBe(false);
  });
});
