import type { DataIssue } from '../../errors/result.js';
import { isoUtc } from '../../internal/iso-utc.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import { parseOhlcv } from '../../schemas/parse-ohlcv.js';
import type { Timeframe } from '../../time/timeframe.js';
import { validateOhlcv } from '../../validate/validate-ohlcv.js';
import type { RefusedRow } from './series-quality.js';

/** What a source was asked for, for checking that an answer holds only that. */
export interface AskedFor {
  /** Open time of the first bar asked for, epoch ms: a row opening before it was not asked for. */
  readonly since: number;
  /**
   * The first slot the documents need, when earlier than `since` (a first run that its bound
   * kept from reaching back far enough): completeness counts the slots in between as missing.
   */
  readonly expectFrom?: number;
}

/** The rows of an answer sorted out: closed bars in order, the forming bar, and what was refused (with each row as quality counts it). */
export interface ScreenedAnswer {
  readonly closed: Ohlcv[];
  readonly forming: Ohlcv | undefined;
  readonly ascending: boolean;
  readonly refused: DataIssue[];
  readonly refusedRows: RefusedRow[];
  /** Open time of the newest row refused as opening before the `since` asked for; `undefined` when none. */
  readonly newestUnasked: number | undefined;
}

/** The `symbol` a row is tagged with, if it carries one as a string (the only tag compared). */
function taggedSymbol(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row) || !('symbol' in row)) return undefined;
  const tag = row.symbol;
  return typeof tag === 'string' ? tag : undefined;
}

/**
 * Screens one answer of a source: parses and validates its rows (with the base timeframe's
 * grid), keeps the closed bars (noting whether they ascend) and the bar forming at
 * `closedEnd`, and refuses rows tagged with another symbol than `symbol` (a row's string
 * `symbol` field, when it has one: `other_symbol`), rows opening before the `since` asked for
 * (`not_requested`) and rows opening after `closedEnd` (`future_bar`). Pure.
 *
 * @param symbol - The symbol asked for, as the pipeline names it.
 * @param raw - The rows as the source answered them; not modified.
 * @param base - The base timeframe.
 * @param closedEnd - Open time of the bar forming now, epoch ms.
 * @param asked - What the request asked for; omitted for a stream's rows.
 * @returns The bars kept, the issues of the rows refused, and each refused row as quality counts it.
 */
export function screenAnswer(
  symbol: string,
  raw: readonly unknown[],
  base: Timeframe,
  closedEnd: number,
  asked: AskedFor | undefined,
): ScreenedAnswer {
  const refused: DataIssue[] = [];
  const refusedRows: RefusedRow[] = [];
  let rows = raw;
  if (raw.some((row) => taggedSymbol(row) !== undefined)) {
    rows = raw.filter((row, i) => {
      const tag = taggedSymbol(row);
      if (tag === undefined || tag === symbol) return true;
      const t = (row as { timestamp?: unknown }).timestamp;
      refused.push({ code: 'other_symbol', path: [i, 'symbol'], message: `Row ${i} is tagged ${tag}, not ${symbol}` });
      refusedRows.push({ timestamp: typeof t === 'number' ? t : Number.NaN, valid: false });
      return false;
    });
  }
  const parsed = parseOhlcv(rows);
  // A row may have several issues; quality counts it once.
  const unparsed = new Set<unknown>();
  for (const issue of parsed.issues) {
    refused.push(issue);
    if (!unparsed.has(issue.path[0])) refusedRows.push({ timestamp: Number.NaN, valid: false });
    unparsed.add(issue.path[0]);
  }
  const checked = validateOhlcv(parsed.rows, { timeframe: base });
  // Per refused row: whether it broke a rule other than alignment (what validity counts).
  let bad: Map<number, boolean> | undefined;
  for (const issue of checked.issues) {
    // Order is repaired by sorting; everything else breaks a rule and the row is removed.
    if (issue.severity === 'error' && issue.rule !== 'timestamp_ascending') {
      bad ??= new Map();
      if (!bad.has(issue.index)) refused.push({ code: issue.rule, path: [issue.index], message: issue.message });
      bad.set(issue.index, bad.get(issue.index) === true || issue.rule !== 'timestamp_aligned');
    }
  }
  const closed: Ohlcv[] = [];
  let forming: Ohlcv | undefined;
  let ascending = true;
  let newestUnasked: number | undefined;
  for (let i = 0; i < parsed.rows.length; i++) {
    const bar = parsed.rows[i] as Ohlcv;
    const broken = bad?.get(i);
    if (broken !== undefined) {
      refusedRows.push({ timestamp: bar.timestamp, valid: !broken });
      continue;
    }
    if (asked !== undefined && bar.timestamp < asked.since) {
      const message = `Bar at ${isoUtc(bar.timestamp)} opens before the ${isoUtc(asked.since)} asked for`;
      refused.push({ code: 'not_requested', path: [i], message });
      if (!(newestUnasked !== undefined && newestUnasked >= bar.timestamp)) newestUnasked = bar.timestamp;
      refusedRows.push({ timestamp: bar.timestamp, valid: false });
    } else if (bar.timestamp < closedEnd) {
      const last = closed.at(-1);
      if (last !== undefined && !(bar.timestamp > last.timestamp)) ascending = false;
      closed.push(bar);
    } else if (bar.timestamp === closedEnd) forming = bar;
    else {
      const message = `Bar at ${isoUtc(bar.timestamp)} opens after the current ${base} bar (${isoUtc(closedEnd)})`;
      refused.push({ code: 'future_bar', path: [i], message });
      refusedRows.push({ timestamp: bar.timestamp, valid: false });
    }
  }
  return { closed, forming, ascending, refused, refusedRows, newestUnasked };
}
