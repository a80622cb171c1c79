import type { DataIssue } from '../errors/result.js';
import { unreadableRow } from '../internal/unreadable-row.js';
import {
  fieldContext,
  isRecord,
  pushIssue,
  readInteger,
  readNumber,
  readTimestamp,
  showValue,
  type FieldContext,
} from './internal/read-fields.js';
import type { ParseOptions, ParseResult } from './parse-result.js';
import type { Tick } from './tick.js';

function readSide(value: unknown, ctx: FieldContext, path: (string | number)[]): Tick['side'] | undefined {
  if (value === 'buy' || value === 'sell') return value;
  pushIssue(ctx, path, 'invalid_value', `expected 'buy' or 'sell', got ${showValue(value)}`);
  return undefined;
}

/**
 * Reads untrusted trades (objects with `timestamp, price, quantity, side, tradeId`) into
 * {@link Tick}s. Never throws on data: every refused row leaves issues at
 * `[rowIndex, field]` (see {@link ParseResult}).
 *
 * Numbers must be finite (`-0` becomes `0`); numeric strings only with `coerce` (which also
 * reads the string trade ids ccxt uses, when they are decimal integers); `timestamp` is
 * anything `toEpochMs` reads; `side` is exactly `'buy'` or `'sell'` (the taker's side);
 * `tradeId` a safe integer. Extra fields are not copied, so `__proto__` and friends never
 * reach `Object.prototype`. Market rules (positive price, ordering) are `validateTicks`' job.
 *
 * @param input - Anything; an array of trades is expected.
 * @param options - See {@link ParseOptions}.
 * @returns The ticks that parsed, the issues of the others and how many were refused.
 *
 * @example
 * ```ts
 * parseTicks([{ timestamp: 1738233000000, price: 45050, quantity: 0.1, side: 'buy', tradeId: 1 }])
 * // { rows: [{ timestamp: 1738233000000, price: 45050, quantity: 0.1, side: 'buy', tradeId: 1 }], issues: [], rejected: 0 }
 * ```
 */
export function parseTicks(input: unknown, options: ParseOptions = {}): ParseResult<Tick> {
  const issues: DataIssue[] = [];
  const rows: Tick[] = [];
  if (!Array.isArray(input)) {
    issues.push({ code: 'invalid_type', path: [], message: `Expected an array of trades, got ${showValue(input)}` });
    return { rows, issues, rejected: 0 };
  }
  const ctx = fieldContext(issues, options);
  const list: readonly unknown[] = input;
  let rejected = 0;
  let length = 0;
  try {
    length = list.length;
  } catch (error) {
    issues.push(unreadableRow(undefined, error));
  }
  for (let i = 0; i < length; i++) {
    // A read that throws (a getter, a Proxy trap) refuses the row: it never leaves the parser.
    try {
      const row = list[i];
      if (!isRecord(row)) {
        issues.push({ code: 'invalid_type', path: [i], message: `\`${i}\`: expected a trade object, got ${showValue(row)}` });
        rejected++;
        continue;
      }
      const before = issues.length;
      const timestamp = readTimestamp(row.timestamp, ctx, [i, 'timestamp']);
      const price = readNumber(row.price, ctx, [i, 'price']);
      const quantity = readNumber(row.quantity, ctx, [i, 'quantity']);
      const side = readSide(row.side, ctx, [i, 'side']);
      const tradeId = readInteger(row.tradeId, ctx, [i, 'tradeId']);
      if (
        issues.length !== before ||
        timestamp === undefined ||
        price === undefined ||
        quantity === undefined ||
        side === undefined ||
        tradeId === undefined
      ) {
        rejected++;
        continue;
      }
      rows.push({ timestamp, price, quantity, side, tradeId });
    } catch (error) {
      issues.push(unreadableRow(i, error));
      rejected++;
    }
  }
  return { rows, issues, rejected };
}
