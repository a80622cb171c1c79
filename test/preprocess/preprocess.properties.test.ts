import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { preprocess } from '../../src/preprocess/preprocess.js';
import { dedupe } from '../../src/preprocess/dedupe.js';
import { sortByTime } from '../../src/preprocess/sort-by-time.js';
import { handleOutliers } from '../../src/preprocess/handle-outliers.js';
import { fillGaps } from '../../src/gaps/fill-gaps.js';
import { atr, logReturns, returns } from '../../src/indicators/index.js';
import type { DuplicatePolicy } from '../../src/preprocess/duplicate-issue.js';
import type { PreprocessingConfig } from '../../src/schemas/config.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { bar, M } from './series.js';

type GapHandling = PreprocessingConfig['gapHandling'];
type Outliers = PreprocessingConfig['outliers'];

/** Default gap strategies (`DEFAULT_GAP_STRATEGIES`): up to 3 missing bars interpolated, up to 10 forward-filled, more is large. */
const SMALL = 3;
const MEDIUM = 10;

/**
 * `preprocess` as its TSDoc composes it from the public steps, in the specification's order:
 * `dedupe` (when `removeDuplicates`), `sortByTime`, `fillGaps` (by size; `forward_fill`: every
 * gap up to the medium size forward-filled; `none`: nothing filled), `handleOutliers` with the
 * breaks after large gaps, then returns, log returns and ATR with those breaks. The input
 * index of each output bar is followed by timestamp: the kept bar of its timestamp group
 * (`keptIndex`), −1 for a bar a gap fill inserted.
 */
function composed(input: readonly Ohlcv[], recipe: PreprocessingConfig, window: number) {
  const dedupeIssues = recipe.removeDuplicates ? dedupe(input, { keep: recipe.duplicatePolicy }).issues : [];
  const rows: readonly Ohlcv[] = recipe.removeDuplicates ? dedupe(input, { keep: recipe.duplicatePolicy }).bars : input;
  // A kept bar is the input's own object; a merged one stands for its group's first bar (its keptIndex).
  const keptFor = new Map(dedupeIssues.map((i) => [i.timestamp, i.keptIndex]));
  const originOf = new Map<Ohlcv, number>(
    rows.map((r) => [r, input.includes(r) ? input.indexOf(r) : (keptFor.get(r.timestamp) as number)]),
  );
  const sorted = sortByTime(rows);
  const reordered = sorted.filter((r, k) => r !== rows[k]).length;
  const strategies = recipe.gapHandling === 'forward_fill' ? { smallMaxBars: 0, mediumMaxBars: MEDIUM } : undefined;
  const filled = fillGaps(sorted, '1m', strategies);
  const bars0 = recipe.gapHandling === 'none' ? sorted : filled.bars;
  // A large gap is one of more than MEDIUM missing bars; the bar after it starts the features again.
  const afterLarge = bars0
    .filter((b, k) => k > 0 && b.timestamp - (bars0[k - 1] as Ohlcv).timestamp > (MEDIUM + 1) * M)
    .map((b) => b.timestamp);
  let origin = bars0.map((b) => originOf.get(b) ?? -1);
  let bars: readonly Ohlcv[] = bars0;
  let outliers: readonly number[] = [];
  if (recipe.outliers !== 'none') {
    const breaks = afterLarge.map((t) => bars0.findIndex((b) => b.timestamp === t));
    const handled = handleOutliers(bars0, { method: recipe.outliers, threshold: recipe.outlierThreshold, window, breaks });
    bars = handled.bars;
    outliers = handled.outliers;
  }
  const removed = recipe.outliers === 'remove' ? outliers.map((k) => origin[k] as number) : [];
  if (recipe.outliers === 'remove') origin = origin.filter((_, k) => !outliers.includes(k));
  const breaks = afterLarge.map((t) => bars.findIndex((b) => b.timestamp >= t)).filter((k) => k >= 0);
  const sortedTimes = sorted.map((r) => r.timestamp);
  return {
    bars,
    origin,
    reordered,
    dedupeIssues,
    outliers,
    removed,
    breaks,
    reports: filled.reports,
    gapIssues: filled.issues,
    sortedTimes,
  };
}

/** Missing bars between consecutive real bars, each in 0..14 (so small, medium and large gaps all occur). */
const spec = fc.record({
  steps: fc.array(
    fc.record({
      skip: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 14 }) }),
      close: fc.integer({ min: 95, max: 105 }),
      spike: fc.oneof({ weight: 10, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(1.4, 0.6) }),
      copies: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
      volume: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 40 },
  ),
  shuffle: fc.boolean(),
  seed: fc.integer(),
  recipe: fc.record({
    removeDuplicates: fc.boolean(),
    duplicatePolicy: fc.constantFrom<DuplicatePolicy>('first', 'last', 'merge'),
    gapHandling: fc.constantFrom<GapHandling>('by_size', 'forward_fill', 'none'),
    outliers: fc.constantFrom<Outliers>('clip', 'remove', 'flag', 'none'),
    outlierThreshold: fc.constantFrom(1, 2, 3),
    returns: fc.boolean(),
    logReturns: fc.boolean(),
    atr: fc.boolean(),
    atrPeriod: fc.integer({ min: 2, max: 5 }),
  }),
  window: fc.integer({ min: 2, max: 5 }),
});

