/**
 * The batch kernel (`aggregate/internal/reduce-to-buckets.ts`, reached through `aggregateOhlcv`
 * on columns) against the plainest reading of the rules `aggregateOhlcv` documents, on
 * random-walk bars with holes, zero-volume bars and NaN fields (issue 20): buckets epoch-aligned
 * and labelled by their start; exchange-exact open, high and low from the traded bars (volume
 * above zero) when the bucket has one, from every bar otherwise; close the last bar's; volume
 * summed in order; count the bars. A `NaN` high or low never sets the bucket's extreme (the
 * comparison is false), so a bucket whose candidates are all `NaN` keeps ±Infinity.
 *
 * A second walk moves by up to ×3 or ÷3 in a minute, with prices of every magnitude and a full
 * 53-bit mantissa: buckets whose bars all traded are scanned without branches by updates that
 * are exact only while the bucket's high is at most twice its low (`traded-extremes.ts`), and
 * must fall back on the others, so its highs and lows must equal the reference's to the last bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import type { OhlcvColumns, Timeframe } from '../../src/index.js';
import { emptyColumns } from '../../bench/data-shapes.js';

const MINUTE = 60_000;
const WIDTH: Readonly<Record<string, number>> = { '5m': 5 * MINUTE, '15m': 15 * MINUTE, '1H': 60 * MINUTE };

/** One 1m step of the walk: the move, minutes skipped before the bar, volume, NaN high or low. */
const step = fc.record({
  move: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
  skip: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 90 }) }),
  // Integer volumes: a sum of sums is then exactly the sum, whichever level built it.
  volume: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 1000 }) }, fc.constant(0), fc.constant(Number.NaN)),
  nanHigh: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, fc.constant(true)),
  nanLow: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, fc.constant(true)),
});

type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** The bars of a walk from price 100, the first bar after `start`. */
function walk(steps: readonly Step[], start: number): OhlcvColumns {
  const columns = emptyColumns(steps.length);
  let t = start;
  let price = 100;
  steps.forEach((s, i) => {
    t += (1 + s.skip) * MINUTE;
    const open = price;
    const close = open * (1 + s.move);
    columns.timestamp[i] = t;
    columns.open[i] = open;
    columns.close[i] = close;
    columns.high[i] = s.nanHigh ? Number.NaN : Math.max(open, close) * 1.001;
    columns.low[i] = s.nanLow ? Number.NaN : Math.min(open, close) * 0.999;
    columns.volume[i] = s.volume;
    price = close;
  });
  return columns;
}

/** The documented rules, bucket by bucket, as arrays of plain numbers. */
/** One 1m step of the wide walk: a move factor (sometimes far from 1), the bar's spread, volume. */
const wideStep = fc.record({
  factor: fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: 0.99, max: 1.01, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: 1 / 3, max: 3, noNaN: true }) },
  ),
  spread: fc.double({ min: 0, max: 0.4, noNaN: true }),
  volume: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 1000 }) }, fc.constant(0)),
});

type WideStep = typeof wideStep extends fc.Arbitrary<infer S> ? S : never;

/** The bars of a wide walk from `price`, one a minute from `start`. */
function wideWalk(steps: readonly WideStep[], start: number, price: number): OhlcvColumns {
  const columns = emptyColumns(steps.length);
  let open = price;
  steps.forEach((s, i) => {
    const close = open * s.factor;
    columns.timestamp[i] = start + i * MINUTE;
    columns.open[i] = open;
    columns.close[i] = close;
    columns.high[i] = Math.max(open, close) * (1 + s.spread);
    columns.low[i] = Math.min(open, close) / (1 + s.spread);
    columns.volume[i] = s.volume;
    open = close;
  });
  return columns;
}

