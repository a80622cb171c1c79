import { currentSession } from '../../context/current-session.js';
import { feedHealth } from '../../failover/feed-health.js';
import type { QualityMetrics } from '../../quality/score-quality.js';
import { buildDataStatus, type SeriesStatusInput, type SourceStatusInput } from '../../reports/build-data-status.js';
import { buildQualityReport, type SymbolQualityInput } from '../../reports/build-quality-report.js';
import type { PipelineConfig } from '../../schemas/config.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { QualityIssue } from '../../schemas/quality-report-schema.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import { TwoKeyMap } from '../../internal/two-key-map.js';
import type { DocumentRecord } from '../sink.js';
import { Alarm } from './alarm.js';
import type { AlertLog } from './alert-log.js';
import type { Delivery } from './delivery.js';
import type { EscalationTracker } from './escalation-tracker.js';
import type { FeedController } from './feed-controller.js';
import type { IssueLog } from './issue-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import type { RetentionSchedule } from './retention-schedule.js';
import { sameContent } from './same-content.js';
import type { SeriesQuality, SeriesState } from './series-quality.js';
import type { SymbolDocuments } from './symbol-documents.js';

/** The units the publisher reads from. */
export interface DocumentSources {
  readonly feed: FeedController;
  readonly quality: SeriesQuality;
  readonly issues: IssueLog;
  readonly alerts: AlertLog;
  readonly escalation: EscalationTracker;
  readonly retention: RetentionSchedule;
  readonly symbolDocuments: SymbolDocuments;
  readonly delivery: Delivery;
  readonly emitter: PipelineEmitter;
  /** Runs `task` under the symbol's lock (a series whose quality needs a store read). */
  readonly exclusive: (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * Owns the state documents and when they go out: at most once per `delivery.updateIntervalMs`
 * it builds `data_status`, `quality_report` and, per symbol, `latest_ohlcv` and
 * `market_context`, and emits (`document`) and delivers those whose content changed since they
 * last went out — their own `updated_at` aside, so an unchanged document is not sent again.
 * Anything else counts as change: new bars, freshness decaying with time, a feed's health, a
 * new alert, the session's minutes. While documents keep changing they are built once per
 * interval; when nothing changed, again at the next minute or as soon as something is
 * {@link DocumentPublisher.touch | touched}. Before it scores a series it lets retention prune
 * it; after scoring a symbol it lets escalation judge it.
 */
export class DocumentPublisher {
  /** Rung by {@link DocumentPublisher.touch}: wakes the loop that publishes. */
  readonly alarm = new Alarm();
  readonly #config: PipelineConfig;
  readonly #units: DocumentSources;
  /** Per series: the last `data_status` input (reused when nothing in it changed). */
  readonly #statuses = new TwoKeyMap<string, Timeframe, SeriesStatusInput>();
  /** Per document (name and symbol): the body last sent. */
  readonly #sent = new Map<string, object>();
  #publishedAt = Number.NEGATIVE_INFINITY;
  /** Whether the last build sent a document, or something was touched since: build again after one interval. */
  #changing = true;

  constructor(config: PipelineConfig, units: DocumentSources) {
    this.#config = config;
    this.#units = units;
  }

  /** Something the documents show changed (bars stored, an alert, a feed's state): build them again soon. */
  touch(): void {
    this.#changing = true;
    this.alarm.ring();
  }

  /**
   * When the documents should be built next (epoch ms): one interval after the last build while
   * they change, else at the next minute (the session's minutes and the freshness of 1m data
   * move with it).
   */
  nextAt(now: number): number {
    return this.#changing ? this.#publishedAt + this.#config.delivery.updateIntervalMs : bucketEnd(now, '1m');
  }

  /**
   * Builds the documents at `now` (epoch ms) and delivers those that changed, unless the last
   * build is younger than the update interval.
   */
  async publish(now: number, signal: AbortSignal | undefined): Promise<void> {
    if (now - this.#publishedAt < this.#config.delivery.updateIntervalMs) return;
    this.#publishedAt = now;
    this.#changing = false;
    const { alerts, issues, escalation, symbolDocuments, feed } = this.#units;
    const recentAlerts = alerts.recent(now);
    const session = currentSession(now);
    const statuses: Record<string, Partial<Record<Timeframe, SeriesStatusInput>>> = {};
    const qualities: Record<string, SymbolQualityInput> = {};
    const issues24h: QualityIssue[] = [];
    const documents: DocumentRecord[] = [];
    for (const symbol of this.#config.symbols) {
      // Taken before any await: bars a stream stores meanwhile mark the next documents.
      const changed = this.#units.quality.takeChanged(symbol);
      const symbolIssues = issues.recent(symbol, now);
      issues24h.push(...symbolIssues);
      const series: Partial<Record<Timeframe, SeriesStatusInput>> = {};
      const latest: Partial<Record<Timeframe, Ohlcv>> = {};
      const gaps = issues.gapsSince(symbol, bucketStart(now, '1D'));
      let base: { metrics: QualityMetrics; score: number } | undefined;
      for (const tf of this.#config.timeframes) {
        await this.#units.retention.maybePrune(symbol, tf, now);
        const state = await this.#state(symbol, tf, now, changed.has(tf), signal);
        if (state.latest !== undefined) latest[tf] = state.latest;
        if (tf === this.#config.baseTimeframe && state.metrics !== undefined && state.score !== undefined) {
          base = { metrics: state.metrics, score: state.score };
        }
        series[tf] = this.#status(symbol, tf, state, gaps?.get(tf) ?? 0);
      }
      statuses[symbol] = series;
      if (base !== undefined) qualities[symbol] = { score: base.score, ...base.metrics, issues: symbolIssues };
      escalation.evaluate(symbol, feed.state(symbol).kind === 'halted', base?.score, now);
      const latestOhlcv = await symbolDocuments.latestOhlcv(
        symbol,
        latest,
        changed,
        series[this.#config.baseTimeframe]?.barsToday ?? 0,
        now,
      );
      documents.push({ kind: 'document', name: 'latest_ohlcv', symbol, body: latestOhlcv });
      const context = await symbolDocuments.marketContext(symbol, session, changed, recentAlerts, alerts.sequence, now);
      documents.push({ kind: 'document', name: 'market_context', symbol, body: context });
    }
    issues24h.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    documents.unshift(
      { kind: 'document', name: 'data_status', body: buildDataStatus({ now, sources: this.#sources(now), symbols: statuses }) },
      {
        kind: 'document',
        name: 'quality_report',
        body: buildQualityReport({ now, symbols: qualities, issues24h, qualityBelow: this.#config.escalation.qualityBelow }),
      },
    );
    const changed = documents.filter((record) => this.#changed(record));
    if (changed.length === 0) return;
    this.#changing = true;
    if (this.#units.emitter.listened('document')) for (const record of changed) this.#units.emitter.emit('document', record);
    await this.#units.delivery.deliver(changed, signal);
  }

  /** Whether `record`'s content (its `updated_at` aside) differs from what last went out; remembers it. */
  #changed(record: DocumentRecord): boolean {
    const key = record.symbol === undefined ? record.name : `${record.name}\u0000${record.symbol}`;
    const sent = this.#sent.get(key);
    if (sent !== undefined && sameContent(sent, record.body)) return false;
    this.#sent.set(key, record.body);
    return true;
  }

  /** A series' state: at once when the quality unit can, else under the symbol's lock with a store read. */
  async #state(symbol: string, tf: Timeframe, now: number, changed: boolean, signal: AbortSignal | undefined): Promise<SeriesState> {
    const quality = this.#units.quality;
    const atOnce = quality.stateAtOnce(symbol, tf, now, changed);
    if (atOnce !== undefined) return atOnce;
    let state: SeriesState | undefined;
    await this.#units.exclusive(
      symbol,
      async () => {
        state = await quality.state(symbol, tf, now);
      },
      signal,
    );
    return state as SeriesState;
  }

  /** Each source's worst health over the symbols' feeds, as `data_status` reports it. */
  #sources(now: number): Record<string, SourceStatusInput> {
    const feed = this.#units.feed;
    const sources: Record<string, SourceStatusInput> = {};
    const feeds = [...feed.states()];
    for (const which of feed.configured) {
      const healths = feeds.map((state) => feedHealth(state, now, which));
      const worst = healths.find((h) => h.status === 'down') ?? healths.find((h) => h.status === 'degraded') ?? healths[0];
      const lastResponse = healths.reduce<number | null>(
        (a, h) => (h.lastResponseAt !== null && (a === null || h.lastResponseAt > a) ? h.lastResponseAt : a),
        null,
      );
      sources[feed.names[which]] = { status: worst?.status ?? 'healthy', lastResponse, latencyMs: worst?.latencyMs ?? null };
    }
    return sources;
  }

  /** A series' `data_status` input; the previous object when nothing in it changed (the document builder then reuses its entry). */
  #status(symbol: string, tf: Timeframe, state: SeriesState, gapsToday: number): SeriesStatusInput {
    const lastBar = state.latest?.timestamp ?? null;
    const qualityScore = state.score ?? null;
    const previous = this.#statuses.get(symbol, tf);
    if (
      previous?.lastBar === lastBar &&
      previous.qualityScore === qualityScore &&
      previous.barsToday === state.barsToday &&
      previous.gapsToday === gapsToday
    ) {
      return previous;
    }
    const status: SeriesStatusInput = { lastBar, qualityScore, barsToday: state.barsToday, gapsToday };
    this.#statuses.set(symbol, tf, status);
    return status;
  }
}
