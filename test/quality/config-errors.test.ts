import { checkCompleteness } from '../../src/quality/check-completeness.js';
import { checkConsistency } from '../../src/quality/check-consistency.js';
import { checkFreshness } from '../../src/quality/check-freshness.js';
import { checkValidity } from '../../src/quality/check-validity.js';
import { detectOutliers } from '../../src/quality/detect-outliers.js';
import { evaluateEscalation } from '../../src/quality/evaluate-escalation.js';
import { isCriticalGap } from '../../src/quality/is-critical-gap.js';
import { QualityTracker } from '../../src/quality/quality-tracker.js';
import { scoreQuality } from '../../src/quality/score-quality.js';
import { describeConfigErrors, type ConfigErrorCase } from '../support/config-error-cases.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);

/**
 * The README's rule for bad options: a `ConfigError` naming the path and the offending value.
 * Each case gives the path and the fragments its message must contain.
 */
const cases: ConfigErrorCase[] = [
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
  // Every entry point names the option under its own path: a section's fields under `config.<section>`.
  ...(
    [
      ['checkValidity', () => checkValidity([], { config: { outlierStdDevs: -1 } }), ['config', 'outlierStdDevs'], -1],
      ['checkValidity', () => checkValidity([], { timeframe: '2x' as never }), ['timeframe'], '2x'],
      ['checkFreshness', () => checkFreshness(T0, '2x' as never, T0), ['timeframe'], '2x'],
      ['checkFreshness', () => checkFreshness(T0, '1m', Number.NaN), ['now'], Number.NaN],
      ['checkFreshness', () => checkFreshness(T0, '1m', T0, { maxDelayMs: { '1m': -5 } }), ['config', 'maxDelayMs', '1m'], -5],
      ['evaluateEscalation', () => evaluateEscalation({ now: T0 }, { qualityBelow: 2 }), ['config', 'qualityBelow'], 2],
      ['evaluateEscalation', () => evaluateEscalation({ now: Number.NaN }), ['now'], Number.NaN],
      ['isCriticalGap', () => isCriticalGap('2x' as never, 4), ['timeframe'], '2x'],
      ['detectOutliers', () => detectOutliers([], { outlierWindow: 0 }), ['outlierWindow'], 0],
      ['QualityTracker', () => new QualityTracker('2x' as never), ['timeframe'], '2x'],
      ['QualityTracker', () => new QualityTracker('1m', { validity: { volumeWindow: 0 } }), ['config', 'validity', 'volumeWindow'], 0],
      [
        'QualityTracker',
        () => new QualityTracker('1m', { freshness: { maxDelayMs: { '1m': -1 } } }),
        ['config', 'freshness', 'maxDelayMs', '1m'],
        -1,
      ],
      ['scoreQuality', () => scoreQuality([], { timeframe: '2x' as never, now: T0 }), ['timeframe'], '2x'],
      ['scoreQuality', () => scoreQuality([], { timeframe: '1m', now: Number.NaN }), ['now'], Number.NaN],
      [
        'scoreQuality',
        () => scoreQuality([], { timeframe: '1m', now: T0, config: { escalation: { qualityBelow: 2 } } }),
        ['config', 'escalation', 'qualityBelow'],
        2,
      ],
      [
        'scoreQuality',
        () => scoreQuality([], { timeframe: '1m', now: T0, config: { completeness: { maxMissingShareDaily: 2 } } }),
        ['config', 'completeness', 'maxMissingShareDaily'],
        2,
      ],
      [
        'scoreQuality',
        () => scoreQuality([], { timeframe: '1m', now: T0, config: { validity: { outlierWindow: 0 } } }),
        ['config', 'validity', 'outlierWindow'],
        0,
      ],
      [
        'scoreQuality',
        () => scoreQuality([], { timeframe: '1m', now: T0, config: { freshness: { maxDelayMs: { '1m': -1 } } } }),
        ['config', 'freshness', 'maxDelayMs', '1m'],
        -1,
      ],
      [
        'scoreQuality',
        () => scoreQuality([], { timeframe: '1m', now: T0, config: { consistency: { relativeTolerance: -1 } } }),
        ['config', 'consistency', 'relativeTolerance'],
        -1,
      ],
    ] as const
  ).map(([fn, attempt, path, value]) => ({
    name: `${fn}: \`${path.join('.')}\` = ${String(value)}`,
    attempt,
    path,
    value,
    says: [`\`${path.join('.')}\``],
  })),
];

describeConfigErrors('the quality checks’ ConfigError', cases);