function reference(c: OhlcvColumns, width: number): number[][] {
  const out: number[][] = [[], [], [], [], [], [], []];
  let i = 0;
  while (i < c.length) {
    const start = Math.floor((c.timestamp[i] as number) / width) * width;
    const rows: number[] = [];
    while (i < c.length && (c.timestamp[i] as number) < start + width) rows.push(i++);
    const traded = rows.filter((r) => (c.volume[r] as number) > 0);
    const from = traded.length > 0 ? traded : rows;
    const highs = from.map((r) => c.high[r] as number).filter((x) => !Number.isNaN(x));
    const lows = from.map((r) => c.low[r] as number).filter((x) => !Number.isNaN(x));
    const values = [
      start,
      c.open[from[0] as number] as number,
      Math.max(Number.NEGATIVE_INFINITY, ...highs),
      Math.min(Number.POSITIVE_INFINITY, ...lows),
      c.close[rows[rows.length - 1] as number] as number,
      rows.reduce((sum, r) => sum + (c.volume[r] as number), 0),
      rows.length,
    ];
    values.forEach((v, k) => out[k]?.push(v));
  }
  return out;
}

function actual(bars: OhlcvColumns): number[][] {
  return [bars.timestamp, bars.open, bars.high, bars.low, bars.close, bars.volume, bars.count ?? new Float64Array(0)].map((a) =>
    Array.from(a.subarray(0, bars.length)),
  );
}

const keepAll = { source: '1m', partialStart: 'keep', partialEnd: 'keep' } as const;

describe('the aggregation kernel against the documented rules', () => {
  it('builds every target as the reference does, alone and from smaller targets, on random walks with holes, zero volumes and NaN', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 400, size: 'max' }), fc.integer({ min: 0, max: 59 }), (steps, offset) => {
        const columns = walk(steps, Date.UTC(2024, 0, 1) + offset * MINUTE);
        const targets: Timeframe[] = ['5m', '15m', '1H'];
        const together = aggregateOhlcv(columns, targets, keepAll);
        for (const tf of targets) {
          const expected = reference(columns, WIDTH[tf] as number);
          expect(actual(aggregateOhlcv(columns, tf, keepAll).bars)).toEqual(expected);
          expect(actual(together[tf].bars)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('builds every target as the reference does on plain exchange data: every bar traded, one a minute, now and then a hole or a bar to skip', () => {
    // The common case, where whole buckets are scanned without branches: long walks, so 15m and 1H buckets fill.
    const plain = fc.record({
      move: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
      skip: fc.oneof({ weight: 40, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 90 }) }),
      volume: fc.integer({ min: 1, max: 1000 }),
      nanHigh: fc.constant(false),
      nanLow: fc.constant(false),
    });
    // Now and then a bar out of order, repeated or off the minute grid, which the documentation says is skipped.
    const fault = fc.record({ at: fc.nat(), kind: fc.constantFrom('back', 'repeat', 'off-grid') });
    fc.assert(
      fc.property(
        fc.array(plain, { minLength: 60, maxLength: 600, size: 'max' }),
        fc.integer({ min: 0, max: 59 }),
        fc.array(fault, { maxLength: 3 }),
        (steps, offset, faults) => {
          const columns = walk(steps, Date.UTC(2024, 0, 1) + offset * MINUTE);
          for (const { at, kind } of faults) {
            const i = 1 + (at % (columns.length - 1));
            const before = columns.timestamp[i - 1] as number;
            columns.timestamp[i] = kind === 'back' ? before - MINUTE : kind === 'repeat' ? before : before + MINUTE / 2;
          }
          // The bars kept: on the minute grid and after every bar kept before them.
          const kept: number[] = [];
          let last = Number.NEGATIVE_INFINITY;
          for (let i = 0; i < columns.length; i++) {
            const t = columns.timestamp[i] as number;
            if (t % MINUTE === 0 && t > last) {
              kept.push(i);
              last = t;
            }
          }
          const clean = emptyColumns(kept.length);
          for (const field of ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const) {
            kept.forEach((i, k) => (clean[field][k] = columns[field][i] as number));
          }
          for (const tf of ['5m', '15m', '1H'] as const) {
            expect(actual(aggregateOhlcv(columns, tf, keepAll).bars)).toEqual(reference(clean, WIDTH[tf] as number));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps every high and low exact on walks that move by up to 3× a minute, at any price magnitude', () => {
    fc.assert(
      fc.property(
        fc.array(wideStep, { minLength: 2, maxLength: 400, size: 'max' }),
        fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
        (steps, price) => {
          const columns = wideWalk(steps, Date.UTC(2024, 0, 1), price);
          for (const tf of ['5m', '15m', '1H'] as const) {
            expect(actual(aggregateOhlcv(columns, tf, keepAll).bars)).toEqual(reference(columns, WIDTH[tf] as number));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
