/**
 * The fault script of `SimulatedSource`: validation (once, at construction) and the row
 * transformations of the `bad_rows`, `duplicates` and `out_of_order` steps.
 */
import { ConfigError } from '../../errors/config-error.js';
import { BAD_ROW_KINDS, SOURCE_FAULT_KINDS, type BadRowKind, type SourceFault } from '../source-fault.js';

/** A validated step with its window made explicit. */
export interface ResolvedFault {
  readonly step: SourceFault;
  /** Inclusive, epoch ms; `-Infinity` when open. */
  readonly from: number;
  /** Exclusive, epoch ms; `Infinity` when open. */
  readonly to: number;
  /** `Infinity` when unlimited. */
  readonly times: number;
  readonly symbols: ReadonlySet<string> | undefined;
}

function fail(path: readonly (string | number)[], value: unknown, expected: string): never {
  const name = path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  throw new ConfigError(`Expected \`${name}\` to be ${expected}, got \`${String(value)}\``, { path: [...path], value });
}

function checkRate(value: number | undefined, path: readonly (string | number)[]): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) fail(path, value, 'a fraction between 0 and 1');
}

function checkMs(value: number | undefined, path: readonly (string | number)[]): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) fail(path, value, 'a non-negative number of milliseconds');
}

/**
 * Checks every step and resolves its window.
 *
 * @throws ConfigError naming the step (`faults[i].field`) and the offending value.
 */
export function resolveFaultScript(faults: readonly SourceFault[]): ResolvedFault[] {
  return faults.map((step, i): ResolvedFault => {
    const at = (field: string): (string | number)[] => ['faults', i, field];
    if (!(SOURCE_FAULT_KINDS as readonly string[]).includes(step.kind))
      fail(at('kind'), step.kind, `one of ${SOURCE_FAULT_KINDS.join(', ')}`);
    if (step.from !== undefined && !Number.isFinite(step.from)) fail(at('from'), step.from, 'epoch milliseconds');
    if (step.to !== undefined && !Number.isFinite(step.to)) fail(at('to'), step.to, 'epoch milliseconds');
    checkMs(step.durationMs, at('durationMs'));
    if (step.durationMs !== undefined && step.to !== undefined) fail(at('durationMs'), step.durationMs, 'omitted when `to` is given');
    if (step.durationMs !== undefined && step.from === undefined) fail(at('from'), step.from, 'set when `durationMs` is given');
    const from = step.from ?? -Infinity;
    const to = step.to ?? (step.durationMs === undefined ? Infinity : from + step.durationMs);
    if (to <= from) fail(at('to'), step.to ?? to, `after \`from\` (${from})`);
    if (step.times !== undefined && !(Number.isSafeInteger(step.times) && step.times > 0))
      fail(at('times'), step.times, 'a positive integer');
    if (step.symbols?.length === 0) fail(at('symbols'), '[]', 'a non-empty list of symbols (omit it for every symbol)');
    switch (step.kind) {
      case 'outage':
        if (!Number.isFinite(from) || !Number.isFinite(to))
          fail(at('to'), step.to, 'a bounded window (`from` and `to` or `durationMs`) for an outage');
        break;
      case 'error':
        if (step.failure !== undefined && step.failure !== 'network' && step.failure !== 'server_error') {
          fail(at('failure'), step.failure, "'network' or 'server_error'");
        }
        if (step.status !== undefined && !(Number.isSafeInteger(step.status) && step.status >= 100 && step.status <= 599)) {
          fail(at('status'), step.status, 'an HTTP status (100–599)');
        }
        break;
      case 'bad_rows':
        checkRate(step.rate, at('rate'));
        if (
          step.corruptions !== undefined &&
          !(step.corruptions.length > 0 && step.corruptions.every((c) => (BAD_ROW_KINDS as readonly string[]).includes(c)))
        ) {
          fail(at('corruptions'), step.corruptions, `a non-empty list of ${BAD_ROW_KINDS.join(', ')}`);
        }
        if (step.seed !== undefined && !Number.isSafeInteger(step.seed)) fail(at('seed'), step.seed, 'an integer');
        break;
      case 'duplicates':
        checkRate(step.rate, at('rate'));
        if (step.seed !== undefined && !Number.isSafeInteger(step.seed)) fail(at('seed'), step.seed, 'an integer');
        break;
      case 'out_of_order':
        if (step.seed !== undefined && !Number.isSafeInteger(step.seed)) fail(at('seed'), step.seed, 'an integer');
        break;
      case 'rate_limited':
        checkMs(step.retryAfterMs, at('retryAfterMs'));
        if (step.usedWeight !== undefined && !(Number.isFinite(step.usedWeight) && step.usedWeight >= 0))
          fail(at('usedWeight'), step.usedWeight, 'a non-negative number');
        break;
      case 'banned':
        checkMs(step.retryAfterMs, at('retryAfterMs'));
        break;
      case 'latency':
        if (!(Number.isFinite(step.ms) && step.ms >= 0)) fail(at('ms'), step.ms, 'a non-negative number of milliseconds');
        break;
      case 'timeout':
      case 'hang':
      case 'empty':
        break;
    }
    return { step, from, to, times: step.times ?? Infinity, symbols: step.symbols === undefined ? undefined : new Set(step.symbols) };
  });
}

