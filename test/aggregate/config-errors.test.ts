import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { alignSources } from '../../src/aggregate/align-sources.js';
import { joinHigherTimeframe } from '../../src/aggregate/join-higher-timeframe.js';
import { mergeSources } from '../../src/aggregate/merge-sources.js';
import { OhlcvAggregator } from '../../src/aggregate/ohlcv-aggregator.js';
import { TickAggregator } from '../../src/aggregate/tick-aggregator.js';
import { ticksToOhlcv } from '../../src/aggregate/ticks-to-ohlcv.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { describeConfigErrors, type ConfigErrorCase } from '../support/config-error-cases.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const bar = (timestamp: number): Ohlcv => ({ timestamp, open: 1, high: 1, low: 1, close: 1, volume: 1 });
const ONE = [bar(T0)];

const aggregate =
  (options: unknown, target: unknown = '5m'): (() => unknown) =>
  () =>
    aggregateOhlcv(ONE, target as never, options as never);
const streaming =
  (options: unknown): (() => unknown) =>
  () =>
    new OhlcvAggregator({ source: '1m', target: '5m', ...(options as object) } as never);
const ticks =
  (options: unknown, timeframe: unknown = '1m'): (() => unknown) =>
  () =>
    ticksToOhlcv([], timeframe as never, options as never);
const merge =
  (options: unknown): (() => unknown) =>
  () =>
    mergeSources(ONE, ONE, options as never);
const align =
  (options: unknown, timeframe: unknown = '1m'): (() => unknown) =>
  () =>
    alignSources({ a: ONE }, timeframe as never, options as never);
const join =
  (lowerTf: unknown, higherTf: unknown): (() => unknown) =>
  () =>
    joinHigherTimeframe(ONE, lowerTf as never, ONE, higherTf as never);

/**
 * The README's rule for bad options: a `ConfigError` naming the path and the offending value.
 * Each case gives the path, the value and the fragments its message must contain: the option's
 * name, what the TSDoc accepts, and the value given.
 */
