import { describe, expect, it } from 'vitest';
import { buildMarketContext, type MarketContextResult } from '../../src/context/build-market-context.js';
import type { Alert, Ohlcv, OhlcvColumns } from '../../src/schemas/index.js';

const DAY = 86_400_000;
const H4 = 4 * 3_600_000;
/** Thursday 2025-01-30 10:30 UTC; the previous UTC day is Wednesday 2025-01-29. */
const NOW = Date.parse('2025-01-30T10:30:00Z');
const WED = Date.parse('2025-01-29T00:00:00Z');

const bar = (timestamp: number, high: number, low: number, close: number): Ohlcv => ({
  timestamp,
  open: close,
  high,
  low,
  close,
  volume: 1,
});
/** `count` bars `width` apart, the last opening at `last`, all with H 110, L 90, C 100. */
const flat = (last: number, count: number, width = DAY): Ohlcv[] =>
  Array.from({ length: count }, (_, i) => bar(last - (count - 1 - i) * width, 110, 90, 100));
const columns = (rows: readonly Ohlcv[], length = rows.length): OhlcvColumns => ({
  length,
  timestamp: Float64Array.from(rows, (r) => r.timestamp),
  open: Float64Array.from(rows, (r) => r.open),
  high: Float64Array.from(rows, (r) => r.high),
  low: Float64Array.from(rows, (r) => r.low),
  close: Float64Array.from(rows, (r) => r.close),
  volume: Float64Array.from(rows, (r) => r.volume),
});
const reasons = (result: MarketContextResult): Record<string, string> => Object.fromEntries(result.missing.map((m) => [m.field, m.reason]));

/** Wednesday's bar: H 45,300, L 44,600, C 44,950 give P 44,950, R1 = 2P − L = 45,300, S1 = 2P − H = 44,600. */
const wednesday = bar(WED, 45300, 44600, 44950);
const SPEC_PIVOTS = { daily_pivot: 44950, daily_r1: 45300, daily_s1: 44600 };
const pivotsOf = (result: MarketContextResult) => {
  const { daily_pivot, daily_r1, daily_s1 } = result.document.key_levels;
  return { daily_pivot, daily_r1, daily_s1 };
};

describe('buildMarketContext: the reason of each missing field', () => {
  it('names the missing input when no bars and no ATR are given', () => {
    const why = reasons(buildMarketContext({ symbol: 'BTCUSD', now: NOW }));
    expect(why['trend_1D']).toContain('no 1D bars');
    expect(why['trend_4H']).toContain('no 4H bars');
    expect(why['key_levels.daily_pivot']).toContain('no 1D bars');
    expect(why['key_levels.weekly_high']).toContain('no 1D bars');
    expect(why['volatility_regime']).toContain('no ATR series');
  });

  it('gives the count and the period when the 4H history is short (the README example)', () => {
    const fourHour = flat(Date.parse('2025-01-30T04:00:00Z'), 12, H4);
    expect(reasons(buildMarketContext({ symbol: 'BTCUSD', now: NOW, fourHour }))['trend_4H']).toBe(
      '12 completed 4H bars, the trend needs 20',
    );
  });

  it('computes the trend from exactly `period` completed bars', () => {
    const result = buildMarketContext({
      symbol: 'BTCUSD',
      now: NOW,
      daily: flat(WED, 20),
      fourHour: flat(Date.parse('2025-01-30T04:00:00Z'), 20, H4),
    });
    expect(result.document.trend_1D).toBe('ranging');
    expect(result.document.trend_4H).toBe('ranging');
  });

  it('says why when the last `period` bars hold a non-finite close', () => {
    const daily = flat(WED, 20);
    daily[15] = bar(daily[15]!.timestamp, 110, 90, Number.NaN);
    const result = buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily });
    expect(result.document.trend_1D).toBeNull();
    expect(reasons(result)['trend_1D']).toContain('non-finite close');
  });

  it('says why when the previous day’s bar has high < low', () => {
    const result = buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily: [bar(WED, 44600, 45300, 44950)] });
    expect(pivotsOf(result)).toEqual({ daily_pivot: null, daily_r1: null, daily_s1: null });
    expect(reasons(result)['key_levels.daily_pivot']).toContain('2025-01-29T00:00:00Z');
    expect(reasons(result)['key_levels.daily_pivot']).toContain('high < low');
  });
});

describe('buildMarketContext: which daily bars are complete', () => {
  it('reads a daily bar complete exactly at `now` (open + 1 day = now), as rows and as columns', () => {
    const now = Date.parse('2025-01-30T00:00:00Z');
    for (const daily of [[wednesday], columns([wednesday])]) {
      expect(pivotsOf(buildMarketContext({ symbol: 'BTCUSD', now, daily }))).toEqual(SPEC_PIVOTS);
    }
  });

  it('finds the previous day’s bar first in the list, and as the last of all-complete rows', () => {
    const today = bar(Date.parse('2025-01-30T00:00:00Z'), 99999, 1, 50000);
    for (const daily of [[wednesday], [wednesday, today], columns([wednesday, today]), [bar(WED - DAY, 1, 1, 1), wednesday]]) {
      expect(pivotsOf(buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily }))).toEqual(SPEC_PIVOTS);
    }
  });

  it('gives no pivots when the previous day’s bar is absent, even if an older bar is last', () => {
    const daily = columns([bar(WED - 2 * DAY, 45000, 44000, 44500)]);
    const result = buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily });
    expect(pivotsOf(result)).toEqual({ daily_pivot: null, daily_r1: null, daily_s1: null });
    expect(reasons(result)['key_levels.daily_pivot']).toContain('no 1D bar opens at 2025-01-29T00:00:00Z');
  });

  it('stops at the first incomplete bar: a complete bar after it is not read', () => {
    const today = bar(Date.parse('2025-01-30T00:00:00Z'), 99999, 1, 50000);
    const daily = columns([bar(WED - DAY, 45000, 44000, 44500), today, wednesday]);
    expect(pivotsOf(buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily })).daily_pivot).toBeNull();
  });

  it('reads columns up to their `length`, not to the end of their arrays', () => {
    const daily = columns([bar(WED - DAY, 45000, 44000, 44500), wednesday], 1);
    expect(pivotsOf(buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily })).daily_pivot).toBeNull();
  });
});

