import { describe, expect, it } from 'vitest';
import { buildDataResponse, buildDataStatus, buildLatestOhlcv, buildQualityReport, createAlert } from '../../src/reports/index.js';
import { AlertSchema, DataResponseSchema, DataStatusSchema, LatestOhlcvSchema, QualityReportSchema } from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from '../schemas/example-documents.js';

// Known answers: the specification's own example documents. Each builder, given the facts
// the example states, must reproduce the example byte for byte.
const at = (iso: string): number => Date.parse(iso);

describe('buildDataStatus', () => {
  it('reproduces the specification example', () => {
    const doc = buildDataStatus({
      now: at('2025-01-30T10:30:00Z'),
      sources: { exchange_api: { status: 'healthy', lastResponse: at('2025-01-30T10:30:00Z'), latencyMs: 45 } },
      symbols: {
        BTCUSD: {
          '1m': { lastBar: at('2025-01-30T10:29:00Z'), qualityScore: 0.98, barsToday: 629, gapsToday: 0 },
          '5m': { lastBar: at('2025-01-30T10:25:00Z'), qualityScore: 0.99, barsToday: 126, gapsToday: 0 },
        },
      },
    });
    // The example's top-level quality_score (0.98) is not the mean of its two series (0.985),
    // so it is the one field we compare separately.
    expect({ ...doc, quality_score: 0.98 }).toEqual(JSON.parse(EXAMPLE_DOCUMENTS.dataStatus));
    expect(doc.quality_score).toBe(0.985);
    expect(DataStatusSchema.safeParse(doc).success).toBe(true);
  });

  it('is degraded when one source is down and another healthy, down when all are', () => {
    const source = (status: 'healthy' | 'down') => ({ status, lastResponse: null, latencyMs: null });
    const now = at('2025-01-30T10:30:00Z');
    expect(buildDataStatus({ now, sources: { a: source('healthy'), b: source('down') }, symbols: {} }).overall_health).toBe('degraded');
    expect(buildDataStatus({ now, sources: { a: source('down'), b: source('down') }, symbols: {} }).overall_health).toBe('down');
    expect(buildDataStatus({ now, sources: {}, symbols: {} }).overall_health).toBe('down');
  });
});

describe('buildLatestOhlcv', () => {
  it('reproduces the specification example', () => {
    const doc = buildLatestOhlcv({
      now: at('2025-01-30T10:30:00Z'),
      symbol: 'BTCUSD',
      latest: {
        '1m': { timestamp: at('2025-01-30T10:29:00Z'), open: 45050, high: 45080, low: 45020, close: 45060, volume: 125.5 },
        '5m': { timestamp: at('2025-01-30T10:25:00Z'), open: 45000, high: 45100, low: 44980, close: 45060, volume: 567.2 },
        '1H': { timestamp: at('2025-01-30T10:00:00Z'), open: 44900, high: 45150, low: 44850, close: 45060, volume: 2345.8 },
      },
      atr14h1: 250.5,
      daily: { high: 45200, low: 44700, volume: 12500.3 },
    });
    expect(JSON.stringify(doc)).toBe(EXAMPLE_DOCUMENTS.latestOhlcv);
    expect(LatestOhlcvSchema.safeParse(doc).success).toBe(true);
  });

  it('writes null, not a number, for values without history', () => {
    const doc = buildLatestOhlcv({ now: 0, symbol: 'X', latest: {}, atr14h1: Number.NaN, daily: { high: null, low: null, volume: null } });
    expect(doc.derived).toEqual({ atr_14_1H: null, daily_high: null, daily_low: null, daily_volume: null });
  });
});

describe('document builders and caller-owned inputs', () => {
  // From the review: a builder that cached its output by input object returned the old values
  // after the caller updated the object in place (a live candle, a status it keeps).
  it('report a bar as it is now, even when the caller updated the same object', () => {
    const t = Date.UTC(2025, 0, 30, 10, 29);
    const bar = { timestamp: t, open: 1, high: 2, low: 1, close: 2, volume: 5 };
    const daily = { high: null, low: null, volume: null };
    buildLatestOhlcv({ now: t + 60_000, symbol: 'X', latest: { '1m': bar }, atr14h1: null, daily });
    bar.close = 1.5;
    expect(buildLatestOhlcv({ now: t + 60_000, symbol: 'X', latest: { '1m': bar }, atr14h1: null, daily }).timeframes['1m']?.close).toBe(
      1.5,
    );
  });

  it('report a series status as it is now', () => {
    const series = { lastBar: Date.UTC(2025, 0, 30), qualityScore: 0.9, barsToday: 5, gapsToday: 0 };
    const input = { now: Date.UTC(2025, 0, 30, 1), sources: {}, symbols: { X: { '1m': series } } };
    buildDataStatus(input);
    series.barsToday = 6;
    expect(buildDataStatus(input).symbols['X']?.timeframes['1m']?.bars_today).toBe(6);
  });
});

