import type { Result } from '../errors/result.js';
import type { DataIssue } from '../errors/result.js';
import { TIMEFRAMES, type Timeframe } from './timeframe.js';

const LOOKUP: ReadonlyMap<string, Timeframe> = new Map<string, Timeframe>([
  ...TIMEFRAMES.map((tf): [string, Timeframe] => [tf, tf]),
  // ccxt / Binance spellings
  ['1h', '1H'],
  ['2h', '2H'],
  ['4h', '4H'],
  ['6h', '6H'],
  ['8h', '8H'],
  ['12h', '12H'],
  ['1d', '1D'],
  ['1w', '1W'],
  // pandas / polars style
  ['1min', '1m'],
  ['3min', '3m'],
  ['5min', '5m'],
  ['15min', '15m'],
  ['30min', '30m'],
  ['60m', '1H'],
  ['1440m', '1D'],
  ['24H', '1D'],
  ['24h', '1D'],
  ['7d', '1W'],
  ['1mo', '1M'],
]);

/**
 * Reads a timeframe name. Accepts the canonical names of {@link TIMEFRAMES} and the
 * common spellings of ccxt and Binance (`1h`, `4h`, `1d`, `1w`) and of pandas/polars
 * (`5min`, `1mo`). Case matters where it carries meaning: `1m` is a minute, `1M` a month.
 * A plain table lookup: no regular expression, no exception.
 *
 * @param text - The name to read.
 * @returns The canonical timeframe, or an issue with code `'unknown_timeframe'`.
 *
 * @example
 * ```ts
 * parseTimeframe('4h')  // { ok: true, value: '4H' }
 * parseTimeframe('7m')  // { ok: false, issues: [{ code: 'unknown_timeframe', … }] }
 * ```
 */
export function parseTimeframe(text: string): Result<Timeframe, DataIssue> {
  const value = typeof text === 'string' ? LOOKUP.get(text.trim()) : undefined;
  if (value !== undefined) return { ok: true, value };
  return {
    ok: false,
    issues: [
      {
        code: 'unknown_timeframe',
        path: [],
        message: `Expected a timeframe such as ${TIMEFRAMES.join(', ')} (or 1h, 4h, 1d, 1w), got \`${String(text)}\``,
      },
    ],
  };
}
