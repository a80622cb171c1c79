import { showValue } from '../internal/options.js';
import type { OrderBook } from '../schemas/order-book.js';
import { MAX_PLAUSIBLE_MS, MIN_PLAUSIBLE_MS } from '../time/to-epoch-ms.js';
import { OrderBookRule } from './order-book-rule.js';
import { IssueSeverity, type ValidationIssue } from './validation-issue.js';

/** One broken order-book rule. Level rules name the `side`; whole-book rules have index 0 and no side. */
export interface OrderBookIssue extends ValidationIssue<OrderBookRule> {
  /** The side of the offending level; absent for whole-book rules (`not_crossed`, `book_empty`, …). */
  readonly side?: 'bids' | 'asks';
}

/** What {@link validateOrderBook} returns. */
export interface OrderBookValidationResult {
  /** Whether the book broke no error rule. Warnings (empty or one-sided book) do not count. */
  readonly valid: boolean;
  /** Every broken rule: bid levels first, then asks, then whole-book rules. */
  readonly issues: readonly OrderBookIssue[];
}

type Level = { readonly price?: unknown; readonly quantity?: unknown } | null | undefined;

function levels(value: unknown): readonly Level[] {
  return Array.isArray(value) ? (value as readonly Level[]) : [];
}

function add(
  issues: OrderBookIssue[],
  side: 'bids' | 'asks',
  index: number,
  timestamp: number,
  rule: OrderBookRule,
  message: string,
): void {
  issues.push({ rule, index, timestamp, severity: IssueSeverity.Error, side, message: `${side}[${index}]: ${message}` });
}

function checkSide(issues: OrderBookIssue[], side: 'bids' | 'asks', list: readonly Level[], timestamp: number): void {
  const order = side === 'bids' ? OrderBookRule.BidsDescending : OrderBookRule.AsksAscending;
  let prev = Number.NaN;
  for (let i = 0; i < list.length; i++) {
    const level = list[i];
    const price = typeof level?.price === 'number' ? level.price : Number.NaN;
    const quantity = typeof level?.quantity === 'number' ? level.quantity : Number.NaN;
    if (!Number.isFinite(price) || !Number.isFinite(quantity)) {
      add(
        issues,
        side,
        i,
        timestamp,
        OrderBookRule.FiniteValues,
        `price is ${showValue(level?.price)}, quantity is ${showValue(level?.quantity)}`,
      );
    }
    if (price <= 0) add(issues, side, i, timestamp, OrderBookRule.PricePositive, `price ${price} is not positive`);
    if (quantity <= 0) add(issues, side, i, timestamp, OrderBookRule.QuantityPositive, `quantity ${quantity} is not positive`);
    if (Number.isFinite(price)) {
      if (Number.isFinite(prev) && !(side === 'bids' ? price < prev : price > prev)) {
        add(issues, side, i, timestamp, order, `price ${price} is not ${side === 'bids' ? 'below' : 'above'} the previous level's ${prev}`);
      }
      prev = price;
    }
  }
}

/**
 * Checks an order-book snapshot against the rules of {@link OrderBookRule}: bids strictly
 * descending, asks strictly ascending, best bid below best ask, positive finite prices and
 * quantities, sides no deeper than `depthLevels`. An empty or one-sided book is a warning,
 * not an error (a truncated snapshot such as Binance's bids-only depth file is still usable).
 * Never throws on data.
 *
 * @param book - The snapshot; not modified.
 * @returns Whether it is valid, and one issue per broken rule.
 *
 * @example
 * ```ts
 * validateOrderBook({ timestamp: Date.UTC(2025, 0, 30), depthLevels: 5,
 *   bids: [{ price: 101, quantity: 1 }], asks: [{ price: 100, quantity: 1 }] })
 * // { valid: false, issues: [{ rule: 'not_crossed', index: 0, severity: 'error',
 * //   message: 'best bid 101 is not below best ask 100', … }] }
 * ```
 */
export function validateOrderBook(book: OrderBook): OrderBookValidationResult {
  const raw = book as Partial<Record<keyof OrderBook, unknown>> | null | undefined;
  const timestamp = typeof raw?.timestamp === 'number' ? raw.timestamp : Number.NaN;
  const bids = levels(raw?.bids);
  const asks = levels(raw?.asks);
  const issues: OrderBookIssue[] = [];
  const whole = (rule: OrderBookRule, severity: typeof IssueSeverity.Error | typeof IssueSeverity.Warning, message: string): void => {
    issues.push({ rule, index: 0, timestamp, severity, message });
  };
  checkSide(issues, 'bids', bids, timestamp);
  checkSide(issues, 'asks', asks, timestamp);
  if (!Number.isInteger(timestamp) || timestamp < MIN_PLAUSIBLE_MS || timestamp >= MAX_PLAUSIBLE_MS) {
    whole(
      OrderBookRule.TimestampPlausible,
      IssueSeverity.Error,
      `timestamp ${showValue(raw?.timestamp)} is not an integer epoch-ms time in 1990–2100`,
    );
  }
  const bestBid = bids[0]?.price;
  const bestAsk = asks[0]?.price;
  if (
    typeof bestBid === 'number' &&
    typeof bestAsk === 'number' &&
    Number.isFinite(bestBid) &&
    Number.isFinite(bestAsk) &&
    !(bestBid < bestAsk)
  ) {
    whole(OrderBookRule.NotCrossed, IssueSeverity.Error, `best bid ${bestBid} is not below best ask ${bestAsk}`);
  }
  const depth = raw?.depthLevels;
  if (typeof depth !== 'number' || !Number.isSafeInteger(depth) || depth < 0) {
    whole(OrderBookRule.DepthLevels, IssueSeverity.Error, `depthLevels ${showValue(depth)} is not a non-negative integer`);
  } else if (bids.length > depth || asks.length > depth) {
    whole(OrderBookRule.DepthLevels, IssueSeverity.Error, `${bids.length} bids and ${asks.length} asks exceed depthLevels ${depth}`);
  }
  if (bids.length === 0 && asks.length === 0) {
    whole(OrderBookRule.BookEmpty, IssueSeverity.Warning, 'the book has no bids and no asks');
  } else if (bids.length === 0 || asks.length === 0) {
    whole(OrderBookRule.BookOneSided, IssueSeverity.Warning, `the book has no ${bids.length === 0 ? 'bids' : 'asks'}`);
  }
  return { valid: !issues.some((issue) => issue.severity === IssueSeverity.Error), issues };
}
