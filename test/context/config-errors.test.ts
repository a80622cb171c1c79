import { describe, expect, it } from 'vitest';
import { buildMarketContext } from '../../src/context/build-market-context.js';
import { currentSession } from '../../src/context/current-session.js';
import { trendDirection } from '../../src/context/trend-direction.js';
import { volatilityRegime } from '../../src/context/volatility-regime.js';
import { weeklyHighLow } from '../../src/context/weekly-high-low.js';
import { describeConfigErrors, type ConfigErrorCase } from '../support/config-error-cases.js';

const NOW = Date.parse('2025-01-30T10:30:00Z');
const LONDON = { name: 'london', timeZone: 'Europe/London', start: '08:00', end: '17:00' } as const;
const KILLZONE = { name: 'kz', timeZone: 'Europe/London', start: '08:00', end: '11:00' } as const;

/** `currentSession` with these killzones (the default sessions). */
const killzones =
  (windows: unknown): (() => unknown) =>
  () =>
    currentSession(NOW, { killzones: windows as never });
/** `currentSession` with these sessions (the default killzones). */
const sessions =
  (windows: unknown): (() => unknown) =>
  () =>
    currentSession(NOW, { sessions: windows as never });
const context =
  (options: unknown): (() => unknown) =>
  () =>
    buildMarketContext({ symbol: 'BTCUSD', now: NOW }, options as never);

/**
 * The README's rule for bad options: a `ConfigError` naming the path and the offending value.
 * Each case gives the path, the value and the fragments its message must contain: the path, the
 * range the TSDoc documents, and the value given.
 */
