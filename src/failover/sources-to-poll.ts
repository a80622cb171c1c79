import type { FeedSource, FeedState } from './feed-state.js';

/**
 * Which sources to ask for bars in a feed state, in the order to ask them — the ladder's own
 * answer to "where does the data come from now":
 *
 * - `healthy`, `retrying`: the primary (a retry is a request to the primary);
 * - `detected`: none — the retry is due at `retryAt`, and asking earlier would defeat the wait;
 * - `on_backup`: the backup serves, and the primary is asked too, so it can prove itself;
 * - `cached`, `halted`: both, primary first: whichever answers first ends the outage.
 *
 * A source the caller does not have (no backup) is simply skipped by the caller.
 *
 * @example
 * ```ts
 * sourcesToPoll(initialFeedState()) // ['primary']
 * ```
 */
export function sourcesToPoll(state: FeedState): readonly FeedSource[] {
  switch (state.kind) {
    case 'healthy':
    case 'retrying':
      return PRIMARY;
    case 'detected':
      return NONE;
    case 'on_backup':
      return BACKUP_FIRST;
    case 'cached':
    case 'halted':
      return PRIMARY_FIRST;
  }
}

const PRIMARY: readonly FeedSource[] = Object.freeze(['primary']);
const NONE: readonly FeedSource[] = Object.freeze([]);
const BACKUP_FIRST: readonly FeedSource[] = Object.freeze(['backup', 'primary']);
const PRIMARY_FIRST: readonly FeedSource[] = Object.freeze(['primary', 'backup']);
