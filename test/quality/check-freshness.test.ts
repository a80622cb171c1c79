import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { checkFreshness } from '../../src/quality/check-freshness.js';

const OPEN = Date.UTC(2025, 0, 30, 10, 29); // a 1m bar closing at 10:30:00
const at = (minute: number, second: number): number => Date.UTC(2025, 0, 30, 10, minute, second);

describe('checkFreshness', () => {
  it('measures the delay from the bar close, not its open', () => {
    expect(checkFreshness(OPEN, '1m', at(30, 30))).toEqual({
      score: 1,
      stale: false,
      delayMs: 30_000,
      closeTime: at(30, 0),
      maxDelayMs: 60_000,
      issues: [],
    });
  });

  it('keeps 1 up to the maximum delay, then falls linearly to 0 at twice it', () => {
    // Limits from the specification: 1m 60 s, 5m 300 s, 1H 3600 s.
    expect(checkFreshness(OPEN, '1m', at(31, 0)).score).toBe(1); // 60 s
    expect(checkFreshness(OPEN, '1m', at(31, 30)).score).toBe(0.5); // 90 s: half-way from 60 s to 120 s
    expect(checkFreshness(OPEN, '1m', at(32, 0)).score).toBe(0); // 120 s
    expect(checkFreshness(OPEN, '1m', at(40, 0)).score).toBe(0);
    const fiveOpen = Date.UTC(2025, 0, 30, 10, 25);
    expect(checkFreshness(fiveOpen, '5m', at(30, 0) + 300_000 + 75_000).score).toBe(0.75); // 375 s of 300–600 s
    const hourOpen = Date.UTC(2025, 0, 30, 9, 0);
    expect(checkFreshness(hourOpen, '1H', Date.UTC(2025, 0, 30, 11, 30)).score).toBe(0.5); // 5400 s of 3600–7200 s
  });

  it('reports stale data, critical once the score reaches 0', () => {
    const late = checkFreshness(OPEN, '1m', at(31, 30), undefined, { symbol: 'BTCUSD' });
    expect(late.stale).toBe(true);
    expect(late.issues).toEqual([
      {
        type: 'stale_data',
        rule: 'max_delay',
        severity: 'warning',
        symbol: 'BTCUSD',
        timeframe: '1m',
        timestamp: OPEN,
        endTimestamp: OPEN,
        count: 1,
        message: 'The newest 1m bar (2025-01-30T10:29:00.000Z) closed 90.0 s ago (limit 60 s)',
      },
    ]);
    expect(checkFreshness(OPEN, '1m', at(35, 0)).issues[0]?.severity).toBe('critical');
  });

  it('uses the duration of a timeframe without a configured limit, and a configured one when given', () => {
    const open = Date.UTC(2025, 0, 30, 8, 0);
    expect(checkFreshness(open, '4H', Date.UTC(2025, 0, 30, 16, 0)).maxDelayMs).toBe(4 * 3_600_000);
    expect(checkFreshness(open, '4H', Date.UTC(2025, 0, 30, 13, 0), { maxDelayMs: { '4H': 600_000 } }).stale).toBe(true);
    const month = checkFreshness(Date.UTC(2024, 1, 1), '1M', Date.UTC(2024, 2, 1));
    expect(month).toMatchObject({ closeTime: Date.UTC(2024, 2, 1), delayMs: 0, score: 1, maxDelayMs: 29 * 86_400_000 });
  });

  it('gives a forming bar a negative delay and score 1', () => {
    expect(checkFreshness(OPEN, '1m', at(29, 30))).toMatchObject({ score: 1, delayMs: -30_000, stale: false });
  });

  it('scores 0 without a usable last bar', () => {
    for (const last of [undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(checkFreshness(last, '1m', OPEN)).toMatchObject({
        score: 0,
        stale: true,
        issues: [{ type: 'stale_data', rule: 'no_data', severity: 'critical' }],
      });
    }
  });

  it('stays finite and in [0, 1] for any last timestamp (property)', () => {
    fc.assert(
      fc.property(fc.double(), fc.constantFrom('1m', '5m', '1H', '1D', '1M' as const), (last, tf) => {
        const { score } = checkFreshness(last, tf, OPEN);
        expect(Number.isFinite(score) && score >= 0 && score <= 1).toBe(true);
      }),
    );
  });

  it('throws ConfigError for a non-finite now, an unknown timeframe or a bad limit', () => {
    expect(() => checkFreshness(OPEN, '1m', Number.NaN)).toThrow(/now/);
    for (const run of [
      () => checkFreshness(OPEN, '1m', Number.NaN),
      () => checkFreshness(OPEN, '9m' as never, OPEN),
      () => checkFreshness(OPEN, '1m', OPEN, { maxDelayMs: { '1m': 0 } }),
    ]) {
      let error: unknown;
      try {
        run();
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error)).toBe(true);
    }
  });
});
