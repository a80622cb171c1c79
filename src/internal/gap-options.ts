/**
 * Option resolution and timeframe-grid helpers for `gaps/` and `preprocess/`.
 * Never exported from the package.
 */
import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { DEFAULT_GAP_STRATEGIES, GapStrategiesSchema, type GapStrategies } from '../schemas/config.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { FIRST_MONDAY_MS } from '../time/bucket-start.js';
import { FIXED_WIDTH_MS, TIMEFRAMES, type Timeframe } from '../time/timeframe.js';

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `defaults` with the partial `overrides` laid over it, validated by `schema`.
 * Throws `ConfigError` naming `label`, the path and the offending value.
 */
export function resolveSection<S extends z.ZodType>(schema: S, defaults: z.output<S>, overrides: unknown, label: string): z.output<S> {
  if (overrides === undefined) return defaults;
  if (!isPlainObject(overrides)) {
    throw new ConfigError(`Expected ${label} to be a plain object, got \`${describe(overrides)}\``, {
      path: [],
      value: overrides,
    });
  }
  const merged: unknown = { ...(defaults as Record<string, unknown>), ...overrides };
  const parsed = schema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const path = first?.path ?? [];
  const key = path[0];
  const value = key === undefined ? merged : (merged as Record<PropertyKey, unknown>)[key];
  throw new ConfigError(
    `Invalid ${label} at \`${path.map(String).join('.') || '(root)'}\`: ${first?.message ?? 'invalid'}, got \`${describe(value)}\``,
    { path, value, cause: parsed.error },
  );
}

/** Strategies already resolved, by the object they were resolved from (frozen, so they cannot change). */
const RESOLVED_STRATEGIES = new WeakMap<object, GapStrategies>();

/** Gap strategies after defaults and validation. */
export function resolveGapStrategies(overrides: Partial<GapStrategies> | undefined): GapStrategies {
  if (overrides === undefined || overrides === DEFAULT_GAP_STRATEGIES) return DEFAULT_GAP_STRATEGIES;
  const cached = RESOLVED_STRATEGIES.get(overrides);
  if (cached !== undefined) return cached;
  const resolved = Object.freeze(resolveSection(GapStrategiesSchema, DEFAULT_GAP_STRATEGIES, overrides, 'gap strategies'));
  // A result passed back in (a caller that resolved once) is not validated again, nor frozen overrides.
  RESOLVED_STRATEGIES.set(resolved, resolved);
  if (Object.isFrozen(overrides)) RESOLVED_STRATEGIES.set(overrides, resolved);
  return resolved;
}

/** Throws `ConfigError` unless `tf` is a canonical timeframe. */
export function checkTimeframe(tf: unknown): Timeframe {
  if (typeof tf !== 'string' || !(TIMEFRAMES as readonly string[]).includes(tf)) {
    throw new ConfigError(`Expected \`timeframe\` to be one of ${TIMEFRAMES.join(', ')}, got \`${describe(tf)}\``, {
      path: ['timeframe'],
      value: tf,
    });
  }
  return tf as Timeframe;
}

/** Throws `ConfigError` unless `calendar` is a function or undefined. */
export function checkCalendar(calendar: unknown): ((timestamp: number) => boolean) | undefined {
  if (calendar !== undefined && typeof calendar !== 'function') {
    throw new ConfigError(`Expected \`calendar\` to be a function, got \`${describe(calendar)}\``, {
      path: ['calendar'],
      value: calendar,
    });
  }
  return calendar as ((timestamp: number) => boolean) | undefined;
}

/**
 * A timeframe's grid: `width` (ms, 0 for the calendar month) and `origin` (ms) of the fixed
 * grids, and a stepping function that works for all.
 */
export interface Grid {
  readonly tf: Timeframe;
  /** Width in ms; 0 for `1M`. */
  readonly width: number;
  /** A grid point: `(t - origin) % width === 0`. */
  readonly origin: number;
  /** The next grid point after the grid point `t`. */
  readonly next: (t: number) => number;
  /** Whether `t` is a grid point. */
  readonly aligned: (t: number) => boolean;
  /** Grid points strictly between the grid points `a < b`. */
  readonly between: (a: number, b: number) => number;
}

const GRIDS = new Map<Timeframe, Grid>();

/** The grid of `tf` (one object per timeframe, made on first use). */
export function gridOf(tf: Timeframe): Grid {
  let grid = GRIDS.get(tf);
  if (grid === undefined) {
    grid = makeGrid(tf);
    GRIDS.set(tf, grid);
  }
  return grid;
}

function makeGrid(tf: Timeframe): Grid {
  if (tf === '1M') {
    return {
      tf,
      width: 0,
      origin: 0,
      next: (t) => bucketEnd(t, tf),
      aligned: (t) => Number.isFinite(t) && bucketStart(t, tf) === t,
      between: (a, b) => {
        let count = 0;
        for (let t = bucketEnd(a, tf); t < b; t = bucketEnd(t, tf)) count++;
        return count;
      },
    };
  }
  const width = FIXED_WIDTH_MS[tf];
  const origin = tf === '1W' ? FIRST_MONDAY_MS : 0;
  return {
    tf,
    width,
    origin,
    next: (t) => t + width,
    aligned: (t) => Number.isSafeInteger(t) && (t - origin) % width === 0,
    between: (a, b) => (b - a) / width - 1,
  };
}