const cases: ConfigErrorCase[] = [
  // aggregateOhlcv
  {
    name: 'a partialStart that is not keep or drop',
    attempt: aggregate({ partialStart: 'maybe' }),
    path: ['partialStart'],
    value: 'maybe',
    says: ['`partialStart`', "'keep' or 'drop'", '`maybe`'],
  },
  {
    name: 'a partialEnd that is not keep or drop',
    attempt: aggregate({ partialEnd: 'later' }),
    path: ['partialEnd'],
    value: 'later',
    says: ['`partialEnd`', "'keep' or 'drop'", '`later`'],
  },
  {
    name: 'an exchangeExact that is not a boolean',
    attempt: aggregate({ exchangeExact: 'yes' }),
    path: ['exchangeExact'],
    value: 'yes',
    says: ['`exchangeExact`', 'a boolean', '`yes`'],
  },
  {
    name: 'a count that is not a boolean',
    attempt: aggregate({ count: 1 }),
    path: ['count'],
    value: 1,
    says: ['`count`', 'a boolean', '`1`'],
  },
  {
    name: 'a provenance that is not a boolean',
    attempt: aggregate({ provenance: 'no' }),
    path: ['provenance'],
    value: 'no',
    says: ['`provenance`', 'a boolean', '`no`'],
  },
  {
    name: 'an unknown source timeframe',
    attempt: aggregate({ source: '7m' }),
    path: ['source'],
    value: '7m',
    says: ['`source`', 'a timeframe', '"7m"'],
  },
  {
    name: 'an unknown target timeframe',
    attempt: aggregate({}, '7m'),
    path: ['target'],
    value: '7m',
    says: ['`target`', 'a timeframe', '"7m"'],
  },
  {
    name: 'an unknown timeframe among several targets',
    attempt: aggregate({}, ['5m', '7m']),
    path: ['targets', 1],
    value: '7m',
    says: ['`targets.1`', 'a timeframe', '"7m"'],
  },
  {
    name: 'a target smaller than the source',
    attempt: aggregate({ source: '5m' }, '1m'),
    path: ['target'],
    value: '1m',
    says: ['`5m`', '`1m`', 'smaller than the source'],
  },
  {
    name: 'a target the source does not divide',
    attempt: aggregate({ source: '3m' }, '5m'),
    path: ['target'],
    value: '5m',
    says: ['`3m` buckets do not divide `5m` buckets'],
  },
  {
    name: 'a month target from week bars',
    attempt: aggregate({ source: '1W' }, '1M'),
    path: ['target'],
    value: '1M',
    says: ['`1W` buckets do not divide `1M` buckets'],
  },
  {
    name: 'a day target from month bars',
    attempt: aggregate({ source: '1M' }, '1D'),
    path: ['target'],
    value: '1D',
    says: ['`1M`', '`1D`', 'at least as large as the source'],
  },
  {
    name: 'a target the source does not divide, among several targets',
    attempt: aggregate({ source: '3m' }, ['15m', '5m']),
    path: ['targets', 1],
    value: '5m',
    says: ['`3m` buckets do not divide `5m` buckets'],
  },
  // OhlcvAggregator
  {
    name: 'an unknown source (OhlcvAggregator)',
    attempt: streaming({ source: '7m' }),
    path: ['source'],
    value: '7m',
    says: ['`source`', 'a timeframe', '"7m"'],
  },
  {
    name: 'an unknown target (OhlcvAggregator)',
    attempt: streaming({ target: '7m' }),
    path: ['target'],
    value: '7m',
    says: ['`target`', 'a timeframe', '"7m"'],
  },
  {
    name: 'a target smaller than the source (OhlcvAggregator)',
    attempt: streaming({ source: '15m', target: '5m' }),
    path: ['target'],
    value: '5m',
    says: ['`15m`', '`5m`', 'smaller than the source'],
  },
  {
    name: 'an exchangeExact that is not a boolean (OhlcvAggregator)',
    attempt: streaming({ exchangeExact: 0 }),
    path: ['exchangeExact'],
    value: 0,
    says: ['`exchangeExact`', 'a boolean', '`0`'],
  },
  {
    name: 'a count that is not a boolean (OhlcvAggregator)',
    attempt: streaming({ count: 'true' }),
    path: ['count'],
    value: 'true',
    says: ['`count`', 'a boolean', '`true`'],
  },
  {
    name: 'a provenance that is not a boolean (OhlcvAggregator)',
    attempt: streaming({ provenance: 1 }),
    path: ['provenance'],
    value: 1,
    says: ['`provenance`', 'a boolean', '`1`'],
  },
  {
    name: 'a partialStart that is not keep or drop (OhlcvAggregator)',
    attempt: streaming({ partialStart: 'skip' }),
    path: ['partialStart'],
    value: 'skip',
    says: ['`partialStart`', "'keep' or 'drop'", '`skip`'],
  },
  // TickAggregator and ticksToOhlcv
  {
    name: 'an unknown timeframe (TickAggregator)',
    attempt: () => new TickAggregator({ timeframe: '7m' as never }),
    path: ['timeframe'],
    value: '7m',
    says: ['`timeframe`', 'a timeframe', '"7m"'],
  },
  {
    name: 'an unknown timeframe (ticksToOhlcv)',
    attempt: ticks({}, '7m'),
    path: ['timeframe'],
    value: '7m',
    says: ['`timeframe`', 'a timeframe', '"7m"'],
  },
  {
    name: 'a partialEnd that is not keep or drop (ticksToOhlcv)',
    attempt: ticks({ partialEnd: 'never' }),
    path: ['partialEnd'],
    value: 'never',
    says: ['`partialEnd`', "'keep' or 'drop'", '`never`'],
  },
  {
    name: 'an until that is not a number',
    attempt: ticks({ until: '2024-01-01' }),
    path: ['until'],
    value: '2024-01-01',
    says: ['`until`', 'epoch milliseconds', '`2024-01-01`'],
  },
  {
    name: 'an until of NaN',
    attempt: ticks({ until: Number.NaN }),
    path: ['until'],
    value: Number.NaN,
    says: ['`until`', 'epoch milliseconds', '`NaN`'],
  },
  // mergeSources
  {
    name: 'a negative tolerance',
    attempt: merge({ tolerance: -0.01 }),
    path: ['tolerance'],
    value: -0.01,
    says: ['`tolerance`', 'a finite number >= 0', '`-0.01`'],
  },
  {
    name: 'a tolerance of NaN',
    attempt: merge({ tolerance: Number.NaN }),
    path: ['tolerance'],
    value: Number.NaN,
    says: ['`tolerance`', 'a finite number >= 0', '`NaN`'],
  },
  {
    name: 'an infinite tolerance',
    attempt: merge({ tolerance: Number.POSITIVE_INFINITY }),
    path: ['tolerance'],
    value: Number.POSITIVE_INFINITY,
    says: ['`tolerance`', 'a finite number >= 0', '`Infinity`'],
  },
  {
    name: 'a tolerance that is a string',
    attempt: merge({ tolerance: '0.1' }),
    path: ['tolerance'],
    value: '0.1',
    says: ['`tolerance`', 'a finite number >= 0', '`0.1`'],
  },
  {
    name: 'names that are not an array',
    attempt: merge({ names: 'ab' }),
    path: ['names'],
    value: 'ab',
    says: ['`names`', 'two strings', '`ab`'],
  },
  {
    name: 'one name',
    attempt: merge({ names: ['a'] }),
    path: ['names'],
    value: ['a'],
    says: ['`names`', 'two strings', '`a`'],
  },
  {
    name: 'three names',
    attempt: merge({ names: ['a', 'b', 'c'] }),
    path: ['names'],
    value: ['a', 'b', 'c'],
    says: ['`names`', 'two strings', '`a,b,c`'],
  },
  {
    name: 'a second name that is not a string',
    attempt: merge({ names: ['a', 2] }),
    path: ['names'],
    value: ['a', 2],
    says: ['`names`', 'two strings', '`a,2`'],
  },
  {
    name: 'a first name that is not a string',
    attempt: merge({ names: [1, 'b'] }),
    path: ['names'],
    value: [1, 'b'],
    says: ['`names`', 'two strings', '`1,b`'],
  },
  // alignSources
  {
    name: 'an unknown timeframe (alignSources)',
    attempt: align({}, '7m'),
    path: ['timeframe'],
    value: '7m',
    says: ['`timeframe`', 'a timeframe', '"7m"'],
  },
  {
    name: 'an unknown grid',
    attempt: align({ grid: 'all' }),
    path: ['grid'],
    value: 'all',
    says: ['`grid`', "'full', 'union' or 'intersection'", '`all`'],
  },
  {
    name: 'a snap that is not a boolean',
    attempt: align({ snap: 'yes' }),
    path: ['snap'],
    value: 'yes',
    says: ['`snap`', 'a boolean', '`yes`'],
  },
  {
    name: 'a maxGridBars of 0',
    attempt: align({ maxGridBars: 0 }),
    path: ['maxGridBars'],
    value: 0,
    says: ['`maxGridBars`', 'a positive integer', '`0`'],
  },
  {
    name: 'a fractional maxGridBars',
    attempt: align({ maxGridBars: 1.5 }),
    path: ['maxGridBars'],
    value: 1.5,
    says: ['`maxGridBars`', 'a positive integer', '`1.5`'],
  },
  {
    name: 'a maxGridBars that is a string',
    attempt: align({ maxGridBars: '10' }),
    path: ['maxGridBars'],
    value: '10',
    says: ['`maxGridBars`', 'a positive integer', '10'],
  },
  {
    // Minutes 0 to 3 are 4 slots of the full 1m grid.
    name: 'a full 1m grid one slot longer than maxGridBars',
    attempt: () => alignSources({ a: [bar(T0)], b: [bar(T0 + 3 * MINUTE)] }, '1m', { maxGridBars: 3 }),
    path: ['maxGridBars'],
    value: 3,
    says: ['full 1m grid', '2024-01-01T00:00:00', '2024-01-01T00:03:00', 'has 4 slots', '`maxGridBars` (3)', "`grid: 'union'`"],
  },
  {
    // January 2024 to March 2025: 12 + 3 = 15 months.
    name: 'a full 1M grid one slot longer than maxGridBars',
    attempt: () => alignSources({ a: [bar(T0)], b: [bar(Date.UTC(2025, 2, 1))] }, '1M', { maxGridBars: 14 }),
    path: ['maxGridBars'],
    value: 14,
    says: ['full 1M grid', 'has 15 slots', '`maxGridBars` (14)'],
  },
  // joinHigherTimeframe
  {
    name: 'an unknown lower timeframe',
    attempt: join('7m', '1H'),
    path: ['lowerTf'],
    value: '7m',
    says: ['`lowerTf`', 'a timeframe', '"7m"'],
  },
  {
    name: 'an unknown higher timeframe',
    attempt: join('1m', '7m'),
    path: ['higherTf'],
    value: '7m',
    says: ['`higherTf`', 'a timeframe', '"7m"'],
  },
  {
    name: 'a higher timeframe below the lower one',
    attempt: join('5m', '1m'),
    path: ['higherTf'],
    value: '1m',
    says: ['`higherTf`', 'at least `5m`', '`1m`'],
  },
];

