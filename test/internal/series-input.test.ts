/**
 * The batch boundary (issue 16, items 13 and 14): every batch function reads its series through
 * `readSeries` / `readFieldSeries` once per call. The promises kept here, from the README's
 * "Bad market data never throws: it becomes issues": a hole or a `null` row is reported, never a
 * `TypeError`; `OhlcvColumns.length` is never believed over its arrays (never `valid: true`, never
 * a `RangeError`, never an allocation sized from it).
 */
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import type { Ohlcv, OhlcvColumns } from '../../src/index.js';
import { EMPTY_SERIES, readFieldSeries, readSeries } from '../../src/internal/series-input.js';
import { thrown } from '../support/thrown.js';

const T0 = Date.UTC(2024, 0, 1);
const bar = (m: number): Ohlcv => ({ timestamp: T0 + m * 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 });
const clean: Ohlcv[] = [bar(0), bar(1), bar(2)];

/** Every public batch function that takes a series of bars, called with `series` in its place. */
const batchCalls: Record<string, (series: api.OhlcvSeries) => unknown> = {
  toColumns: (s) => api.toColumns(s),
  toRows: (s) => api.toRows(s),
  toCcxtOhlcv: (s) => api.toCcxtOhlcv(s),
  validateOhlcv: (s) => api.validateOhlcv(s, { timeframe: '1m' }),
  checkValidity: (s) => api.checkValidity(s),
  checkCompleteness: (s) => api.checkCompleteness(s, { timeframe: '1m', end: T0 + 3 * 60_000 }),
  checkConsistency: (s) => api.checkConsistency(s, { timeframe: '1m', reference: { kind: 'source', bars: s } }),
  detectOutliers: (s) => api.detectOutliers(s),
  scoreQuality: (s) => api.scoreQuality(s, { timeframe: '1m', now: T0 + 3 * 60_000 }),
  detectGaps: (s) => api.detectGaps(s, '1m'),
  fillGaps: (s) => api.fillGaps(s, '1m'),
  dedupe: (s) => api.dedupe(s),
  sortByTime: (s) => api.sortByTime(s),
  handleOutliers: (s) => api.handleOutliers(s),
  preprocess: (s) => api.preprocess(s, { timeframe: '1m' }),
  aggregateOhlcv: (s) => api.aggregateOhlcv(s as OhlcvColumns, '5m'),
  alignSources: (s) => api.alignSources({ a: s, b: clean }, '1m'),
  mergeSources: (s) => api.mergeSources(s as OhlcvColumns, clean),
  mergeSourcesBackup: (s) => api.mergeSources(clean, s),
  joinHigherTimeframe: (s) => api.joinHigherTimeframe(s as OhlcvColumns, '1m', s, '5m'),
  returns: (s) => api.returns(s),
  logReturns: (s) => api.logReturns(s),
  trueRange: (s) => api.trueRange(s),
  atr: (s) => api.atr(s, { period: 2 }),
  dailyStats: (s) => api.dailyStats(s, T0),
  weeklyHighLow: (s) => api.weeklyHighLow(s, T0 + 8 * 86_400_000),
  trendDirection: (s) => api.trendDirection(s, { period: 3 }),
  buildMarketContext: (s) => api.buildMarketContext({ symbol: 'X', now: T0 + 3 * 86_400_000, daily: s, fourHour: s }),
  applyRetention: (s) => api.applyRetention(s, '1m', T0 + 3 * 60_000),
};

