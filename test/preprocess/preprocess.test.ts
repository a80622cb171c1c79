import { describe, expect, it } from 'vitest';
import { preprocess } from '../../src/preprocess/preprocess.js';
import { dedupe } from '../../src/preprocess/dedupe.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { Timeframe } from '../../src/time/timeframe.js';
import { describeFixtures, freqtradeBars } from '../support/fixtures.js';
import { bar, columnsOf, M, rowsOf } from './series.js';

/** Indices of the values of `values` that satisfy `predicate` (none when `values` is absent), so a failure names them. */
function indicesWhere(values: ArrayLike<number> | undefined, predicate: (value: number) => boolean): number[] {
  return Array.from(values ?? [], (v, i) => (predicate(v) ? i : -1)).filter((i) => i >= 0);
}

/** Closes that alternate ±1 % for 6 bars (window 4 fills), then a 10 % jump (see handleOutliers.test.ts). */
function recipeInput(): readonly Ohlcv[] {
  const values = [100];
  for (let i = 1; i <= 5; i++) values.push((values[i - 1] as number) * (i % 2 === 1 ? 1.01 : 0.99));
  const rows = values.map((c, i) => bar(i, c));
  rows.push(bar(8, (values[5] as number) * 0.99)); // minutes 6 and 7 missing: a small gap
  rows.push(bar(20, 99)); // 11 missing: a large gap
  rows.push(bar(21, 99.5));
  return Object.freeze(rows);
}

describe('preprocess', () => {
  it('dedupes, sorts, fills, and reports what changed by index', () => {
    const clean = recipeInput();
    const dirty = Object.freeze([clean[3], clean[0], clean[1], clean[2], clean[1], ...clean.slice(4)] as Ohlcv[]);
    const { bars, sourceIndex, report, returns, logReturns, atr } = preprocess(dirty, {
      timeframe: '1m',
      outlierWindow: 4,
      preprocessing: { atrPeriod: 3 },
    });
    expect(report.inputBars).toBe(dirty.length);
    expect(report.duplicates.dropped).toEqual([4]);
    expect(report.reordered).toBeGreaterThan(0);
    expect(report.gaps.interpolated).toBe(2);
    expect(report.gaps.markedMissing).toBe(11);
    expect(report.gaps.escalate).toBe(true);
    expect(bars.map((b) => b.timestamp / M)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 20, 21]);
    expect(report.gaps.filled).toEqual([6, 7]);
    expect(report.gaps.breaks).toEqual([9]);
    expect(Array.from(sourceIndex)).toEqual([1, 2, 3, 0, 5, 6, -1, -1, 7, 8, 9]);
    expect(bars[0]).toBe(dirty[1]);
    expect(returns).toHaveLength(bars.length);
    expect(logReturns).toHaveLength(bars.length);
    expect(Number.isNaN(returns?.[9])).toBe(true); // nothing measured across the large gap
    expect(Number.isNaN(atr?.[9])).toBe(true); // ATR warms up again after it
    expect(report.outputBars).toBe(bars.length);
  });

  it('clips an outlier and reports its output index', () => {
    const base = recipeInput().slice(0, 6);
    const spike = bar(6, (base[5] as Ohlcv).close * 1.1);
    const { bars, report } = preprocess(Object.freeze([...base, spike]), { timeframe: '1m', outlierWindow: 4 });
    expect(report.outliers.clipped).toEqual([6]);
    expect(bars[6]?.flag).toBe('clipped');
    const removed = preprocess(Object.freeze([...base, spike]), {
      timeframe: '1m',
      outlierWindow: 4,
      preprocessing: { outliers: 'remove' },
    });
    expect(removed.report.outliers.removed).toEqual([6]);
    expect(removed.bars).toHaveLength(6);
  });

  it('forward-fills every gap up to the medium size with gapHandling forward_fill, and fills nothing with none', () => {
    const input = recipeInput();
    const ff = preprocess(input, { timeframe: '1m', preprocessing: { gapHandling: 'forward_fill', outliers: 'none' } });
    expect(ff.report.gaps.forwardFilled).toBe(2);
    expect(ff.bars.filter((b) => b.flag === 'forward_filled')).toHaveLength(2);
    const none = preprocess(input, { timeframe: '1m', preprocessing: { gapHandling: 'none' } });
    expect(none.bars).toHaveLength(input.length);
    expect(none.report.gaps.markedMissing).toBe(13);
  });

  it('leaves features out when switched off', () => {
    const result = preprocess(recipeInput(), { timeframe: '1m', preprocessing: { returns: false, logReturns: false, atr: false } });
    expect('returns' in result || 'logReturns' in result || 'atr' in result).toBe(false);
  });

  it('returns columns for columns with the same bars', () => {
    const input = recipeInput();
    const fromColumns = preprocess(columnsOf(input), { timeframe: '1m', outlierWindow: 4 });
    const fromRows = preprocess(input, { timeframe: '1m', outlierWindow: 4 });
    expect(rowsOf(fromColumns.bars)).toEqual(fromRows.bars);
    expect(fromColumns.atr).toEqual(fromRows.atr);
  });

  it('throws ConfigError on an invalid recipe, timeframe or window', () => {
    const attempts: (() => unknown)[] = [
      () => preprocess([], { timeframe: '2m' as Timeframe }),
      () => preprocess([], { timeframe: '1m', preprocessing: { atrPeriod: 0 } }),
      () => preprocess([], { timeframe: '1m', preprocessing: { outliers: 'winsorize' as 'clip' } }),
      () => preprocess([], { timeframe: '1m', gaps: { smallMaxBars: 5, mediumMaxBars: 2 } }),
      () => preprocess([], { timeframe: '1m', outlierWindow: 1 }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught)).toBe(true);
    }
    expect(() => preprocess([], { timeframe: '1m', preprocessing: { atrPeriod: 0 } })).toThrow(/atrPeriod.*0/);
  });

  it('returns a merged bar as dedupe builds it, without the flag its first bar carried', () => {
    // Same prices and volume, only the flag differs: a conflict, merged into a new bar.
    const first = bar(0, 10, { flag: 'interpolated' });
    const second = bar(0, 10);
    const input = Object.freeze([first, second, bar(1, 10)]);
    const { bars, report, sourceIndex } = preprocess(input, { timeframe: '1m', preprocessing: { duplicatePolicy: 'merge' } });
    expect(bars).toStrictEqual(dedupe(input, { keep: 'merge' }).bars);
    expect(bars[0]).not.toBe(first);
    expect(bars[0]?.flag).toBeUndefined();
    expect(report.duplicates.merged).toEqual([1]);
    expect(Array.from(sourceIndex)).toEqual([0, 2]);
  });

  it('returns an unchanged bar that already carried the flag clipped as the input object', () => {
    const input = Object.freeze([bar(0, 10), bar(1, 10.1, { flag: 'clipped' }), bar(2, 10)]);
    const { bars } = preprocess(input, { timeframe: '1m' });
    expect(bars.map((b, i) => b === input[i])).toEqual([true, true, true]);
  });

  it('names the option at fault by its path in the ConfigError, and accepts the smallest window, 2', () => {
    const cases: { attempt: () => unknown; path: readonly PropertyKey[]; message: RegExp }[] = [
      { attempt: () => preprocess([], { timeframe: '2m' as Timeframe }), path: ['timeframe'], message: /2m/ },
      {
        attempt: () => preprocess([], { timeframe: '1m', preprocessing: { atrPeriod: 0 } }),
        path: ['preprocessing', 'atrPeriod'],
        message: /atrPeriod/,
      },
      {
        attempt: () => preprocess([], { timeframe: '1m', outlierWindow: 1 }),
        path: ['outlierWindow'],
        message: /`outlierWindow`.*at least 2.*`1`/,
      },
      { attempt: () => preprocess([], { timeframe: '1m', outlierWindow: 2.5 }), path: ['outlierWindow'], message: /2\.5/ },
    ];
    for (const { attempt, path, message } of cases) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ path });
      expect(String(caught)).toMatch(message);
    }
    const base = recipeInput().slice(0, 6);
    const spike = bar(6, (base[5] as Ohlcv).close * 1.5);
    expect(preprocess(Object.freeze([...base, spike]), { timeframe: '1m', outlierWindow: 2 }).report.outliers.clipped).toEqual([6]);
  });
});

