import { describe, expect, it } from 'vitest';
import { TIMEFRAMES, parseTimeframe, type Timeframe } from '../../src/time/index.js';

describe('parseTimeframe', () => {
  it('accepts every canonical name as itself', () => {
    for (const tf of TIMEFRAMES) expect(parseTimeframe(tf)).toEqual({ ok: true, value: tf });
  });

  it.each<[string, Timeframe]>([
    // ccxt / Binance
    ['1h', '1H'],
    ['2h', '2H'],
    ['4h', '4H'],
    ['6h', '6H'],
    ['8h', '8H'],
    ['12h', '12H'],
    ['1d', '1D'],
    ['1w', '1W'],
    // pandas / polars
    ['1min', '1m'],
    ['5min', '5m'],
    ['15min', '15m'],
    ['60m', '1H'],
    ['1440m', '1D'],
    ['24h', '1D'],
    ['7d', '1W'],
    ['1mo', '1M'],
    [' 4h ', '4H'],
  ])('reads %j as %s', (text, expected) => {
    expect(parseTimeframe(text)).toEqual({ ok: true, value: expected });
  });

  it('keeps 1m a minute and 1M a month', () => {
    expect(parseTimeframe('1m')).toEqual({ ok: true, value: '1m' });
    expect(parseTimeframe('1M')).toEqual({ ok: true, value: '1M' });
  });

  it.each(['7m', '1y', '', '1', 'h', '1 h', '1hour', '01m', '1H1', '__proto__', 'constructor', 'toString'])(
    'refuses %j with an unknown_timeframe issue naming it',
    (text) => {
      const result = parseTimeframe(text);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.issues[0]?.code).toBe('unknown_timeframe');
        expect(result.issues[0]?.message).toContain(`\`${text}\``);
        // A standalone value: the issue has an empty path, and the message lists the timeframes.
        expect(result.issues[0]?.path).toEqual([]);
        expect(result.issues[0]?.message).toContain('1m, 3m, 5m, 15m, 30m, 1H, 2H, 4H, 6H, 8H, 12H, 1D, 1W, 1M');
      }
    },
  );

  it('returns an issue rather than throwing for a non-string from untyped callers', () => {
    const untyped = parseTimeframe as (text: unknown) => ReturnType<typeof parseTimeframe>;
    for (const value of [null, undefined, 5, {}]) expect(untyped(value).ok).toBe(false);
  });
});
