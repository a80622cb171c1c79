/**
 * The market a `SimulatedSource` serves: each symbol's bars (given or generated), frozen and in
 * time order, and the searches that pick the bars closed at a clock time. Never exported from
 * the package.
 */
import { ConfigError } from '../../errors/config-error.js';
import { partitionPoint } from '../../internal/search.js';
import type { OhlcvRequest } from '../../pipeline/source.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { FixedTimeframe } from '../../time/timeframe.js';
import { generateOhlcv } from '../generate-ohlcv.js';
import type { GeneratedTruth } from '../generate-ohlcv-options.js';
import type { SimulatedSourceOptions } from '../simulated-source-options.js';

/** One symbol's market: its bars, oldest first (frozen), and the generator's report when generated. */
export interface Market {
  readonly bars: readonly Ohlcv[];
  readonly truth: GeneratedTruth | undefined;
}

const DEFAULT_SYMBOLS = ['BTCUSD', 'ETHUSD'] as const;

/** Throws `ConfigError` naming `key` (a dotted path) and `value` unless `ok`. */
export function check(ok: boolean, key: string, value: unknown, expected: string): void {
  if (!ok) throw new ConfigError(`Expected \`${key}\` to be ${expected}, got \`${String(value)}\``, { path: key.split('.'), value });
}

/**
 * The markets of the options: `bars` first (copied, frozen, sorted), then a generated series
 * for each other symbol of `symbols` (default `BTCUSD`, `ETHUSD` when no `bars` are given),
 * seeded `generate.seed + i`. Throws `ConfigError` on a bad option.
 */
export function buildMarkets(options: SimulatedSourceOptions, timeframe: FixedTimeframe): Map<string, Market> {
  const markets = new Map<string, Market>();
  for (const [symbol, bars] of Object.entries(options.bars ?? {})) {
    check(Array.isArray(bars), `bars.${symbol}`, bars, 'an array of bars');
    const rows = bars.map((bar, i) => {
      check(Number.isFinite(bar.timestamp), `bars.${symbol}.${i}.timestamp`, bar.timestamp, 'epoch milliseconds');
      return Object.freeze({ ...bar });
    });
    rows.sort((a, b) => a.timestamp - b.timestamp);
    markets.set(symbol, { bars: Object.freeze(rows), truth: undefined });
  }
  const symbols = options.symbols ?? (options.bars === undefined ? DEFAULT_SYMBOLS : []);
  const generate = options.generate ?? {};
  check(
    generate.timeframe === undefined || generate.timeframe === timeframe,
    'generate.timeframe',
    generate.timeframe,
    `the source's timeframe (${timeframe})`,
  );
  symbols.forEach((symbol, i) => {
    if (markets.has(symbol)) return;
    const { bars, ...truth } = generateOhlcv({ ...generate, seed: (generate.seed ?? 1) + i, timeframe });
    for (const bar of bars) Object.freeze(bar);
    markets.set(symbol, { bars: Object.freeze(bars), truth });
  });
  check(markets.size > 0, 'symbols', '[]', 'at least one symbol (from `bars` or `symbols`)');
  return markets;
}

/** Index of the first bar with `timestamp >= t` (bars sorted by timestamp). */
export function lowerBound(bars: readonly Ohlcv[], t: number): number {
  return partitionPoint(0, bars.length, (i) => (bars[i] as Ohlcv).timestamp < t);
}

/** Index of the first bar with `timestamp > t` (integer epoch ms). */
function upperBound(bars: readonly Ohlcv[], t: number): number {
  return lowerBound(bars, t + 1);
}

/**
 * The bars a request is answered with: those opened before `forming` (the open time of the
 * clock's bucket), and the forming bar too when `includeForming`; from `request.since` on
 * (inclusive) when given, else the most recent; at most `request.limit`, clamped to `maxLimit`.
 */
export function selectBars(
  bars: readonly Ohlcv[],
  request: OhlcvRequest,
  forming: number,
  includeForming: boolean,
  maxLimit: number,
): Ohlcv[] {
  const end = includeForming ? upperBound(bars, forming) : lowerBound(bars, forming);
  const limit = Math.min(request.limit ?? maxLimit, maxLimit);
  if (request.since === undefined) return bars.slice(Math.max(0, end - limit), end);
  const start = lowerBound(bars, request.since);
  return bars.slice(start, Math.min(end, start + limit));
}

/** Why `request` is a bad one for `market` (absent: unknown symbol) serving `timeframe`; `undefined` when it is good. */
export function requestProblem(request: OhlcvRequest, market: Market | undefined, timeframe: FixedTimeframe): string | undefined {
  if (market === undefined) return `unknown symbol ${JSON.stringify(request.symbol)}`;
  if (request.timeframe !== timeframe) return `timeframe ${request.timeframe} not served (only ${timeframe})`;
  if (request.since !== undefined && !Number.isFinite(request.since)) return `invalid since ${String(request.since)}`;
  if (request.limit !== undefined && !(Number.isSafeInteger(request.limit) && request.limit > 0))
    return `invalid limit ${String(request.limit)}`;
  return undefined;
}
