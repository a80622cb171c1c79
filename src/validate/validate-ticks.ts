import { describeOption, showValue } from '../internal/options.js';
import { ConfigError } from '../errors/config-error.js';
import type { Tick } from '../schemas/tick.js';
import { MAX_PLAUSIBLE_MS, MIN_PLAUSIBLE_MS } from '../time/to-epoch-ms.js';
import { TickRule } from './tick-rule.js';
import { IssueSeverity, type ValidationIssue, type ValidationResult } from './validation-issue.js';

/** Options of {@link validateTicks}. */
export interface ValidateTicksOptions {
  /**
   * The source guarantees increasing trade ids (Binance aggTrade ids, for example): a trade
   * whose id is not greater than the previous trade's breaks `trade_id_increasing`.
   * @defaultValue false
   */
  readonly increasingIds?: boolean;
}

type Row = Partial<Record<keyof Tick, unknown>> | null | undefined;

function push(issues: ValidationIssue<TickRule>[], rule: TickRule, index: number, timestamp: number, message: string): void {
  issues.push({ rule, index, timestamp, severity: IssueSeverity.Error, message: `Trade ${index}: ${message}` });
}

/**
 * Checks trades against the rules of {@link TickRule}: positive price and quantity, side
 * `buy` or `sell`, non-decreasing plausible timestamps, unique trade ids (and increasing ones
 * when `increasingIds` is set). Never throws on data; fields of the wrong type are reported.
 *
 * @param ticks - The trades in the order received; not modified.
 * @param options - See {@link ValidateTicksOptions}.
 * @returns Counts of valid and invalid trades and one issue per broken rule, in input order.
 * @throws {@link ConfigError} when `increasingIds` is not a boolean.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30);
 * validateTicks([
 *   { timestamp: t, price: 100, quantity: 1, side: 'buy', tradeId: 7 },
 *   { timestamp: t, price: 100, quantity: 2, side: 'sell', tradeId: 7 },
 * ]).issues
 * // [{ rule: 'trade_id_unique', index: 1, timestamp: t, severity: 'error',
 * //    message: 'Trade 1: trade id 7 already appeared at index 0' }]
 * ```
 */
export function validateTicks(ticks: readonly Tick[], options: ValidateTicksOptions = {}): ValidationResult<TickRule> {
  const increasingIds: unknown = options.increasingIds ?? false;
  if (typeof increasingIds !== 'boolean') {
    throw new ConfigError(`Expected \`increasingIds\` to be a boolean, got \`${describeOption(increasingIds)}\``, {
      path: ['increasingIds'],
      value: increasingIds,
    });
  }
  const issues: ValidationIssue<TickRule>[] = [];
  const seen = new Map<number, number>();
  let invalid = 0;
  let prevTime = Number.NaN;
  let prevId = Number.NaN;
  const n = ticks.length;
  for (let i = 0; i < n; i++) {
    const row = ticks[i] as Row;
    const before = issues.length;
    const t = typeof row?.timestamp === 'number' ? row.timestamp : Number.NaN;
    const price = typeof row?.price === 'number' ? row.price : Number.NaN;
    const quantity = typeof row?.quantity === 'number' ? row.quantity : Number.NaN;
    const id = typeof row?.tradeId === 'number' && Number.isSafeInteger(row.tradeId) ? row.tradeId : Number.NaN;
    if (!(Number.isFinite(t) && Number.isFinite(price) && Number.isFinite(quantity) && !Number.isNaN(id))) {
      const bad: string[] = [];
      if (!Number.isFinite(t)) bad.push(`timestamp is ${showValue(row?.timestamp)}`);
      if (!Number.isFinite(price)) bad.push(`price is ${showValue(row?.price)}`);
      if (!Number.isFinite(quantity)) bad.push(`quantity is ${showValue(row?.quantity)}`);
      if (Number.isNaN(id)) bad.push(`trade id is ${showValue(row?.tradeId)}`);
      push(issues, TickRule.FiniteValues, i, t, bad.join(', '));
    }
    if (price <= 0) push(issues, TickRule.PricePositive, i, t, `price ${price} is not positive`);
    if (quantity <= 0) push(issues, TickRule.QuantityPositive, i, t, `quantity ${quantity} is not positive`);
    const side = row?.side;
    if (side !== 'buy' && side !== 'sell') {
      push(issues, TickRule.SideValid, i, t, `side ${showValue(side)} is not 'buy' or 'sell'`);
    }
    if (Number.isFinite(t)) {
      if (t < prevTime) {
        push(issues, TickRule.TimestampNonDecreasing, i, t, `timestamp ${t} is before the previous trade's ${prevTime}`);
      }
      if (!Number.isInteger(t) || t < MIN_PLAUSIBLE_MS || t >= MAX_PLAUSIBLE_MS) {
        push(issues, TickRule.TimestampPlausible, i, t, `timestamp ${t} is not an integer epoch-ms time in 1990–2100`);
      }
      prevTime = t;
    }
    if (!Number.isNaN(id)) {
      const first = seen.get(id);
      if (first !== undefined) push(issues, TickRule.TradeIdUnique, i, t, `trade id ${id} already appeared at index ${first}`);
      else seen.set(id, i);
      if (increasingIds && id < prevId) {
        push(issues, TickRule.TradeIdIncreasing, i, t, `trade id ${id} is below the previous trade's ${prevId}`);
      }
      prevId = id;
    }
    if (issues.length > before) invalid++;
  }
  return { valid: invalid === 0, validCount: n - invalid, invalidCount: invalid, issues };
}
