import { describe, expect, it } from 'vitest';
import { QualityTracker } from '../../src/quality/quality-tracker.js';
import { DEFAULT_VALIDITY } from '../../src/schemas/config.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { toColumns } from '../../src/index.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const bar = (timestamp: number): Ohlcv => ({ timestamp, open: 100, high: 101, low: 99, close: 100, volume: 5 });

describe('QualityTracker windows and stores', () => {
  it('needs the longer outlier window plus one bar of history (the previous close of the first return)', () => {
    expect(QualityTracker.history(DEFAULT_VALIDITY)).toBe(101);
    expect(QualityTracker.history({ ...DEFAULT_VALIDITY, outlierWindow: 10, volumeWindow: 30 })).toBe(31);
  });

  it('keeps the earliest expected start declared', () => {
    const tracker = new QualityTracker('1m');
    tracker.expectFrom(T0 - 5 * MIN);
    tracker.expectFrom(T0 - 2 * MIN);
    tracker.addRows([0, 1, 2, 3, 4].map((m) => bar(T0 + m * MIN)));
    // Five bars in the ten slots from 09:55 to the close of the 10:04 bar.
    expect(tracker.score(T0 + 5 * MIN + 5_000)?.metrics.completeness).toBe(0.5);
  });

  it('counts the refused rows left in the window after many were dropped, over several moves of the window', () => {
    const tracker = new QualityTracker('1m');
    // One note a minute from T0: 50 agreeing comparisons, then 50 bad rows refused; 80 good bars a day later.
    for (let k = 0; k < 100; k++) {
      if (k < 50) tracker.compare(T0 + k * MIN, true);
      else tracker.refuse(T0 + k * MIN, T0 + k * MIN, false);
    }
    tracker.addRows(Array.from({ length: 80 }, (_, k) => bar(T0 + DAY + k * MIN)));
    // The window (one day) starts 5 s after the 80th refusal: 81 refusals dropped, 19 left with the 80 bars.
    const now = T0 + DAY + 80 * MIN + 5_000;
    expect(tracker.score(now)?.metrics.validity).toBe(80 / 99);
    // Ten minutes later, ten more refusals are out: 9 left.
    expect(tracker.score(now + 10 * MIN)?.metrics.validity).toBe(80 / 89);
    expect(tracker.score(now + 20 * MIN)?.metrics.validity).toBe(1);
  });

  it('counts bars held after many were dropped, over several moves of the window', () => {
    const tracker = new QualityTracker('1m');
    // 200 bars one a minute, from the 100th every other one off the grid by 1 ms.
    tracker.addRows(Array.from({ length: 200 }, (_, k) => bar(T0 + k * MIN + (k >= 100 ? k % 2 : 0))));
    const now = T0 + DAY + 150 * MIN;
    // Window from minute 150: bars 150..199, 25 of them off the grid.
    expect(tracker.score(now)).toMatchObject({ bars: 50, metrics: { consistency: 0.5 } });
    expect(tracker.size).toBe(50);
    expect(tracker.inconsistent).toBe(25);
    expect(tracker.score(now + 20 * MIN)).toMatchObject({ bars: 30, metrics: { consistency: 0.5 } });
    expect(tracker.countSince(T0 + 190 * MIN)).toBe(10);
    expect(tracker.first()).toBe(T0 + 170 * MIN);
  });

  it('holds nothing once the window has passed every bar: no first, newest -Infinity, no score', () => {
    const tracker = new QualityTracker('1m');
    expect(tracker.newest).toBe(Number.NEGATIVE_INFINITY);
    tracker.addRows([bar(T0), bar(T0 + MIN)]);
    expect(tracker.newest).toBe(T0 + MIN);
    expect(tracker.score(T0 + 2 * DAY)).toBeUndefined();
    expect(tracker).toMatchObject({ size: 0, newest: Number.NEGATIVE_INFINITY, fed: T0 + MIN });
    expect(tracker.first()).toBeUndefined();
  });

  it('counts as real only the unflagged bars before the end given', () => {
    const cols = toColumns([bar(T0), { ...bar(T0 + MIN), flag: 'interpolated' }, bar(T0 + 2 * MIN), bar(T0 + 3 * MIN)]);
    expect(QualityTracker.realBars(cols, 2)).toBe(1);
    expect(QualityTracker.realBars(cols, 4)).toBe(3);
  });

  it('ignores an empty batch', () => {
    const tracker = new QualityTracker('1m');
    tracker.addRows([bar(T0)]);
    tracker.addRows([]);
    expect(tracker).toMatchObject({ fed: T0, size: 1, newest: T0 });
  });

  it('expects bars from the first slot at or after a start inside a bucket', () => {
    const tracker = new QualityTracker('1m');
    // 09:55:30 → the 09:56 slot: five bars in the nine slots 09:56 to 10:04.
    tracker.expectFrom(T0 - 5 * MIN + 30_000);
    tracker.addRows([0, 1, 2, 3, 4].map((m) => bar(T0 + m * MIN)));
    expect(tracker.score(T0 + 5 * MIN + 5_000)?.metrics.completeness).toBe(5 / 9);
  });
});
