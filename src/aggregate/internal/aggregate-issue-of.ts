import type { AggregateIssue, AggregateIssueCode } from '../aggregate-issue.js';

/** Builds an {@link AggregateIssue}; `path` is `[index]` for a row, `[]` otherwise. */
export function aggregateIssue(code: AggregateIssueCode, index: number, timestamp: number, message: string): AggregateIssue {
  return { code, path: index >= 0 ? [index] : [], index, timestamp, message };
}
