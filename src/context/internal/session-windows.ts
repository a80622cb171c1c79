/**
 * Recurring local-time windows (trading sessions, killzones) evaluated in their own IANA time
 * zones. Never exported from the package.
 *
 * A window is open while the wall clock of its zone reads a time in `[start, end)` on a day it
 * opens; its opening instant is the real instant of `start` on that local date, so minutes
 * elapsed across a daylight-saving change are real minutes. (A window whose start or end falls
 * inside the hour an autumn change repeats follows the wall clock through both passes of that
 * hour; none of the defaults does.)
 */
import { tzOffset } from '@date-fns/tz/tzOffset';
import { ConfigError } from '../../errors/config-error.js';
import { DAY_MS, MINUTE_MS } from '../../time/timeframe.js';

/** A window after checks: minutes of the local day and a bitmask of ISO weekdays. */
export interface ParsedWindow {
  readonly name: string;
  readonly timeZone: string;
  /** Local opening minute, 0 … 1439. */
  readonly start: number;
  /** Local closing minute (exclusive), 1 … 1440; `end <= start` crosses local midnight. */
  readonly end: number;
  /** Bit `d` set when the window opens on ISO weekday `d` (1 = Monday … 7 = Sunday). */
  readonly days: number;
}

/** An open window at some instant. */
export interface OpenWindow {
  readonly name: string;
  /** Position in the list it came from. */
  readonly index: number;
  /** Epoch ms of this occurrence's opening. */
  readonly open: number;
  /** Time zone of the window. */
  readonly timeZone: string;
  /** Local wall time (ms since the epoch, as if UTC) of this occurrence's closing; see {@link instantOf}. */
  readonly closeWall: number;
}

/**
 * UTC offsets already looked up, keyed by zone and instant. One per evaluation: `Intl` look-ups
 * are the cost of this module, and sessions and killzones share zones and opening times.
 */
export type OffsetCache = Map<string, number>;

/** Monday to Friday as a bitmask of ISO weekdays. */
export const WEEKDAYS_MASK = 0b0111110;

const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

function fail(path: readonly PropertyKey[], expected: string, value: unknown): never {
  throw new ConfigError(`Expected \`${path.map(String).join('.')}\` to be ${expected}, got \`${String(value)}\``, {
    path,
    value,
  });
}

function parseTime(value: unknown, path: readonly PropertyKey[], allow24: boolean): number {
  const match = typeof value === 'string' ? TIME_RE.exec(value) : null;
  if (match === null || (!allow24 && match[3] !== undefined)) {
    fail(path, allow24 ? "a local time 'HH:mm' from '00:00' to '24:00'" : "a local time 'HH:mm' from '00:00' to '23:59'", value);
  }
  return Number(match[1] ?? match[3]) * 60 + Number(match[2] ?? match[4]);
}

function parseDays(value: unknown, path: readonly PropertyKey[]): number {
  if (value === undefined) return WEEKDAYS_MASK;
  if (!Array.isArray(value) || value.length === 0) fail(path, 'a non-empty array of ISO weekdays (1 = Monday … 7 = Sunday)', value);
  let mask = 0;
  value.forEach((day: unknown, k) => {
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > 7) {
      fail([...path, k], 'an ISO weekday from 1 (Monday) to 7 (Sunday)', day);
    }
    mask |= 1 << day;
  });
  return mask;
}

/** Whether `timeZone` is a zone `@date-fns/tz` understands (an IANA name or a UTC offset). */
function isTimeZone(timeZone: unknown): timeZone is string {
  return typeof timeZone === 'string' && timeZone !== '' && !Number.isNaN(tzOffset(timeZone, new Date(0)));
}

/**
 * Checks a list of windows and converts it; `names`, when given, are the only names allowed. Throws `ConfigError` naming the path (e.g.
 * `sessions.1.start`) and the offending value.
 */