interface Step {
  readonly skip: number;
  readonly close: number;
  readonly spike: number;
  readonly copies: number;
  readonly volume: number;
}

/** Real bars `skip` minutes apart, each followed by `copies` duplicates (an identical one, then a conflicting one), shuffled or not. */
function inputOf(s: { readonly steps: readonly Step[]; readonly shuffle: boolean; readonly seed: number }): Ohlcv[] {
  const rows: Ohlcv[] = [];
  let minute = 0;
  for (const st of s.steps) {
    minute += st.skip + 1;
    const close = st.close * st.spike;
    rows.push(bar(minute, close, { volume: st.volume }));
    for (let c = 1; c <= st.copies; c++)
      rows.push(bar(minute, c === 1 ? close : close + c, { volume: c === 1 ? st.volume : st.volume + c }));
  }
  if (!s.shuffle) return rows;
  // A deterministic shuffle from the seed (Park–Miller), so a failure replays.
  let state = (Math.abs(s.seed) % 2147483646) + 1;
  for (let i = rows.length - 1; i > 0; i--) {
    state = (state * 16807) % 2147483647;
    const j = state % (i + 1);
    [rows[i], rows[j]] = [rows[j] as Ohlcv, rows[i] as Ohlcv];
  }
  return rows;
}

describe('preprocess against its documented steps (property)', () => {
  it('returns what dedupe, sortByTime, fillGaps, handleOutliers and the features return in turn, with the report and source index', () => {
    fc.assert(
      fc.property(spec, ({ recipe, window, ...shape }) => {
        const input = Object.freeze(inputOf(shape));
        const expected = composed(input, recipe, window);
        const { bars, sourceIndex, report, ...features } = preprocess(input, {
          timeframe: '1m',
          preprocessing: recipe,
          outlierWindow: window,
        });
        expect(bars).toEqual(expected.bars);
        expect(Array.from(sourceIndex)).toEqual(expected.origin);
        expect(report.inputBars).toBe(input.length);
        expect(report.outputBars).toBe(expected.bars.length);
        expect(report.reordered).toBe(expected.reordered);
        expect(report.duplicates.issues).toEqual(expected.dedupeIssues);
        expect(report.duplicates.dropped).toEqual(expected.dedupeIssues.filter((i) => i.resolution === 'dropped').map((i) => i.index));
        expect(report.duplicates.merged).toEqual(expected.dedupeIssues.filter((i) => i.resolution === 'merged').map((i) => i.index));
        expect(report.outliers).toEqual({
          method: recipe.outliers,
          clipped: recipe.outliers === 'clip' ? expected.outliers : [],
          removed: expected.removed,
          flagged: recipe.outliers === 'flag' ? expected.outliers : [],
        });
        expect(report.gaps.breaks).toEqual(expected.breaks);
        expect(report.gaps.filled).toEqual(expected.origin.flatMap((o, k) => (o === -1 ? [k] : [])));
        const options = { breaks: expected.breaks };
        expect(features).toEqual({
          ...(recipe.returns ? { returns: returns(expected.bars, options) } : {}),
          ...(recipe.logReturns ? { logReturns: logReturns(expected.bars, options) } : {}),
          ...(recipe.atr ? { atr: atr(expected.bars, { period: recipe.atrPeriod, ...options }) } : {}),
        });
        // A bar whose values did not change is the input's own object, as each step keeps it.
        expect(bars.map((b, k) => b === input[sourceIndex[k] as number])).toEqual(
          expected.bars.map((b, k) => b === input[expected.origin[k] as number]),
        );
        expect(report.gaps.reports).toEqual(
          recipe.gapHandling === 'none'
            ? expected.reports.map((r) => ({ ...r, resolution: 'marked_missing', filledBars: 0 }))
            : expected.reports,
        );
        expect(report.gaps.issues).toEqual(expected.gapIssues);
        if (recipe.removeDuplicates) {
          // One bar per timestamp: each gap's size in missing bars, classed by the default strategies.
          const sizes = expected.sortedTimes
            .slice(1)
            .map((t, k) => (t - (expected.sortedTimes[k] as number)) / M - 1)
            .filter((n) => n > 0);
          const sum = (xs: number[]): number => xs.reduce((a, x) => a + x, 0);
          const fillMax = recipe.gapHandling === 'none' ? 0 : MEDIUM;
          const interpolatedMax = recipe.gapHandling === 'by_size' ? SMALL : 0;
          expect(report.gaps.interpolated).toBe(sum(sizes.filter((n) => n <= interpolatedMax)));
          expect(report.gaps.forwardFilled).toBe(sum(sizes.filter((n) => n > interpolatedMax && n <= fillMax)));
          expect(report.gaps.markedMissing).toBe(sum(sizes.filter((n) => n > fillMax)));
          expect(report.gaps.escalate).toBe(sizes.some((n) => n > MEDIUM));
          if (recipe.gapHandling === 'by_size') expect(report.gaps.notify).toBe(sizes.some((n) => n > SMALL && n <= MEDIUM));
        }
      }),
      { numRuns: 300 },
    );
  });
});
