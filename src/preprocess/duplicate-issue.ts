import type { DataIssue } from '../errors/result.js';

/**
 * Which bar wins when bars share a timestamp but differ:
 * - `first`: the first received;
 * - `last`: the last received (a later answer corrects an earlier one);
 * - `merge`: one bar built from all of them, first open, max high, min low, last close, the
 *   largest volume (and that bar's `quoteVolume`, `trades`, `takerBuyVolume`, `count`).
 */
export type DuplicatePolicy = 'first' | 'last' | 'merge';

/** The trace of one bar that `dedupe` dropped or merged away. */
export interface DuplicateIssue extends DataIssue {
  /** `duplicate_identical`: same values as the kept bar; `duplicate_conflict`: different values. */
  readonly code: 'duplicate_identical' | 'duplicate_conflict';
  /** `[index, 'timestamp']`. */
  readonly path: readonly [number, 'timestamp'];
  /** Index in the input of the bar that is gone. */
  readonly index: number;
  /** Its timestamp (epoch ms). */
  readonly timestamp: number;
  /** Index in the input of the bar kept for this timestamp (for `merge`: the group's first bar). */
  readonly keptIndex: number;
  /** `dropped`, or `merged` into the kept bar (policy `merge`, conflicting values). */
  readonly resolution: 'dropped' | 'merged';
}