describe('readSeries (the batch boundary)', () => {
  describe('item 14: holes and null rows are reported, never a TypeError', () => {
    // A hole: index 1 is never set, so it is not in the array at all (reading it gives undefined).
    const sparse = new Array<Ohlcv>(3);
    sparse[0] = bar(0);
    sparse[2] = bar(2);
    const withNull = [bar(0), null, bar(2)] as unknown as Ohlcv[];
    const withNumber = [bar(0), 7, bar(2)] as unknown as Ohlcv[];

    it('lets no batch function throw on them', () => {
      for (const [name, call] of Object.entries(batchCalls)) {
        for (const [kind, series] of Object.entries({ sparse, withNull, withNumber })) {
          expect(
            thrown(() => call(series)),
            `${name} on ${kind}`,
          ).toBeUndefined();
        }
      }
    });

    it('reports the row: validateOhlcv by finite_values at its index, aggregateOhlcv as a skipped bar', () => {
      for (const series of [sparse, withNull, withNumber]) {
        const validation = api.validateOhlcv(series);
        expect(validation.valid).toBe(false);
        expect(validation.invalidCount).toBe(1);
        expect(validation.issues.map((i) => [i.rule, i.index])).toEqual([['finite_values', 1]]);
        const { issues } = api.aggregateOhlcv(series, '5m', { source: '1m', partialEnd: 'keep' });
        expect(issues.map((i) => [i.code, i.index])).toEqual([['unsorted_timestamp', 1]]);
      }
    });

    it('replaces the row by a copy holding NaN, one defect per row, and keeps clean rows as they are', () => {
      const { series, defects } = readSeries(withNull);
      expect(defects.map((d) => d.index)).toEqual([1]);
      expect(defects[0]?.message).toContain('null');
      expect(series[0]).toBe(withNull[0]);
      expect(Object.values(series[1] as Ohlcv).every(Number.isNaN)).toBe(true);
      expect(readSeries(clean).series).toBe(clean);
    });
  });

  describe('item 13: OhlcvColumns.length is checked against the arrays once', () => {
    const columns = api.toColumns(clean);
    const lengths = [Number.NaN, -1, 1.5, 1e7, 4, Number.POSITIVE_INFINITY];

    it('refuses a length that is not a count or exceeds an array: validateOhlcv says malformed_columns, never valid', () => {
      for (const length of lengths) {
        const result = api.validateOhlcv({ ...columns, length });
        expect(result.valid, String(length)).toBe(false);
        expect(result.issues.map((i) => [i.rule, i.index])).toEqual([['malformed_columns', -1]]);
        expect(result.issues[0]?.message).toContain('length');
      }
    });

    it('lets no batch function throw or allocate from it, and reads the columns as no bars', () => {
      for (const length of lengths) {
        for (const [name, call] of Object.entries(batchCalls)) {
          expect(
            thrown(() => call({ ...columns, length })),
            `${name} with length ${length}`,
          ).toBeUndefined();
        }
        expect(api.atr({ ...columns, length }, { period: 2 }).length).toBe(0);
        expect(api.toRows({ ...columns, length })).toEqual([]);
        const score = api.scoreQuality({ ...columns, length }, { timeframe: '1m', now: T0 + 3 * 60_000 });
        // An empty series scores 0 (scoreQuality's documented answer), never NaN.
        expect(score.score).toBe(0);
        const aggregated = api.aggregateOhlcv({ ...columns, length }, '5m');
        expect(aggregated.bars.length).toBe(0);
        expect(aggregated.issues.map((i) => i.code)).toEqual(['malformed_columns']);
      }
    });

    it('refuses a field that is not a Float64Array or holds fewer than length values', () => {
      const shortFlags = { ...columns, flags: new Uint8Array(1) };
      const listClose = { ...columns, close: [1, 2, 3] as unknown as Float64Array };
      for (const bad of [shortFlags, listClose]) {
        expect(readSeries(bad).series).toBe(EMPTY_SERIES);
        expect(api.validateOhlcv(bad).issues[0]?.rule).toBe('malformed_columns');
      }
      expect(readSeries(columns).series).toBe(columns);
      // A shorter length over longer arrays is allowed (the arrays may leave room to append).
      expect(readSeries({ ...columns, length: 2 }).defects).toEqual([]);
    });

    it('copies an indicator column that holds non-numbers, NaN in their place (never a converted number)', () => {
      const read = readFieldSeries({ length: 3, close: [1, '2', null] }, ['close'], true, { length: 0, close: [] });
      const close = (read.series as unknown as { close: Float64Array }).close;
      expect(Array.from(close)).toEqual([1, Number.NaN, Number.NaN]);
      // '2' used to be read as 2 (returns 1 then 1). Read as NaN, bar 1 is unusable and bar 2 is
      // measured from the last usable close (returns' documented rule): (4 − 1) / 1 = 3.
      const out = api.returns({ length: 3, close: [1, '2', 4] as unknown as number[] });
      expect(out[1]).toBeNaN();
      expect(out[2]).toBe(3);
    });
  });
});
