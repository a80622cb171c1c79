import type { Alert, Pipeline, RevisedBar, Timeframe } from 'market-data-pipeline';
import type { ReportFailover, ReportGap, ReportInput, ReportQuality } from './report-input.js';

/**
 * Collects what a {@link Pipeline} delivers, from its events, into a {@link ReportInput}: the
 * closed bars (`bar`, keeping the highest `revision` per open time), the gap reports (`gap`),
 * the feed moves (`failover`), the quality score of every series in each `data_status` document
 * (`document`, timed at its `updated_at`; unlike the `quality` event, which comes only when a
 * series gets bars, the document's score also falls while a feed brings none) and the alerts (`alert`).
 * Subscribe before the pipeline runs; {@link ReportRecorder.stop} unsubscribes.
 *
 * @example
 * ```ts
 * const recorder = new ReportRecorder(pipeline);
 * await pipeline.runOnce();
 * await writeReport('state/report.html', recorder.input('my run'));
 * ```
 */
export class ReportRecorder {
  readonly #bars = new Map<string, { symbol: string; timeframe: Timeframe; bars: Map<number, RevisedBar> }>();
  readonly #gaps: ReportGap[] = [];
  readonly #failovers: ReportFailover[] = [];
  readonly #quality: ReportQuality[] = [];
  readonly #alerts: Alert[] = [];
  readonly #unsubscribe: readonly (() => void)[];

  /** @param pipeline - The pipeline to listen to. */
  constructor(pipeline: Pipeline) {
    this.#unsubscribe = [
      pipeline.on('bar', ({ symbol, timeframe, bar }) => {
        const key = `${symbol} ${timeframe}`;
        const series = this.#bars.get(key) ?? { symbol, timeframe, bars: new Map<number, RevisedBar>() };
        const seen = series.bars.get(bar.timestamp);
        if (seen === undefined || seen.revision <= bar.revision) series.bars.set(bar.timestamp, bar);
        this.#bars.set(key, series);
      }),
      pipeline.on('gap', (event) => {
        this.#gaps.push(event);
      }),
      pipeline.on('failover', (event) => {
        this.#failovers.push(event);
      }),
      pipeline.on('document', (record) => {
        if (record.name !== 'data_status') return;
        const at = Date.parse(record.body.updated_at);
        for (const [symbol, { timeframes }] of Object.entries(record.body.symbols)) {
          for (const [timeframe, status] of Object.entries(timeframes)) {
            if (status.quality_score !== null)
              this.#quality.push({ symbol, timeframe: timeframe as Timeframe, at, score: status.quality_score });
          }
        }
      }),
      pipeline.on('alert', (alert) => {
        this.#alerts.push(alert);
      }),
    ];
  }

  /** Stops listening; what was collected stays. */
  stop(): void {
    for (const off of this.#unsubscribe) off();
  }

  /**
   * What was collected so far, as a report's input (copies: later events do not change it).
   *
   * @param title - The page title.
   */
  input(title: string): ReportInput {
    return {
      title,
      series: [...this.#bars.values()].map(({ symbol, timeframe, bars }) => ({
        symbol,
        timeframe,
        bars: [...bars.values()].sort((a, b) => a.timestamp - b.timestamp),
      })),
      gaps: [...this.#gaps],
      failovers: [...this.#failovers],
      quality: [...this.#quality],
      alerts: [...this.#alerts],
    };
  }
}
