/**
 * Field readers shared by the `formats/` converters. Each reader returns the value, or
 * `undefined` after pushing one issue located at `[index, field]`. Never throws.
 */
import type { DataIssue } from '../../errors/result.js';
import { toEpochMs, type TimeUnit } from '../../time/to-epoch-ms.js';
import { showValue } from '../../internal/options.js';

// A plain decimal or scientific number: no hex, no blanks, no empty string (which
// `Number()` would read as 0).
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DIGITS = /^\d{1,16}$/;

/** Pushes one issue at `[index, field]`. */
export function pushIssue(issues: DataIssue[], index: number, field: string | undefined, code: string, message: string): void {
  issues.push({ code, path: field === undefined ? [index] : [index, field], message });
}

/**
 * A finite number from a number or, when `strings` is set, a decimal string.
 * `-0` becomes `0`.
 */
export function readFinite(value: unknown, strings: boolean, index: number, field: string, issues: DataIssue[]): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (strings && typeof value === 'string') {
    if (!DECIMAL.test(value)) {
      pushIssue(issues, index, field, 'invalid_number', `Row ${index}: \`${field}\` is ${showValue(value)}, not a decimal number`);
      return undefined;
    }
    n = Number(value);
  } else {
    const expected = strings ? 'a number or a decimal string' : 'a number';
    pushIssue(issues, index, field, 'invalid_type', `Row ${index}: expected \`${field}\` to be ${expected}, got ${showValue(value)}`);
    return undefined;
  }
  if (!Number.isFinite(n)) {
    pushIssue(issues, index, field, 'not_finite', `Row ${index}: \`${field}\` is ${showValue(value)}, not a finite number`);
    return undefined;
  }
  return n === 0 ? 0 : n;
}

/** A non-negative safe integer from a number or, when `strings` is set, a digit string. */
export function readCount(value: unknown, strings: boolean, index: number, field: string, issues: DataIssue[]): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (strings && typeof value === 'string' && DIGITS.test(value)) n = Number(value);
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
    pushIssue(
      issues,
      index,
      field,
      'invalid_value',
      `Row ${index}: expected \`${field}\` to be a non-negative integer, got ${showValue(value)}`,
    );
    return undefined;
  }
  return n === 0 ? 0 : n;
}

/**
 * An epoch-ms timestamp through `toEpochMs`: `unit` stated, or detected by magnitude when
 * omitted. Strings are accepted only when `strings` is set.
 */
export function readTimestamp(
  value: unknown,
  strings: boolean,
  unit: TimeUnit | undefined,
  index: number,
  field: string,
  issues: DataIssue[],
): number | undefined {
  if (typeof value !== 'number' && !(strings && typeof value === 'string')) {
    const expected = strings ? 'a number or a numeric string' : 'a number';
    pushIssue(issues, index, field, 'invalid_type', `Row ${index}: expected \`${field}\` to be ${expected}, got ${showValue(value)}`);
    return undefined;
  }
  const result = toEpochMs(value, unit === undefined ? {} : { unit });
  if (result.ok) return result.value;
  for (const issue of result.issues) pushIssue(issues, index, field, issue.code, `Row ${index}: ${issue.message}`);
  return undefined;
}

/** Whether an optional column is absent: missing, `null`, `undefined` or an empty string. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
