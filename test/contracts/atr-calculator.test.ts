import fc from 'fast-check';
import { atr } from '../../src/indicators/atr.js';
import { AtrCalculator } from '../../src/indicators/atr-calculator.js';
import type { AtrSeed } from '../../src/indicators/atr-options.js';
import type { HighLowCloseRow } from '../../src/indicators/indicator-input.js';
import { describeStreamingEqualsBatch } from './streaming-equals-batch.js';

/** A bar with low ≤ close ≤ high; now and then synthetic or carrying a NaN (bad data). */
const bar: fc.Arbitrary<HighLowCloseRow> = fc
  .record({
    low: fc.double({ min: 1, max: 1000, noNaN: true }),
    range: fc.double({ min: 0, max: 50, noNaN: true }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    kind: fc.constantFrom('real', 'real', 'real', 'real', 'real', 'real', 'interpolated', 'forward_filled', 'nan'),
  })
  .map(({ low, range, at, kind }): HighLowCloseRow => {
    const row = { high: low + range, low, close: low + range * at };
    if (kind === 'nan') return { ...row, close: NaN };
    if (kind === 'interpolated' || kind === 'forward_filled') return { ...row, flag: kind };
    return row;
  });

const variant = (): fc.Arbitrary<HighLowCloseRow> => bar;

for (const seed of ['first-range', 'talib'] as const satisfies readonly AtrSeed[]) {
  for (const period of [1, 3, 5]) {
    describeStreamingEqualsBatch<HighLowCloseRow>({
      name: `AtrCalculator({ period: ${period}, seed: '${seed}' })`,
      bars: fc.array(bar, { maxLength: 40 }),
      variant,
      batch: (bars, breaks) => atr(bars, { period, seed, breaks }),
      create: () => new AtrCalculator({ period, seed }),
      numRuns: 100,
    });
  }
}
