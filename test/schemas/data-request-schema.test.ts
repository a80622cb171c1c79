import { describe, expect, it } from 'vitest';
import { DataRequestSchema } from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from './example-documents.js';

const example = (): { parameters: Record<string, unknown> } & Record<string, unknown> =>
  JSON.parse(EXAMPLE_DOCUMENTS.dataRequest) as { parameters: Record<string, unknown> } & Record<string, unknown>;

describe('DataRequestSchema', () => {
  it('parses the specification example verbatim and re-serialises it unchanged', () => {
    const parsed = DataRequestSchema.parse(JSON.parse(EXAMPLE_DOCUMENTS.dataRequest));
    expect(JSON.stringify(parsed)).toBe(EXAMPLE_DOCUMENTS.dataRequest);
  });

  it('accepts full UTC timestamps as bounds and json as format', () => {
    const doc = example();
    const request = { ...doc, parameters: { ...doc.parameters, start_date: '2024-01-01T12:00:00Z', format: 'json' } };
    expect(DataRequestSchema.safeParse(request).success).toBe(true);
  });

  it('refuses csv, a ccxt timeframe spelling, an impossible date and an unknown priority', () => {
    const doc = example();
    const bad = [
      { ...doc, parameters: { ...doc.parameters, format: 'csv' } },
      { ...doc, parameters: { ...doc.parameters, timeframe: '1h' } },
      { ...doc, parameters: { ...doc.parameters, end_date: '2025-02-30' } },
      { ...doc, priority: 'asap' },
    ];
    for (const request of bad) expect(DataRequestSchema.safeParse(request).success).toBe(false);
  });
});
