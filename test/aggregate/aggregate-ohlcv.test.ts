import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv, OhlcvColumns } from '../../src/index.js';
import { toColumns } from '../../src/formats/to-columns.js';
import { toRows } from '../../src/formats/to-rows.js';
import { describeFixtures, freqtradeBars, nautilusBars, readFixtureJson, tradingSignalsBars } from '../support/fixtures.js';
import { minuteBars, ohlcvOnly, relDiff } from './support.js';
import { thrown } from '../support/thrown.js';

const T0 = Date.UTC(2024, 0, 1); // a Monday
const min = (m: number): number => T0 + m * 60_000;
const bar = (m: number, open: number, high: number, low: number, close: number, volume: number, extra: Partial<Ohlcv> = {}): Ohlcv => ({
  timestamp: min(m),
  open,
  high,
  low,
  close,
  volume,
  ...extra,
});
const filler = (m: number, price: number): Ohlcv => bar(m, price, price, price, price, 0);

describe('aggregateOhlcv', () => {
  // A Binance-style 5m bucket: zero-volume fillers (O = H = L = C = previous close) at :00,
  // :02 and :04 around two traded minutes. Worked by hand: exchange-exact takes open, high and
  // low from the traded minutes only (11, 12, 9); plain takes them from every minute (13, 13, 9).
  const binanceLike = [filler(0, 13), bar(1, 11, 12, 10.5, 11.5, 2), filler(2, 11.5), bar(3, 11.5, 11.8, 9, 9.5, 3), filler(4, 9.5)];

  it('ignores zero-volume fillers for open, high and low by default', () => {
    const { bars } = aggregateOhlcv(binanceLike, '5m', { source: '1m' });
    expect(bars).toEqual([{ timestamp: T0, open: 11, high: 12, low: 9, close: 9.5, volume: 5, count: 5 }]);
  });

  it('uses plain first, max, min and last with exchangeExact off', () => {
    const { bars } = aggregateOhlcv(binanceLike, '5m', { source: '1m', exchangeExact: false });
    expect(bars).toEqual([{ timestamp: T0, open: 13, high: 13, low: 9, close: 9.5, volume: 5, count: 5 }]);
  });

  it('falls back to every bar when a bucket has no traded bar', () => {
    const { bars } = aggregateOhlcv([filler(0, 5), filler(1, 6), filler(2, 4), filler(3, 4), filler(4, 4)], '5m', { source: '1m' });
    expect(bars).toEqual([{ timestamp: T0, open: 5, high: 6, low: 4, close: 4, volume: 0, count: 5 }]);
  });

  it('does not let a synthetic bar set open, high or low, whatever its volume', () => {
    const input = [
      bar(0, 20, 21, 19, 20, 4, { flag: 'interpolated' }),
      bar(1, 10, 11, 9, 10, 1),
      bar(2, 10, 10, 10, 10, 0, { flag: 'forward_filled' }),
    ];
    const { bars } = aggregateOhlcv(input, '5m', { source: '1m', partialEnd: 'keep' });
    expect(bars[0]).toMatchObject({ open: 10, high: 11, low: 9, close: 10, volume: 5 });
  });

  it("keeps a long bucket's last bar out of open, high and low when it did not trade", () => {
    // A 15m bucket: 14 traded minutes (high 10 + m/100, low 9 - m/100, so 10.13 and 8.87 at
    // m = 13), then a last minute far outside that range that did not trade (zero volume, or
    // synthetic with volume). Its close still counts (filler) or is skipped (synthetic).
    const traded = Array.from({ length: 14 }, (_, m) => bar(m, 10, 10 + m / 100, 9 - m / 100, 10, 1));
    const withFiller = aggregateOhlcv([...traded, filler(14, 20)], '15m', { source: '1m' }).bars;
    expect(withFiller).toEqual([{ timestamp: T0, open: 10, high: 10 + 13 / 100, low: 9 - 13 / 100, close: 20, volume: 14, count: 15 }]);
    const synthetic = bar(14, 2, 30, 1, 2, 5, { flag: 'interpolated' });
    expect(aggregateOhlcv([...traded, synthetic], '15m', { source: '1m' }).bars[0]).toMatchObject({
      open: 10,
      high: 10 + 13 / 100,
      low: 9 - 13 / 100,
      close: 10,
      volume: 19,
    });
    expect(aggregateOhlcv(toColumns([...traded, filler(14, 20)]), '15m', { source: '1m', exchangeExact: false }).bars).toMatchObject({
      length: 1,
      high: Float64Array.of(20),
      low: Float64Array.of(9 - 13 / 100),
    });
  });

  it('flags a bar built only from synthetic bars and clears the flag when a real bar is in it', () => {
    const input = [
      bar(0, 1, 1, 1, 1, 0, { flag: 'interpolated' }),
      bar(1, 1, 1, 1, 1, 0, { flag: 'forward_filled' }),
      bar(5, 1, 1, 1, 1, 0, { flag: 'interpolated' }),
      bar(6, 1, 1, 1, 1, 1),
      bar(10, 1, 1, 1, 1, 1, { flag: 'clipped' }),
      bar(14, 1, 1, 1, 1, 1),
    ];
    const { bars } = aggregateOhlcv(input, '5m', { source: '1m' });
    expect(bars.map((b) => b.flag)).toEqual(['forward_filled', undefined, 'clipped']);
  });

  it('sums optional fields and leaves one out when any bar of the bucket lacks it', () => {
    const input = [
      bar(0, 1, 1, 1, 1, 1, { quoteVolume: 2, trades: 3, takerBuyVolume: 0.5 }),
      bar(1, 1, 1, 1, 1, 1, { quoteVolume: 2, trades: 4 }),
      bar(2, 1, 1, 1, 1, 1, { quoteVolume: 2, trades: 5, takerBuyVolume: 0.25 }),
    ];
    const { bars } = aggregateOhlcv(input, '5m', { source: '1m', partialEnd: 'keep' });
    expect(bars[0]).toEqual({ timestamp: T0, open: 1, high: 1, low: 1, close: 1, volume: 3, quoteVolume: 6, trades: 12, count: 3 });
  });

  it('counts source bars, or sums the counts of already aggregated bars', () => {
    const fives = [bar(0, 1, 1, 1, 1, 1, { count: 5 }), bar(5, 1, 1, 1, 1, 1, { count: 4 }), bar(10, 1, 1, 1, 1, 1, { count: 5 })];
    expect(aggregateOhlcv(fives, '15m', { source: '5m' }).bars[0]?.count).toBe(14);
    expect(aggregateOhlcv(fives, '15m', { source: '5m', count: false }).bars[0]).not.toHaveProperty('count');
  });

  describe('provenance', () => {
    // Issue 15's range: three hours of 1m bars with 20 missing (00:40–00:59) and 5
    // forward-filled (01:10–01:14). Each 1H bar has 60 minutes: the first lacks 20 of them, the
    // second holds 5 made up.
    const minutes = Array.from({ length: 180 }, (_, i) => i)
      .filter((i) => i < 40 || i >= 60)
      .map((i) => (i >= 70 && i < 75 ? bar(i, 1, 1, 1, 1, 0, { flag: 'forward_filled' }) : bar(i, 1, 1, 1, 1, 1)));
    const provenanceOf = (bars: readonly Ohlcv[]) => bars.map((b) => [b.timestamp, b.count, b.synthetic, b.missing]);

    it('says how many source bars of each bucket were synthetic or missing, leaving out zeros', () => {
      expect(provenanceOf(aggregateOhlcv(minutes, '1H', { source: '1m', provenance: true }).bars)).toEqual([
        [min(0), 40, undefined, 20],
        [min(60), 60, 5, undefined],
        [min(120), 60, undefined, undefined],
      ]);
      // Off by default: the bars are as before.
      expect(aggregateOhlcv(minutes, '1H', { source: '1m' }).bars[0]).not.toHaveProperty('missing');
    });

    it('counts in source bars across levels: 1m → 5m → 1H equals 1m → 1H, for rows, columns and several targets', () => {
      const direct = aggregateOhlcv(minutes, '1H', { source: '1m', provenance: true }).bars;
      const fives = aggregateOhlcv(minutes, '5m', { source: '1m', provenance: true }).bars;
      expect(aggregateOhlcv(fives, '1H', { source: '5m', provenance: true }).bars).toEqual(direct);
      expect(aggregateOhlcv(minutes, ['5m', '15m', '1H'], { source: '1m', provenance: true })['1H'].bars).toEqual(direct);
      const columns = aggregateOhlcv(toColumns(minutes), '1H', { source: '1m', provenance: true }).bars;
      expect([...(columns.synthetic ?? [])]).toEqual([0, 5, 0]);
      expect([...(columns.missing ?? [])]).toEqual([20, 0, 0]);
    });

    it('counts calendar months in days: January 2024 from 28 of its 31 daily bars lacks 3', () => {
      const days = Array.from({ length: 31 }, (_, d) => d)
        .filter((d) => d !== 9 && d !== 10 && d !== 20)
        .map((d) => ({ timestamp: T0 + d * 86_400_000, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
      expect(provenanceOf(aggregateOhlcv(days, '1M', { source: '1D', provenance: true }).bars)).toEqual([[T0, 28, undefined, 3]]);
    });

    it('counts the minutes a partial bucket lacks', () => {
      // 00:02–00:06: the 00:00 bucket lacks :00 and :01; the kept trailing one lacks :07–:09.
      const five = [2, 3, 4, 5, 6].map((m) => bar(m, 1, 1, 1, 1, 1));
      const { bars } = aggregateOhlcv(five, '5m', { source: '1m', partialEnd: 'keep', provenance: true });
      expect(provenanceOf(bars)).toEqual([
        [min(0), 3, undefined, 2],
        [min(5), 2, undefined, 3],
      ]);
    });
  });

  it('drops a trailing partial bucket by default and keeps it, marked, on request', () => {
    const input = [
      bar(0, 1, 2, 1, 2, 1),
      bar(1, 2, 2, 2, 2, 1),
      bar(2, 2, 2, 2, 2, 1),
      bar(3, 2, 2, 2, 2, 1),
      bar(4, 2, 2, 2, 2, 1),
      bar(5, 3, 3, 3, 3, 1),
    ];
    const dropped = aggregateOhlcv(input, '5m', { source: '1m' });
    expect(dropped.bars.map((b) => b.timestamp)).toEqual([T0]);
    expect(dropped.partial).toEqual({ first: false, last: false });
    expect(dropped.issues).toMatchObject([{ code: 'partial_bucket_dropped', timestamp: min(5) }]);
    const kept = aggregateOhlcv(input, '5m', { source: '1m', partialEnd: 'keep' });
    expect(kept.bars.map((b) => b.timestamp)).toEqual([T0, min(5)]);
    expect(kept.partial).toEqual({ first: false, last: true });
  });

  it('marks a leading partial bucket and drops it on request', () => {
    const input = [
      bar(3, 1, 1, 1, 1, 1),
      bar(4, 1, 1, 1, 1, 1),
      bar(5, 1, 1, 1, 1, 1),
      bar(6, 1, 1, 1, 1, 1),
      bar(7, 1, 1, 1, 1, 1),
      bar(8, 1, 1, 1, 1, 1),
      bar(9, 1, 1, 1, 1, 1),
    ];
    const kept = aggregateOhlcv(input, '5m', { source: '1m' });
    expect(kept.partial).toEqual({ first: true, last: false });
    expect(kept.bars.map((b) => [b.timestamp, b.count])).toEqual([
      [T0, 2],
      [min(5), 5],
    ]);
    const dropped = aggregateOhlcv(input, '5m', { source: '1m', partialStart: 'drop' });
    expect(dropped.bars.map((b) => b.timestamp)).toEqual([min(5)]);
    expect(dropped.partial.first).toBe(false);
    expect(dropped.issues.map((i) => i.code)).toEqual(['partial_bucket_dropped']);
  });

  it('starts weeks on Monday and months on the 1st (UTC)', () => {
    // 2024-01-29 is a Monday; 2024-02-01 a Thursday. Daily bars from Sat 01-27 to Mon 02-05.
    const days = Array.from({ length: 10 }, (_, d) => ({ ...bar(0, 1, 1, 1, 1, 1), timestamp: Date.UTC(2024, 0, 27 + d) }));
    const weeks = aggregateOhlcv(days, '1W', { source: '1D', partialEnd: 'keep' });
    expect(weeks.bars.map((b) => [new Date(b.timestamp).toISOString().slice(0, 10), b.count])).toEqual([
      ['2024-01-22', 2],
      ['2024-01-29', 7],
      ['2024-02-05', 1],
    ]);
    const months = aggregateOhlcv(days, '1M', { source: '1D', partialEnd: 'keep' });
    expect(months.bars.map((b) => [new Date(b.timestamp).toISOString().slice(0, 10), b.count])).toEqual([
      ['2024-01-01', 5],
      ['2024-02-01', 5],
    ]);
    expect(months.partial).toEqual({ first: true, last: true });
  });

  it('throws a ConfigError for a target the source does not divide or that is smaller', () => {
    const input = [bar(0, 1, 1, 1, 1, 1)];
    for (const [source, target] of [
      ['3m', '5m'],
      ['1H', '5m'],
      ['1W', '1M'],
      ['6H', '8H'],
    ] as const) {
      const error = thrown(() => aggregateOhlcv(input, target, { source }));
      expect(isConfigError(error), `${source} → ${target}`).toBe(true);
    }
    const unknown = thrown(() => aggregateOhlcv(input, '7m' as '5m'));
    expect(isConfigError(unknown) && unknown.message).toContain('`"7m"`');
    expect(isConfigError(thrown(() => aggregateOhlcv(input, '5m', { partialEnd: 'maybe' as 'keep' })))).toBe(true);
    expect(isConfigError(thrown(() => aggregateOhlcv(input, ['5m', '4m' as '5m'], { source: '1m' })))).toBe(true);
  });

  it('skips and reports duplicate and out-of-order bars instead of merging them', () => {
    const input = [bar(0, 1, 5, 1, 2, 1), bar(1, 2, 2, 2, 2, 1), bar(1, 9, 9, 9, 9, 9), bar(0, 7, 7, 0.5, 7, 7), bar(2, 2, 3, 2, 3, 1)];
    const result = aggregateOhlcv(input, '5m', { source: '1m', partialEnd: 'keep' });
    expect(result.issues.map((i) => [i.code, i.index])).toEqual([
      ['duplicate_timestamp', 2],
      ['unsorted_timestamp', 3],
    ]);
    expect(result.bars).toEqual([{ timestamp: T0, open: 1, high: 5, low: 1, close: 3, volume: 3, count: 3 }]);
  });

  it('skips and reports a last bar older than the first instead of throwing (issue 16 item 11)', () => {
    // The promise (README, "Bars that are duplicated, out of order or off the source grid are
    // skipped and reported"): [t, t+1m, t−1 day] used to size the fast path's output from a
    // negative span and throw `RangeError: Invalid typed array length`.
    const dayBefore = { ...bar(2, 9, 9, 9, 9, 9), timestamp: T0 - 86_400_000 };
    const input = [bar(0, 1, 2, 1, 2, 1), bar(1, 2, 3, 2, 3, 1), dayBefore];
    for (const options of [{}, { source: '1m' as const }]) {
      const fromRows = aggregateOhlcv(input, '5m', { ...options, partialEnd: 'keep' });
      const fromColumns = aggregateOhlcv(toColumns(input), '5m', { ...options, partialEnd: 'keep' });
      for (const result of [fromRows, { ...fromColumns, bars: toRows(fromColumns.bars) }]) {
        expect(result.issues.map((i) => [i.code, i.index])).toEqual([['unsorted_timestamp', 2]]);
        // Worked by hand from the two kept minutes: open 1, high 3, low 1, close 3, volume 2.
        expect(result.bars).toEqual([{ timestamp: T0, open: 1, high: 3, low: 1, close: 3, volume: 2, count: 2 }]);
      }
      const many = aggregateOhlcv(input, ['5m', '1H'], options);
      expect(many['5m'].issues.some((i) => i.code === 'unsorted_timestamp' && i.index === 2)).toBe(true);
    }
  });

  it('skips a bar with an infinite timestamp instead of hanging on it', () => {
    // Infinity - t is Infinity, on which a step GCD by Euclid never ends.
    for (const position of ['middle', 'end'] as const) {
      const bars = [bar(0, 1, 1, 1, 1, 1), bar(1, 2, 2, 2, 2, 1), bar(2, 3, 3, 3, 3, 1)];
      if (position === 'middle') bars.splice(1, 0, { ...bar(1, 9, 9, 9, 9, 9), timestamp: Number.POSITIVE_INFINITY });
      else bars.push({ ...bar(3, 9, 9, 9, 9, 9), timestamp: Number.POSITIVE_INFINITY });
      const result = aggregateOhlcv(toColumns(bars), '5m', { source: '1m', partialEnd: 'keep' });
      expect(result.issues.map((i) => [i.code, i.index])).toEqual([['unsorted_timestamp', position === 'middle' ? 1 : 3]]);
      expect(toRows(result.bars)).toEqual([{ timestamp: T0, open: 1, high: 3, low: 1, close: 3, volume: 3, count: 3 }]);
    }
  });

  it('reports bars off the stated source grid and data that does not look like the source', () => {
    const offGrid = [bar(0, 1, 1, 1, 1, 1), { ...bar(1, 1, 1, 1, 1, 1), timestamp: min(1) + 30_000 }, bar(2, 1, 1, 1, 1, 1)];
    const a = aggregateOhlcv(offGrid, '5m', { source: '1m', partialEnd: 'keep' });
    expect(a.issues.map((i) => i.code)).toEqual(['misaligned_timestamp', 'source_timeframe_mismatch']);
    expect(a.bars[0]?.count).toBe(2);
    const fiveMinuteData = [bar(0, 1, 1, 1, 1, 1), bar(5, 1, 1, 1, 1, 1), bar(10, 1, 1, 1, 1, 1)];
    const b = aggregateOhlcv(fiveMinuteData, '15m', { source: '1m', partialEnd: 'keep' });
    expect(b.issues.map((i) => i.code)).toContain('source_timeframe_mismatch');
    expect(b.partial.last).toBe(true); // judged as 1m bars: 00:10 + 1m does not reach 00:15
  });

  it('infers the source timeframe, and reports data no timeframe grid holds', () => {
    const fives = [bar(0, 1, 1, 1, 1, 1), bar(5, 1, 1, 1, 1, 1), bar(10, 1, 1, 1, 1, 1)];
    const inferred = aggregateOhlcv(fives, '15m');
    expect(inferred.bars).toHaveLength(1);
    expect(inferred.partial.last).toBe(false); // 5m bars: 00:10 + 5m reaches 00:15
    expect(aggregateOhlcv(fives, '1m').issues.map((i) => i.code)).toEqual(['source_timeframe_mismatch']);
    const halfMinutes = [bar(0, 1, 1, 1, 1, 1), { ...bar(0, 1, 1, 1, 1, 1), timestamp: min(0) + 30_000 }];
    const unknown = aggregateOhlcv(halfMinutes, '5m');
    expect(unknown.bars).toEqual([]);
    expect(unknown.issues.map((i) => i.code)).toEqual(['source_timeframe_unknown']);
  });

  it('returns columns for columns, with a count column', () => {
    const columns = toColumns(binanceLike);
    const { bars } = aggregateOhlcv(columns, '5m', { source: '1m' });
    expect(Array.isArray(bars)).toBe(false);
    expect(bars.length).toBe(1);
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0], bars.count?.[0]]).toEqual([11, 12, 9, 9.5, 5, 5]);
  });

  it('returns every target of an array keyed by target', () => {
    const result = aggregateOhlcv(binanceLike, ['5m', '1H'], { source: '1m', partialEnd: 'keep' });
    expect(Object.keys(result)).toEqual(['5m', '1H']);
    expect(result['1H'].bars[0]).toMatchObject({ open: 11, high: 12, low: 9, close: 9.5, volume: 5 });
    expect(result['1H'].partial.last).toBe(true);
  });

  it('does not mutate its input', () => {
    const frozen = Object.freeze(binanceLike.map((b) => Object.freeze({ ...b })));
    expect(() => aggregateOhlcv(frozen, ['5m', '15m'], { source: '1m' })).not.toThrow();
    const columns = toColumns(binanceLike);
    const before = Array.from(columns.open);
    aggregateOhlcv(columns, ['5m', '15m']);
    expect(Array.from(columns.open)).toEqual(before);
  });

  describe('properties', () => {
    const keepAll = { source: '1m', partialEnd: 'keep' } as const;

    it('conserves volume', () => {
      fc.assert(
        fc.property(minuteBars({ flags: true }), fc.constantFrom('5m', '15m', '1H', '1D'), (bars, tf) => {
          const out = aggregateOhlcv(bars, tf, keepAll).bars;
          expect(out.reduce((s, b) => s + b.volume, 0)).toBe(bars.reduce((s, b) => s + b.volume, 0));
        }),
      );
    });

    it('takes open, high and low from the traded bars of each bucket (all when none traded), the close from its last real bar', () => {
      fc.assert(
        fc.property(minuteBars({ flags: true }), (bars) => {
          for (const out of aggregateOhlcv(bars, '15m', keepAll).bars) {
            const inside = bars.filter((b) => b.timestamp >= out.timestamp && b.timestamp < out.timestamp + 900_000);
            const traded = inside.filter((b) => b.volume > 0 && b.flag !== 'interpolated' && b.flag !== 'forward_filled');
            const pool = traded.length > 0 ? traded : inside;
            expect(out.high).toBe(Math.max(...pool.map((b) => b.high)));
            expect(out.low).toBe(Math.min(...pool.map((b) => b.low)));
            expect(out.open).toBe(pool[0]?.open);
            // Synthetic bars do not set the close when the bucket has a real bar (an interpolated
            // close may lie outside the traded range).
            const real = inside.filter((b) => b.flag !== 'interpolated' && b.flag !== 'forward_filled');
            expect(out.close).toBe((real.at(-1) ?? inside.at(-1))?.close);
          }
        }),
      );
    });

    it('gives the same bars through 5m as directly (1m → 5m → 15m = 1m → 15m)', () => {
      fc.assert(
        fc.property(minuteBars({ flags: true }), fc.boolean(), (bars, exchangeExact) => {
          const direct = aggregateOhlcv(bars, '15m', { ...keepAll, exchangeExact }).bars;
          const five = aggregateOhlcv(bars, '5m', { ...keepAll, exchangeExact }).bars;
          const stepped = aggregateOhlcv(five, '15m', { source: '5m', partialEnd: 'keep', exchangeExact }).bars;
          expect(stepped).toEqual(direct);
        }),
      );
    });

    it('builds several targets in one call exactly as one by one', () => {
      fc.assert(
        fc.property(minuteBars({ flags: true, maxLength: 300 }), (bars) => {
          const targets = ['5m', '15m', '30m', '1H', '4H', '1D', '1W', '1M'] as const;
          const many = aggregateOhlcv(bars, targets, keepAll);
          for (const tf of targets) expect(many[tf]).toEqual(aggregateOhlcv(bars, tf, keepAll));
        }),
      );
    });

    it('equals itself after shuffle, sort and dedupe', () => {
      fc.assert(
        fc.property(
          minuteBars().chain((bars) =>
            fc.tuple(fc.constant(bars), fc.shuffledSubarray([...bars, ...bars], { minLength: 2 * bars.length })),
          ),
          ([bars, shuffled]) => {
            const seen = new Set<number>();
            const cleaned = [...shuffled]
              .sort((a, b) => a.timestamp - b.timestamp)
              .filter((b) => !seen.has(b.timestamp) && seen.add(b.timestamp) !== undefined);
            expect(aggregateOhlcv(cleaned, '15m', keepAll)).toEqual(aggregateOhlcv(bars, '15m', keepAll));
          },
        ),
      );
    });

    it('gives the same bars for a clean input as for the same input with a duplicate to skip', () => {
      // A clean input is checked in the pass that builds its buckets; one duplicate sends it
      // through sanitizing first. Both routes must agree, with a declared or an inferred source.
      fc.assert(
        fc.property(
          minuteBars({ maxLength: 300 }),
          fc.constantFrom('5m', '15m', '1H', '1D', '1W', '1M'),
          fc.boolean(),
          (bars, tf, declare) => {
            fc.pre(bars.length > 0);
            const options = declare ? keepAll : ({ partialEnd: 'keep' } as const);
            const clean = aggregateOhlcv(toColumns(bars), tf, options);
            const dirty = aggregateOhlcv(toColumns([...bars, bars[bars.length - 1] as Ohlcv]), tf, options);
            expect(toRows(dirty.bars)).toEqual(toRows(clean.bars));
            expect(dirty.partial).toEqual(clean.partial);
            expect(dirty.issues.map((i) => i.code)).toEqual(['duplicate_timestamp', ...clean.issues.map((i) => i.code)]);
          },
        ),
      );
    });

    it('gives the same answer for rows and columns', () => {
      fc.assert(
        fc.property(minuteBars({ flags: true }), (bars) => {
          const rows = aggregateOhlcv(bars, '15m', keepAll);
          const cols = aggregateOhlcv(toColumns(bars), '15m', keepAll);
          expect(toRows(cols.bars)).toEqual(rows.bars);
          expect(cols.partial).toEqual(rows.partial);
        }),
      );
    });
  });
});

