import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMarketContext, type MarketContextInputs } from '../../src/context/build-market-context.js';
import { isConfigError } from '../../src/errors/config-error.js';
import { MarketContextSchema, type Alert, type Ohlcv, type OhlcvColumns } from '../../src/schemas/index.js';

const DAY = 86_400_000;
const H4 = 4 * 3_600_000;
const NOW = Date.parse('2025-01-30T10:30:00Z');

/** The specification's `market_context` example, verbatim. */
const SPEC_EXAMPLE = {
  updated_at: '2025-01-30T10:30:00Z',
  symbol: 'BTCUSD',
  volatility_regime: 'normal',
  volatility_percentile: 45,
  trend_1D: 'bullish',
  trend_4H: 'ranging',
  session: { current: 'london', minutes_into_session: 150, killzone_active: true },
  key_levels: { daily_pivot: 44950, daily_r1: 45300, daily_s1: 44600, weekly_high: 46000, weekly_low: 43500 },
  recent_events: [],
};

const bar = (timestamp: number, high: number, low: number, close: number): Ohlcv => ({
  timestamp,
  open: close,
  high,
  low,
  close,
  volume: 1,
});

/**
 * Daily bars from 2024-12-01 to 2025-01-30 that reproduce the example's levels:
 * - up to Sunday 2025-01-19 a steady rise of 60 a day to 43,900 (ranges of ±200);
 * - the week of Monday 2025-01-20: low 43,500 on Monday, high 46,000 on Friday;
 * - Wednesday 2025-01-29, the previous UTC day: H 45,300, L 44,600, C 44,950, which gives
 *   P = (45300 + 44600 + 44950) / 3 = 44,950, R1 = 2P − L = 45,300, S1 = 2P − H = 44,600;
 * - Thursday 2025-01-30, the day in progress, with a made-up extreme that must not be read.
 */
function dailyBars(): Ohlcv[] {
  const bars: Ohlcv[] = [];
  const start = Date.UTC(2024, 11, 1);
  const jan19 = Date.UTC(2025, 0, 19);
  for (let t = start; t <= jan19; t += DAY) {
    const close = 43900 - ((jan19 - t) / DAY) * 60;
    bars.push(bar(t, close + 200, close - 200, close));
  }
  const week: [number, number, number][] = [
    [44200, 43500, 44000], // Mon 20
    [44600, 43900, 44400], // Tue 21
    [45100, 44300, 45000], // Wed 22
    [45600, 44800, 45400], // Thu 23
    [46000, 45200, 45700], // Fri 24
    [45800, 45000, 45300], // Sat 25
    [45500, 44900, 45100], // Sun 26
    [45400, 44700, 45000], // Mon 27
    [45350, 44650, 44900], // Tue 28
    [45300, 44600, 44950], // Wed 29
    [99999, 1, 50000], // Thu 30, still forming at 10:30
  ];
  week.forEach(([h, l, c], i) => bars.push(bar(Date.UTC(2025, 0, 20) + i * DAY, h, l, c)));
  return bars;
}

/** 4H bars oscillating ±150 around 45,000 (no drift) up to the bar opening 2025-01-30 08:00Z. */
function fourHourBars(): Ohlcv[] {
  const bars: Ohlcv[] = [];
  const last = Date.parse('2025-01-30T08:00:00Z');
  for (let i = 0; i < 40; i++) {
    const close = 45000 + (i % 2 === 0 ? 150 : -150);
    bars.push(bar(last - (39 - i) * H4, close + 200, close - 200, close));
  }
  return bars;
}

/** ATR history 1…100 then a current ATR of 45.5: 45 of 100 below it, the 45th percentile. */
const atrSeries = [...Array.from({ length: 100 }, (_, i) => i + 1), 45.5];

const alert = (timestamp: string, symbol: string | undefined, message: string): Alert => ({
  alert_id: `DATA-ALERT-${message}`,
  timestamp,
  severity: 'warning',
  type: 'data_quality',
  message,
  affected: symbol === undefined ? { source: 'exchange_api' } : { symbol, source: 'exchange_api' },
  action_taken: 'Monitoring, no intervention required',
  escalate: false,
});

