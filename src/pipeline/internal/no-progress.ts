import { SourceError } from '../../errors/source-error.js';
import { isoUtc } from '../../internal/iso-utc.js';

/**
 * The failure of a page that brought no valid bar at or after `since`, the first bar it asked
 * for: the source ignores what it is asked (it would be asked the same again for ever). A
 * `bad_data` failure, on the failover ladder like any other.
 */
export function noProgress(source: string, since: number): SourceError {
  return new SourceError(
    `${source} answered no valid bar at or after ${isoUtc(since)}, the bar it was asked for: the page made no progress`,
    {
      kind: 'bad_data',
      source,
    },
  );
}