describe('createAlert', () => {
  it('reproduces the specification example', () => {
    const alert = createAlert({
      sequence: 1,
      now: at('2025-01-30T10:30:00Z'),
      severity: 'warning',
      type: 'data_quality',
      message: 'Data feed latency elevated (150ms vs normal 45ms)',
      affected: { symbol: 'BTCUSD', source: 'exchange_api' },
      actionTaken: 'Monitoring, no intervention required',
      escalate: false,
    });
    expect(JSON.stringify(alert)).toBe(EXAMPLE_DOCUMENTS.alert);
    expect(AlertSchema.safeParse(alert).success).toBe(true);
  });

  it('numbers alerts beyond 999 without truncating', () => {
    const alert = createAlert({
      sequence: 1000,
      now: 0,
      severity: 'info',
      type: 'feed',
      message: '',
      affected: {},
      actionTaken: '',
      escalate: false,
    });
    expect(alert.alert_id).toBe('DATA-ALERT-1000');
  });
});

describe('buildDataResponse', () => {
  it('reproduces the specification example', () => {
    const doc = buildDataResponse({
      requestId: 'DATA-001',
      outputPath: '/data/BTCUSD_1H_20240101_20250130.parquet',
      rows: 8760,
      qualityScore: 0.99,
      firstTimestamp: at('2024-01-01T00:00:00Z'),
      lastTimestamp: at('2025-01-30T10:00:00Z'),
      gapsFilled: 3,
    });
    expect(JSON.stringify(doc)).toBe(EXAMPLE_DOCUMENTS.dataResponse);
  });

  it('answers a failure with its reason', () => {
    const doc = buildDataResponse({ requestId: 'DATA-002', reason: 'Unknown symbol `XYZ`', error: 'unknown_symbol' });
    expect(doc).toEqual({ request_id: 'DATA-002', status: 'failed', reason: 'Unknown symbol `XYZ`', error: 'unknown_symbol' });
    expect(DataResponseSchema.safeParse(doc).success).toBe(true);
  });
});

describe('buildQualityReport', () => {
  const issue = {
    timestamp: '2025-01-30T03:45:00Z',
    type: 'gap_detected',
    symbol: 'BTCUSD',
    timeframe: '1m',
    duration_bars: 2,
    resolution: 'forward_filled',
  } as const;

  it('averages the symbols and keeps the issues of the day', () => {
    const doc = buildQualityReport({
      now: at('2025-01-30T10:30:00Z'),
      symbols: {
        BTCUSD: { score: 0.98, completeness: 0.99, validity: 0.98, freshness: 0.99, issues: [] },
        ETHUSD: { score: 0.96, completeness: 0.97, validity: 0.96, freshness: 0.99, issues: [] },
      },
      issues24h: [issue],
    });
    // (0.98 + 0.96) / 2 = 0.97, the example's overall_quality for its two symbols.
    expect(doc.overall_quality).toBe(0.97);
    expect(doc.report_date).toBe('2025-01-30');
    expect(doc.symbols_monitored).toBe(2);
    expect(doc.issues_24h).toEqual(QualityReportSchema.parse(JSON.parse(EXAMPLE_DOCUMENTS.qualityReport)).issues_24h);
    expect(doc.recommendations).toEqual([]);
    expect(QualityReportSchema.safeParse(doc).success).toBe(true);
  });

  it('recommends action for a low score, a weak metric and a gap marked missing', () => {
    const doc = buildQualityReport({
      now: 0,
      symbols: { BTCUSD: { score: 0.7, completeness: 0.5, validity: 1, freshness: 1, issues: [] } },
      issues24h: [{ ...issue, duration_bars: 40, resolution: 'marked_missing' }],
    });
    expect(doc.recommendations).toHaveLength(3);
    expect(doc.recommendations[0]).toContain('below 0.8');
    expect(doc.recommendations[1]).toContain('completeness is 0.5');
    expect(doc.recommendations[2]).toContain('40 bars');
  });
});
