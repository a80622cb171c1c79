import type { QualityIssue } from '../../schemas/quality-report-schema.js';
import { DAY_MS, type Timeframe } from '../../time/timeframe.js';

/**
 * Owns the quality issues of each symbol (refused rows, duplicates, gaps, conflicting sources)
 * in their wire form, for the quality report and the `gaps_today` counts. Issues older than 24
 * hours are forgotten when read; the checkpoint keeps the rest.
 */
export class IssueLog {
  readonly #issues = new Map<string, QualityIssue[]>();

  /** Records an issue of `symbol`. */
  note(symbol: string, issue: QualityIssue): void {
    const issues = this.#issues.get(symbol);
    if (issues === undefined) this.#issues.set(symbol, [issue]);
    else issues.push(issue);
  }

  /** The issues of `symbol` stamped in the 24 hours before `now`, oldest recorded first. */
  recent(symbol: string, now: number): readonly QualityIssue[] {
    const issues = this.#issues.get(symbol);
    if (issues === undefined || issues.length === 0) return [];
    const dayAgo = now - DAY_MS;
    const kept = issues.filter((issue) => Date.parse(issue.timestamp) >= dayAgo);
    this.#issues.set(symbol, kept);
    return kept;
  }

  /** Gaps detected per timeframe among the issues of `symbol` stamped at or after `since` (epoch ms); `undefined` when none. */
  gapsSince(symbol: string, since: number): Map<Timeframe, number> | undefined {
    let gaps: Map<Timeframe, number> | undefined;
    for (const issue of this.#issues.get(symbol) ?? []) {
      if (issue.type !== 'gap_detected' || issue.timeframe === undefined || Date.parse(issue.timestamp) < since) continue;
      gaps ??= new Map();
      gaps.set(issue.timeframe, (gaps.get(issue.timeframe) ?? 0) + 1);
    }
    return gaps;
  }

  /** The issues of `symbol` for a checkpoint (a copy). */
  toJSON(symbol: string): QualityIssue[] {
    return [...(this.#issues.get(symbol) ?? [])];
  }

  /** Puts a checkpoint's issues of `symbol` back. */
  restore(symbol: string, issues: readonly QualityIssue[]): void {
    this.#issues.set(symbol, [...issues]);
  }
}
