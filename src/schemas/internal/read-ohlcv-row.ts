/**
 * The two ways `parseOhlcv` and `parseOhlcvColumns` read a row: a fast check for the common
 * clean row, and a field-by-field reader that collects every issue. Never exported.
 */
import { BarFlag } from '../bar-flag.js';
import type { Ohlcv } from '../ohlcv.js';
import { MAX_PLAUSIBLE_MS, MIN_PLAUSIBLE_MS } from '../../time/to-epoch-ms.js';
import { pushIssue, readCount, readNumber, readTimestamp, showValue, type FieldContext } from './read-fields.js';

const FLAGS: ReadonlySet<unknown> = new Set<unknown>([BarFlag.Interpolated, BarFlag.ForwardFilled, BarFlag.Clipped]);

/**
 * Whether a row is a clean bar that needs no conversion: six finite numbers, an integer
 * epoch-ms timestamp in the plausible range, and none of the optional fields (in either
 * spelling: `quoteVolume` or the specification's `quote_volume`, …). No allocation.
 * Call only when timestamps are epoch ms (no other unit stated).
 */
export function isPlainBar(row: Readonly<Record<string, unknown>>): boolean {
  const t = row.timestamp;
  const o = row.open;
  const h = row.high;
  const l = row.low;
  const c = row.close;
  const v = row.volume;
  return (
    typeof t === 'number' &&
    typeof o === 'number' &&
    typeof h === 'number' &&
    typeof l === 'number' &&
    typeof c === 'number' &&
    typeof v === 'number' &&
    Number.isInteger(t) &&
    t >= MIN_PLAUSIBLE_MS &&
    t < MAX_PLAUSIBLE_MS &&
    // `x - x` is 0 for every finite number and NaN for NaN and ±Infinity.
    o - o === 0 &&
    h - h === 0 &&
    l - l === 0 &&
    c - c === 0 &&
    v - v === 0 &&
    row.quoteVolume === undefined &&
    row.trades === undefined &&
    row.takerBuyVolume === undefined &&
    row.flag === undefined &&
    row.count === undefined &&
    row.synthetic === undefined &&
    row.missing === undefined &&
    row.quote_volume === undefined &&
    row.taker_buy_volume === undefined
  );
}

/**
 * Whether a row that passed {@link isPlainBar} can be returned as it is, without a copy: a
 * plain object (prototype `Object.prototype`) whose only enumerable keys are the six bar
 * fields, none of them `-0`. Counting keys allocates nothing.
 */
export function isReusableBar(row: Readonly<Record<string, unknown>>): boolean {
  if (Object.getPrototypeOf(row) !== Object.prototype) return false;
  let keys = 0;
  for (const _key in row) keys++;
  return (
    keys === 6 &&
    !Object.is(row.open, -0) &&
    !Object.is(row.high, -0) &&
    !Object.is(row.low, -0) &&
    !Object.is(row.close, -0) &&
    !Object.is(row.volume, -0)
  );
}

/**
 * An optional number given as `camel` or in the specification's spelling `spec`
 * (`quote_volume`, `taker_buy_volume`); `null` counts as absent. Both given with different
 * values is a `conflicting_values` issue at `[index, spec]`.
 */
function readSpelledTwice(
  row: Readonly<Record<string, unknown>>,
  camel: 'quoteVolume' | 'takerBuyVolume',
  spec: 'quote_volume' | 'taker_buy_volume',
  index: number,
  ctx: FieldContext,
): number | undefined {
  const a = row[camel] == null ? undefined : readNumber(row[camel], ctx, [index, camel]);
  const b = row[spec] == null ? undefined : readNumber(row[spec], ctx, [index, spec]);
  if (a !== undefined && b !== undefined && a !== b) {
    pushIssue(ctx, [index, spec], 'conflicting_values', `expected the same value as \`${camel}\` (${a}), got ${b}`);
  }
  return a ?? b;
}

/**
 * Reads a row field by field, collecting every issue; `undefined` when any field is bad. The
 * optional `quoteVolume` and `takerBuyVolume` are also read in the specification's spelling
 * (`quote_volume`, `taker_buy_volume`); other extra fields are ignored.
 */
export function parseOhlcvRowSlowly(row: Readonly<Record<string, unknown>>, index: number, ctx: FieldContext): Ohlcv | undefined {
  const before = ctx.issues.length;
  const timestamp = readTimestamp(row.timestamp, ctx, [index, 'timestamp']);
  const open = readNumber(row.open, ctx, [index, 'open']);
  const high = readNumber(row.high, ctx, [index, 'high']);
  const low = readNumber(row.low, ctx, [index, 'low']);
  const close = readNumber(row.close, ctx, [index, 'close']);
  const volume = readNumber(row.volume, ctx, [index, 'volume']);
  // Optional fields: `undefined` and `null` both mean "not given".
  const quoteVolume = readSpelledTwice(row, 'quoteVolume', 'quote_volume', index, ctx);
  const trades = row.trades == null ? undefined : readCount(row.trades, ctx, [index, 'trades']);
  const takerBuyVolume = readSpelledTwice(row, 'takerBuyVolume', 'taker_buy_volume', index, ctx);
  const count = row.count == null ? undefined : readCount(row.count, ctx, [index, 'count']);
  const synthetic = row.synthetic == null ? undefined : readCount(row.synthetic, ctx, [index, 'synthetic']);
  const missing = row.missing == null ? undefined : readCount(row.missing, ctx, [index, 'missing']);
  const flag = row.flag;
  if (flag != null && !FLAGS.has(flag)) {
    pushIssue(ctx, [index, 'flag'], 'invalid_value', `expected one of interpolated, forward_filled, clipped, got ${showValue(flag)}`);
  }
  if (
    ctx.issues.length !== before ||
    timestamp === undefined ||
    open === undefined ||
    high === undefined ||
    low === undefined ||
    close === undefined ||
    volume === undefined
  ) {
    return undefined;
  }
  return {
    timestamp,
    open,
    high,
    low,
    close,
    volume,
    ...(quoteVolume === undefined ? {} : { quoteVolume }),
    ...(trades === undefined ? {} : { trades }),
    ...(takerBuyVolume === undefined ? {} : { takerBuyVolume }),
    ...(flag == null ? {} : { flag: flag as BarFlag }),
    ...(count === undefined ? {} : { count }),
    ...(synthetic === undefined ? {} : { synthetic }),
    ...(missing === undefined ? {} : { missing }),
  };
}
