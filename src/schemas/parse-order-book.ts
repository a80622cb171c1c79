import type { DataIssue } from '../errors/result.js';
import { unreadableRow } from '../internal/unreadable-row.js';
import {
  fieldContext,
  isRecord,
  pushIssue,
  readCount,
  readNumber,
  readTimestamp,
  showValue,
  type FieldContext,
} from './internal/read-fields.js';
import type { BookLevel, OrderBook } from './order-book.js';
import type { ParseOptions, ParseResult } from './parse-result.js';

/** Reads one side of a book; `undefined` after issues when any level is bad. */
function readLevels(value: unknown, ctx: FieldContext, path: (string | number)[]): BookLevel[] | undefined {
  if (!Array.isArray(value)) {
    pushIssue(ctx, path, 'invalid_type', `expected an array of levels, got ${showValue(value)}`);
    return undefined;
  }
  const levels: readonly unknown[] = value;
  const out: BookLevel[] = [];
  let ok = true;
  for (let k = 0; k < levels.length; k++) {
    const level = levels[k];
    let price: number | undefined;
    let quantity: number | undefined;
    if (Array.isArray(level)) {
      // ccxt: [price, amount] (a third element, such as a count, is ignored)
      const pair: readonly unknown[] = level;
      price = readNumber(pair[0], ctx, [...path, k, 0]);
      quantity = readNumber(pair[1], ctx, [...path, k, 1]);
    } else if (isRecord(level)) {
      price = readNumber(level.price, ctx, [...path, k, 'price']);
      quantity = readNumber(level.quantity, ctx, [...path, k, 'quantity']);
    } else {
      pushIssue(ctx, [...path, k], 'invalid_type', `expected a level { price, quantity } or [price, quantity], got ${showValue(level)}`);
    }
    if (price === undefined || quantity === undefined) ok = false;
    else out.push({ price, quantity });
  }
  return ok ? out : undefined;
}

/**
 * Reads untrusted order-book snapshots into {@link OrderBook}s. Never throws on data: every
 * refused snapshot leaves issues at `[snapshotIndex, field]` or, for a level,
 * `[snapshotIndex, 'bids' | 'asks', levelIndex, 'price' | 'quantity' | 0 | 1]`
 * (see {@link ParseResult}).
 *
 * - `input` is an array of snapshots; a single snapshot object is read as a list of one.
 * - Levels are `{ price, quantity }` objects or ccxt's `[price, amount]` pairs; one bad level
 *   refuses the whole snapshot (a partial book would misstate liquidity).
 * - `depthLevels`, when absent or `null`, is the longer side's level count.
 * - Numbers must be finite (`-0` becomes `0`); numeric strings only with `coerce`;
 *   `timestamp` is anything `toEpochMs` reads. Extra fields are not copied.
 *
 * Sorting, crossing and positivity are `validateOrderBook`'s job, not the parser's.
 *
 * @param input - An array of snapshots, or one snapshot.
 * @param options - See {@link ParseOptions}.
 * @returns The snapshots that parsed, the issues of the others and how many were refused.
 *
 * @example
 * ```ts
 * parseOrderBook({ timestamp: 1738233000000, bids: [[45000, 1.5]], asks: [{ price: 45001, quantity: 2 }] })
 * // { rows: [{ timestamp: 1738233000000, bids: [{ price: 45000, quantity: 1.5 }],
 * //            asks: [{ price: 45001, quantity: 2 }], depthLevels: 1 }], issues: [], rejected: 0 }
 * ```
 */
export function parseOrderBook(input: unknown, options: ParseOptions = {}): ParseResult<OrderBook> {
  const issues: DataIssue[] = [];
  const rows: OrderBook[] = [];
  let list: readonly unknown[];
  if (Array.isArray(input)) list = input;
  else if (isRecord(input)) list = [input];
  else {
    issues.push({
      code: 'invalid_type',
      path: [],
      message: `Expected an order-book snapshot or an array of them, got ${showValue(input)}`,
    });
    return { rows, issues, rejected: 0 };
  }
  const ctx = fieldContext(issues, options);
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
        issues.push({ code: 'invalid_type', path: [i], message: `\`${i}\`: expected an order-book object, got ${showValue(row)}` });
        rejected++;
        continue;
      }
      const before = issues.length;
      const timestamp = readTimestamp(row.timestamp, ctx, [i, 'timestamp']);
      const bids = readLevels(row.bids, ctx, [i, 'bids']);
      const asks = readLevels(row.asks, ctx, [i, 'asks']);
      const depthValue = row.depthLevels;
      const depthLevels =
        depthValue == null ? Math.max(bids?.length ?? 0, asks?.length ?? 0) : readCount(depthValue, ctx, [i, 'depthLevels']);
      if (issues.length !== before || timestamp === undefined || bids === undefined || asks === undefined || depthLevels === undefined) {
        rejected++;
        continue;
      }
      rows.push({ timestamp, bids, asks, depthLevels });
    } catch (error) {
      issues.push(unreadableRow(i, error));
      rejected++;
    }
  }
  return { rows, issues, rejected };
}
