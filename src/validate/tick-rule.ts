/**
 * The rules `validateTicks` checks.
 *
 * - `finite_values`: timestamp, price and quantity are finite numbers and the trade id is a
 *   safe integer;
 * - `price_positive`: `price > 0`;
 * - `quantity_positive`: `quantity > 0`;
 * - `side_valid`: `side` is `'buy'` or `'sell'`;
 * - `timestamp_non_decreasing`: each timestamp is at least the previous trade's (many trades
 *   may share a millisecond);
 * - `timestamp_plausible`: the timestamp is an integer number of epoch milliseconds in
 *   1990–2100;
 * - `trade_id_unique`: no trade id appears twice (reported at the repeat);
 * - `trade_id_increasing` (only when the caller says the source guarantees it): each trade id
 *   is greater than the previous trade's (a repeated id is reported as `trade_id_unique` only).
 */
export const TickRule = {
  FiniteValues: 'finite_values',
  PricePositive: 'price_positive',
  QuantityPositive: 'quantity_positive',
  SideValid: 'side_valid',
  TimestampNonDecreasing: 'timestamp_non_decreasing',
  TimestampPlausible: 'timestamp_plausible',
  TradeIdUnique: 'trade_id_unique',
  TradeIdIncreasing: 'trade_id_increasing',
} as const;

/** One of the values of {@link TickRule}. */
export type TickRule = (typeof TickRule)[keyof typeof TickRule];