describeFixtures('aggregateOhlcv on real exchange data', () => {
  it("reproduces Binance's own 5m candles from its 1m candles (XRP/ETH, all 712)", () => {
    const m1 = freqtradeBars('real/freqtrade/XRP_ETH-1m.json');
    const m5 = freqtradeBars('real/freqtrade/XRP_ETH-5m.json');
    const { bars, partial } = aggregateOhlcv(m1, '5m', { source: '1m' });
    expect(partial).toEqual({ first: false, last: false });
    expect(bars.map(ohlcvOnly)).toEqual(m5.map(ohlcvOnly));
    bars.forEach((b, i) => expect(relDiff(b.volume, (m5[i] as Ohlcv).volume)).toBeLessThanOrEqual(1e-9));
  });

  it('disagrees on 183 of those 712 candles with exchangeExact off, as the README says', () => {
    const m1 = freqtradeBars('real/freqtrade/XRP_ETH-1m.json');
    const m5 = freqtradeBars('real/freqtrade/XRP_ETH-5m.json');
    const { bars } = aggregateOhlcv(m1, '5m', { source: '1m', exchangeExact: false });
    const differs = bars.map((b, i) => [b.open !== m5[i]?.open, b.high !== m5[i]?.high, b.low !== m5[i]?.low, b.close !== m5[i]?.close]);
    expect(differs.filter((d) => d.some(Boolean))).toHaveLength(183);
    expect(differs.filter((d) => d[0])).toHaveLength(183);
    expect(differs.filter((d) => d[1])).toHaveLength(58);
    expect(differs.filter((d) => d[2])).toHaveLength(56);
    expect(differs.filter((d) => d[3])).toHaveLength(0);
  });

  describe('UNITTEST_BTC 5m → 30m against the exchange 30m file', () => {
    const m5 = (): Ohlcv[] => freqtradeBars('real/freqtrade/UNITTEST_BTC-5m.json');
    const m30 = (): Map<number, Ohlcv> => new Map(freqtradeBars('real/freqtrade/UNITTEST_BTC-30m.json').map((b) => [b.timestamp, b]));
    const AT_0430 = Date.UTC(2018, 0, 10, 4, 30);
    const AT_1230 = Date.UTC(2018, 0, 12, 12, 30);

    it('matches the exchange on the 111 full overlapping buckets before its in-progress 12:30 candle', () => {
      const exchange = m30();
      const { bars } = aggregateOhlcv(m5(), '30m', { source: '5m' });
      const full = bars.filter((b) => b.timestamp > AT_0430 && b.timestamp < AT_1230);
      expect(full).toHaveLength(111);
      for (const b of full) {
        const e = exchange.get(b.timestamp) as Ohlcv;
        expect(ohlcvOnly(b)).toEqual(ohlcvOnly(e));
        expect(relDiff(b.volume, e.volume)).toBeLessThanOrEqual(1e-9);
      }
    });

    it('marks 04:30, covered by one 5m bar, as partial at the start', () => {
      const { bars, partial } = aggregateOhlcv(m5(), '30m', { source: '5m' });
      expect(partial.first).toBe(true);
      expect(bars[0]).toMatchObject({ timestamp: AT_0430, count: 1 });
    });

    it('aggregates 12:30 in full to what the README says (close 0.09098, volume 5049.8), not the in-progress candle', () => {
      const b = aggregateOhlcv(m5(), '30m', { source: '5m' }).bars.find((x) => x.timestamp === AT_1230) as Ohlcv;
      expect(b.close).toBeCloseTo(0.09098, 5);
      expect(b.volume).toBeCloseTo(5049.8, 1);
      expect(m30().get(AT_1230)).toMatchObject({ close: 0.0888, volume: 902.61078443 });
    });

    it('treats 12:30 as partial when the 5m data stops where the 30m file was downloaded', () => {
      // The exchange's 12:30 candle has volume 902.6: more than the 12:30 5m bar (530.0), less
      // than 12:30 + 12:35 (1140.8), so it was fetched during the 12:35 bar. Cut the data there.
      const cut = m5().filter((b) => b.timestamp <= AT_1230 + 5 * 60_000);
      const dropped = aggregateOhlcv(cut, '30m', { source: '5m' });
      expect(dropped.bars.at(-1)?.timestamp).toBe(AT_1230 - 30 * 60_000);
      expect(dropped.issues).toMatchObject([{ code: 'partial_bucket_dropped', timestamp: AT_1230 }]);
      const kept = aggregateOhlcv(cut, '30m', { source: '5m', partialEnd: 'keep' });
      expect(kept.partial.last).toBe(true);
      const last = kept.bars.at(-1) as Ohlcv;
      const exchange = m30().get(AT_1230) as Ohlcv;
      expect([last.timestamp, last.open, last.low, last.count]).toEqual([AT_1230, exchange.open, exchange.low, 2]);
    });
  });

  it("reproduces the exchange's 1h candle from its 60 1m candles (trading-signals, BTC/USDT)", () => {
    const m1 = tradingSignalsBars('real/trading-signals/exchange/fixtures/candles/batch/1h-in-1m.json');
    const [h1] = tradingSignalsBars('real/trading-signals/exchange/fixtures/candles/batch/1h-in-1h.json');
    const { bars } = aggregateOhlcv(m1, '1H', { source: '1m' });
    expect(bars).toHaveLength(1);
    expect(ohlcvOnly(bars[0] as Ohlcv)).toEqual(ohlcvOnly(h1 as Ohlcv));
    // The README's decimal sum, 2018.42732300, checked here with exact decimal arithmetic on the
    // 8-decimal strings (as integers of 1e-8), then against our floating-point sum.
    const raw = readFixtureJson('real/trading-signals/exchange/fixtures/candles/batch/1h-in-1m.json') as { volume: string }[];
    const exact = raw.reduce((sum, c) => sum + BigInt(c.volume.replace('.', '')), 0n);
    expect(exact).toBe(201_842_732_300n);
    expect(relDiff((bars[0] as Ohlcv).volume, 2018.427323)).toBeLessThanOrEqual(1e-9);
    expect(relDiff((bars[0] as Ohlcv).volume, (h1 as Ohlcv).volume)).toBeLessThanOrEqual(1e-9);
  });

  describe('partial buckets in the TenMinutes files (IG TSLA, 08:00–08:09)', () => {
    const load = (name: string): Ohlcv[] => tradingSignalsBars(`real/trading-signals/exchange/fixtures/candles/${name}.json`);

    it('builds two full 5m buckets from ten minutes', () => {
      const { bars, partial } = aggregateOhlcv(load('TenMinutesInTenCandles'), '5m', { source: '1m' });
      expect(bars.map((b) => b.count)).toEqual([5, 5]);
      expect(partial).toEqual({ first: false, last: false });
    });

    it('counts the two missing minutes inside the first bucket without calling it partial', () => {
      const { bars, partial } = aggregateOhlcv(load('TenMinutesInEightCandles'), '5m', { source: '1m' });
      expect(bars.map((b) => b.count)).toEqual([3, 5]);
      expect(partial).toEqual({ first: false, last: false });
    });

    it('marks the first bucket partial when three minutes are missing at the start', () => {
      const input = load('TenMinutesMissingStart');
      const { bars, partial } = aggregateOhlcv(input, '5m', { source: '1m' });
      expect(partial).toEqual({ first: true, last: false });
      expect(bars[0]).toMatchObject({ count: 2, open: input[0]?.open, close: input[1]?.close });
    });

    it('counts the one missing minute in the middle', () => {
      const { bars } = aggregateOhlcv(load('TenMinutesMissingEnd'), '5m', { source: '1m' });
      expect(bars.map((b) => b.count)).toEqual([4, 5]);
    });
  });

  it('is consistent across 1m → 5m, 15m, 1H, 4H, 1D on 45,031 nautilus BTC-PERP bars', () => {
    const m1 = nautilusBars('real/nautilus_trader/btc-perp-20211231-20220201_1m.csv');
    expect(m1).toHaveLength(45_031);
    const keep = { partialEnd: 'keep' } as const;
    const all = aggregateOhlcv(m1, ['5m', '15m', '1H', '4H', '1D'], { source: '1m', ...keep });
    expect(aggregateOhlcv(all['5m'].bars, '15m', { source: '5m', ...keep }).bars).toEqual(all['15m'].bars);
    expect(aggregateOhlcv(all['15m'].bars, '1H', { source: '15m', ...keep }).bars).toEqual(all['1H'].bars);
    expect(aggregateOhlcv(all['1H'].bars, '4H', { source: '1H', ...keep }).bars).toEqual(all['4H'].bars);
    expect(aggregateOhlcv(all['4H'].bars, '1D', { source: '4H', ...keep }).bars).toEqual(all['1D'].bars);
    const total = m1.reduce((s, b) => s + b.volume, 0);
    for (const tf of ['5m', '15m', '1H', '4H', '1D'] as const) {
      expect(
        relDiff(
          all[tf].bars.reduce((s, b) => s + b.volume, 0),
          total,
        ),
      ).toBeLessThanOrEqual(1e-9);
      expect(all[tf].bars.reduce((s, b) => s + (b.count ?? 0), 0)).toBe(45_031);
    }
    // Starts at 23:01 on 12-31 and ends with the 05:31 bar: both ends are partial.
    expect(all['1D'].partial).toEqual({ first: true, last: true });
    expect(all['5m'].partial).toEqual({ first: true, last: true });
    const daily = all['1D'].bars[1] as Ohlcv;
    const day = m1.filter((b) => b.timestamp >= daily.timestamp && b.timestamp < daily.timestamp + 86_400_000);
    expect(day).toHaveLength(1440);
    expect(daily.high).toBe(Math.max(...day.filter((b) => b.volume > 0).map((b) => b.high)));
  });

  it('accepts columns for the same answers as rows', () => {
    const m1 = freqtradeBars('real/freqtrade/XRP_ETH-1m.json');
    const columns: OhlcvColumns = toColumns(m1);
    const viaColumns = aggregateOhlcv(columns, '5m', { source: '1m' });
    expect(toRows(viaColumns.bars)).toEqual(aggregateOhlcv(m1, '5m', { source: '1m' }).bars);
  });
});