describe('buildMarketContext: the weekly levels', () => {
  // The previous week is Monday 2025-01-20 … Sunday 2025-01-26; the current one starts Monday 2025-01-27.
  const MON_PREV = Date.parse('2025-01-20T00:00:00Z');
  const week = (count: number): Ohlcv[] => Array.from({ length: count }, (_, i) => bar(MON_PREV + i * DAY, 46000 - i, 43500 + i, 45000));
  const levels = (result: MarketContextResult) => [result.document.key_levels.weekly_high, result.document.key_levels.weekly_low];

  it('reports the previous week with exactly `minBars` (5) bars', () => {
    expect(levels(buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily: week(5) }))).toEqual([46000, 43500]);
  });

  it('says how many bars of which week were found and how many are needed', () => {
    const result = buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily: week(4) });
    expect(levels(result)).toEqual([null, null]);
    expect(reasons(result)['key_levels.weekly_high']).toBe('4 completed 1D bars in the previous week from 2025-01-20T00:00:00Z, 5 needed');
  });

  it('reads the current week when asked, from one completed day (minBars does not apply)', () => {
    // Monday 27 and Tuesday 28 are complete at Thursday 10:30, and Wednesday 29; Thursday 30 is not.
    const daily = [
      ...week(7),
      bar(Date.parse('2025-01-27T00:00:00Z'), 45400, 44700, 45000),
      bar(Date.parse('2025-01-28T00:00:00Z'), 45350, 44650, 44900),
      wednesday,
      bar(Date.parse('2025-01-30T00:00:00Z'), 99999, 1, 50000),
    ];
    expect(levels(buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily }, { weekly: { week: 'current' } }))).toEqual([45400, 44600]);
    const oneDay = [...week(7), bar(Date.parse('2025-01-27T00:00:00Z'), 45400, 44700, 45000)];
    expect(levels(buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily: oneDay }, { weekly: { week: 'current' } }))).toEqual([
      45400, 44700,
    ]);
  });

  it('names the current week’s Monday when it has no completed day', () => {
    const result = buildMarketContext({ symbol: 'BTCUSD', now: NOW, daily: week(7) }, { weekly: { week: 'current' } });
    expect(reasons(result)['key_levels.weekly_low']).toBe('0 completed 1D bars in the current week from 2025-01-27T00:00:00Z, 1 needed');
  });
});

describe('buildMarketContext: the volatility regime', () => {
  const regimeOf = (atr: readonly number[]) => buildMarketContext({ symbol: 'BTCUSD', now: NOW, atr });

  it('takes the last finite ATR as the current one, skipping trailing NaN', () => {
    // 1 … 25 then NaN: the current ATR is 25, above all 24 before it: the 100th percentile.
    const { document, missing } = regimeOf([...Array.from({ length: 25 }, (_, i) => i + 1), Number.NaN]);
    expect([document.volatility_regime, document.volatility_percentile]).toEqual(['extreme', 100]);
    expect(missing.filter((m) => m.field.startsWith('volatility'))).toEqual([]);
  });

  it('ranks against exactly `minHistory` (20) finite values', () => {
    // 1 … 20 then 10.5: 10 of 20 below it, the 50th percentile, normal.
    const { document } = regimeOf([...Array.from({ length: 20 }, (_, i) => i + 1), 10.5]);
    expect([document.volatility_regime, document.volatility_percentile]).toEqual(['normal', 50]);
  });

  it('says the series has no finite value when every value is NaN', () => {
    expect(reasons(regimeOf([Number.NaN, Number.NaN]))['volatility_regime']).toBe('the ATR series has no finite value yet');
  });

  it('counts the history before a single finite value as 0 values', () => {
    expect(reasons(regimeOf([5]))['volatility_percentile']).toBe('0 finite ATR values before the current one, 20 needed');
  });
});

describe('buildMarketContext: recent events', () => {
  const alert = (timestamp: string): Alert => ({
    alert_id: `DATA-ALERT-${timestamp}`,
    timestamp,
    severity: 'warning',
    type: 'data_quality',
    message: timestamp,
    affected: { symbol: 'BTCUSD', source: 'exchange_api' },
    action_taken: 'Monitoring, no intervention required',
    escalate: false,
  });

  it('keeps an alert raised exactly at `now` (the window is (now − windowMs, now])', () => {
    const { document } = buildMarketContext({ symbol: 'BTCUSD', now: NOW, alerts: [alert('2025-01-30T10:30:00Z')] });
    expect(document.recent_events.map((e) => e.message)).toEqual(['2025-01-30T10:30:00Z']);
  });
});