/** Indices of rows picked with probability `rate` each, or one random row when none was picked. */
function pick(count: number, rate: number, random: () => number): number[] {
  const picked: number[] = [];
  for (let i = 0; i < count; i++) if (random() < rate) picked.push(i);
  if (picked.length === 0 && count > 0) picked.push(Math.floor(random() * count));
  return picked;
}

function spoil(row: unknown, kind: BadRowKind): unknown {
  if (typeof row !== 'object' || row === null) return '<html>502 Bad Gateway</html>';
  const bar = row as Record<string, unknown>;
  switch (kind) {
    case 'nan_price':
      return { ...bar, close: Number.NaN };
    case 'high_below_low': {
      const high = Number(bar['high']);
      const low = Number(bar['low']);
      return { ...bar, high: Math.min(high, low) * 0.99, low: Math.max(high, low) * 1.01 };
    }
    case 'garbage_field':
      return { ...bar, high: '#N/A' };
    case 'garbage_row':
      return '<html>502 Bad Gateway</html>';
  }
}

/** What a row transformation did: the rows, and the indices (in the input) it touched. */
export interface Transformed {
  readonly rows: unknown[];
  readonly touched: readonly number[];
}

/** Spoils some rows (see `BadRowKind`); the input is not mutated. */
export function corruptRows(rows: readonly unknown[], rate: number, kinds: readonly BadRowKind[], random: () => number): Transformed {
  const touched = pick(rows.length, rate, random);
  const out = rows.slice();
  for (const i of touched) out[i] = spoil(rows[i], kinds[Math.floor(random() * kinds.length)] as BadRowKind);
  return { rows: out, touched };
}

/** Repeats some rows right after themselves (shallow copies). */
export function duplicateRows(rows: readonly unknown[], rate: number, random: () => number): Transformed {
  const touched = pick(rows.length, rate, random);
  const again = new Set(touched);
  const out: unknown[] = [];
  rows.forEach((row, i) => {
    out.push(row);
    if (again.has(i)) out.push(typeof row === 'object' && row !== null ? { ...row } : row);
  });
  return { rows: out, touched };
}

/** Shuffles the rows (Fisher–Yates); never returns them in their original order when there are two or more. */
export function shuffleRows(rows: readonly unknown[], random: () => number): Transformed {
  const order = rows.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  if (order.length >= 2 && order.every((v, i) => v === i)) [order[0], order[1]] = [1, 0];
  return { rows: order.map((i) => rows[i]), touched: order.filter((v, i) => v !== i) };
}

/**
 * What the row-changing step `step` (`bad_rows`, `duplicates`, `out_of_order`) does to an
 * answer's rows, drawing from `random`; `undefined` when it does not act (another kind, no
 * rows, or fewer than two rows to shuffle), so the step is not spent.
 */
export function transformRows(step: SourceFault, rows: readonly unknown[], random: () => number): Transformed | undefined {
  switch (step.kind) {
    case 'bad_rows':
      return rows.length === 0 ? undefined : corruptRows(rows, step.rate ?? 0.1, step.corruptions ?? BAD_ROW_KINDS, random);
    case 'duplicates':
      return rows.length === 0 ? undefined : duplicateRows(rows, step.rate ?? 0.1, random);
    case 'out_of_order':
      return rows.length < 2 ? undefined : shuffleRows(rows, random);
    default:
      return undefined;
  }
}
