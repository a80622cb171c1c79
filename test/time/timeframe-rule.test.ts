import { describe, expect, it } from 'vitest';
import {
  aggregateOhlcv,
  alignSources,
  applyRetention,
  checkCompleteness,
  checkConsistency,
  checkFreshness,
  checkValidity,
  detectGaps,
  fillGaps,
  isConfigError,
  joinHigherTimeframe,
  OhlcvAggregator,
  preprocess,
  retentionCutoff,
  scoreQuality,
  TickAggregator,
  ticksToOhlcv,
  TIMEFRAMES,
  validateOhlcv,
  type Ohlcv,
  type Tick,
  type Timeframe,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

// Issue 14, item 4: every public function that takes a timeframe reads it through one checker,
// so all accept what `parseTimeframe` accepts (`1h` and `60m` are the hour, `1H`) and refuse the
// same spellings with the same message. `detectGaps` and `fillGaps` used to refuse `1h`.

const H = 3_600_000;
const M = 60_000;
const NOW = 10 * H;

/** Hourly bars at 0 … 5 h with the 3 h bar missing. */
const hourly: Ohlcv[] = [0, 1, 2, 4, 5].map((h) => ({ timestamp: h * H, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }));
/** Minute bars over the first two hours. */
const minutes: Ohlcv[] = Array.from({ length: 120 }, (_, i) => ({ timestamp: i * M, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }));
const ticks: Tick[] = [0, 1, 2].map((i) => ({ timestamp: i * H + 1, price: 1, quantity: 1, side: 'buy', tradeId: i }));

/** One entry point: the name its message gives the timeframe, and a call with timeframe `tf`. */
interface EntryPoint {
  readonly name: string;
  readonly path: string;
  readonly call: (tf: Timeframe) => unknown;
}

const entryPoints: readonly EntryPoint[] = [
  { name: 'aggregateOhlcv', path: 'target', call: (tf) => aggregateOhlcv(minutes, tf) },
  { name: 'OhlcvAggregator', path: 'target', call: (tf) => new OhlcvAggregator({ source: '1m', target: tf }).target },
  { name: 'ticksToOhlcv', path: 'timeframe', call: (tf) => ticksToOhlcv(ticks, tf) },
  { name: 'TickAggregator', path: 'timeframe', call: (tf) => new TickAggregator({ timeframe: tf }).timeframe },
  { name: 'alignSources', path: 'timeframe', call: (tf) => alignSources({ a: hourly }, tf) },
  { name: 'joinHigherTimeframe', path: 'higherTf', call: (tf) => joinHigherTimeframe(minutes, '1m', hourly, tf) },
  { name: 'validateOhlcv', path: 'timeframe', call: (tf) => validateOhlcv(hourly, { timeframe: tf }) },
  { name: 'checkCompleteness', path: 'timeframe', call: (tf) => checkCompleteness(hourly, { timeframe: tf, start: 0, end: 6 * H }) },
  { name: 'checkValidity', path: 'timeframe', call: (tf) => checkValidity(hourly, { timeframe: tf }) },
  { name: 'checkFreshness', path: 'timeframe', call: (tf) => checkFreshness(5 * H, tf, NOW) },
  { name: 'checkConsistency', path: 'timeframe', call: (tf) => checkConsistency(hourly, { timeframe: tf }) },
  { name: 'scoreQuality', path: 'timeframe', call: (tf) => scoreQuality(hourly, { timeframe: tf, now: NOW }) },
  { name: 'detectGaps', path: 'timeframe', call: (tf) => detectGaps(hourly, tf) },
  { name: 'fillGaps', path: 'timeframe', call: (tf) => fillGaps(hourly, tf) },
  { name: 'preprocess', path: 'timeframe', call: (tf) => preprocess(hourly, { timeframe: tf }) },
  { name: 'retentionCutoff', path: 'tf', call: (tf) => retentionCutoff(tf, NOW) },
  { name: 'applyRetention', path: 'tf', call: (tf) => applyRetention(hourly, tf, NOW) },
];

describe('the timeframe rule', () => {
  it.each(entryPoints)('$name reads 1h and 60m as 1H', ({ call }) => {
    const canonical = call('1H');
    expect(call('1h' as Timeframe)).toEqual(canonical);
    expect(call('60m' as Timeframe)).toEqual(canonical);
  });

  it.each(entryPoints)('$name refuses 7x with the one message', ({ path, call }) => {
    const error = thrown(() => call('7x' as Timeframe));
    expect(isConfigError(error)).toBe(true);
    // The message names the option, lists the canonical names and the other spellings, and
    // shows the value as JSON (the shared value printer of `ConfigError` messages).
    expect((error as Error).message).toBe(
      `Expected \`${path}\` to be a timeframe such as ${TIMEFRAMES.join(', ')} (or 1h, 4h, 1d, 1w), got \`"7x"\``,
    );
  });
});
