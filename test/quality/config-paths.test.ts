import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { checkCompleteness } from '../../src/quality/check-completeness.js';
import { checkConsistency } from '../../src/quality/check-consistency.js';
import { checkFreshness } from '../../src/quality/check-freshness.js';
import { checkValidity } from '../../src/quality/check-validity.js';
import { detectOutliers } from '../../src/quality/detect-outliers.js';
import { evaluateEscalation } from '../../src/quality/evaluate-escalation.js';
import { isCriticalGap } from '../../src/quality/is-critical-gap.js';
import { QualityTracker } from '../../src/quality/quality-tracker.js';
import { scoreQuality } from '../../src/quality/score-quality.js';
import type { Timeframe } from '../../src/time/timeframe.js';
import { thrown } from '../support/thrown.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const bogus = 'bogus' as Timeframe;

/** The README's rule for bad options: a `ConfigError` whose path names the option in full, from the argument given. */
const cases: { name: string; attempt: () => unknown; path: readonly PropertyKey[] }[] = [
  { name: 'checkConsistency: an unknown timeframe', attempt: () => checkConsistency([], { timeframe: bogus }), path: ['timeframe'] },
  {
    name: 'checkConsistency: a bad tolerance',
    attempt: () => checkConsistency([], { timeframe: '1m', config: { relativeTolerance: -1 } }),
    path: ['config', 'relativeTolerance'],
  },
  {
    name: 'checkConsistency: an unknown base timeframe',
    attempt: () => checkConsistency([], { timeframe: '5m', reference: { kind: 'base', bars: [], timeframe: bogus } }),
    path: ['reference', 'timeframe'],
  },
  {
    name: 'checkConsistency: fields of which one is not a field',
    attempt: () => checkConsistency([], { timeframe: '5m', reference: { kind: 'source', bars: [], fields: ['close', 'vwap' as never] } }),
    path: ['reference', 'fields'],
  },
  { name: 'checkCompleteness: a non-finite end', attempt: () => checkCompleteness([], { timeframe: '1m', end: Infinity }), path: ['end'] },
  {
    name: 'checkCompleteness: a non-finite start',
    attempt: () => checkCompleteness([], { timeframe: '1m', start: Number.NaN }),
    path: ['start'],
  },
  {
    name: 'detectOutliers: a bad threshold',
    attempt: () => detectOutliers([], { volumeSpikeThreshold: 0 }),
    path: ['volumeSpikeThreshold'],
  },
  { name: 'checkFreshness: an unknown timeframe', attempt: () => checkFreshness(T0, bogus, T0), path: ['timeframe'] },
  {
    name: 'checkFreshness: a bad limit',
    attempt: () => checkFreshness(T0, '1m', T0, { realTimeMaxDelayMs: 0 }),
    path: ['config', 'realTimeMaxDelayMs'],
  },
  { name: 'evaluateEscalation: a non-finite now', attempt: () => evaluateEscalation({ now: Number.NaN }), path: ['now'] },
  {
    name: 'evaluateEscalation: a bad threshold',
    attempt: () => evaluateEscalation({ now: T0 }, { sourceUnavailableMs: -1 }),
    path: ['config', 'sourceUnavailableMs'],
  },
  { name: 'isCriticalGap: an unknown timeframe', attempt: () => isCriticalGap(bogus, 4), path: ['timeframe'] },
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

describe('the quality weights’ ConfigError', () => {
  it('gives the schema’s reason when the weights do not sum to 1', () => {
    const weights = { completeness: 0.5, validity: 0.5, freshness: 0.5, consistency: 0 };
    expect(String(thrown(() => scoreQuality([], { timeframe: '1m', now: T0, config: { weights } })))).toContain(
      'Invalid option at `config.weights`: Expected the quality weights to sum to 1',
    );
  });
});
