import type { DataIssue } from '../errors/result.js';
import { unreadableRow } from '../internal/unreadable-row.js';
import type { Tick } from '../schemas/tick.js';
import { pushIssue, readFinite, readTimestamp } from './internal/read-fields.js';
import type { ParseResult } from '../schemas/parse-result.js';
import { showValue } from '../internal/options.js';

const DIGITS = /^\d{1,16}$/;

function readTradeId(value: unknown, index: number, issues: DataIssue[]): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && DIGITS.test(value) ? Number(value) : undefined;
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
    pushIssue(
      issues,
      index,
      'tradeId',
      'invalid_value',
      `Row ${index}: expected the trade \`id\` to be a non-negative integer or digit string, got ${showValue(value)}`,
    );
    return undefined;
  }
  return n === 0 ? 0 : n;
}

function readSide(value: unknown, index: number, issues: DataIssue[]): 'buy' | 'sell' | undefined {
  if (value === 'buy' || value === 'sell') return value;
  pushIssue(issues, index, 'side', 'invalid_value', `Row ${index}: expected \`side\` to be "buy" or "sell", got ${showValue(value)}`);
  return undefined;
}

/**
 * Reads ccxt trades (`fetchTrades`, and freqtrade's trade files) into `Tick`s. Both of
 * ccxt's forms are accepted, row by row:
 *
 * - the unified object `{ timestamp, id, side, price, amount, … }` (other keys, such as
 *   `info`, `cost` or `fee`, are ignored);
 * - the list form `[timestamp, id, type, side, price, amount, cost]` that freqtrade stores.
 *
 * `timestamp` is epoch ms; `id` becomes the numeric `tradeId` (a number or a digit string,
 * as ccxt gives it; a non-numeric id such as a UUID is an issue, since `Tick.tradeId` is an
 * integer); `amount` becomes `quantity`; `side` is the taker's side. Prices and amounts must
 * be JSON numbers. Market rules (positive price, ordering) are `validateTicks`'s job.
 * Never throws on data.
 *
 * @param trades - untrusted ccxt trades.
 * @returns A `ParseResult`, as the `parse*` functions return: the ticks that read cleanly,
 *   one issue per bad value located at `[index]` or `[index, field]` with `field` the `Tick`
 *   field (`tradeId` for ccxt's `id`, `quantity` for `amount`), and the number of rows left
 *   out.
 *
 * @example
 * ```ts
 * fromCcxtTrades([
 *   { timestamp: 1570752011620, id: '13519807', side: 'sell', price: 0.00141342, amount: 23 },
 *   [1570752028907, '13519810', null, 'buy', 0.00141379, 581, 0.82141199],
 * ]).rows
 * // [{ timestamp: 1570752011620, price: 0.00141342, quantity: 23, side: 'sell', tradeId: 13519807 },
 * //  { timestamp: 1570752028907, price: 0.00141379, quantity: 581, side: 'buy', tradeId: 13519810 }]
 * ```
 */
export function fromCcxtTrades(trades: readonly unknown[]): ParseResult<Tick> {
  const out: Tick[] = [];
  const issues: DataIssue[] = [];
  if (!Array.isArray(trades)) {
    issues.push({ code: 'invalid_type', path: [], message: `Expected an array of trades, got ${showValue(trades)}` });
    return { rows: out, issues, rejected: 0 };
  }
  let rejected = 0;
  let length = 0;
  try {
    length = trades.length;
  } catch (error) {
    issues.push(unreadableRow(undefined, error));
  }
  for (let i = 0; i < length; i++) {
    // A read that throws (a getter, a Proxy trap) refuses the row: it never leaves the parser.
    try {
      const trade: unknown = trades[i];
      let ts: unknown, id: unknown, side: unknown, price: unknown, amount: unknown;
      if (Array.isArray(trade)) {
        if (trade.length < 6) {
          pushIssue(
            issues,
            i,
            undefined,
            'too_small',
            `Row ${i}: expected 7 entries [timestamp, id, type, side, price, amount, cost], got ${trade.length}`,
          );
          rejected++;
          continue;
        }
        [ts, id, , side, price, amount] = trade as readonly unknown[];
      } else if (typeof trade === 'object' && trade !== null) {
        ({ timestamp: ts, id, side, price, amount } = trade as Record<string, unknown>);
      } else {
        pushIssue(issues, i, undefined, 'invalid_type', `Row ${i}: expected a ccxt trade object or array, got ${showValue(trade)}`);
        rejected++;
        continue;
      }
      const before = issues.length;
      const timestamp = readTimestamp(ts, false, 'ms', i, 'timestamp', issues);
      const tradeId = readTradeId(id, i, issues);
      const takerSide = readSide(side, i, issues);
      const p = readFinite(price, false, i, 'price', issues);
      const quantity = readFinite(amount, false, i, 'quantity', issues);
      if (issues.length !== before) {
        rejected++;
        continue;
      }
      out.push({
        timestamp: timestamp as number,
        price: p as number,
        quantity: quantity as number,
        side: takerSide as 'buy' | 'sell',
        tradeId: tradeId as number,
      });
    } catch (error) {
      issues.push(unreadableRow(i, error));
      rejected++;
    }
  }
  return { rows: out, issues, rejected };
}
