import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QualityTracker } from '../../src/quality/quality-tracker.js';
import { checkValidity } from '../../src/quality/check-validity.js';
import { DEFAULT_VALIDITY, type ValidityConfig } from '../../src/schemas/config.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import { generateOhlcv } from '../../src/testing/index.js';
import { toColumns } from '../../src/index.js';

const MIN = 60_000;

/** Generated bars with planted trouble: broken OHLC rules, price jumps, volume spikes, zero volumes, filled bars. */
function troubled(seed: number, count: number): OhlcvColumns {
  const bars = generateOhlcv({ seed, start: Date.UTC(2025, 0, 1), count, timeframe: '1m' }).bars.map((bar, i) => {
    switch ((i * 7 + seed) % 23) {
      case 3:
        return { ...bar, high: bar.low - 1 };
      case 5:
        return { ...bar, close: bar.close * 1.3, high: bar.high * 1.3 };
      case 8:
        return { ...bar, volume: bar.volume * 50 };
      case 11:
        return { ...bar, volume: 0 };
      case 13:
        return { ...bar, flag: 'forward_filled' as const };
      default:
        return bar;
    }
  });
  return toColumns(bars);
}

function slice(bars: OhlcvColumns, from: number, to: number): OhlcvColumns {
  return {
    length: to - from,
    timestamp: bars.timestamp.subarray(from, to),
    open: bars.open.subarray(from, to),
    high: bars.high.subarray(from, to),
    low: bars.low.subarray(from, to),
    close: bars.close.subarray(from, to),
    volume: bars.volume.subarray(from, to),
    ...(bars.flags === undefined ? {} : { flags: bars.flags.subarray(from, to) }),
  };
}

/** Per bar, whether checkValidity over the whole series counts it as bad (a broken rule or an outlier). */
function badBars(bars: OhlcvColumns, validity: ValidityConfig): Uint8Array {
  const result = checkValidity(bars, { config: validity });
  const bad = new Uint8Array(bars.length);
  for (const issue of result.validation.issues) bad[issue.index] = 1;
  for (const outlier of result.outliers.outliers) bad[outlier.index] = 1;
  return bad;
}

describe('QualityTracker', () => {
  const methods: ValidityConfig[] = [
    { ...DEFAULT_VALIDITY, outlierWindow: 12, volumeWindow: 5 },
    { ...DEFAULT_VALIDITY, outlierWindow: 12, volumeWindow: 5, outlierMethod: 'mad' },
  ];

  it.each(methods)('judges bars fed in any split as checkValidity judges the whole series ($outlierMethod)', (validity) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }),
        (seed, history, chunks) => {
          const total = history + chunks.reduce((a, b) => a + b, 0);
          const bars = troubled(seed, total);
          const bad = badBars(bars, validity);
          const tracker = new QualityTracker('1m', { validity });
          let end = history + (chunks[0] as number);
          tracker.add(slice(bars, 0, end), history);
          const expectBad = (): number => bad.subarray(history, end).reduce((a, b) => a + b, 0);
          expect(tracker.size).toBe(end - history);
          expect(tracker.invalid).toBe(expectBad());
          for (const chunk of chunks.slice(1)) {
            tracker.add(slice(bars, end, end + chunk), 0);
            end += chunk;
            expect(tracker.invalid).toBe(expectBad());
          }
          expect(tracker.fed).toBe(bars.timestamp[total - 1]);
          expect(tracker.inconsistent).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('judges a planted price jump against the bars of earlier calls', () => {
    // Closes 100, 100.1, 100, 100.1, … then one bar at 111: +10.9 % from the previous close
    // (> 10 %) and far outside the returns seen (±0.1 %), so it is invalid however it is fed.
    const validity = { ...DEFAULT_VALIDITY, outlierWindow: 10, volumeWindow: 5 };
    const t0 = Date.UTC(2025, 0, 1);
    const bar = (i: number, close: number) => ({ timestamp: t0 + i * MIN, open: close, high: close, low: close, close, volume: 10 });
    const calm = Array.from({ length: 30 }, (_, i) => bar(i, i % 2 === 0 ? 100 : 100.1));
    const tracker = new QualityTracker('1m', { validity });
    tracker.add(toColumns(calm), 20);
    expect(tracker.invalid).toBe(0);
    tracker.add(toColumns([bar(30, 111)]), 0);
    expect([tracker.size, tracker.invalid]).toEqual([11, 1]);
  });

  it('counts bars off the timeframe grid as inconsistent and drops bars before a time', () => {
    const t0 = Date.UTC(2025, 0, 1);
    const bars = [0, 5, 10, 16, 20].map((m) => ({ timestamp: t0 + m * MIN, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
    const tracker = new QualityTracker('5m');
    tracker.add(toColumns(bars), 0);
    expect([tracker.size, tracker.inconsistent]).toEqual([5, 1]);
    tracker.dropBefore(t0 + 20 * MIN);
    expect([tracker.size, tracker.inconsistent, tracker.first()]).toEqual([1, 0, t0 + 20 * MIN]);
    expect(tracker.countSince(t0)).toBe(1);
  });

  it('counts as history only the bars the outlier windows take: unflagged ones (filled and clipped bars are skipped)', () => {
    const t0 = Date.UTC(2025, 0, 1);
    const flags = [undefined, 'forward_filled', undefined, 'clipped', 'interpolated', undefined] as const;
    const bars = flags.map((flag, i) => ({
      timestamp: t0 + i * MIN,
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 1,
      ...(flag === undefined ? {} : { flag }),
    }));
    expect(QualityTracker.realBars(toColumns(bars), bars.length)).toBe(3);
    expect(QualityTracker.realBars(toColumns(bars), 4)).toBe(2);
  });
});
