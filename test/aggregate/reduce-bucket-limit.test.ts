/**
 * Where the batch kernel (`reduce-to-buckets.ts`) ends each bucket, and what its checked pass
 * (`reduceCheckedToBuckets`, the fast route of `aggregateOhlcv` for a clean input) accepts.
 *
 * `reduceToBuckets` finds a bucket's last row from a step hint; its documentation says any hint is
 * correct (0 or a wrong one only costs a search). So for every hint — 0, far too small, far too
 * large, one that does not divide the bucket — the buckets must be the plain grouping of the rows
 * by `floor(t / width)`, for inputs with gaps before, inside and after buckets. The checked pass
 * must return the same buckets and the GCD of the steps between timestamps for a strictly
 * increasing input, and nothing (`undefined`) for one with a repeated, decreasing or `NaN`
 * timestamp; `aggregateOhlcv` must then skip and report the bad bar, as its documentation says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { reduceCheckedToBuckets, reduceToBuckets, type ReduceSpec } from '../../src/aggregate/internal/reduce-to-buckets.js';
import type { OhlcvColumns, Timeframe } from '../../src/index.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const WIDTH = { '5m': 5 * MINUTE, '15m': 15 * MINUTE, '1H': 60 * MINUTE } as const;
type Target = keyof typeof WIDTH;

/**
 * Bars at the given minutes after T0 (sorted, unique), prices from the index so every bar
 * differs. With `spare`, every array holds that many more values than `length` (zeros, as in a
 * preallocated buffer): `OhlcvColumns` documents that only the first `length` are meaningful.
 */
function barsAt(minutes: readonly number[], spare = 0): OhlcvColumns {
  const n = minutes.length;
  const size = n + spare;
  const c: OhlcvColumns = {
    length: n,
    timestamp: new Float64Array(size),
    open: new Float64Array(size),
    high: new Float64Array(size),
    low: new Float64Array(size),
    close: new Float64Array(size),
    volume: new Float64Array(size),
  };
  minutes.forEach((m, i) => {
    c.timestamp[i] = T0 + m * MINUTE;
    c.open[i] = 100 + i;
    c.high[i] = 101 + i;
    c.low[i] = 99 + i;
    c.close[i] = 100.5 + i;
    c.volume[i] = 1 + (i % 3);
  });
  return c;
}

/** Bucket start, first open, last close, volume sum and row count per bucket, by plain grouping. */
function reference(c: OhlcvColumns, width: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < c.length;) {
    const start = Math.floor((c.timestamp[i] as number) / width) * width;
    let j = i;
    let volume = 0;
    while (j < c.length && (c.timestamp[j] as number) < start + width) volume += c.volume[j++] as number;
    out.push([start, c.open[i] as number, c.close[j - 1] as number, volume, j - i]);
    i = j;
  }
  return out;
}

function rowsOf(bars: OhlcvColumns): number[][] {
  return Array.from({ length: bars.length }, (_, k) => [
    bars.timestamp[k] as number,
    bars.open[k] as number,
    bars.close[k] as number,
    bars.volume[k] as number,
    bars.count?.[k] as number,
  ]);
}

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}

const spec = (target: Timeframe, stepHint: number): ReduceSpec => ({
  target,
  exact: true,
  stepHint,
  count: true,
  traded: false,
  provenance: false,
});

/** Sorted unique minutes: runs one minute apart (long enough to fill several buckets), with gaps of any length between runs. */
const minutes = fc
  .array(fc.record({ gap: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 200 })), run: fc.integer({ min: 1, max: 70 }) }), {
    minLength: 1,
    maxLength: 8,
  })
  .chain((runs) =>
    fc.integer({ min: 0, max: 180 }).map((offset) => {
      const out: number[] = [];
      let m = offset;
      for (const { gap, run } of runs) {
        m += gap;
        for (let k = 0; k < run; k++) out.push(m++);
      }
      return out;
    }),
  );

const target = fc.constantFrom<Target>('5m', '15m', '1H');

