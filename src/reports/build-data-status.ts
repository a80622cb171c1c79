import { isoUtc } from '../internal/iso-utc.js';
import type { DataStatus, HealthStatus } from '../schemas/data-status-schema.js';
import type { Timeframe } from '../time/timeframe.js';

/** What `buildDataStatus` needs to know about one source. */
export interface SourceStatusInput {
  /** `healthy`, `degraded` or `down` (see `feedHealth`). */
  readonly status: HealthStatus;
  /** Time of the source's last answer, epoch ms; `null` before the first. */
  readonly lastResponse: number | null;
  /** Latency of its last successful answer, ms; `null` before the first. */
  readonly latencyMs: number | null;
}

/** What `buildDataStatus` needs to know about one series. */
export interface SeriesStatusInput {
  /** Open time of the newest closed bar, epoch ms; `null` when there is none. */
  readonly lastBar: number | null;
  /** The series' quality score in [0, 1]; `null` when not scored. */
  readonly qualityScore: number | null;
  /** Bars stored for the current UTC day. */
  readonly barsToday: number;
  /** Gaps detected in the current UTC day. */
  readonly gapsToday: number;
}

/** Inputs of {@link buildDataStatus}. */
export interface DataStatusInput {
  /** The document's time, epoch ms. */
  readonly now: number;
  /** Sources by name. */
  readonly sources: Readonly<Record<string, SourceStatusInput>>;
  /** Series by symbol, then timeframe. */
  readonly symbols: Readonly<Record<string, Partial<Record<Timeframe, SeriesStatusInput>>>>;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * The specification's `data_status` document (`/state/data/data_status.json`).
 *
 * `overall_health` is `healthy` when every source is healthy, `down` when every source is down
 * (or there is none), and `degraded` otherwise (a backup may be keeping the feed alive, but a
 * source is failing). `quality_score` is the mean of the series' scores (`null` when none is
 * scored). Scores are rounded to 4 decimals, latency to whole ms.
 *
 * @example
 * ```ts
 * buildDataStatus({ now: Date.UTC(2025, 0, 30, 10, 30), sources: { exchange_api: { status: 'healthy', lastResponse: Date.UTC(2025, 0, 30, 10, 30), latencyMs: 45 } }, symbols: {} })
 * // { updated_at: '2025-01-30T10:30:00Z', sources: { exchange_api: { status: 'healthy', last_response: '2025-01-30T10:30:00Z', latency_ms: 45 } }, symbols: {}, overall_health: 'healthy', quality_score: null }
 * ```
 */
export function buildDataStatus(input: DataStatusInput): DataStatus {
  const sources: DataStatus['sources'] = {};
  let healthy = 0;
  let down = 0;
  for (const [name, source] of Object.entries(input.sources)) {
    sources[name] = {
      status: source.status,
      last_response: source.lastResponse === null ? null : isoUtc(source.lastResponse),
      latency_ms: source.latencyMs === null ? null : Math.round(source.latencyMs),
    };
    if (source.status === 'healthy') healthy++;
    else if (source.status === 'down') down++;
  }
  const count = Object.keys(sources).length;
  const overall: HealthStatus = count > 0 && healthy === count ? 'healthy' : down === count ? 'down' : 'degraded';
  const symbols: DataStatus['symbols'] = {};
  let total = 0;
  let scored = 0;
  for (const [symbol, timeframes] of Object.entries(input.symbols)) {
    const out: DataStatus['symbols'][string]['timeframes'] = {};
    for (const tf in timeframes) {
      const series = timeframes[tf as Timeframe];
      if (series === undefined) continue;
      out[tf as Timeframe] = {
        last_bar: series.lastBar === null ? null : isoUtc(series.lastBar),
        quality_score: series.qualityScore === null ? null : round(series.qualityScore, 4),
        bars_today: series.barsToday,
        gaps_today: series.gapsToday,
      };
      if (series.qualityScore !== null) {
        total += series.qualityScore;
        scored++;
      }
    }
    symbols[symbol] = { timeframes: out };
  }
  return {
    updated_at: isoUtc(input.now),
    sources,
    symbols,
    overall_health: overall,
    quality_score: scored === 0 ? null : round(total / scored, 4),
  };
}
