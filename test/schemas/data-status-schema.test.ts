import { describe, expect, it } from 'vitest';
import { DataStatusSchema } from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from './example-documents.js';

const example = (): Record<string, unknown> => JSON.parse(EXAMPLE_DOCUMENTS.dataStatus) as Record<string, unknown>;

describe('DataStatusSchema', () => {
  it('parses the specification example verbatim and re-serialises it unchanged', () => {
    const parsed = DataStatusSchema.parse(JSON.parse(EXAMPLE_DOCUMENTS.dataStatus));
    expect(JSON.stringify(parsed)).toBe(EXAMPLE_DOCUMENTS.dataStatus);
  });

  it('accepts null where there is no data yet', () => {
    const doc = {
      ...example(),
      sources: { exchange_api: { status: 'down', last_response: null, latency_ms: null } },
      symbols: { ETHUSD: { timeframes: { '1H': { last_bar: null, quality_score: null, bars_today: 0, gaps_today: 0 } } } },
      quality_score: null,
    };
    expect(DataStatusSchema.safeParse(doc).success).toBe(true);
  });

  it('refuses unknown health values, non-UTC times, ccxt timeframe keys and scores above 1', () => {
    const bad = [
      { ...example(), overall_health: 'ok' },
      { ...example(), updated_at: '2025-01-30T10:30:00+01:00' },
      { ...example(), symbols: { BTCUSD: { timeframes: { '1h': { last_bar: null, quality_score: 1, bars_today: 0, gaps_today: 0 } } } } },
      { ...example(), quality_score: 1.5 },
      { ...example(), quality_score: NaN },
    ];
    for (const doc of bad) expect(DataStatusSchema.safeParse(doc).success).toBe(false);
  });
});
