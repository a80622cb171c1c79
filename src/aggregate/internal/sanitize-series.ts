import type { AggregateIssue } from '../aggregate-issue.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import { gatherColumns } from '../../internal/columns.js';
import { aggregateIssue } from './aggregate-issue-of.js';
import { isoTime } from '../../internal/iso-utc.js';

/** A grid bars must open on: width and origin in epoch ms. */
export interface SourceGrid {
  readonly widthMs: number;
  readonly originMs: number;
  /** Name for messages, e.g. `1m`. */
  readonly name: string;
}

/** The usable part of an input and what was skipped. */
export interface SanitizedSeries {
  /** Strictly increasing (and on the grid, when one was given) bars. */
  readonly columns: OhlcvColumns;
  /** One issue per skipped bar. */
  readonly issues: AggregateIssue[];
  /** How many bars were skipped for not being on the grid. */
  readonly misaligned: number;
  /** Greatest common divisor of the steps between kept bars in ms; 0 with fewer than 2 bars. */
  readonly stepGcd: number;
}

/** Greatest common divisor by Euclid (`%`); `gcd(a, 0) = a`, `NaN` when either is not finite. */
export function gcd(a: number, b: number): number {
  // Euclid never ends on an infinite step (Infinity % x is NaN).
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.NaN;
  let x = a;
  let y = b;
  while (y !== 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

/** Greatest common divisor of the steps between consecutive timestamps of a strictly increasing series. */
function stepGcd(ts: Float64Array, n: number): number {
  let g = 0;
  let lastStep = -1;
  for (let i = 1; i < n; i++) {
    const step = (ts[i] as number) - (ts[i - 1] as number);
    if (step !== lastStep) {
      lastStep = step;
      g = g === 0 ? step : gcd(g, step);
    }
  }
  return g;
}

/**
 * One pass over a series' timestamps: the greatest common divisor of the steps between them
 * (updated only when the step changes; 0 for one bar) when they are finite and strictly
 * increasing, otherwise -1. Its own function so that its optimised code covers only the loop.
 */
function cleanStepGcd(ts: Float64Array, n: number): number {
  // Strictly increasing with finite ends: every timestamp is finite.
  if (!Number.isFinite(ts[0]) || !Number.isFinite(ts[n - 1])) return -1;
  let g = 0;
  let lastStep = -1;
  for (let i = 1; i < n; i++) {
    const step = (ts[i] as number) - (ts[i - 1] as number);
    if (step !== lastStep) {
      if (!(step > 0)) return -1;
      lastStep = step;
      g = g === 0 ? step : gcd(g, step);
    }
  }
  return g;
}

/**
 * Keeps the bars that are strictly after the previously kept bar and (with a grid) open on
 * the grid; every other bar becomes an issue. Clean input (the common case) is returned as
 * it is, after one pass over the timestamps.
 */
export function sanitizeSeries(input: OhlcvColumns, grid: SourceGrid | undefined): SanitizedSeries {
  const n = input.length;
  const ts = input.timestamp;
  const g = n === 0 ? 0 : cleanStepGcd(ts, n);
  const clean = g >= 0;
  if (clean) {
    const aligned = grid === undefined || n === 0 || (((ts[0] as number) - grid.originMs) % grid.widthMs === 0 && g % grid.widthMs === 0);
    if (aligned) return { columns: input, issues: [], misaligned: 0, stepGcd: g };
  }
  const keep = new Int32Array(n);
  const issues: AggregateIssue[] = [];
  let m = 0;
  let misaligned = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    if (!Number.isFinite(t)) {
      issues.push(aggregateIssue('unsorted_timestamp', i, t, `Bar ${i} has no finite timestamp (\`${t}\`); it is skipped`));
    } else if (t === last) {
      issues.push(
        aggregateIssue(
          'duplicate_timestamp',
          i,
          t,
          `Bar ${i} repeats the timestamp ${isoTime(t)}; the first bar is kept and this one is skipped`,
        ),
      );
    } else if (t < last) {
      issues.push(
        aggregateIssue(
          'unsorted_timestamp',
          i,
          t,
          `Bar ${i} (${isoTime(t)}) is older than the bar before it (${isoTime(last)}); it is skipped (sort the input first)`,
        ),
      );
    } else if (grid !== undefined && (t - grid.originMs) % grid.widthMs !== 0) {
      misaligned++;
      issues.push(
        aggregateIssue('misaligned_timestamp', i, t, `Bar ${i} (${isoTime(t)}) does not open on the ${grid.name} grid; it is skipped`),
      );
    } else {
      keep[m++] = i;
      last = t;
    }
  }
  const columns = gatherColumns(input, keep, m);
  return { columns, issues, misaligned, stepGcd: stepGcd(columns.timestamp, m) };
}
