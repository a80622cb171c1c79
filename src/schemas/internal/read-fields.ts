/**
 * Field readers shared by `parseOhlcv`, `parseTicks` and `parseOrderBook`. Each reader
 * returns the value, or `undefined` after pushing one issue at `[...base, field]`.
 * Never throws; never writes to the input.
 */
import type { DataIssue } from '../../errors/result.js';
import { toEpochMs, type TimeUnit } from '../../time/to-epoch-ms.js';

/** A plain decimal or scientific number: no hex, no blanks, no empty string (`Number('')` is 0). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** What every reader needs: where issues go and how lenient to be. */
export interface FieldContext {
  readonly issues: DataIssue[];
  /** Accept decimal strings and bigints for numbers. */
  readonly coerce: boolean;
  readonly unit: TimeUnit | undefined;
  readonly truncate: boolean;
}

/** How a value is named in an issue message (short, never the whole object). */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined (missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (Object.is(value, -0)) return '-0';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a value of type ${typeof value}`;
}

/** Formats a path for a message: `[3, 'bids', 0, 'price']` → `3.bids.0.price`. */
function showPath(path: readonly (string | number)[]): string {
  return path.join('.');
}

/** Pushes one issue. */
export function pushIssue(ctx: FieldContext, path: (string | number)[], code: string, message: string): void {
  ctx.issues.push({ code, path, message: `\`${showPath(path)}\`: ${message}` });
}

/** A finite number (`-0` becomes `0`); decimal strings and bigints only with `coerce`. */
export function readNumber(value: unknown, ctx: FieldContext, path: (string | number)[]): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (ctx.coerce && typeof value === 'string') {
    if (!DECIMAL.test(value)) {
      pushIssue(ctx, path, 'invalid_number', `expected a decimal number, got ${showValue(value)}`);
      return undefined;
    }
    n = Number(value);
  } else if (ctx.coerce && typeof value === 'bigint') n = Number(value);
  else {
    const hint = typeof value === 'string' && DECIMAL.test(value) ? ' (a numeric string: pass `coerce: true` to accept it)' : '';
    pushIssue(ctx, path, 'invalid_type', `expected a number, got ${showValue(value)}${hint}`);
    return undefined;
  }
  if (n - n !== 0) {
    pushIssue(ctx, path, 'not_finite', `expected a finite number, got ${showValue(value)}`);
    return undefined;
  }
  return n + 0;
}

/** A non-negative safe integer (a count, a trade number). */
export function readCount(value: unknown, ctx: FieldContext, path: (string | number)[]): number | undefined {
  const n = readNumber(value, ctx, path);
  if (n === undefined) return undefined;
  if (!Number.isSafeInteger(n) || n < 0) {
    pushIssue(ctx, path, 'invalid_value', `expected a non-negative integer, got ${showValue(value)}`);
    return undefined;
  }
  return n;
}

/** A safe integer (an identifier). */
export function readInteger(value: unknown, ctx: FieldContext, path: (string | number)[]): number | undefined {
  const n = readNumber(value, ctx, path);
  if (n === undefined) return undefined;
  if (!Number.isSafeInteger(n)) {
    pushIssue(ctx, path, 'invalid_value', `expected a safe integer, got ${showValue(value)}`);
    return undefined;
  }
  return n;
}

/**
 * Integer epoch ms through `toEpochMs`: numbers (unit stated or detected), bigint
 * nanoseconds, ISO-8601 strings, `Date`s. Numeric strings need `coerce`.
 */
export function readTimestamp(value: unknown, ctx: FieldContext, path: (string | number)[]): number | undefined {
  if (typeof value === 'string' && !ctx.coerce && DECIMAL.test(value.trim())) {
    pushIssue(
      ctx,
      path,
      'invalid_type',
      `expected a timestamp, got the numeric string ${showValue(value)} (pass \`coerce: true\` to accept it)`,
    );
    return undefined;
  }
  if (value === undefined || value === null) {
    pushIssue(ctx, path, 'invalid_type', `expected a timestamp, got ${showValue(value)}`);
    return undefined;
  }
  const options = ctx.unit === undefined ? { truncate: ctx.truncate } : { unit: ctx.unit, truncate: ctx.truncate };
  const result = toEpochMs(value, options);
  if (result.ok) return result.value;
  for (const issue of result.issues) pushIssue(ctx, path, issue.code, issue.message);
  return undefined;
}

/** Whether `value` is an object a row can be read from (not null, not an array). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reading context of a parse call. */
export function fieldContext(
  issues: FieldContext['issues'],
  options: { readonly coerce?: boolean; readonly timestampUnit?: FieldContext['unit']; readonly truncate?: boolean },
): FieldContext {
  return { issues, coerce: options.coerce ?? false, unit: options.timestampUnit, truncate: options.truncate ?? false };
}
