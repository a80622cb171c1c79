/** The dedupe kernel shared by `dedupe` and `preprocess`. Never exported from the package. */
import type { DuplicateIssue, DuplicatePolicy } from '../duplicate-issue.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import { BarFlagCode } from '../../schemas/bar-flag.js';
import { gatherColumns, OPTIONAL_COLUMNS, type MutableColumns } from '../../internal/columns.js';

/** A group of bars sharing a timestamp, in input order, and its output position. */
interface Group {
  readonly out: number;
  readonly members: number[];
}

/** What dedupe decided: which input bar each output bar comes from, and the groups to merge. */
export interface DedupePlan {
  /** Output → input index (for a merged group: its first member). */
  readonly pick: Int32Array;
  /** Groups resolved by merging (their output bar is new). */
  readonly merges: Group[];
  readonly issues: DuplicateIssue[];
}

/**
 * Groups equal timestamps (anywhere in the input; output order is the order of first
 * occurrence) and resolves each group by `policy`. `same(i, j)` tells whether bars i and j are
 * identical in every field.
 */
export function planDedupe(ts: ArrayLike<number>, same: (i: number, j: number) => boolean, policy: DuplicatePolicy): DedupePlan {
  const n = ts.length;
  const head = new Int32Array(n);
  let ascending = true;
  for (let i = 1; i < n && ascending; i++) ascending = (ts[i] as number) >= (ts[i - 1] as number);
  let groups: Map<number, number[]> | undefined;
  let hasDuplicates: Uint8Array | undefined;
  const addDuplicate = (h: number, i: number): void => {
    groups ??= new Map();
    hasDuplicates ??= new Uint8Array(n);
    hasDuplicates[h] = 1;
    const members = groups.get(h);
    if (members === undefined) groups.set(h, [h, i]);
    else members.push(i);
  };
  if (ascending) {
    for (let i = 0; i < n; i++) {
      if (i > 0 && ts[i] === ts[i - 1]) {
        const h = head[i - 1] as number;
        head[i] = h;
        addDuplicate(h, i);
      } else head[i] = i;
    }
  } else {
    const first = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const t = ts[i] as number;
      const h = first.get(t);
      if (h === undefined) {
        first.set(t, i);
        head[i] = i;
      } else {
        head[i] = h;
        addDuplicate(h, i);
      }
    }
  }
  const pick = new Int32Array(n - countDuplicates(groups));
  const merges: Group[] = [];
  const issues: DuplicateIssue[] = [];
  let out = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] !== i) continue;
    const members = hasDuplicates?.[i] === 1 ? groups?.get(i) : undefined;
    if (members === undefined) {
      pick[out++] = i;
      continue;
    }
    const identical = members.every((m) => same(i, m));
    const last = members[members.length - 1] as number;
    const merge = !identical && policy === 'merge';
    const kept = identical || policy === 'first' || merge ? i : last;
    pick[out] = kept;
    if (merge) merges.push({ out, members });
    out++;
    for (const m of members) {
      if (m === kept) continue;
      const equal = same(kept, m);
      const resolution = merge && !equal ? 'merged' : 'dropped';
      issues.push({
        code: equal ? 'duplicate_identical' : 'duplicate_conflict',
        path: [m, 'timestamp'],
        index: m,
        timestamp: ts[m] as number,
        keptIndex: kept,
        resolution,
        message: equal
          ? `Bar ${m} repeats bar ${kept} exactly (timestamp ${ts[m]}); dropped`
          : resolution === 'merged'
            ? `Bar ${m} conflicts with bar ${kept} at timestamp ${ts[m]}; merged into it`
            : `Bar ${m} conflicts with bar ${kept} at timestamp ${ts[m]}; kept ${policy === 'first' ? 'the first' : 'the last'}`,
      });
    }
  }
  return { pick, merges, issues };
}

function countDuplicates(groups: Map<number, number[]> | undefined): number {
  let count = 0;
  if (groups !== undefined) for (const members of groups.values()) count += members.length - 1;
  return count;
}

