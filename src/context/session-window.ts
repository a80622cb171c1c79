/**
 * A window of the day that recurs in its own time zone: a trading session or a killzone.
 *
 * Times are wall-clock times of `timeZone`: the window is open while that zone's clock reads a
 * time in `[start, end)`, so it follows the zone's daylight-saving changes — London's 08:00 is
 * 08:00 UTC in winter and 07:00 UTC in summer. Minutes into a window are real elapsed minutes
 * from its opening. An opening time skipped by a spring-forward change opens the window at the
 * jump; one repeated by an autumn change counts from its first occurrence, and during the
 * repeated hour the window follows the clock through both passes (avoid starting or ending a
 * window inside that hour; no default does).
 *
 * @typeParam N - the names the window may carry.
 *
 * @example
 * ```ts
 * const london: SessionWindow<'london'> = { name: 'london', timeZone: 'Europe/London', start: '08:00', end: '17:00' };
 * ```
 */
export interface SessionWindow<N extends string = string> {
  /** Name reported while the window is open (for sessions, the wire document's session name). */
  readonly name: N;
  /** IANA time zone whose wall clock `start` and `end` are read on, e.g. `'America/New_York'`. */
  readonly timeZone: string;
  /** Local opening time, `'HH:mm'` from `'00:00'` to `'23:59'`; the window includes it. */
  readonly start: string;
  /**
   * Local closing time, `'HH:mm'` from `'00:00'` to `'24:00'`; the window excludes it. A time at
   * or before `start` (but not equal to it) closes on the next local day, so `'22:00'`–`'06:00'`
   * spans midnight.
   */
  readonly end: string;
  /**
   * ISO weekdays (1 = Monday … 7 = Sunday) on which the window opens, judged by the local date of
   * its opening in `timeZone`. Pass all seven for markets that trade every day.
   *
   * @defaultValue `[1, 2, 3, 4, 5]` (Monday to Friday: the days the cash and currency markets
   * of these centres trade)
   */
  readonly days?: readonly number[];
}
