import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { checkConsistency } from '../../src/quality/check-consistency.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { Timeframe } from '../../src/time/timeframe.js';
import { thrown } from '../support/thrown.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const bar = (timestamp: number, close = 100, volume = 5): Ohlcv => ({ timestamp, open: 100, high: 200, low: 50, close, volume });

describe('checkConsistency messages', () => {
  it('says "1 bar is" and "2 bars are" not aligned, naming the grid', () => {
    const one = checkConsistency([bar(T0), bar(T0 + 1)], { timeframe: '5m' });
    expect(one.issues.map((i) => i.message)).toEqual(['1 bar is not aligned to the 5m grid']);
    const two = checkConsistency([bar(T0 + 1), bar(T0 + 2)], { timeframe: '5m' });
    expect(two.issues.map((i) => i.message)).toEqual(['2 bars are not aligned to the 5m grid']);
  });

  it('counts conflicting duplicates in the singular and the plural', () => {
    const one = checkConsistency([bar(T0), bar(T0, 101)], { timeframe: '1m' });
    expect(one.issues.map((i) => i.message)).toEqual(['1 duplicate bar with values that differ from the first bar at the same time']);
    const two = checkConsistency([bar(T0), bar(T0, 101), bar(T0, 102)], { timeframe: '1m' });
    expect(two.issues.map((i) => [i.message, i.count])).toEqual([
      ['2 duplicate bars with values that differ from the first bar at the same time', 2],
    ]);
  });

  it('names the source, "the reference" by default, or the base aggregate, with the counts and the tolerance in percent', () => {
    const ours = [bar(T0, 100), bar(T0 + MIN, 100), bar(T0 + 2 * MIN, 100)];
    const theirs = [bar(T0, 110), bar(T0 + MIN, 100), bar(T0 + 2 * MIN, 90)];
    const named = checkConsistency(ours, { timeframe: '1m', reference: { kind: 'source', bars: theirs, name: 'kraken' } });
    expect(named.issues.map((i) => i.message)).toEqual(['2 of 3 bars compared disagree with kraken by more than 0.1 %']);
    const unnamed = checkConsistency(ours, {
      timeframe: '1m',
      reference: { kind: 'source', bars: theirs },
      config: { relativeTolerance: 0.05 },
    });
    expect(unnamed.issues.map((i) => i.message)).toEqual(['2 of 3 bars compared disagree with the reference by more than 5 %']);
    // Five 1m bars aggregate to open 100, high 200, low 50, close 100, volume 25: a 5m close of 120 disagrees.
    const base = [0, 1, 2, 3, 4].map((m) => bar(T0 + m * MIN));
    const five = checkConsistency([{ ...bar(T0, 120), volume: 25 }], {
      timeframe: '5m',
      reference: { kind: 'base', bars: base, timeframe: '1m' },
    });
    expect(five.disagreements).toEqual([
      { index: 0, timestamp: T0, differences: [{ field: 'close', value: 120, reference: 100, relativeDifference: 20 / 120 }] },
    ]);
    expect(five.issues.map((i) => i.message)).toEqual([
      '1 of 1 bars compared disagree with the 5m aggregate of its 1m bars by more than 0.1 %',
    ]);
  });
});

describe('checkConsistency tolerance', () => {
  it('accepts a relative difference equal to the tolerance and refuses one just above it', () => {
    // |999 − 1000| / 1000 = 0.001 exactly (the default tolerance, 0.1 %).
    const edge = checkConsistency([bar(T0, 999)], {
      timeframe: '1m',
      reference: { kind: 'source', bars: [bar(T0, 1000)], fields: ['close'] },
    });
    expect(edge).toMatchObject({ compared: 1, disagreements: [], score: 1 });
    const above = checkConsistency([bar(T0, 998.9)], {
      timeframe: '1m',
      reference: { kind: 'source', bars: [bar(T0, 1000)], fields: ['close'] },
    });
    expect(above.disagreements).toHaveLength(1);
  });

  it('treats two zeros as equal and a non-finite value as infinitely different', () => {
    const zero = checkConsistency([bar(T0, 0)], { timeframe: '1m', reference: { kind: 'source', bars: [bar(T0, 0)], fields: ['close'] } });
    expect(zero.disagreements).toEqual([]);
    const nan = checkConsistency([bar(T0, Number.NaN)], {
      timeframe: '1m',
      reference: { kind: 'source', bars: [bar(T0, Number.NaN)], fields: ['close'] },
      config: { relativeTolerance: 1 },
    });
    expect(nan.disagreements[0]?.differences[0]?.relativeDifference).toBe(Infinity);
  });
});

describe('checkConsistency base timeframes', () => {
  // A base nests when it is smaller and divides the checked width (months: it divides a day).
  const nesting: [Timeframe, Timeframe][] = [
    ['1m', '5m'],
    ['5m', '1H'],
    ['1H', '1D'],
    ['1m', '1W'],
    ['1D', '1W'],
    ['1D', '1M'],
    ['1H', '1M'],
    ['8H', '1M'],
  ];
  const refused: [Timeframe, Timeframe][] = [
    ['5m', '5m'],
    ['3m', '5m'],
    ['1H', '5m'],
    ['1W', '1M'],
    ['1M', '1M'],
    ['1W', '1W'],
    ['1M', '1D'],
    ['1W', '1D'],
  ];

  it('accepts every base that nests', () => {
    for (const [base, tf] of nesting) {
      expect(thrown(() => checkConsistency([], { timeframe: tf, reference: { kind: 'base', bars: [], timeframe: base } }))).toBeUndefined();
    }
  });

  it('refuses a base equal to, larger than or not dividing the checked timeframe, with a ConfigError at reference.timeframe', () => {
    for (const [base, tf] of refused) {
      const error = thrown(() => checkConsistency([], { timeframe: tf, reference: { kind: 'base', bars: [], timeframe: base } }));
      expect(isConfigError(error), `${base} in ${tf}`).toBe(true);
      expect(error).toMatchObject({ path: ['reference', 'timeframe'], value: base });
      expect(String(error)).toContain(`nests in ${tf}`);
    }
  });

  it('refuses fields that are not a list', () => {
    const error = thrown(() =>
      checkConsistency([], { timeframe: '5m', reference: { kind: 'source', bars: [], fields: 'close' as never } }),
    );
    expect(error).toMatchObject({ path: ['reference', 'fields'], value: 'close' });
  });
});