describe('the end of each bucket, whatever the step hint', () => {
  it('groups the rows by bucket for any hint (0, too small, too large, not dividing the bucket), reading only `length` rows of longer arrays', () => {
    const hint = fc.oneof(
      fc.constant(0),
      fc.constant(MINUTE),
      fc.constant(7 * MINUTE),
      fc.constant(MINUTE / 4),
      fc.constant(1),
      fc.constant(4 * 60 * MINUTE),
      fc.integer({ min: 1, max: 300 }).map((k) => k * 1000),
    );
    fc.assert(
      fc.property(minutes, target, hint, fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })), (ms, tf, stepHint, spare) => {
        const input = barsAt(ms, spare);
        const expected = reference(input, WIDTH[tf]);
        expect(rowsOf(reduceToBuckets(input, undefined, spec(tf, stepHint)).columns)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('ends buckets at the last bar of the input, after a gap, before a gap, and around a bucket of a single bar', () => {
    // 5m buckets: [0..4] full, [7] alone after a gap, [12, 13] after a gap and before one, [30..34] full and last.
    const input = barsAt([0, 1, 2, 3, 4, 7, 12, 13, 30, 31, 32, 33, 34]);
    for (const stepHint of [0, MINUTE, 2 * MINUTE, 5 * MINUTE, 60 * MINUTE]) {
      expect(rowsOf(reduceToBuckets(input, undefined, spec('5m', stepHint)).columns).map((r) => [r[0], r[4]])).toEqual([
        [T0, 5],
        [T0 + 5 * MINUTE, 1],
        [T0 + 10 * MINUTE, 2],
        [T0 + 30 * MINUTE, 5],
      ]);
    }
  });
});

describe('aggregateOhlcv on columns whose arrays are longer than `length`', () => {
  it('builds the buckets of the first `length` bars only, for one target and for several', () => {
    fc.assert(
      fc.property(
        minutes.filter((ms) => ms.length >= 2),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        (ms, spare, cut) => {
          // Zeros past `length` (a preallocated buffer), or the rest of a longer series cut by `length`.
          const input = cut ? { ...barsAt(ms), length: Math.max(2, ms.length - (spare % ms.length)) } : barsAt(ms, spare);
          const options = { source: '1m', partialStart: 'keep', partialEnd: 'keep' } as const;
          const together = aggregateOhlcv(input, ['5m', '15m', '1H'], options);
          for (const tf of ['5m', '15m', '1H'] as const) {
            const expected = reference(input, WIDTH[tf]);
            expect(rowsOf(aggregateOhlcv(input, tf, options).bars)).toEqual(expected);
            expect(rowsOf(together[tf].bars)).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ends the last bucket at `length` when its first step (the hint) is larger than the next ones', () => {
    // Minutes 0, then 5, 6, 7, …: the checked pass guesses every step is 5 minutes, falls short
    // in the 1H bucket and gallops forward (to rows 12, 14, 18, …) up to the input's end. The
    // arrays go on past `length` with more bars of the same walk (`length` cut a longer series).
    // 17 bars: the gallop passes the end; 18: it lands on it.
    const walk = barsAt([0, ...Array.from({ length: 40 }, (_, i) => 5 + i)]);
    for (const n of [17, 18]) {
      const input = { ...walk, length: n };
      const bars = aggregateOhlcv(input, '1H', { source: '1m', partialStart: 'keep', partialEnd: 'keep' }).bars;
      // One bucket: open of bar 0 (100), close of bar n − 1, volume 1 + 2 + 3 + 1 + … of n bars.
      let volume = 0;
      for (let i = 0; i < n; i++) volume += 1 + (i % 3);
      expect(rowsOf(bars)).toEqual([[T0, 100, 100.5 + n - 1, volume, n]]);
    }
  });
  it('cuts every prefix of a few walks at `length`: the same buckets as the prefix alone, with any hint', () => {
    // Walks whose first step is larger than, equal to or smaller than the next ones, with gaps;
    // every prefix of at least two bars, the arrays going on past `length`.
    const walks = [
      [0, ...Array.from({ length: 40 }, (_, i) => 5 + i)],
      [0, 2, ...Array.from({ length: 40 }, (_, i) => 3 + i)],
      [3, 4, 10, 11, 12, 13, 14, 15, 29, 30, 31, 59, 60, 61, 62, 63, 64, 65, 66, 120, 121],
      Array.from({ length: 50 }, (_, i) => 7 * i),
    ];
    for (const ms of walks) {
      const walk = barsAt(ms);
      for (let n = 2; n <= ms.length; n++) {
        const input = { ...walk, length: n };
        for (const tf of ['5m', '15m', '1H'] as const) {
          const expected = reference(input, WIDTH[tf]);
          expect(rowsOf(aggregateOhlcv(input, tf, { source: '1m', partialStart: 'keep', partialEnd: 'keep' }).bars)).toEqual(expected);
          for (const stepHint of [0, 1000, MINUTE, 2 * MINUTE, 7 * MINUTE, 60 * MINUTE]) {
            expect(rowsOf(reduceToBuckets(input, undefined, spec(tf, stepHint)).columns)).toEqual(expected);
          }
        }
      }
    }
  });
});

describe('the checked pass', () => {
  it('returns the same buckets and the GCD of the steps for a strictly increasing input', () => {
    fc.assert(
      fc.property(
        minutes.filter((ms) => ms.length >= 2),
        target,
        (ms, tf) => {
          const input = barsAt(ms);
          const checked = reduceCheckedToBuckets(input, undefined, spec(tf, 0));
          expect(checked).toBeDefined();
          let g = 0;
          for (let i = 1; i < ms.length; i++) g = gcdOf(g, ((ms[i] as number) - (ms[i - 1] as number)) * MINUTE);
          expect(checked?.stepGcd).toBe(g);
          expect(rowsOf(checked?.buckets.columns ?? input)).toEqual(reference(input, WIDTH[tf]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an input with a repeated, decreasing or NaN timestamp after the first two', () => {
    const fault = fc.constantFrom('repeat', 'back', 'nan', 'far-back');
    fc.assert(
      fc.property(
        minutes.filter((ms) => ms.length >= 4),
        target,
        fault,
        fc.nat(),
        (ms, tf, kind, at) => {
          const input = barsAt(ms);
          // A row from 2 to n − 2 (the first two and the last are checked by the caller).
          const i = 2 + (at % (ms.length - 3));
          const previous = input.timestamp[i - 1] as number;
          input.timestamp[i] =
            kind === 'repeat'
              ? previous
              : kind === 'back'
                ? previous - MINUTE
                : kind === 'nan'
                  ? Number.NaN
                  : (input.timestamp[0] as number) - 1;
          expect(reduceCheckedToBuckets(input, undefined, spec(tf, 0))).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('skips and reports a bar far out of order that would open more buckets than the input spans', () => {
    // Bars at 00:00, 01:00, 02:01 and 00:01: three buckets before the bad bar, while the span from
    // the first to the last bar (one minute) holds at most two.
    const input = barsAt([0, 60, 121, 1]);
    const result = aggregateOhlcv(input, '5m', { source: '1m', partialStart: 'keep', partialEnd: 'keep' });
    expect(Array.from(result.bars.timestamp)).toEqual([T0, T0 + 60 * MINUTE, T0 + 120 * MINUTE]);
    expect(result.issues.map((issue) => [issue.code, issue.index])).toEqual([['unsorted_timestamp', 3]]);
  });
});
