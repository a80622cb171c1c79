import { z } from 'zod';

/**
 * An ISO-8601 UTC timestamp as the wire documents write it: `YYYY-MM-DDTHH:mm:ss`, an
 * optional fraction of a second, and a literal `Z` (no offsets, no local times). The date
 * must exist (`2025-02-30T…` is refused).
 *
 * @example
 * ```ts
 * IsoTimestampSchema.safeParse('2025-01-30T10:30:00Z').success      // true
 * IsoTimestampSchema.safeParse('2025-01-30T10:30:00+01:00').success // false
 * ```
 */
export const IsoTimestampSchema = z.iso.datetime();

/**
 * A calendar date `YYYY-MM-DD` (UTC), as in a quality report's `report_date` or a data
 * request's `start_date`. The date must exist.
 *
 * @example
 * ```ts
 * IsoDateSchema.safeParse('2024-02-29').success // true
 * IsoDateSchema.safeParse('2025-02-29').success // false
 * ```
 */
export const IsoDateSchema = z.iso.date();