describeConfigErrors('the aggregate module’s ConfigError', cases);

describe('the edges of each documented range are accepted', () => {
  it('aggregates a timeframe to itself, weeks to weeks and months to months', () => {
    expect(aggregateOhlcv(ONE, '5m', { source: '5m' }).bars).toHaveLength(1);
    expect(aggregateOhlcv([bar(Date.UTC(2024, 0, 1))], '1W', { source: '1W' }).bars).toHaveLength(1);
    expect(aggregateOhlcv(ONE, '1M', { source: '1M' }).bars).toHaveLength(1);
    expect(() => new OhlcvAggregator({ source: '1W', target: '1W' })).not.toThrow();
    expect(() => new OhlcvAggregator({ source: '1M', target: '1M' })).not.toThrow();
  });

  it('takes a tolerance of 0 and any two names', () => {
    expect(() => mergeSources(ONE, ONE, { tolerance: 0, names: ['x', 'y'] })).not.toThrow();
  });

  it('takes an until of ±Infinity (epoch milliseconds that are not NaN)', () => {
    expect(() => ticksToOhlcv([], '1m', { until: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  it('takes a maxGridBars of 1, and a full grid of exactly maxGridBars slots', () => {
    expect(alignSources({ a: ONE }, '1m', { maxGridBars: 1 }).timestamps).toEqual(Float64Array.of(T0));
    expect(alignSources({ a: [bar(T0)], b: [bar(T0 + 3 * MINUTE)] }, '1m', { maxGridBars: 4 }).timestamps).toHaveLength(4);
    expect(alignSources({ a: [bar(T0)], b: [bar(Date.UTC(2025, 2, 1))] }, '1M', { maxGridBars: 15 }).timestamps).toHaveLength(15);
  });

  it('joins a timeframe with itself', () => {
    expect(joinHigherTimeframe(ONE, '5m', ONE, '5m')).toHaveLength(1);
  });
});
