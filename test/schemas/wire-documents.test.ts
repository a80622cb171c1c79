import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AlertSchema,
  DataRequestSchema,
  DataResponseSchema,
  DataStatusSchema,
  LatestOhlcvSchema,
  MarketContextSchema,
  QualityReportSchema,
} from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from './example-documents.js';

const CASES: readonly [keyof typeof EXAMPLE_DOCUMENTS, z.ZodType][] = [
  ['dataStatus', DataStatusSchema],
  ['latestOhlcv', LatestOhlcvSchema],
  ['marketContext', MarketContextSchema],
  ['qualityReport', QualityReportSchema],
  ['dataRequest', DataRequestSchema],
  ['dataResponse', DataResponseSchema],
  ['alert', AlertSchema],
];

describe('wire document schemas', () => {
  it.each(CASES)('parse the specification example %s verbatim and re-serialise it unchanged', (name, schema) => {
    const text = EXAMPLE_DOCUMENTS[name];
    const parsed = schema.safeParse(JSON.parse(text));
    expect(parsed.error?.issues).toBeUndefined();
    expect(JSON.stringify(parsed.data)).toBe(text);
  });
});
