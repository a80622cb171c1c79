import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupe } from '../../src/preprocess/dedupe.js';
import type { DuplicateIssue, DuplicatePolicy } from '../../src/preprocess/duplicate-issue.js';
import { toColumns } from '../../src/formats/to-columns.js';
import { toRows } from '../../src/formats/to-rows.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const FIELDS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'trades', 'takerBuyVolume', 'count', 'flag'] as const;

/** Whether two bars agree on every field (`DuplicateIssue`'s "same values"). */
const same = (a: Ohlcv, b: Ohlcv): boolean => FIELDS.every((f) => a[f] === b[f]);

/** The bar `merge` builds (`DuplicatePolicy`): first open, max high, min low, last close, the largest volume and that bar's extras. */
function merged(group: readonly Ohlcv[]): Ohlcv {
  const first = group[0] as Ohlcv;
  const loudest = group.reduce((best, b) => (b.volume > best.volume ? b : best));
  const out: Ohlcv = {
    timestamp: first.timestamp,
    open: first.open,
    high: Math.max(...group.map((b) => b.high)),
    low: Math.min(...group.map((b) => b.low)),
    close: (group[group.length - 1] as Ohlcv).close,
    volume: loudest.volume,
  };
  for (const f of ['quoteVolume', 'trades', 'takerBuyVolume', 'count'] as const) if (loudest[f] !== undefined) out[f] = loudest[f];
  return out;
}

/**
 * `dedupe` as its TSDoc and `DuplicatePolicy` state it, the slow way: one bar per timestamp at
 * its first appearance; a group whose bars are all alike keeps its first; otherwise `first`
 * keeps the first, `last` the last, `merge` builds one bar (kept index: the first). Every other
 * bar gives one issue, in group order then input order: `duplicate_identical` when it equals the
 * kept bar, else `duplicate_conflict`; `merged` for a conflicting bar under `merge`, else `dropped`.
 */
function reference(rows: readonly Ohlcv[], policy: DuplicatePolicy): { bars: Ohlcv[]; issues: Partial<DuplicateIssue>[] } {
  const groups = new Map<number, number[]>();
  rows.forEach((r, i) => groups.set(r.timestamp, [...(groups.get(r.timestamp) ?? []), i]));
  const bars: Ohlcv[] = [];
  const issues: Partial<DuplicateIssue>[] = [];
  for (const members of groups.values()) {
    const group = members.map((i) => rows[i] as Ohlcv);
    const alike = group.every((b) => same(b, group[0] as Ohlcv));
    const merge = !alike && policy === 'merge';
    const kept = alike || policy !== 'last' ? (members[0] as number) : (members[members.length - 1] as number);
    bars.push(merge ? merged(group) : (rows[kept] as Ohlcv));
    for (const m of members) {
      if (m === kept) continue;
      const equal = same(rows[m] as Ohlcv, rows[kept] as Ohlcv);
      issues.push({
        code: equal ? 'duplicate_identical' : 'duplicate_conflict',
        path: [m, 'timestamp'],
        index: m,
        timestamp: (rows[m] as Ohlcv).timestamp,
        keptIndex: kept,
        resolution: merge && !equal ? 'merged' : 'dropped',
      });
    }
  }
  return { bars, issues };
}

/**
 * Bars over few timestamps and few values, so duplicates, identical or differing in one field,
 * are common; optional fields present on some bars only (absent ones become `NaN` in columns).
 */
const row = fc
  .record({
    minute: fc.integer({ min: 0, max: 6 }),
    open: fc.integer({ min: 10, max: 11 }),
    high: fc.integer({ min: 12, max: 13 }),
    low: fc.integer({ min: 8, max: 9 }),
    close: fc.integer({ min: 10, max: 11 }),
    volume: fc.integer({ min: 1, max: 2 }),
    quoteVolume: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    trades: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    takerBuyVolume: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
    count: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    flag: fc.option(fc.constantFrom('interpolated' as const, 'clipped' as const), { nil: undefined, freq: 3 }),
  })
  .map(({ minute, ...fields }): Ohlcv => {
    const bar: Ohlcv = {
      timestamp: minute * 60_000,
      open: fields.open,
      high: fields.high,
      low: fields.low,
      close: fields.close,
      volume: fields.volume,
    };
    for (const f of ['quoteVolume', 'trades', 'takerBuyVolume', 'count', 'flag'] as const) {
      if (fields[f] !== undefined) Object.assign(bar, { [f]: fields[f] });
    }
    return Object.freeze(bar);
  });

/** A copy of an earlier bar (a new object): exact, or with one field changed or, if optional, removed. */
const copy = fc.record({ from: fc.nat(), field: fc.option(fc.constantFrom(...FIELDS), { nil: undefined, freq: 3 }) });

function copyOf(source: Ohlcv, field: (typeof FIELDS)[number] | undefined): Ohlcv {
  const out: Ohlcv = { ...source };
  if (field === 'flag') {
    if (out.flag === undefined) out.flag = 'clipped';
    else delete out.flag;
  } else if (field !== undefined) {
    const value = out[field];
    if (value === undefined) out[field] = 7;
    else if (field === 'open' || field === 'high' || field === 'low' || field === 'close' || field === 'volume') out[field] = value + 0.5;
    else delete out[field];
  }
  return Object.freeze(out);
}

describe('dedupe against its documented rule (property)', () => {
  it('keeps, merges and reports each timestamp group as a slow reference does, rows and columns alike', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 14 }),
        fc.array(copy, { maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom<DuplicatePolicy>('first', 'last', 'merge'),
        (rows, copies, sorted, keep) => {
          const all = [...rows, ...copies.map((c) => copyOf(rows[c.from % rows.length] as Ohlcv, c.field))];
          // Sorted input takes dedupe's one-pass path, any other order its map.
          const input = Object.freeze(sorted ? all.sort((x, y) => x.timestamp - y.timestamp) : all);
          const expected = reference(input, keep);
          const { bars, issues } = dedupe(input, { keep });
          expect(bars).toStrictEqual(expected.bars);
          expect(issues).toMatchObject(expected.issues);
          for (const issue of issues) {
            expect(issue.message).toContain(`Bar ${String(issue.index)}`);
            expect(issue.message).toContain(`bar ${String(issue.keptIndex)}`);
            expect(issue.message).toContain(String(issue.timestamp));
            const word = issue.code === 'duplicate_identical' ? 'dropped' : issue.resolution === 'merged' ? 'merged' : `kept the ${keep}`;
            expect(issue.message).toContain(word);
          }
          // A kept bar is the input's object; a merged one is new.
          bars.forEach((b) => {
            if (input.includes(b)) return;
            expect(keep).toBe('merge');
          });
          const columns = dedupe(toColumns(input), { keep });
          expect(columns.issues).toEqual(issues);
          expect(toRows(columns.bars)).toStrictEqual(expected.bars);
        },
      ),
      { numRuns: 500 },
    );
  });
});