/** The member with the largest volume (the first of ties). */
function loudest(volume: (i: number) => number, members: readonly number[]): number {
  let best = members[0] as number;
  for (const m of members) if (volume(m) > volume(best)) best = m;
  return best;
}

/** Whether two columns entries are equal, `NaN` equal to `NaN` (an absent optional field). */
function eq(a: number | undefined, b: number | undefined): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** `same(i, j)` over every column of `c`. */
export function sameColumns(c: OhlcvColumns): (i: number, j: number) => boolean {
  return (i, j) =>
    eq(c.open[i], c.open[j]) &&
    eq(c.high[i], c.high[j]) &&
    eq(c.low[i], c.low[j]) &&
    eq(c.close[i], c.close[j]) &&
    eq(c.volume[i], c.volume[j]) &&
    OPTIONAL_COLUMNS.every((key) => c[key] === undefined || eq(c[key][i], c[key][j])) &&
    (c.flags === undefined || c.flags[i] === c.flags[j]);
}

/** `same(i, j)` over every field of the rows. */
export function sameRows(rows: readonly Ohlcv[]): (i: number, j: number) => boolean {
  return (i, j) => {
    const a = rows[i] as Ohlcv;
    const b = rows[j] as Ohlcv;
    return (
      a.open === b.open &&
      a.high === b.high &&
      a.low === b.low &&
      a.close === b.close &&
      a.volume === b.volume &&
      a.quoteVolume === b.quoteVolume &&
      a.trades === b.trades &&
      a.takerBuyVolume === b.takerBuyVolume &&
      a.count === b.count &&
      a.flag === b.flag
    );
  };
}

/** Applies a plan to columns: a gather, then the merged bars written over their slots. */
export function dedupeColumns(c: OhlcvColumns, plan: DedupePlan): MutableColumns {
  const out = gatherColumns(c, plan.pick);
  for (const { out: k, members } of plan.merges) {
    const first = members[0] as number;
    const last = members[members.length - 1] as number;
    const best = loudest((i) => c.volume[i] as number, members);
    out.open[k] = c.open[first] as number;
    out.close[k] = c.close[last] as number;
    out.high[k] = Math.max(...members.map((m) => c.high[m] as number));
    out.low[k] = Math.min(...members.map((m) => c.low[m] as number));
    out.volume[k] = c.volume[best] as number;
    for (const key of OPTIONAL_COLUMNS) {
      const column = out[key];
      if (column !== undefined) column[k] = (c[key] as Float64Array)[best] as number;
    }
    if (out.flags !== undefined) out.flags[k] = BarFlagCode.None;
  }
  return out;
}

/** Applies a plan to rows: kept rows are the same objects, merged rows are new. */
export function dedupeRows(rows: readonly Ohlcv[], plan: DedupePlan): Ohlcv[] {
  const out = Array.from(plan.pick, (i) => rows[i] as Ohlcv);
  for (const { out: k, members } of plan.merges) {
    const group = members.map((m) => rows[m] as Ohlcv);
    const first = group[0] as Ohlcv;
    const last = group[group.length - 1] as Ohlcv;
    const best = rows[loudest((i) => (rows[i] as Ohlcv).volume, members)] as Ohlcv;
    const merged: Ohlcv = {
      timestamp: first.timestamp,
      open: first.open,
      high: Math.max(...group.map((r) => r.high)),
      low: Math.min(...group.map((r) => r.low)),
      close: last.close,
      volume: best.volume,
    };
    if (best.quoteVolume !== undefined) merged.quoteVolume = best.quoteVolume;
    if (best.trades !== undefined) merged.trades = best.trades;
    if (best.takerBuyVolume !== undefined) merged.takerBuyVolume = best.takerBuyVolume;
    if (best.count !== undefined) merged.count = best.count;
    out[k] = merged;
  }
  return out;
}
