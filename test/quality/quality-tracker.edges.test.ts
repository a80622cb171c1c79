import { describe, expect, it } from 'vitest';
import { QualityTracker } from '../../src/quality/quality-tracker.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { toColumns } from '../../src/index.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 30);
const bar = (timestamp: number): Ohlcv => ({ timestamp, open: 100, high: 101, low: 99, close: 100, volume: 5 });
const minutes = (from: number, count: number): Ohlcv[] => Array.from({ length: count }, (_, k) => bar(from + k * MIN));

describe('QualityTracker at its edges', () => {
  it('ignores an empty call, and holds nothing when asked to judge from past the end', () => {
    const tracker = new QualityTracker('1m');
    tracker.addRows(minutes(T0, 3));
    tracker.add(toColumns([]));
    expect(tracker.fed).toBe(T0 + 2 * MIN);
    // Two bars, one breaking high >= low: nothing from index 5 on is judged, and nothing fails.
    const history = toColumns([bar(T0 + 3 * MIN), { ...bar(T0 + 4 * MIN), high: 98 }]);
    tracker.add(history, 5);
    expect(tracker.fed).toBe(T0 + 4 * MIN);
    expect(tracker.countSince(T0)).toBe(3);
  });

  it('is empty again once every bar is dropped: no newest bar, no score', () => {
    const tracker = new QualityTracker('1m');
    tracker.addRows(minutes(T0, 3));
    tracker.dropBefore(T0 + 3 * MIN);
    expect(tracker.newest).toBe(Number.NEGATIVE_INFINITY);
    expect(tracker.first()).toBeUndefined();
  });

  it('expects bars from the first slot at or after an unaligned start', () => {
    // Expected from 10:00:30 → the first slot is 10:01; bars 10:03–10:04 → 2 of 4 slots (10:01–10:04) held.
    const tracker = new QualityTracker('1m');
    tracker.addRows(minutes(T0 + 3 * MIN, 2));
    tracker.expectFrom(T0 + 30_000);
    expect(tracker.score(T0 + 5 * MIN)?.metrics.completeness).toBe(2 / 4);
  });

  it('keeps a refused row while the time it was noted is in the window, the window’s first instant included', () => {
    // 150 rows refused (no timestamp; every third one bad) at T0 + i min; 10 good bars two days later, held throughout.
    const tracker = new QualityTracker('1m');
    for (let i = 0; i < 150; i++) tracker.refuse(T0 + i * MIN, Number.NaN, i % 3 !== 0);
    tracker.addRows(minutes(T0 + 2 * DAY, 10));
    // The 1m window is 1 day: at T0 + 1 day + 100 min it starts at T0 + 100 min, so rows 100..149 are in it
    // (16 of them bad: 102, 105 … 147): validity (10 + 50 − 16) / (10 + 50).
    const at = (minute: number): number | undefined => tracker.score(T0 + DAY + minute * MIN)?.metrics.validity;
    expect(at(100)).toBe(44 / 60);
    // Over a hundred rows dropped, then more: the counts follow the rows still in the window.
    expect(at(120)).toBe(30 / 40); // rows 120..149, 10 bad
    expect(at(147)).toBe(12 / 13); // rows 147 (bad), 148 and 149
    expect(at(150)).toBe(1);
  });
});
