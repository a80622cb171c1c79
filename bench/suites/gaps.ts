/**
 * `gaps/` and `preprocess/` on the shared 1M bars.
 *
 * - `detectGaps` against a plain typed-array loop that counts missing slots (target: within
 *   2×), on the shared gap-free bars and on a gappy copy (0.5 % of slots start a 1–15 bar gap).
 * - `fillGaps` on the gappy copy, for scale.
 * - `preprocess` end to end next to the sum of its parts: the same steps run as separate
 *   public calls (dedupe, sortByTime, fillGaps, handleOutliers, returns, logReturns, atr).
 */
import { atr, dedupe, detectGaps, fillGaps, handleOutliers, logReturns, preprocess, returns, sortByTime } from '../../src/index.js';
import type { OhlcvColumns } from '../../src/index.js';
import { generateOhlcvColumns } from '../../src/testing/index.js';
import type { BenchData, BenchGroup, Suite } from '../harness.js';

const MINUTE = 60_000;

/** The floor: one pass counting missing 1m slots between consecutive timestamps. */
function plainMissing(ts: Float64Array, n: number): number {
  let missing = 0;
  for (let i = 1; i < n; i++) {
    const d = ts[i]! - ts[i - 1]!;
    if (d !== MINUTE) missing += d / MINUTE - 1;
  }
  return missing;
}

/** The recipe as separate public calls, each on the previous step's output. */
function sumOfParts(columns: OhlcvColumns): unknown {
  const deduped = dedupe(columns, { keep: 'last' }).bars;
  const sorted = sortByTime(deduped);
  const filled = fillGaps(sorted, '1m');
  const clean = handleOutliers(filled.bars, { method: 'clip', threshold: 5, window: 100, breaks: filled.breaks }).bars;
  const options = { breaks: filled.breaks };
  return [returns(clean, options), logReturns(clean, options), atr(clean, { period: 14, breaks: filled.breaks })];
}

const suite: Suite = (data: BenchData): readonly BenchGroup[] => {
  const { columns, rows } = data;
  const n = columns.length;
  const label = n.toLocaleString('en-US');
  // Untimed: a gappy, slightly duplicated copy of the same size.
  const gappy = generateOhlcvColumns({ seed: 7, count: n, timeframe: '1m', gapRate: 0.005, maxGapBars: 15, duplicateRate: 0.001 }).columns;
  const gappyNoDup = dedupe(gappy).bars;

  return [
    {
      title: `detectGaps, ${label} bars without gaps`,
      cases: [
        { name: 'detectGaps (columns)', role: 'ours', fn: () => detectGaps(columns, '1m') },
        { name: 'detectGaps (rows)', role: 'ours', fn: () => detectGaps(rows, '1m') },
        { name: 'plain typed-array loop', role: 'limit', fn: () => plainMissing(columns.timestamp, n) },
      ],
      targets: [{ ours: 'detectGaps (columns)', than: 'plain typed-array loop', within: 2 }],
    },
    {
      title: `detectGaps, ${gappyNoDup.length.toLocaleString('en-US')} bars with ~5,000 gaps`,
      cases: [
        { name: 'detectGaps (columns)', role: 'ours', fn: () => detectGaps(gappyNoDup, '1m') },
        { name: 'plain typed-array loop', role: 'limit', fn: () => plainMissing(gappyNoDup.timestamp, gappyNoDup.length) },
      ],
      targets: [{ ours: 'detectGaps (columns)', than: 'plain typed-array loop', within: 2 }],
    },
    {
      title: `fillGaps, ${gappyNoDup.length.toLocaleString('en-US')} bars with ~5,000 gaps`,
      cases: [{ name: 'fillGaps (columns)', role: 'ours', fn: () => fillGaps(gappyNoDup, '1m') }],
    },
    {
      title: `preprocess, ${label} shared bars (no gaps)`,
      cases: [
        { name: 'preprocess (columns)', role: 'ours', fn: () => preprocess(columns, { timeframe: '1m' }) },
        { name: 'sum of parts (columns)', role: 'ours', fn: () => sumOfParts(columns) },
        { name: 'preprocess (rows)', role: 'ours', fn: () => preprocess(rows, { timeframe: '1m' }) },
      ],
    },
    {
      title: `preprocess, ${gappy.length.toLocaleString('en-US')} bars with gaps and duplicates`,
      cases: [
        { name: 'preprocess (columns)', role: 'ours', fn: () => preprocess(gappy, { timeframe: '1m' }) },
        { name: 'sum of parts (columns)', role: 'ours', fn: () => sumOfParts(gappy) },
        { name: 'dedupe', role: 'ours', fn: () => dedupe(gappy, { keep: 'last' }) },
        { name: 'sortByTime', role: 'ours', fn: () => sortByTime(gappyNoDup) },
        { name: 'fillGaps', role: 'ours', fn: () => fillGaps(gappyNoDup, '1m') },
        { name: 'handleOutliers (clip)', role: 'ours', fn: () => handleOutliers(gappyNoDup) },
        { name: 'returns + logReturns + atr', role: 'ours', fn: () => [returns(gappyNoDup), logReturns(gappyNoDup), atr(gappyNoDup)] },
      ],
    },
  ];
};

export default suite;
