/**
 * Foundation operations on the shared 1M bars: rows → columns and back (against
 * nodejs-polars, the columnar library JavaScript users reach for), and reading untrusted rows
 * with `parseOhlcv` against a per-row zod `safeParse` loop. Each group has a plain loop as the
 * practical limit.
 *
 * The targets are this suite's own (the issue sets none for these operations): a conversion
 * within 2× of the plain loop that does the same copy, and parsing at least 2× faster than
 * calling zod per row and keeping its output (DESIGN.md §1.5: zod at boundaries, not in hot
 * loops). Both parsers build a million new row objects, which bounds what a parser that
 * returns rows can gain.
 */
import pl from 'nodejs-polars';
import { OhlcvSchema, parseOhlcv, toColumns, toRows, type Ohlcv } from '../../src/index.js';
import type { BenchData, BenchGroup, Suite } from '../harness.js';

/** The bare copy `toColumns` does for the six required fields. */
function plainToColumns(rows: readonly Ohlcv[]): Float64Array[] {
  const n = rows.length;
  const t = new Float64Array(n);
  const o = new Float64Array(n);
  const h = new Float64Array(n);
  const l = new Float64Array(n);
  const c = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bar = rows[i]!;
    t[i] = bar.timestamp;
    o[i] = bar.open;
    h[i] = bar.high;
    l[i] = bar.low;
    c[i] = bar.close;
    v[i] = bar.volume;
  }
  return [t, o, h, l, c, v];
}

/** The bare object construction `toRows` does. */
function plainToRows(
  t: Float64Array,
  o: Float64Array,
  h: Float64Array,
  l: Float64Array,
  c: Float64Array,
  v: Float64Array,
  n: number,
): Ohlcv[] {
  const rows = new Array<Ohlcv>(n);
  for (let i = 0; i < n; i++) rows[i] = { timestamp: t[i]!, open: o[i]!, high: h[i]!, low: l[i]!, close: c[i]!, volume: v[i]! };
  return rows;
}

/**
 * The least a reader of untrusted rows must do: check each field is a finite number and
 * keep it. No issues, no messages, no timestamp rules — the floor, not a parser.
 */
function plainCheckedCopy(input: readonly unknown[]): number {
  let kept = 0;
  const n = input.length;
  const close = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = input[i] as Record<string, unknown>;
    const { timestamp, open, high, low, volume } = row;
    const c = row.close;
    if (
      typeof timestamp === 'number' &&
      Number.isSafeInteger(timestamp) &&
      typeof open === 'number' &&
      Number.isFinite(open) &&
      typeof high === 'number' &&
      Number.isFinite(high) &&
      typeof low === 'number' &&
      Number.isFinite(low) &&
      typeof c === 'number' &&
      Number.isFinite(c) &&
      typeof volume === 'number' &&
      Number.isFinite(volume)
    ) {
      close[kept++] = c;
    }
  }
  return kept;
}

/** What a user without `parseOhlcv` writes: zod per row, keeping the bars and the issues. */
function zodLoop(input: readonly unknown[]): { rows: Ohlcv[]; issues: unknown[] } {
  const rows: Ohlcv[] = [];
  const issues: unknown[] = [];
  for (const row of input) {
    const result = OhlcvSchema.safeParse(row);
    if (result.success) rows.push(result.data);
    else issues.push(...result.error.issues);
  }
  return { rows, issues };
}

const suite: Suite = (data: BenchData): readonly BenchGroup[] => {
  const { rows, columns } = data;
  const n = rows.length;
  const count = n.toLocaleString('en-US');
  const { timestamp, open, high, low, close, volume } = columns;
  return [
    {
      title: `toColumns, ${count} rows → columns`,
      cases: [
        { name: 'toColumns', role: 'ours', fn: () => toColumns(rows) },
        { name: 'nodejs-polars readRecords', role: 'peer', fn: () => pl.readRecords(rows as Ohlcv[]) },
        { name: 'plain loop into 6 Float64Arrays', role: 'limit', fn: () => plainToColumns(rows) },
      ],
      targets: [
        { ours: 'toColumns', than: 'plain loop into 6 Float64Arrays', within: 2 },
        { ours: 'toColumns', than: 'nodejs-polars readRecords', factor: 1 },
      ],
    },
    {
      title: `toRows, ${count} columns → rows`,
      cases: [
        { name: 'toRows', role: 'ours', fn: () => toRows(columns) },
        { name: 'plain loop building objects', role: 'limit', fn: () => plainToRows(timestamp, open, high, low, close, volume, n) },
      ],
      targets: [{ ours: 'toRows', than: 'plain loop building objects', within: 2 }],
    },
    {
      title: `parse ${count} untrusted rows`,
      cases: [
        { name: 'parseOhlcv', role: 'ours', fn: () => parseOhlcv(rows) },
        { name: 'zod OhlcvSchema.safeParse per row', role: 'peer', fn: () => zodLoop(rows) },
        { name: 'plain typed check-and-copy loop', role: 'limit', fn: () => plainCheckedCopy(rows) },
      ],
      targets: [{ ours: 'parseOhlcv', than: 'zod OhlcvSchema.safeParse per row', factor: 2 }],
    },
  ];
};

export default suite;