const cases: ConfigErrorCase[] = [
  // buildMarketContext
  {
    name: 'an empty symbol',
    attempt: () => buildMarketContext({ symbol: '', now: NOW }),
    path: ['symbol'],
    value: '',
    says: ['`symbol`', 'non-empty string'],
  },
  {
    name: 'a symbol that is not a string',
    attempt: () => buildMarketContext({ symbol: 7 as never, now: NOW }),
    path: ['symbol'],
    value: 7,
    says: ['`symbol`', 'non-empty string', '`7`'],
  },
  {
    name: 'a non-finite now (buildMarketContext)',
    attempt: () => buildMarketContext({ symbol: 'BTCUSD', now: Number.NaN }),
    path: ['now'],
    value: Number.NaN,
    says: ['`now`', 'finite epoch milliseconds', '`NaN`'],
  },
  {
    name: 'a lookback of 0',
    attempt: context({ volatility: { lookback: 0 } }),
    path: ['volatility', 'lookback'],
    value: 0,
    says: ['`volatility.lookback`', 'integer from 1 to ∞', '`0`'],
  },
  {
    name: 'a fractional lookback',
    attempt: context({ volatility: { lookback: 2.5 } }),
    path: ['volatility', 'lookback'],
    value: 2.5,
    says: ['`volatility.lookback`', 'from 1 to ∞', '`2.5`'],
  },
  {
    name: 'a minHistory above the lookback',
    attempt: context({ volatility: { lookback: 10, minHistory: 11 } }),
    path: ['volatility', 'minHistory'],
    value: 11,
    says: ['`volatility.minHistory`', 'integer from 1 to 10', '`11`'],
  },
  {
    name: 'a minHistory of 0',
    attempt: context({ volatility: { minHistory: 0 } }),
    path: ['volatility', 'minHistory'],
    value: 0,
    says: ['`volatility.minHistory`', 'from 1 to 100', '`0`'],
  },
  {
    name: 'a weekly minBars of 8',
    attempt: context({ weekly: { minBars: 8 } }),
    path: ['weekly', 'minBars'],
    value: 8,
    says: ['`weekly.minBars`', 'integer from 1 to 7', '`8`'],
  },
  {
    name: 'a weekly minBars of 0',
    attempt: context({ weekly: { minBars: 0 } }),
    path: ['weekly', 'minBars'],
    value: 0,
    says: ['`weekly.minBars`', 'from 1 to 7', '`0`'],
  },
  {
    name: 'an events window of 0 ms',
    attempt: context({ events: { windowMs: 0 } }),
    path: ['events', 'windowMs'],
    value: 0,
    says: ['`events.windowMs`', 'positive number of ms', '`0`'],
  },
  {
    name: 'an events window that is not a number',
    attempt: context({ events: { windowMs: '1h' } }),
    path: ['events', 'windowMs'],
    value: '1h',
    says: ['`events.windowMs`', 'positive', '`1h`'],
  },
  {
    name: 'a negative events max',
    attempt: context({ events: { max: -1 } }),
    path: ['events', 'max'],
    value: -1,
    says: ['`events.max`', 'integer from 0 to ∞', '`-1`'],
  },
  // trendDirection
  {
    name: 'a trend period of 2',
    attempt: () => trendDirection([], { period: 2 }),
    path: ['period'],
    value: 2,
    says: ['`period`', 'integer of at least 3', '`2`'],
  },
  {
    name: 'a trend threshold of 0',
    attempt: () => trendDirection([], { threshold: 0 }),
    path: ['threshold'],
    value: 0,
    says: ['`threshold`', 'positive number', '`0`'],
  },
  // volatilityRegime
  {
    name: 'a low threshold above 100',
    attempt: () => volatilityRegime([1], 1, { low: 101 }),
    path: ['low'],
    value: 101,
    says: ['`low`', 'percentile from 0 to 100', '`101`'],
  },
  {
    name: 'negative thresholds',
    attempt: () => volatilityRegime([1], 1, { low: -2, high: -1, extreme: -0.5 }),
    path: ['low'],
    value: -2,
    says: ['`low`', 'from 0 to 100', '`-2`'],
  },
  {
    name: 'low equal to high',
    attempt: () => volatilityRegime([1], 1, { low: 50, high: 50 }),
    path: [],
    value: { low: 50, high: 50, extreme: 95 },
    says: ['`low < high < extreme`', '`50`, `50`, `95`'],
  },
  {
    name: 'high equal to extreme',
    attempt: () => volatilityRegime([1], 1, { high: 95 }),
    path: [],
    value: { low: 25, high: 95, extreme: 95 },
    says: ['`low < high < extreme`', '`25`, `95`, `95`'],
  },
  // weeklyHighLow
  {
    name: 'a non-finite now (weeklyHighLow)',
    attempt: () => weeklyHighLow([], Number.POSITIVE_INFINITY),
    path: ['now'],
    value: Number.POSITIVE_INFINITY,
    says: ['`now`', 'finite epoch milliseconds', '`Infinity`'],
  },
  {
    name: 'an unknown week',
    attempt: () => weeklyHighLow([], NOW, { week: 'next' as never }),
    path: ['week'],
    value: 'next',
    says: ['`week`', "'previous' or 'current'", '`next`'],
  },
  // currentSession
  {
    name: 'a non-finite now (currentSession)',
    attempt: () => currentSession(Number.NaN),
    path: ['now'],
    value: Number.NaN,
    says: ['`now`', 'finite epoch milliseconds', '`NaN`'],
  },
  {
    name: 'sessions that are not an array',
    attempt: sessions(LONDON),
    path: ['sessions'],
    value: LONDON,
    says: ['`sessions`', 'an array of windows'],
  },
  {
    name: 'a killzone that is null',
    attempt: killzones([null]),
    path: ['killzones', 0],
    value: null,
    says: ['`killzones.0`', 'an object', '`null`'],
  },
  {
    name: 'a killzone that is a number',
    attempt: killzones([KILLZONE, 5]),
    path: ['killzones', 1],
    value: 5,
    says: ['`killzones.1`', 'an object', '`5`'],
  },
  {
    name: 'a killzone with an empty name',
    attempt: killzones([{ ...KILLZONE, name: '' }]),
    path: ['killzones', 0, 'name'],
    value: '',
    says: ['`killzones.0.name`', 'a non-empty string'],
  },
  {
    name: 'a session named after no session',
    attempt: sessions([LONDON, { ...LONDON, name: 'sydney' }]),
    path: ['sessions', 1, 'name'],
    value: 'sydney',
    says: ['`sessions.1.name`', 'one of asia, london, new_york', '`sydney`'],
  },
  {
    name: 'an unknown time zone',
    attempt: killzones([{ ...KILLZONE, timeZone: 'Mars/Olympus' }]),
    path: ['killzones', 0, 'timeZone'],
    value: 'Mars/Olympus',
    says: ['`killzones.0.timeZone`', 'an IANA time zone', '`Mars/Olympus`'],
  },
  {
    name: 'a start of 24:00',
    attempt: killzones([{ ...KILLZONE, start: '24:00' }]),
    path: ['killzones', 0, 'start'],
    value: '24:00',
    says: ['`killzones.0.start`', "a local time 'HH:mm' from '00:00' to '23:59'", '`24:00`'],
  },
  {
    name: 'an end of 24:30',
    attempt: killzones([{ ...KILLZONE, end: '24:30' }]),
    path: ['killzones', 0, 'end'],
    value: '24:30',
    says: ['`killzones.0.end`', "a local time 'HH:mm' from '00:00' to '24:00'", '`24:30`'],
  },
  {
    name: 'an end equal to the start',
    attempt: killzones([{ ...KILLZONE, start: '09:15', end: '09:15' }]),
    path: ['killzones', 0, 'end'],
    value: '09:15',
    says: ['`killzones.0.end`', 'different from `start` (09:15)', '`09:15`'],
  },
  {
    name: 'an empty weekday list',
    attempt: killzones([{ ...KILLZONE, days: [] }]),
    path: ['killzones', 0, 'days'],
    value: [],
    says: ['`killzones.0.days`', 'a non-empty array of ISO weekdays (1 = Monday … 7 = Sunday)'],
  },
  {
    name: 'a weekday of 8',
    attempt: killzones([{ ...KILLZONE, days: [1, 8] }]),
    path: ['killzones', 0, 'days', 1],
    value: 8,
    says: ['`killzones.0.days.1`', 'an ISO weekday from 1 (Monday) to 7 (Sunday)', '`8`'],
  },
  {
    name: 'a weekday of 0',
    attempt: killzones([{ ...KILLZONE, days: [0] }]),
    path: ['killzones', 0, 'days', 0],
    value: 0,
    says: ['`killzones.0.days.0`', 'an ISO weekday', '`0`'],
  },
];

describeConfigErrors('the market context’s ConfigError', cases);

describe('the edges of each documented range are accepted', () => {
  it('takes a lookback and a minHistory of 1, a minBars of 1 and of 7, and an events max of 0', () => {
    expect(() => context({ volatility: { lookback: 1, minHistory: 1 }, weekly: { minBars: 1 }, events: { max: 0 } })()).not.toThrow();
    expect(() => context({ volatility: { lookback: 5, minHistory: 5 }, weekly: { minBars: 7 } })()).not.toThrow();
  });

  it('takes a trend period of 3', () => {
    expect(() => trendDirection([], { period: 3 })).not.toThrow();
  });

  it('takes thresholds of 0 and 100', () => {
    expect(volatilityRegime([1, 2, 3, 4], 1, { low: 0, high: 50, extreme: 100 })).toEqual({
      regime: 'normal',
      percentile: 25,
      sampleSize: 4,
    });
  });
});
