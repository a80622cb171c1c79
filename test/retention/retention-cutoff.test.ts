import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { retentionCutoff } from '../../src/retention/retention-cutoff.js';
import type { Retention } from '../../src/schemas/config.js';

const NOW = Date.UTC(2025, 0, 30, 10, 30); // aligned to every timeframe up to 30m

describe('retentionCutoff', () => {
  it('follows the specification’s table: 1m 90 d, 5m 180 d, 15m 365 d, 1H 730 d', () => {
    // Dates counted by hand on the calendar: 90 days before 2025-01-30 is 2024-11-01,
    // 180 days is 2024-08-03, 365 days 2024-01-31 (2024 is a leap year), 730 days 2023-01-31 (731 days
    // back is 2023-01-30, again because of 29 February 2024).
    expect(retentionCutoff('1m', NOW)).toBe(Date.UTC(2024, 10, 1, 10, 30));
    expect(retentionCutoff('5m', NOW)).toBe(Date.UTC(2024, 7, 3, 10, 30));
    expect(retentionCutoff('15m', NOW)).toBe(Date.UTC(2024, 0, 31, 10, 30));
    expect(retentionCutoff('1H', NOW)).toBe(Date.UTC(2023, 0, 31, 10, 0)); // the 10:00 bar contains 10:30
  });

  it('keeps 4H and 1D forever, and any timeframe the table does not list', () => {
    expect(retentionCutoff('4H', NOW)).toBeUndefined();
    expect(retentionCutoff('1D', NOW)).toBeUndefined();
    expect(retentionCutoff('30m', NOW)).toBeUndefined();
  });

  it('keeps the bar that contains the cutoff instant', () => {
    // 90 days before 10:30:45 is 10:30:45: the 1m bar opened at 10:30 is partly inside.
    expect(retentionCutoff('1m', NOW + 45_000)).toBe(Date.UTC(2024, 10, 1, 10, 30));
  });

  it('uses a custom table', () => {
    const retention: Retention = { '1m': 60 * 60_000, '1D': null };
    expect(retentionCutoff('1m', NOW, retention)).toBe(NOW - 3_600_000);
    expect(retentionCutoff('1D', NOW, retention)).toBeUndefined();
    expect(retentionCutoff('5m', NOW, retention)).toBeUndefined();
  });

  it('throws a ConfigError for a retention that is not a positive number of ms', () => {
    const bad = { '1m': -5 } as Retention;
    expect(() => retentionCutoff('1m', NOW, bad)).toThrow(/retention\.1m.*-5/);
    try {
      retentionCutoff('1m', NOW, bad);
    } catch (error) {
      expect(isConfigError(error) && error.path).toEqual(['retention', '1m']);
    }
  });

  it('throws a ConfigError naming `tf`, `now` or the retention entry that is wrong', () => {
    const pathOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (error) {
        return isConfigError(error) ? error.path : error;
      }
      return undefined;
    };
    expect(pathOf(() => retentionCutoff('7m' as never, NOW))).toEqual(['tf']);
    expect(pathOf(() => retentionCutoff('1m', String(NOW) as never))).toEqual(['now']);
    expect(() => retentionCutoff('1m', String(NOW) as never)).toThrow(/`now`.*epoch milliseconds/);
    // Positive means above 0: a retention of 0 ms is refused, 1 ms is a retention.
    expect(pathOf(() => retentionCutoff('1m', NOW, { '1m': 0 }))).toEqual(['retention', '1m']);
    expect(retentionCutoff('1m', NOW + 1, { '1m': 1 })).toBe(NOW);
  });
});
