import { isoDate } from '../internal/iso-utc.js';
import type { QualityIssue, QualityReport } from '../schemas/quality-report-schema.js';

/** One symbol's metrics for {@link buildQualityReport}; every score is a fraction in [0, 1]. */
export interface SymbolQualityInput {
  readonly score: number;
  readonly completeness: number;
  readonly validity: number;
  readonly freshness: number;
  /** Present when a consistency reference was available. */
  readonly consistency?: number;
  /** The symbol's current issues in wire form. */
  readonly issues: readonly QualityIssue[];
}

/** Inputs of {@link buildQualityReport}. */
export interface QualityReportInput {
  /** The report's time, epoch ms; `report_date` is its UTC date. */
  readonly now: number;
  /** Metrics by symbol. */
  readonly symbols: Readonly<Record<string, SymbolQualityInput>>;
  /** Issues of the last 24 hours, oldest first. */
  readonly issues24h: readonly QualityIssue[];
  /** Below this score a symbol gets a recommendation. @defaultValue 0.8 (the specification's escalation threshold) */
  readonly qualityBelow?: number;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * The specification's `quality_report` document (`/state/data/quality_report.json`).
 * `overall_quality` is the mean of the symbols' scores (`null` with no symbol).
 * `recommendations` are derived, one sentence each: a symbol scoring below `qualityBelow`,
 * a metric of a symbol below 0.95 (naming the metric), and gaps that were marked missing
 * (asking for a backfill from another source). Scores are rounded to 4 decimals.
 *
 * @example
 * ```ts
 * buildQualityReport({ now: Date.UTC(2025, 0, 30, 10, 30), symbols: {}, issues24h: [] })
 * // { report_date: '2025-01-30', symbols_monitored: 0, overall_quality: null, quality_by_symbol: {}, issues_24h: [], recommendations: [] }
 * ```
 */
export function buildQualityReport(input: QualityReportInput): QualityReport {
  const threshold = input.qualityBelow ?? 0.8;
  const bySymbol: QualityReport['quality_by_symbol'] = {};
  const recommendations: string[] = [];
  let total = 0;
  const names = Object.keys(input.symbols);
  for (const symbol of names) {
    const q = input.symbols[symbol] as SymbolQualityInput;
    bySymbol[symbol] = {
      quality_score: round(q.score),
      completeness: round(q.completeness),
      validity: round(q.validity),
      freshness: round(q.freshness),
      ...(q.consistency === undefined ? {} : { consistency: round(q.consistency) }),
      issues: [...q.issues],
    };
    total += q.score;
    if (q.score < threshold) {
      recommendations.push(`${symbol}: quality ${round(q.score)} is below ${threshold}; check the sources before trading on it.`);
    }
    const metrics: [string, number | undefined][] = [
      ['completeness', q.completeness],
      ['validity', q.validity],
      ['freshness', q.freshness],
      ['consistency', q.consistency],
    ];
    for (const [name, value] of metrics) {
      if (value !== undefined && value < 0.95)
        recommendations.push(`${symbol}: ${name} is ${round(value)}; investigate the ${name} issues listed.`);
    }
  }
  const missing = input.issues24h.filter((issue) => issue.resolution === 'marked_missing');
  for (const issue of missing) {
    recommendations.push(
      `${issue.symbol} ${issue.timeframe}: ${issue.duration_bars ?? 'several'} bars from ${issue.timestamp} are missing; backfill them from another source.`,
    );
  }
  return {
    report_date: isoDate(input.now),
    symbols_monitored: names.length,
    overall_quality: names.length === 0 ? null : round(total / names.length),
    quality_by_symbol: bySymbol,
    issues_24h: [...input.issues24h],
    recommendations,
  };
}
