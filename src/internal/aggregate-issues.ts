import type { AggregateIssue, AggregateIssueCode } from '../aggregate/aggregate-issue.js';

/** Builds an {@link AggregateIssue}; `path` is `[index]` for a row, `[]` otherwise. */
export function aggregateIssue(code: AggregateIssueCode, index: number, timestamp: number, message: string): AggregateIssue {
  return { code, path: index >= 0 ? [index] : [], index, timestamp, message };
}

/** ISO-8601 text of an epoch-ms timestamp for messages (`NaN` and non-finite values as given). */
export function isoTime(timestamp: number): string {
  return Number.isFinite(timestamp) && Math.abs(timestamp) <= 8.64e15 ? new Date(timestamp).toISOString() : String(timestamp);
}
