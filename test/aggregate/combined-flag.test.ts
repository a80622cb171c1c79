/**
 * The flag of an aggregated bar (`combinedFlag`, used by `aggregateOhlcv` and `OhlcvAggregator`),
 * by the rule its TSDoc and `aggregateOhlcv`'s documentation state: a bucket with a traded bar
 * (volume above zero, not synthetic) is real, `clipped` if one of its traded bars was clipped,
 * otherwise none; a bucket without one takes the most synthetic flag among its bars:
 * `forward_filled`, else `interpolated`, else `clipped`, else none.
 */
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { combinedFlag } from '../../src/aggregate/internal/reduce-to-buckets.js';
import { BarFlagCode } from '../../src/schemas/bar-flag.js';
import type { Ohlcv } from '../../src/index.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const keepAll = { source: '1m', partialStart: 'keep', partialEnd: 'keep' } as const;

/** A flat 1m bar at minute `i` of 2024-01-01. */
function bar(i: number, volume: number, flag?: Ohlcv['flag']): Ohlcv {
  const b: Ohlcv = { timestamp: T0 + i * MINUTE, open: 10, high: 11, low: 9, close: 10, volume };
  if (flag !== undefined) b.flag = flag;
  return b;
}

/** The flag of the single 5m bucket built from `bars` (minutes 0–4). */
function flagOf(bars: Ohlcv[]): Ohlcv['flag'] {
  const out = aggregateOhlcv(bars, '5m', keepAll).bars;
  expect(out).toHaveLength(1);
  return out[0]?.flag;
}

describe('the flag of an aggregated bar', () => {
  it('a traded bucket is not clipped by a clipped bar that did not trade', () => {
    expect(flagOf([bar(0, 0, 'clipped'), bar(1, 5), bar(2, 0, 'interpolated')])).toBeUndefined();
  });

  it('a traded bucket is clipped when one of its traded bars was', () => {
    expect(flagOf([bar(0, 0), bar(1, 5, 'clipped'), bar(2, 3)])).toBe('clipped');
  });

  it('a bucket without a traded bar whose real bar was clipped is clipped, whatever synthetic bars it has', () => {
    expect(flagOf([bar(0, 0, 'interpolated'), bar(1, 0, 'clipped'), bar(2, 0, 'forward_filled')])).toBe('clipped');
  });

  it('a bucket without a traded bar whose real bar was not clipped has no flag', () => {
    expect(flagOf([bar(0, 0, 'forward_filled'), bar(1, 0), bar(2, 0, 'interpolated')])).toBeUndefined();
  });

  it('a bucket of interpolated bars only is interpolated', () => {
    expect(flagOf([bar(0, 0, 'interpolated'), bar(1, 0, 'interpolated'), bar(2, 0, 'interpolated')])).toBe('interpolated');
  });

  it('a bucket of synthetic bars with one forward-filled is forward_filled', () => {
    expect(flagOf([bar(0, 0, 'interpolated'), bar(1, 0, 'forward_filled'), bar(2, 0, 'interpolated')])).toBe('forward_filled');
  });

  it('combinedFlag: every case of its rule, the empty bucket (no bar at all) included', () => {
    const bit = (code: number): number => 1 << code;
    const { None, Interpolated, ForwardFilled, Clipped } = BarFlagCode;
    // No bar: no flag ("else none").
    expect(combinedFlag(0, 0)).toBe(None);
    expect(combinedFlag(bit(Interpolated), 0)).toBe(Interpolated);
    expect(combinedFlag(bit(Interpolated) | bit(ForwardFilled), 0)).toBe(ForwardFilled);
    expect(combinedFlag(bit(Interpolated) | bit(Clipped), 0)).toBe(Clipped);
    expect(combinedFlag(bit(ForwardFilled) | bit(None), 0)).toBe(None);
    expect(combinedFlag(bit(None) | bit(Clipped), bit(None))).toBe(None);
    expect(combinedFlag(bit(None) | bit(Clipped), bit(Clipped))).toBe(Clipped);
  });
});
