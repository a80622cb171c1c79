/**
 * The option checks and the value printer shared by the modules: timeframes, finite numbers,
 * restart indices, calendars, gap strategies and config sections merged over their defaults. Never exported from the package.
 */
import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { DEFAULT_GAP_STRATEGIES, GapStrategiesSchema, type GapStrategies } from '../schemas/config.js';
import { TIMEFRAMES } from '../time/timeframe.js';
import { parseTimeframe } from '../time/parse-timeframe.js';
import type { Timeframe } from '../time/timeframe.js';

/**
 * How a value is shown in a message, short: strings quoted (JSON), numbers, booleans, `null`,
 * `undefined` and bigints (`5n`) as written, arrays and objects only by kind (`an array`,
 * `an object`: a row may be large), anything else by its type.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return typeof value;
}

/**
 * How a value is shown in a `ConfigError` message: like {@link showValue}, except that arrays
 * and objects are shown as JSON (an option is small, and its content is what is wrong).
 */
export function describeOption(value: unknown): string {
  if (typeof value !== 'object' || value === null) return showValue(value);
  try {
    return JSON.stringify(value);
  } catch {
    return showValue(value);
  }
}

/**
 * The timeframe check of every public function that takes a timeframe: the canonical timeframe
 * named by `value`, in any spelling `parseTimeframe` accepts (`1H`, `1h`, `60m`, …); throws
 * `ConfigError` at `path` otherwise, with one message for every entry point.
 *
 * @example
 * ```ts
 * requireTimeframe('60m', ['timeframe']) // '1H'
 * requireTimeframe('7x', ['timeframe'])  // throws: Expected `timeframe` to be a timeframe such as 1m, …, 1M (or 1h, 4h, 1d, 1w), got `"7x"`
 * ```
 */
export function requireTimeframe(value: unknown, path: readonly PropertyKey[]): Timeframe {
  const parsed = typeof value === 'string' ? parseTimeframe(value) : undefined;
  if (parsed?.ok === true) return parsed.value;
  throw new ConfigError(
    `Expected \`${path.map(String).join('.')}\` to be a timeframe such as ${TIMEFRAMES.join(', ')} (or 1h, 4h, 1d, 1w), got \`${describeOption(value)}\``,
    { path, value },
  );
}

/** `value` when it is a finite number; throws `ConfigError` otherwise. */
export function requireFinite(value: unknown, path: readonly PropertyKey[]): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new ConfigError(`Expected \`${path.map(String).join('.')}\` to be a finite number (epoch ms), got \`${describeOption(value)}\``, {
    path,
    value,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sections already resolved from a frozen overrides object (frozen objects cannot change). */
const resolvedFrozen = new WeakMap<object, WeakMap<object, unknown>>();

/**
 * A config section: `defaults` with `overrides` merged in (nested plain objects such as
 * per-timeframe records merge one level deep, everything else replaces), validated by
 * `schema`. Without overrides the defaults are returned as they are (they are valid).
 * Throws `ConfigError` naming the path (under `prefix`) and the offending value.
 */
export function resolveSection<T extends object>(schema: z.ZodType<T>, defaults: T, overrides: unknown, prefix: readonly PropertyKey[]): T {
  if (overrides === undefined || overrides === defaults) return defaults;
  const cached = typeof overrides === 'object' && overrides !== null ? resolvedFrozen.get(overrides)?.get(schema) : undefined;
  if (cached !== undefined) return cached as T;
  if (!isPlainObject(overrides)) {
    throw new ConfigError(
      `Expected \`${prefix.map(String).join('.') || 'config'}\` to be a plain object, got \`${describeOption(overrides)}\``,
      { path: prefix, value: overrides },
    );
  }
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of Object.keys(overrides)) {
    const base = merged[key];
    const override = overrides[key];
    merged[key] = isPlainObject(base) && isPlainObject(override) ? { ...base, ...override } : override;
  }
  const parsed = schema.safeParse(merged);
  if (parsed.success) {
    // Frozen, so that a resolved section passed back in (a check calling another) is cached too.
    const resolved = Object.freeze(parsed.data);
    if (Object.isFrozen(overrides)) {
      let bySchema = resolvedFrozen.get(overrides);
      if (bySchema === undefined) resolvedFrozen.set(overrides, (bySchema = new WeakMap()));
      bySchema.set(schema, resolved);
    }
    return resolved;
  }
  const issue = parsed.error.issues[0];
  const path = [...prefix, ...(issue?.path ?? [])];
  let value: unknown = merged;
  for (const key of issue?.path ?? []) {
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  throw new ConfigError(
    `Invalid option at \`${path.map(String).join('.')}\`: ${issue?.message ?? 'invalid'}, got \`${describeOption(value)}\``,
    { path, value, cause: parsed.error },
  );
}

/**
 * The restart indices that matter for a series of `length` bars, sorted ascending and unique
 * (only 1 … length − 1). Throws `ConfigError` when `breaks` is not an array-like of indices or an
 * entry is not a non-negative integer.
 */
export function resolveBreaks(breaks: ArrayLike<number> | undefined, length: number): Int32Array {
  if (breaks === undefined) return EMPTY;
  const count: unknown = typeof breaks === 'object' && breaks !== null ? breaks.length : undefined;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new ConfigError(`Expected \`breaks\` to be an array of bar indices, got \`${describeOption(breaks)}\``, {
      path: ['breaks'],
      value: breaks,
    });
  }
  if (count === 0) return EMPTY;
  const kept: number[] = [];
  for (let k = 0; k < breaks.length; k++) {
    const index = breaks[k];
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
      throw new ConfigError(`Expected \`breaks[${k}]\` to be a non-negative integer, got \`${String(index)}\``, {
        path: ['breaks', k],
        value: index,
      });
    }
    if (index > 0 && index < length) kept.push(index);
  }
  kept.sort((a, b) => a - b);
  const out = new Int32Array(kept.length);
  let n = 0;
  for (const index of kept) {
    if (n === 0 || out[n - 1] !== index) out[n++] = index;
  }
  return out.subarray(0, n);
}

const EMPTY = new Int32Array(0);

/** Strategies already resolved, by the object they were resolved from (frozen, so they cannot change). */
const RESOLVED_STRATEGIES = new WeakMap<object, GapStrategies>();

/** Gap strategies after defaults and validation. */
export function resolveGapStrategies(overrides: Partial<GapStrategies> | undefined): GapStrategies {
  if (overrides === undefined || overrides === DEFAULT_GAP_STRATEGIES) return DEFAULT_GAP_STRATEGIES;
  const cached = RESOLVED_STRATEGIES.get(overrides);
  if (cached !== undefined) return cached;
  const resolved = Object.freeze(resolveSection(GapStrategiesSchema, DEFAULT_GAP_STRATEGIES, overrides, []));
  // A result passed back in (a caller that resolved once) is not validated again, nor frozen overrides.
  RESOLVED_STRATEGIES.set(resolved, resolved);
  if (Object.isFrozen(overrides)) RESOLVED_STRATEGIES.set(overrides, resolved);
  return resolved;
}

/** Throws `ConfigError` unless `calendar` is a function or undefined. */
export function checkCalendar(calendar: unknown): ((timestamp: number) => boolean) | undefined {
  if (calendar !== undefined && typeof calendar !== 'function') {
    throw new ConfigError(`Expected \`calendar\` to be a function, got \`${describeOption(calendar)}\``, {
      path: ['calendar'],
      value: calendar,
    });
  }
  return calendar as ((timestamp: number) => boolean) | undefined;
}
