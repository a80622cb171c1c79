import { ConfigError } from '../errors/config-error.js';
import type { Tick } from '../schemas/tick.js';
import { mulberry32, normal } from './internal/seeded-random.js';

/** Options of {@link generateTicks}; every field has a default. */
export interface GenerateTicksOptions {
  /**
   * Seed of the pseudo-random generator; the same options always give the same ticks.
   * @defaultValue 1
   */
  readonly seed?: number;
  /**
   * Time of the first trade, integer epoch ms.
   * @defaultValue 1735689600000 (2025-01-01T00:00:00Z)
   */
  readonly start?: number;
  /**
   * Number of trades.
   * @defaultValue 1000
   */
  readonly count?: number;
  /**
   * Price of the first trade, in the quote currency; must be positive.
   * @defaultValue 100
   */
  readonly startPrice?: number;
  /**
   * Standard deviation of the log price change from one trade to the next (a fraction).
   * @defaultValue 0.0002
   */
  readonly volatility?: number;
  /**
   * Mean time between trades in ms (exponential inter-arrival times, rounded down, so
   * several trades can share a millisecond as on real exchanges).
   * @defaultValue 1000
   */
  readonly meanIntervalMs?: number;
  /**
   * Median trade size, in the base asset (log-normal); must be positive.
   * @defaultValue 1
   */
  readonly baseQuantity?: number;
  /**
   * Id of the first trade; ids then increase by one per trade.
   * @defaultValue 1
   */
  readonly firstTradeId?: number;
}

/** The defaults of {@link GenerateTicksOptions}. */
export const DEFAULT_GENERATE_TICKS = {
  seed: 1,
  start: 1_735_689_600_000,
  count: 1000,
  startPrice: 100,
  volatility: 0.0002,
  meanIntervalMs: 1000,
  baseQuantity: 1,
  firstTradeId: 1,
} as const satisfies Required<GenerateTicksOptions>;

function option<K extends keyof GenerateTicksOptions>(
  options: GenerateTicksOptions,
  key: K,
  ok: (value: number) => boolean,
  expected: string,
): number {
  const value = options[key] ?? DEFAULT_GENERATE_TICKS[key];
  if (!ok(value)) throw new ConfigError(`Expected \`${key}\` to be ${expected}, got \`${value}\``, { path: [key], value });
  return value;
}

/**
 * Generates a deterministic stream of valid trades for tests: non-decreasing integer-ms
 * timestamps, contiguous trade ids, a geometric random walk of prices, log-normal
 * quantities and a fair coin for the taker's side. Every tick satisfies `TickSchema`
 * with positive price and quantity.
 *
 * @param options - see {@link GenerateTicksOptions}; all optional.
 * @returns The ticks in time order.
 * @throws ConfigError on an invalid option.
 *
 * @example
 * ```ts
 * const ticks = generateTicks({ seed: 3, count: 3, firstTradeId: 500 });
 * ticks.map((t) => t.tradeId) // [500, 501, 502]
 * ticks[0].timestamp          // 1735689600000
 * ```
 */
export function generateTicks(options: GenerateTicksOptions = {}): Tick[] {
  const isInt = (v: number): boolean => Number.isSafeInteger(v);
  const positive = (v: number): boolean => Number.isFinite(v) && v > 0;
  const seed = option(options, 'seed', isInt, 'an integer');
  const start = option(options, 'start', isInt, 'an integer epoch-ms timestamp');
  const count = option(options, 'count', (v) => isInt(v) && v >= 0, 'a non-negative integer');
  const startPrice = option(options, 'startPrice', positive, 'a positive number');
  const volatility = option(options, 'volatility', (v) => Number.isFinite(v) && v >= 0, 'a non-negative number');
  const meanIntervalMs = option(options, 'meanIntervalMs', (v) => Number.isFinite(v) && v >= 0, 'a non-negative number');
  const baseQuantity = option(options, 'baseQuantity', positive, 'a positive number');
  const firstTradeId = option(options, 'firstTradeId', (v) => isInt(v) && v >= 0, 'a non-negative integer');

  const random = mulberry32(seed);
  const ticks = new Array<Tick>(count);
  let time = start;
  let price = startPrice;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      time += Math.floor(-Math.log(1 - random()) * meanIntervalMs);
      price *= Math.exp(volatility * normal(random));
    }
    ticks[i] = {
      timestamp: time,
      price,
      quantity: baseQuantity * Math.exp(normal(random)),
      side: random() < 0.5 ? 'buy' : 'sell',
      tradeId: firstTradeId + i,
    };
  }
  return ticks;
}
