import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { checkValidity } from '../../src/quality/check-validity.js';
import { QualityTracker } from '../../src/quality/quality-tracker.js';
import { scoreQuality } from '../../src/quality/score-quality.js';
import type { Timeframe } from '../../src/time/timeframe.js';
import { thrown } from '../support/thrown.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const bogus = 'bogus' as Timeframe;

/** The README's rule for bad options: a `ConfigError` whose path names the option in full, from the argument given. */
const cases: { name: string; attempt: () => unknown; path: readonly PropertyKey[] }[] = [
  {
    name: 'checkValidity: a bad threshold',
    attempt: () => checkValidity([], { config: { priceChangeThreshold: -1 } }),
    path: ['config', 'priceChangeThreshold'],
  },
  { name: 'checkValidity: an unknown timeframe', attempt: () => checkValidity([], { timeframe: bogus }), path: ['timeframe'] },
  {
    name: 'QualityTracker: a bad validity window',
    attempt: () => new QualityTracker('1m', { validity: { outlierWindow: 0 } }),
    path: ['config', 'validity', 'outlierWindow'],
  },
  {
    name: 'QualityTracker: a bad freshness limit',
    attempt: () => new QualityTracker('1m', { freshness: { realTimeMaxDelayMs: -1 } }),
    path: ['config', 'freshness', 'realTimeMaxDelayMs'],
  },
  { name: 'scoreQuality: an unknown timeframe', attempt: () => scoreQuality([], { timeframe: bogus, now: T0 }), path: ['timeframe'] },
  {
    name: 'scoreQuality: a bad escalation threshold',
    attempt: () => scoreQuality([], { timeframe: '1m', now: T0, config: { escalation: { qualityBelow: 2 } } }),
    path: ['config', 'escalation', 'qualityBelow'],
  },
  {
    name: 'scoreQuality: a bad completeness option',
    attempt: () => scoreQuality([], { timeframe: '1m', now: T0, config: { completeness: { criticalGapBars: -1 } } }),
    path: ['config', 'completeness', 'criticalGapBars'],
  },
  {
    name: 'scoreQuality: a bad freshness option',
    attempt: () => scoreQuality([], { timeframe: '1m', now: T0, config: { freshness: { realTimeMaxDelayMs: -1 } } }),
    path: ['config', 'freshness', 'realTimeMaxDelayMs'],
  },
  {
    name: 'scoreQuality: a bad consistency option',
    attempt: () => scoreQuality([], { timeframe: '1m', now: T0, config: { consistency: { relativeTolerance: -1 } } }),
    path: ['config', 'consistency', 'relativeTolerance'],
  },
];

describe('the quality checks’ ConfigError paths', () => {
  for (const { name, attempt, path } of cases) {
    it(`names the full path for ${name}`, () => {
      const error = thrown(attempt);
      expect(isConfigError(error)).toBe(true);
      expect(error).toMatchObject({ path });
      expect(String(error)).toContain(`\`${path.map(String).join('.')}\``);
    });
  }
});
