import { describe, expect, it } from 'vitest';
import { QualityReportSchema } from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from './example-documents.js';

const example = (): Record<string, unknown> => JSON.parse(EXAMPLE_DOCUMENTS.qualityReport) as Record<string, unknown>;

describe('QualityReportSchema', () => {
  it('parses the specification example verbatim and re-serialises it unchanged', () => {
    const parsed = QualityReportSchema.parse(JSON.parse(EXAMPLE_DOCUMENTS.qualityReport));
    expect(JSON.stringify(parsed)).toBe(EXAMPLE_DOCUMENTS.qualityReport);
  });

  it('accepts every gap resolution of the specification', () => {
    for (const resolution of ['interpolated', 'forward_filled', 'marked_missing']) {
      const issue = {
        timestamp: '2025-01-30T03:45:00Z',
        type: 'gap_detected',
        symbol: 'BTCUSD',
        timeframe: '1m',
        duration_bars: 12,
        resolution,
      };
      expect(QualityReportSchema.safeParse({ ...example(), issues_24h: [issue] }).success).toBe(true);
    }
  });

  it('refuses a report date with a time, an unknown resolution and a zero-length gap', () => {
    const issue = {
      timestamp: '2025-01-30T03:45:00Z',
      type: 'gap_detected',
      symbol: 'BTCUSD',
      timeframe: '1m',
      resolution: 'forward_filled',
    };
    const bad = [
      { ...example(), report_date: '2025-01-30T00:00:00Z' },
      { ...example(), issues_24h: [{ ...issue, resolution: 'ignored' }] },
      { ...example(), issues_24h: [{ ...issue, duration_bars: 0 }] },
    ];
    for (const doc of bad) expect(QualityReportSchema.safeParse(doc).success).toBe(false);
  });
});
