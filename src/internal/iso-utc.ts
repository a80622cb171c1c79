/**
 * The last instants `isoUtc` wrote: documents write the same few times again and again (the
 * build time in every document, one bar time per timeframe shared by every symbol).
 */
const recent = new Map<number, string>();
const RECENT_LIMIT = 256;

/**
 * ISO-8601 UTC text of an epoch-ms instant, as the wire documents write it: seconds
 * precision when the milliseconds are zero (`2025-01-30T10:30:00Z`), otherwise with them.
 */
export function isoUtc(ms: number): string {
  let text = recent.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString().replace('.000Z', 'Z');
    if (recent.size >= RECENT_LIMIT) recent.clear();
    recent.set(ms, text);
  }
  return text;
}

/** The UTC calendar date (`YYYY-MM-DD`) of an epoch-ms instant. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * ISO-8601 text of an epoch-ms time for messages, always with milliseconds
 * (`2025-01-30T10:30:00.000Z`); a value no date can show (`NaN`, `±Infinity`, beyond ±8.64e15)
 * is written as the number itself instead of throwing.
 */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
