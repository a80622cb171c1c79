/**
 * The request weight of Binance's spot `GET /api/v3/depth` for a `limit` of levels per side,
 * as Binance's spot API documentation tables it ("Weight: Adjusted based on the limit",
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#order-book,
 * checked 2026-12): 1–100 → 5, 101–500 → 25, 501–1000 → 50, 1001–5000 → 250. Binance caps
 * the limit at 5000; a larger one weighs as 5000.
 *
 * @param limit - Levels per side asked for (Binance's default is 100).
 * @returns The weight the request takes from the 6000-per-minute `REQUEST_WEIGHT` limit.
 *
 * @example
 * ```ts
 * binanceDepthWeight(100)  // 5
 * binanceDepthWeight(500)  // 25
 * binanceDepthWeight(5000) // 250
 * ```
 */
export function binanceDepthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}
