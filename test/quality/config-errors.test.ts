import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { checkCompleteness } from '../../src/quality/check-completeness.js';
import { checkConsistency } from '../../src/quality/check-consistency.js';
import { QualityTracker } from '../../src/quality/quality-tracker.js';
import { scoreQuality } from '../../src/quality/score-quality.js';
import { thrown } from '../support/thrown.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);

/**
 * The README's rule for bad options: a `ConfigError` naming the path and the offending value.
 * Each case gives the path and the fragments its message must contain.
 */
const cases: { name: string; attempt: () => unknown; path: readonly PropertyKey[]; value: unknown; says: readonly string[] }[] = [
  {
    name: 'a base timeframe that does not nest',
    attempt: () => checkConsistency([], { timeframe: '5m', reference: { kind: 'base', bars: [], timeframe: '3m' } }),
    path: ['reference', 'timeframe'],
    value: '3m',
    says: ['`reference.timeframe`', 'nests in 5m', '3m'],
  },
  {
    name: 'fields that are not OHLCV fields',
    attempt: () => checkConsistency([], { timeframe: '5m', reference: { kind: 'source', bars: [], fields: ['vwap' as never] } }),
    path: ['reference', 'fields'],
    value: ['vwap'],
    says: ['`reference.fields`', 'open, high, low, close, volume', 'vwap'],
  },
  {
    name: 'an empty field list',
    attempt: () => checkConsistency([], { timeframe: '5m', reference: { kind: 'source', bars: [], fields: [] } }),
    path: ['reference', 'fields'],
    value: [],
    says: ['`reference.fields`'],
  },
  {
    name: 'an unknown reference kind',
    attempt: () => checkConsistency([], { timeframe: '5m', reference: { kind: 'other' } as never }),
    path: ['reference', 'kind'],
    value: 'other',
    says: ['`reference.kind`', "'source' or 'base'", 'other'],
  },
  {
    name: 'an end not after the start',
    attempt: () => checkCompleteness([], { timeframe: '1m', start: T0, end: T0 - 1 }),
    path: ['end'],
    value: T0 - 1,
    says: ['`end`', `after \`start\` (${String(T0)})`, String(T0 - 1)],
  },
  {
    name: 'weights that do not sum to 1 (scoreQuality)',
    attempt: () =>
      scoreQuality([], {
        timeframe: '1m',
        now: T0,
        config: { weights: { completeness: 0.5, validity: 0.5, freshness: 0.5, consistency: 0 } },
      }),
    path: ['config', 'weights'],
    value: { completeness: 0.5, validity: 0.5, freshness: 0.5, consistency: 0 },
    says: ['`config.weights'],
  },
  {
    name: 'a negative weight (QualityTracker)',
    attempt: () => new QualityTracker('1m', { weights: { completeness: 1.5, validity: -0.5, freshness: 0, consistency: 0 } }),
    path: ['config', 'weights', 'validity'],
    value: { completeness: 1.5, validity: -0.5, freshness: 0, consistency: 0 },
    says: ['`config.weights.validity`', '-0.5'],
  },
];

describe('the quality checks’ ConfigError', () => {
  for (const { name, attempt, path, value, says } of cases) {
    it(`names the path and the value for ${name}`, () => {
      const error = thrown(attempt);
      expect(isConfigError(error)).toBe(true);
      expect(error).toMatchObject({ path, value });
      for (const fragment of says) expect(String(error)).toContain(fragment);
    });
  }
});