export function parseWindows(windows: unknown, path: string, names?: readonly string[]): readonly ParsedWindow[] {
  if (!Array.isArray(windows)) fail([path], 'an array of windows', windows);
  return windows.map((window: unknown, i): ParsedWindow => {
    if (typeof window !== 'object' || window === null) fail([path, i], 'an object', window);
    const w = window as Record<string, unknown>;
    if (typeof w['name'] !== 'string' || w['name'] === '') fail([path, i, 'name'], 'a non-empty string', w['name']);
    if (names !== undefined && !names.includes(w['name'])) fail([path, i, 'name'], `one of ${names.join(', ')}`, w['name']);
    if (!isTimeZone(w['timeZone'])) fail([path, i, 'timeZone'], 'an IANA time zone such as `Europe/London`', w['timeZone']);
    const start = parseTime(w['start'], [path, i, 'start'], false);
    const end = parseTime(w['end'], [path, i, 'end'], true);
    if (start === end) fail([path, i, 'end'], `different from \`start\` (${String(w['start'])})`, w['end']);
    return { name: w['name'], timeZone: w['timeZone'], start, end, days: parseDays(w['days'], [path, i, 'days']) };
  });
}

/** UTC offset of `timeZone` at `instant`, in ms (positive east of Greenwich). */
function offsetMs(timeZone: string, instant: number, cache: OffsetCache): number {
  const key = `${timeZone} ${instant}`;
  let offset = cache.get(key);
  if (offset === undefined) {
    offset = tzOffset(timeZone, new Date(instant)) * MINUTE_MS;
    cache.set(key, offset);
  }
  return offset;
}

/**
 * The instant at which the wall clock of `timeZone` reads `wall` (local ms since the epoch).
 * An ambiguous wall time (clocks going back) resolves to its earlier instant; a wall time that
 * does not exist (clocks going forward) resolves to the instant of the jump, the first instant
 * whose wall time is after it (so a window opening in the skipped hour opens when the clocks
 * jump, and minutes into it are never negative).
 */
export function instantOf(timeZone: string, wall: number, cache: OffsetCache): number {
  const before = offsetMs(timeZone, wall - DAY_MS, cache);
  const after = offsetMs(timeZone, wall + DAY_MS, cache);
  if (before === after) return wall - before;
  const early = wall - before;
  const late = wall - after;
  const earlyValid = offsetMs(timeZone, early, cache) === before;
  const lateValid = offsetMs(timeZone, late, cache) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  // Skipped: the offset is `before` at `late` and `after` at `early`; find the jump to the minute.
  let lo = late;
  let hi = early;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetMs(timeZone, mid, cache) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Every window open at `now`, earliest opening first (ties keep list order).
 */
export function openWindows(windows: readonly ParsedWindow[], now: number, cache: OffsetCache): OpenWindow[] {
  const open: OpenWindow[] = [];
  windows.forEach((w, index) => {
    const wall = now + offsetMs(w.timeZone, now, cache);
    const localDay = Math.floor(wall / DAY_MS);
    const minute = Math.floor((wall - localDay * DAY_MS) / MINUTE_MS);
    const crosses = w.end <= w.start;
    let openDay: number;
    if (!crosses) {
      if (minute < w.start || minute >= w.end) return;
      openDay = localDay;
    } else if (minute >= w.start) {
      openDay = localDay;
    } else if (minute < w.end) {
      openDay = localDay - 1;
    } else {
      return;
    }
    // 1970-01-01 (local day 0) was a Thursday, ISO weekday 4.
    const isoWeekday = ((((openDay + 3) % 7) + 7) % 7) + 1;
    if ((w.days & (1 << isoWeekday)) === 0) return;
    const openWall = openDay * DAY_MS + w.start * MINUTE_MS;
    const closeWall = (crosses ? openDay + 1 : openDay) * DAY_MS + w.end * MINUTE_MS;
    open.push({
      name: w.name,
      index,
      open: instantOf(w.timeZone, openWall, cache),
      timeZone: w.timeZone,
      closeWall,
    });
  });
  return open.sort((a, b) => a.open - b.open || a.index - b.index);
}

/** The window that opened last (ties: the earlier in its list), or `undefined`. */
export function latestOpened(open: readonly OpenWindow[]): OpenWindow | undefined {
  let best: OpenWindow | undefined;
  for (const w of open) if (best === undefined || w.open > best.open) best = w;
  return best;
}
