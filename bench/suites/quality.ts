/**
 * `validate/` and `quality/` on the shared 1M bars (issue 3's targets):
 *
 * - `validateOhlcv` on columns at least 10× faster than a per-row zod `safeParse` of the same
 *   rows, and within 2× of a plain typed-array loop that checks the specification's five rules;
 * - `scoreQuality` (all four metrics, outliers included) on the same columns within 5× of that
 *   loop.
 *
 * The rows variants, `checkCompleteness` and `detectOutliers` are shown for scale.
 */
import { OhlcvSchema, checkCompleteness, detectOutliers, scoreQuality, validateOhlcv } from '../../src/index.js';
import type { Ohlcv, OhlcvColumns } from '../../src/index.js';
import type { BenchData, BenchGroup, Suite } from '../harness.js';

/**
 * The floor: the specification's five rules (`high >= low`, `high >= max(open, close)`,
 * `low <= min(open, close)`, `volume >= 0`, strictly increasing timestamps), counting the bars
 * that break any, in one pass over the columns. `max`/`min` are written as two comparisons
 * each: with `Math.max`/`Math.min` the same loop is about 1.5–3× slower here, which would
 * make the targets easier than they should be.
 */
function plainFiveRules(bars: OhlcvColumns): number {
  const { timestamp: ts, open, high, low, close, volume } = bars;
  const n = bars.length;
  let bad = 0;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const t = ts[i]!;
    if (!(h >= l) || !(h >= o && h >= c) || !(l <= o && l <= c) || !(volume[i]! >= 0) || !(t > prev)) bad++;
    prev = t;
  }
  return bad;
}

/** What a user without this library writes: zod per row. */
function zodPerRow(rows: readonly Ohlcv[]): number {
  let bad = 0;
  for (const row of rows) if (!OhlcvSchema.safeParse(row).success) bad++;
  return bad;
}

const suite: Suite = (data: BenchData): readonly BenchGroup[] => {
  const { columns, rows } = data;
  const label = columns.length.toLocaleString('en-US');
  const now = columns.timestamp[columns.length - 1]! + 90_000;
  return [
    {
      title: `validateOhlcv, ${label} bars`,
      cases: [
        { name: 'validateOhlcv (columns)', role: 'ours', fn: () => validateOhlcv(columns) },
        { name: "validateOhlcv (columns, timeframe '1m')", role: 'ours', fn: () => validateOhlcv(columns, { timeframe: '1m' }) },
        { name: 'validateOhlcv (rows)', role: 'ours', fn: () => validateOhlcv(rows) },
        { name: 'zod safeParse per row', role: 'peer', fn: () => zodPerRow(rows) },
        { name: 'plain loop, five rules', role: 'limit', fn: () => plainFiveRules(columns) },
      ],
      targets: [
        { ours: 'validateOhlcv (columns)', than: 'zod safeParse per row', factor: 10 },
        { ours: 'validateOhlcv (columns)', than: 'plain loop, five rules', within: 2 },
      ],
    },
    {
      title: `scoreQuality, ${label} bars`,
      cases: [
        { name: 'scoreQuality (columns)', role: 'ours', fn: () => scoreQuality(columns, { timeframe: '1m', now }) },
        { name: 'checkCompleteness (columns)', role: 'ours', fn: () => checkCompleteness(columns, { timeframe: '1m' }) },
        { name: 'detectOutliers (columns)', role: 'ours', fn: () => detectOutliers(columns) },
        { name: 'plain loop, five rules', role: 'limit', fn: () => plainFiveRules(columns) },
      ],
      targets: [{ ours: 'scoreQuality (columns)', than: 'plain loop, five rules', within: 5 }],
    },
  ];
};

export default suite;
