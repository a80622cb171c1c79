/**
 * The rules `validateOrderBook` checks. Level rules are located by side and level index.
 *
 * - `finite_values`: every level's price and quantity is a finite number;
 * - `price_positive`, `quantity_positive`: every level's price and quantity is above 0;
 * - `bids_descending`: bid prices strictly decrease from the best (first) bid;
 * - `asks_ascending`: ask prices strictly increase from the best (first) ask;
 * - `not_crossed`: best bid < best ask (a locked book, bid = ask, breaks it too);
 * - `depth_levels`: `depthLevels` is a non-negative integer and neither side holds more
 *   levels than it (fewer is fine: a thin book);
 * - `timestamp_plausible`: the timestamp is an integer number of epoch milliseconds in
 *   1990–2100;
 * - `book_empty` (warning): neither side has a level;
 * - `book_one_sided` (warning): one side has no level.
 */
export const OrderBookRule = {
  FiniteValues: 'finite_values',
  PricePositive: 'price_positive',
  QuantityPositive: 'quantity_positive',
  BidsDescending: 'bids_descending',
  AsksAscending: 'asks_ascending',
  NotCrossed: 'not_crossed',
  DepthLevels: 'depth_levels',
  TimestampPlausible: 'timestamp_plausible',
  BookEmpty: 'book_empty',
  BookOneSided: 'book_one_sided',
} as const;

/** One of the values of {@link OrderBookRule}. */
export type OrderBookRule = (typeof OrderBookRule)[keyof typeof OrderBookRule];
