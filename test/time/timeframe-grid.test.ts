import { describe, expect, it } from 'vitest';
import { gridOf } from '../../src/time/timeframe-grid.js';

const MIN = 60_000;
const DAY = 86_400_000;

// Calendar facts used below: 2025-01-27 and 2025-02-03 are Mondays; January has 31 days and
// February 2025 28.
describe('gridOf', () => {
  it('gives one grid object per timeframe', () => {
    expect(gridOf('5m')).toBe(gridOf('5m'));
    expect(gridOf('1M')).toBe(gridOf('1M'));
  });

  it('steps a fixed grid by its width from the epoch', () => {
    const grid = gridOf('5m');
    const t = Date.UTC(2025, 0, 30, 10, 25);
    expect(grid).toMatchObject({ tf: '5m', width: 5 * MIN, origin: 0 });
    expect(grid.next(t)).toBe(t + 5 * MIN);
    expect(grid.previous(t)).toBe(t - 5 * MIN);
    expect(grid.aligned(t)).toBe(true);
    expect(grid.aligned(t + MIN)).toBe(false);
    expect(grid.aligned(t + 0.5)).toBe(false);
    expect(grid.aligned(Number.NaN)).toBe(false);
    // 10:25 and 10:45: 10:30, 10:35 and 10:40 lie strictly between.
    expect(grid.between(t, t + 20 * MIN)).toBe(3);
    expect(grid.between(t, t + 5 * MIN)).toBe(0);
  });

  it('anchors the weekly grid on Mondays', () => {
    const grid = gridOf('1W');
    const monday = Date.UTC(2025, 0, 27);
    expect(grid).toMatchObject({ tf: '1W', width: 7 * DAY, origin: Date.UTC(1970, 0, 5) });
    expect(grid.aligned(monday)).toBe(true);
    expect(grid.aligned(Date.UTC(2025, 0, 30))).toBe(false); // a Thursday, as 1970-01-01 was
    expect(grid.next(monday)).toBe(Date.UTC(2025, 1, 3));
    expect(grid.previous(monday)).toBe(Date.UTC(2025, 0, 20));
    expect(grid.between(monday, Date.UTC(2025, 1, 17))).toBe(2);
  });

  it('steps the calendar month by its real length', () => {
    const grid = gridOf('1M');
    const jan = Date.UTC(2025, 0, 1);
    expect(grid).toMatchObject({ tf: '1M', width: 0, origin: 0 });
    expect(grid.next(jan)).toBe(Date.UTC(2025, 1, 1));
    expect(grid.previous(Date.UTC(2025, 2, 1))).toBe(Date.UTC(2025, 1, 1));
    expect(grid.previous(jan)).toBe(Date.UTC(2024, 11, 1));
    expect(grid.aligned(jan)).toBe(true);
    expect(grid.aligned(jan + DAY)).toBe(false);
    expect(grid.aligned(jan + 1)).toBe(false);
    expect(grid.aligned(Number.NaN)).toBe(false);
    // January 2025 to May 2025: February, March and April lie strictly between.
    expect(grid.between(jan, Date.UTC(2025, 4, 1))).toBe(3);
    expect(grid.between(jan, Date.UTC(2025, 1, 1))).toBe(0);
  });
});
