import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { joinHigherTimeframe } from '../../src/aggregate/join-higher-timeframe.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/index.js';
import { toColumns } from '../../src/formats/to-columns.js';
import { minuteBars } from './support.js';

const T0 = Date.UTC(2024, 0, 1);
const at = (ms: number, close: number): Ohlcv => ({ timestamp: T0 + ms, open: close, high: close, low: close, close, volume: 1 });
const H = 3_600_000;
const M = 60_000;

describe('joinHigherTimeframe', () => {
  const hourly = [at(0, 10), at(H, 11), at(2 * H, 12)];

  it('attaches the last higher bar closed by each lower bar close, never one still open', () => {
    const lower = [at(30 * M, 1), at(59 * M, 2), at(H, 3), at(H + 59 * M, 4)];
    const joined = joinHigherTimeframe(lower, '1m', hourly, '1H');
    // 00:30 closes at 00:31: no hour has closed. 00:59 closes at 01:00: the 00:00 hour has.
    expect(joined.map((j) => j.higher?.close)).toEqual([undefined, 10, 10, 11]);
    expect(joined[1]).toEqual({ ...lower[1], higher: hourly[0] });
  });

  it('returns indices into the higher series for columns', () => {
    const lower = toColumns([at(0, 1), at(59 * M, 2), at(2 * H + 59 * M, 3)]);
    expect(Array.from(joinHigherTimeframe(lower, '1m', hourly, '1H'))).toEqual([-1, 0, 2]);
  });

  it('handles higher bars out of order and lower bars out of order', () => {
    const shuffled = [hourly[2] as Ohlcv, hourly[0] as Ohlcv, hourly[1] as Ohlcv];
    const lower = [at(2 * H + 59 * M, 3), at(59 * M, 1)];
    expect(joinHigherTimeframe(lower, '1m', shuffled, '1H').map((j) => j.higher?.close)).toEqual([12, 10]);
  });

  it('throws a ConfigError when the higher timeframe is smaller', () => {
    let error: unknown;
    try {
      joinHigherTimeframe([], '1H', [], '5m');
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
  });

  it('never attaches a bar that closes after the lower bar (no look-ahead, property)', () => {
    fc.assert(
      fc.property(minuteBars({ maxLength: 200 }), fc.constantFrom('5m', '15m', '1H'), (bars, tf) => {
        const width = { '5m': 5 * M, '15m': 15 * M, '1H': H }[tf];
        const higher = aggregateOhlcv(bars, tf, { source: '1m', partialEnd: 'keep' }).bars;
        const joined = joinHigherTimeframe(bars, '1m', higher, tf);
        joined.forEach((j) => {
          const lowerClose = j.timestamp + M;
          const closed = higher.filter((h) => h.timestamp + width <= lowerClose);
          // The attached bar has closed, and it is the latest that has.
          expect(j.higher).toEqual(closed.at(-1));
          if (j.higher !== undefined) expect(j.higher.timestamp + width).toBeLessThanOrEqual(lowerClose);
        });
      }),
    );
  });
});