const inputs = (): MarketContextInputs => ({
  symbol: 'BTCUSD',
  now: NOW,
  daily: dailyBars(),
  fourHour: fourHourBars(),
  atr: atrSeries,
  alerts: [],
});

const toColumns = (rows: readonly Ohlcv[]): OhlcvColumns => ({
  length: rows.length,
  timestamp: Float64Array.from(rows, (r) => r.timestamp),
  open: Float64Array.from(rows, (r) => r.open),
  high: Float64Array.from(rows, (r) => r.high),
  low: Float64Array.from(rows, (r) => r.low),
  close: Float64Array.from(rows, (r) => r.close),
  volume: Float64Array.from(rows, (r) => r.volume),
});

describe('buildMarketContext', () => {
  it('reproduces the specification example document', () => {
    const { document, missing } = buildMarketContext(inputs());
    expect(document).toEqual(SPEC_EXAMPLE);
    expect(missing).toEqual([]);
    expect(MarketContextSchema.parse(document)).toEqual(document);
  });

  it('gives the same document for columns as for rows, without reading the forming day', () => {
    const { document } = buildMarketContext({ ...inputs(), daily: toColumns(dailyBars()), fourHour: toColumns(fourHourBars()) });
    expect(document).toEqual(SPEC_EXAMPLE);
  });

  it('lists recent alerts for the symbol, oldest first', () => {
    const alerts = [
      alert('2025-01-30T10:00:00Z', 'BTCUSD', 'newest'),
      alert('2025-01-29T11:00:00Z', 'BTCUSD', 'older'),
      alert('2025-01-30T09:00:00Z', undefined, 'feed-wide'),
      alert('2025-01-30T09:30:00Z', 'ETHUSD', 'other symbol'),
      alert('2025-01-29T10:30:00Z', 'BTCUSD', 'exactly 24 h old'),
      alert('2025-01-30T10:31:00Z', 'BTCUSD', 'in the future'),
    ];
    const { document } = buildMarketContext({ ...inputs(), alerts });
    expect(document.recent_events).toEqual([
      { timestamp: '2025-01-29T11:00:00Z', type: 'data_quality', severity: 'warning', message: 'older' },
      { timestamp: '2025-01-30T09:00:00Z', type: 'data_quality', severity: 'warning', message: 'feed-wide' },
      { timestamp: '2025-01-30T10:00:00Z', type: 'data_quality', severity: 'warning', message: 'newest' },
    ]);
    expect(buildMarketContext({ ...inputs(), alerts }, { events: { max: 1 } }).document.recent_events.map((e) => e.message)).toEqual([
      'newest',
    ]);
  });

  it('leaves fields without history null and says why', () => {
    const { document, missing } = buildMarketContext({ symbol: 'BTCUSD', now: NOW });
    expect(MarketContextSchema.safeParse(document).success).toBe(true);
    expect(document).toMatchObject({
      volatility_regime: null,
      volatility_percentile: null,
      trend_1D: null,
      trend_4H: null,
      key_levels: { daily_pivot: null, daily_r1: null, daily_s1: null, weekly_high: null, weekly_low: null },
      session: { current: 'london', minutes_into_session: 150, killzone_active: true },
    });
    expect(missing.map((m) => m.field).sort()).toEqual(
      [
        'key_levels.daily_pivot',
        'key_levels.daily_r1',
        'key_levels.daily_s1',
        'key_levels.weekly_high',
        'key_levels.weekly_low',
        'trend_1D',
        'trend_4H',
        'volatility_percentile',
        'volatility_regime',
      ].sort(),
    );
  });

  it('reports a missing previous day without inventing pivots', () => {
    const daily = dailyBars().filter((b) => b.timestamp !== Date.UTC(2025, 0, 29));
    const { document, missing } = buildMarketContext({ ...inputs(), daily });
    expect(document.key_levels).toEqual({ daily_pivot: null, daily_r1: null, daily_s1: null, weekly_high: 46000, weekly_low: 43500 });
    expect(missing.find((m) => m.field === 'key_levels.daily_pivot')?.reason).toContain('2025-01-29T00:00:00Z');
  });

  it('needs enough bars for trends, weeks and the ATR percentile', () => {
    const daily = dailyBars().slice(-6); // 2025-01-25 … 30: five completed days
    const { document, missing } = buildMarketContext({
      ...inputs(),
      daily,
      fourHour: fourHourBars().slice(-10),
      atr: atrSeries.slice(-10),
    });
    expect(document.trend_1D).toBeNull();
    expect(document.trend_4H).toBeNull();
    expect(document.key_levels.weekly_high).toBeNull(); // 2 daily bars in the week of the 20th
    expect(document.volatility_regime).toBeNull(); // 9 ATR values before the current one
    expect(document.key_levels.daily_pivot).toBe(44950);
    const reasons = Object.fromEntries(missing.map((m) => [m.field, m.reason]));
    expect(reasons['trend_1D']).toMatch(/5 completed 1D bars, the trend needs 20/);
    expect(reasons['key_levels.weekly_high']).toMatch(/2 completed 1D bars/);
    expect(reasons['volatility_regime']).toMatch(/9 finite ATR values/);
  });

  it('computes the ATR from the daily bars when none is given', () => {
    const { atr: _atr, ...withoutAtr } = inputs();
    const { document, missing } = buildMarketContext(withoutAtr);
    expect(missing).toEqual([]);
    expect(document.volatility_regime).not.toBeNull();
  });

  it('always produces a schema-valid document whose null fields are all reported', () => {
    const days = dailyBars();
    const bars4h = fourHourBars();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: days.length }),
        fc.integer({ min: 0, max: bars4h.length }),
        fc.integer({ min: 0, max: atrSeries.length }),
        fc.integer({ min: -3 * DAY, max: 10 * DAY }),
        (nDaily, n4h, nAtr, shift) => {
          const { document, missing } = buildMarketContext({
            symbol: 'BTCUSD',
            now: NOW + shift,
            daily: days.slice(0, nDaily),
            fourHour: bars4h.slice(0, n4h),
            atr: atrSeries.slice(0, nAtr),
          });
          expect(MarketContextSchema.safeParse(document).success).toBe(true);
          const nulls = [
            ...Object.entries(document)
              .filter(([, v]) => v === null)
              .map(([k]) => k),
            ...Object.entries(document.key_levels)
              .filter(([, v]) => v === null)
              .map(([k]) => `key_levels.${k}`),
          ].sort();
          expect(missing.map((m) => m.field).sort()).toEqual(nulls);
        },
      ),
    );
  });

  it('does not modify its inputs', () => {
    const frozen = (rows: Ohlcv[]) => Object.freeze(rows.map((r) => Object.freeze(r)));
    const { document } = buildMarketContext({
      ...inputs(),
      daily: frozen(dailyBars()),
      fourHour: frozen(fourHourBars()),
      atr: Object.freeze([...atrSeries]),
      alerts: Object.freeze([Object.freeze(alert('2025-01-30T10:00:00Z', 'BTCUSD', 'x'))]),
    });
    expect(document.key_levels.daily_pivot).toBe(44950);
  });

  it('throws ConfigError on an empty symbol, a non-finite now or a bad option', () => {
    const bare: MarketContextInputs = { symbol: 'BTCUSD', now: NOW };
    const cases: [MarketContextInputs, Parameters<typeof buildMarketContext>[1]][] = [
      [{ ...inputs(), symbol: '' }, undefined],
      [{ ...inputs(), now: Number.NaN }, undefined],
      [inputs(), { volatility: { lookback: 0 } }],
      [inputs(), { volatility: { lookback: 10, minHistory: 11 } }],
      [inputs(), { weekly: { minBars: 8 } }],
      [inputs(), { events: { windowMs: -1 } }],
      [inputs(), { events: { max: 1.5 } }],
      [inputs(), { trend: { period: 1 } }],
      [bare, { trend: { threshold: 0 } }],
      [bare, { weekly: { week: 'last' as 'current' } }],
      [bare, { volatility: { thresholds: { low: 90 } } }],
      [bare, { session: { sessions: [{ name: 'london', timeZone: 'Nowhere/Special', start: '08:00', end: '17:00' }] } }],
    ];
    for (const [input, options] of cases) {
      let error: unknown;
      try {
        buildMarketContext(input, options);
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error), JSON.stringify(options)).toBe(true);
    }
  });
});
