import { describe, expect, it } from 'vitest';
import { DataResponseSchema } from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from './example-documents.js';

const example = (): Record<string, unknown> => JSON.parse(EXAMPLE_DOCUMENTS.dataResponse) as Record<string, unknown>;

describe('DataResponseSchema', () => {
  it('parses the specification example verbatim and re-serialises it unchanged', () => {
    const parsed = DataResponseSchema.parse(JSON.parse(EXAMPLE_DOCUMENTS.dataResponse));
    expect(JSON.stringify(parsed)).toBe(EXAMPLE_DOCUMENTS.dataResponse);
  });

  it('accepts a failed response with a reason and an error code, without data fields', () => {
    const failed = { request_id: 'DATA-002', status: 'failed', reason: 'Unknown symbol `FOO`', error: 'unknown_symbol' };
    expect(DataResponseSchema.parse(failed)).toEqual(failed);
  });

  it('accepts a partial response with a reason and an empty result with null metadata', () => {
    const partial = {
      ...example(),
      status: 'partial',
      rows: 0,
      quality_score: null,
      metadata: { first_timestamp: null, last_timestamp: null, gaps_filled: 0 },
      reason: 'The source has no data before 2024-06-01',
    };
    expect(DataResponseSchema.safeParse(partial).success).toBe(true);
  });

  it('refuses a failed response without a reason and a partial one without a reason', () => {
    expect(DataResponseSchema.safeParse({ request_id: 'DATA-002', status: 'failed' }).success).toBe(false);
    expect(DataResponseSchema.safeParse({ ...example(), status: 'partial' }).success).toBe(false);
    expect(DataResponseSchema.safeParse({ ...example(), status: 'done' }).success).toBe(false);
  });
});