describeFixtures('preprocess on real data', () => {
  it('fills the 717 missing bars of freqtrade UNITTEST_BTC-1m and keeps the real ones', () => {
    const input = freqtradeBars('real/freqtrade/UNITTEST_BTC-1m.json');
    const { bars, sourceIndex, report, atr } = preprocess(Object.freeze(input), { timeframe: '1m', preprocessing: { outliers: 'flag' } });
    expect(bars).toHaveLength(13_681 + 717);
    expect(report.gaps.interpolated + report.gaps.forwardFilled).toBe(717);
    expect(report.gaps.filled).toHaveLength(717);
    expect(report.duplicates.dropped).toEqual([]);
    let reused = 0;
    sourceIndex.forEach((o, k) => {
      if (o >= 0 && bars[k] === input[o]) reused++;
    });
    expect(reused).toBe(13_681);
    // No large gap: the ATR is undefined only during its warm-up, then defined to the end.
    const firstDefined = atr?.findIndex((v) => !Number.isNaN(v)) ?? -1;
    expect(firstDefined).toBeGreaterThanOrEqual(13);
    expect(indicesWhere(atr, (v) => Number.isNaN(v)).filter((i) => i >= firstDefined)).toEqual([]);
  });

  it('restarts the features after the 33-bar outage of ADA_BTC-5m', () => {
    const { bars, report, returns, atr } = preprocess(freqtradeBars('real/freqtrade/ADA_BTC-5m.json'), { timeframe: '5m' });
    expect(report.gaps.breaks).toHaveLength(1);
    const k = report.gaps.breaks[0] as number;
    expect(bars[k]?.timestamp).toBe(Date.UTC(2018, 0, 15, 14, 45));
    expect(Number.isNaN(returns?.[k])).toBe(true);
    expect(indicesWhere(atr, (v) => !Number.isNaN(v)).filter((i) => i >= k && i < k + 13)).toEqual([]);
    expect(Number.isNaN(atr?.[k + 13])).toBe(false);
  });
});
