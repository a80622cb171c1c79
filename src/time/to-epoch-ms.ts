import type { DataIssue, Result } from '../errors/result.js';

/** Units a numeric timestamp can be given in: seconds, milliseconds, microseconds, nanoseconds. */
export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

/** Options of {@link toEpochMs}. */
export interface ToEpochMsOptions {
  /** The unit of numeric input. Omitted: detected by magnitude within the plausible years. */
  readonly unit?: TimeUnit;
  /**
   * Drop a sub-millisecond remainder instead of reporting it (µs/ns feeds such as tardis.dev).
   * @defaultValue false
   */
  readonly truncate?: boolean;
}

/** Earliest plausible timestamp: 1990-01-01T00:00:00Z, in epoch ms. */
export const MIN_PLAUSIBLE_MS = 631_152_000_000;
/** Latest plausible timestamp (exclusive): 2100-01-01T00:00:00Z, in epoch ms. */
export const MAX_PLAUSIBLE_MS = 4_102_444_800_000;

const MS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };
const UNITS_BY_SIZE: readonly TimeUnit[] = ['s', 'ms', 'us', 'ns'];

// Linear, anchored, no nested quantifiers: no catastrophic backtracking.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function issue(code: string, message: string): Result<number, DataIssue> {
  return { ok: false, issues: [{ code, path: [], message }] };
}

function checkMs(ms: number, truncate: boolean, shown: string): Result<number, DataIssue> {
  if (!Number.isFinite(ms)) return issue('not_a_timestamp', `Expected a finite timestamp, got \`${shown}\``);
  const whole = Math.floor(ms);
  if (whole !== ms && !truncate) {
    return issue('fractional_ms', `Timestamp \`${shown}\` has a sub-millisecond part (${ms} ms); pass \`truncate: true\` to drop it`);
  }
  if (whole < MIN_PLAUSIBLE_MS || whole >= MAX_PLAUSIBLE_MS) {
    return issue('implausible_timestamp', `Timestamp \`${shown}\` is ${whole} ms, outside 1990–2100`);
  }
  return { ok: true, value: whole === 0 ? 0 : whole };
}

/** Half a unit in the last place of `x`: how far a double may sit from the real number it stands for. */
function halfUlp(x: number): number {
  return x === 0 ? 0 : 2 ** (Math.floor(Math.log2(Math.abs(x))) - 53);
}

/**
 * `value * scale`, snapped to the nearest integer when it is within the rounding error of the
 * double arithmetic. A nanosecond count above 2^53 is itself rounded to a multiple of 256 ns,
 * so `1600000000017000000` would otherwise read as 1600000000016.9998 ms (and truncate to the
 * wrong millisecond). A real sub-millisecond part is far larger than this tolerance.
 */
function scaleToMs(value: number, scale: number): number {
  const ms = value * scale;
  if (scale === 1) return ms;
  const nearest = Math.round(ms);
  return Math.abs(ms - nearest) <= 2 * (halfUlp(value) * scale + halfUlp(ms)) ? nearest : ms;
}

function fromNumber(value: number, options: ToEpochMsOptions): Result<number, DataIssue> {
  const truncate = options.truncate ?? false;
  if (!Number.isFinite(value)) return issue('not_a_timestamp', `Expected a finite timestamp, got \`${value}\``);
  if (options.unit !== undefined) return checkMs(scaleToMs(value, MS_PER_UNIT[options.unit]), truncate, String(value));
  const magnitude = Math.abs(value);
  for (const unit of UNITS_BY_SIZE) {
    const scale = MS_PER_UNIT[unit];
    // The plausible ranges of the four units do not overlap, so at most one matches.
    if (magnitude >= MIN_PLAUSIBLE_MS / scale && magnitude < MAX_PLAUSIBLE_MS / scale) {
      return checkMs(scaleToMs(value, scale), truncate, String(value));
    }
  }
  return issue('ambiguous_unit', `Cannot tell the unit of \`${value}\`: in s, ms, µs or ns it is outside 1990–2100; state \`unit\``);
}

function fromBigInt(value: bigint, options: ToEpochMsOptions): Result<number, DataIssue> {
  const unit = options.unit ?? 'ns';
  const perMs = { s: 0n, ms: 1n, us: 1000n, ns: 1_000_000n }[unit];
  if (perMs === 0n) return checkMs(Number(value) * 1000, options.truncate ?? false, `${value}n`);
  const whole = value / perMs;
  const remainder = value % perMs;
  if (remainder !== 0n && !(options.truncate ?? false)) {
    return issue('fractional_ms', `Timestamp \`${value}n\` (${unit}) has a sub-millisecond part; pass \`truncate: true\` to drop it`);
  }
  // Floor towards -infinity for negative values, as for numbers.
  const floored = remainder < 0n ? whole - 1n : whole;
  return checkMs(Number(floored), true, `${value}n`);
}

function fromString(text: string, options: ToEpochMsOptions): Result<number, DataIssue> {
  const trimmed = text.trim();
  const match = ISO.exec(trimmed);
  if (match === null) {
    if (/^-?\d+(\.\d+)?$/.test(trimmed)) return fromNumber(Number(trimmed), options);
    return issue('invalid_date', `Expected an ISO-8601 date or a numeric timestamp, got \`${text}\``);
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const base = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(base);
  if (
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    return issue('invalid_date', `\`${text}\` is not a real calendar date and time`);
  }
  let offsetMs = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return issue('invalid_date', `\`${text}\` has an impossible UTC offset`);
    offsetMs = sign * (oh * 60 + om) * 60_000;
  }
  const fractionMs = frac === '' ? 0 : Number(`0.${frac}`) * 1000;
  return checkMs(base - offsetMs + fractionMs, options.truncate ?? false, text);
}

/**
 * Converts a timestamp in any common form to integer epoch milliseconds, UTC.
 *
 * - numbers in s, ms, µs or ns: the stated `unit`, or detected by magnitude (the plausible
 *   ranges of the four units, 1990–2100, do not overlap);
 * - `bigint`: nanoseconds unless `unit` says otherwise;
 * - ISO-8601 strings (`2025-01-30T10:30:00Z`, `2025-01-30 10:30:00.123+00:00`, `2025-01-30`);
 *   a string without a zone is read as UTC, as this library's data model is UTC;
 * - `Date` objects.
 *
 * Never throws: a year before 1990 or from 2100, a sub-millisecond part (unless `truncate`),
 * an unknown unit or an unparseable string is an issue.
 *
 * @returns Integer epoch milliseconds, or issues with codes `not_a_timestamp`,
 *   `ambiguous_unit`, `fractional_ms`, `implausible_timestamp` or `invalid_date`.
 *
 * @example
 * ```ts
 * toEpochMs(1738233000)               // { ok: true, value: 1738233000000 } (seconds detected)
 * toEpochMs(1735689600000000)         // { ok: true, value: 1735689600000 } (µs detected)
 * toEpochMs('2025-01-30T10:30:00Z')   // { ok: true, value: 1738233000000 }
 * toEpochMs(42)                       // { ok: false, issues: [{ code: 'ambiguous_unit', … }] }
 * ```
 */
export function toEpochMs(value: unknown, options: ToEpochMsOptions = {}): Result<number, DataIssue> {
  if (typeof value === 'number') return fromNumber(value, options);
  if (typeof value === 'bigint') return fromBigInt(value, options);
  if (typeof value === 'string') return fromString(value, options);
  if (value instanceof Date) return checkMs(value.getTime(), options.truncate ?? false, String(value));
  return issue('not_a_timestamp', `Expected a number, bigint, string or Date, got ${value === null ? 'null' : typeof value}`);
}
