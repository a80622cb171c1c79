import { describe, expect, it } from 'vitest';
import { weeklyHighLow } from '../../src/context/weekly-high-low.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv, OhlcvColumns } from '../../src/schemas/index.js';

const DAY = 86_400_000;
const bar = (iso: string, high: number, low: number): Ohlcv => ({
  timestamp: Date.parse(iso),
  open: (high + low) / 2,
  high,
  low,
  close: (high + low) / 2,
  volume: 1,
});
const columns = (rows: readonly Ohlcv[]): OhlcvColumns => ({
  length: rows.length,
  timestamp: Float64Array.from(rows, (r) => r.timestamp),
  open: Float64Array.from(rows, (r) => r.open),
  high: Float64Array.from(rows, (r) => r.high),
  low: Float64Array.from(rows, (r) => r.low),
  close: Float64Array.from(rows, (r) => r.close),
  volume: Float64Array.from(rows, (r) => r.volume),
});

// Daily bars from Monday 2025-01-13 to Thursday 2025-01-30. Week of 2025-01-20 (Mon–Sun):
// highest high 46000 (Fri 24th), lowest low 43500 (Mon 20th). The week before reaches 50000 on
// Sunday the 19th and the current week 40000 on Tuesday the 28th: neither may leak in.
const daily: Ohlcv[] = [];
for (let d = 0; d < 18; d++) {
  const ts = Date.UTC(2025, 0, 13) + d * DAY;
  const iso = new Date(ts).toISOString();
  if (iso.startsWith('2025-01-19')) daily.push(bar(iso, 50000, 44000));
  else if (iso.startsWith('2025-01-20')) daily.push(bar(iso, 44500, 43500));
  else if (iso.startsWith('2025-01-24')) daily.push(bar(iso, 46000, 45000));
  else if (iso.startsWith('2025-01-28')) daily.push(bar(iso, 45000, 40000));
  else daily.push(bar(iso, 45000, 44000));
}
const now = Date.parse('2025-01-30T10:30:00Z');

describe('weeklyHighLow', () => {
  it('reads the previous Monday-to-Sunday UTC week by default', () => {
    expect(weeklyHighLow(daily, now)).toEqual({ high: 46000, low: 43500, weekStart: Date.UTC(2025, 0, 20), barCount: 7 });
  });

  it('reads the week in progress up to now when asked', () => {
    // Monday 27th to Thursday 30th (the 30th opened before now): low 40000 on the 28th.
    expect(weeklyHighLow(daily, now, { week: 'current' })).toEqual({
      high: 45000,
      low: 40000,
      weekStart: Date.UTC(2025, 0, 27),
      barCount: 4,
    });
  });

  it('treats Sunday 23:59 as the old week and Monday 00:00 as the new one', () => {
    const sundayNight = Date.parse('2025-01-26T23:59:59Z');
    expect(weeklyHighLow(daily, sundayNight)?.weekStart).toBe(Date.UTC(2025, 0, 13));
    expect(weeklyHighLow(daily, sundayNight + 1000)?.weekStart).toBe(Date.UTC(2025, 0, 20));
  });

  it('gives the same answer for rows and columns, in any order', () => {
    expect(weeklyHighLow(columns(daily), now)).toEqual(weeklyHighLow(daily, now));
    expect(weeklyHighLow([...daily].reverse(), now)).toEqual(weeklyHighLow(daily, now));
  });

  it('skips bars with a non-finite high or low', () => {
    const withNaN = [...daily, { ...bar('2025-01-22T12:00:00Z', Number.NaN, 1), timestamp: Date.parse('2025-01-22T12:00:00Z') }];
    expect(weeklyHighLow(withNaN, now)).toEqual(weeklyHighLow(daily, now));
  });

  it('gives null when no bar lies in the week', () => {
    expect(weeklyHighLow(daily, now + 14 * DAY)).toBeNull();
    expect(weeklyHighLow([], now)).toBeNull();
  });

  it('does not modify its input', () => {
    const frozen = Object.freeze(daily.map((b) => Object.freeze({ ...b })));
    expect(weeklyHighLow(frozen, now)?.high).toBe(46000);
  });

  it('throws ConfigError on an unknown week or a non-finite now', () => {
    let error: unknown;
    try {
      weeklyHighLow(daily, now, { week: 'last' as 'previous' });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect(() => weeklyHighLow(daily, Number.NaN)).toThrow(/now/);
  });
});
