/**
 * The two ways `parseOhlcv` and `parseOhlcvColumns` read a row: a fast check for the common
 * clean row, and a field-by-field reader that collects every issue. Both judge values read from
 * the row once ({@link RowFields}), never the row itself; a read that throws is caught by the
 * parser and leaves an `unreadable_row` issue. Never exported.
 */
import { BarFlag } from '../bar-flag.js';
import type { Ohlcv } from '../ohlcv.js';
import { MAX_PLAUSIBLE_MS, MIN_PLAUSIBLE_MS } from '../../time/to-epoch-ms.js';
import { pushIssue, readCount, readNumber, readTimestamp, showValue, type FieldContext } from './read-fields.js';

const FLAGS: ReadonlySet<unknown> = new Set<unknown>([BarFlag.Interpolated, BarFlag.ForwardFilled, BarFlag.Clipped]);

/**
 * Every field of a row the parsers look at, each read from the row exactly once (a getter runs
 * once, a Proxy's `get` trap once per field); the parsers judge these values, never the row.
 */
export interface RowFields {
  readonly timestamp: unknown;
  readonly open: unknown;
  readonly high: unknown;
  readonly low: unknown;
  readonly close: unknown;
  readonly volume: unknown;
  readonly quoteVolume: unknown;
  readonly trades: unknown;
  readonly takerBuyVolume: unknown;
  readonly flag: unknown;
  readonly count: unknown;
  readonly synthetic: unknown;
  readonly missing: unknown;
  readonly quote_volume: unknown;
  readonly taker_buy_volume: unknown;
}

/**
 * Whether six values read from a row make a clean bar that needs no conversion: six finite
 * numbers and an integer epoch-ms timestamp in the plausible range (the caller also checks that
 * no optional field was given, in either spelling). No allocation. Call only when timestamps are
 * epoch ms (no other unit stated).
 */
export function isPlainBar(t: unknown, o: unknown, h: unknown, l: unknown, c: unknown, v: unknown): boolean {
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
    v - v === 0
  );
}

/** `Object.prototype.__lookupGetter__` (Annex B, in every engine): a property's getter, found without allocating. */
const lookupGetter = (Object.prototype as unknown as { readonly __lookupGetter__: (this: object, key: string) => unknown })
  .__lookupGetter__;

/**
 * Whether a row whose six values passed {@link isPlainBar} can be returned as it is, without a
 * copy: a plain object (prototype `Object.prototype`) whose only enumerable keys are the six bar
 * fields, each a data property (a getter could answer differently on the next read), none of
 * the values `-0`. Counting keys and looking up getters allocates nothing; the values are the
 * ones already read, not read again.
 */
export function isReusableBar(row: Readonly<Record<string, unknown>>, o: number, h: number, l: number, c: number, v: number): boolean {
  if (Object.getPrototypeOf(row) !== Object.prototype) return false;
  let keys = 0;
  for (const _key in row) keys++;
  return (
    keys === 6 &&
    !Object.is(o, -0) &&
    !Object.is(h, -0) &&
    !Object.is(l, -0) &&
    !Object.is(c, -0) &&
    !Object.is(v, -0) &&
    lookupGetter.call(row, 'timestamp') === undefined &&
    lookupGetter.call(row, 'open') === undefined &&
    lookupGetter.call(row, 'high') === undefined &&
    lookupGetter.call(row, 'low') === undefined &&
    lookupGetter.call(row, 'close') === undefined &&
    lookupGetter.call(row, 'volume') === undefined
  );
}

/**
 * An optional number given as `camel` or in the specification's spelling `spec`
 * (`quote_volume`, `taker_buy_volume`); `null` counts as absent. Both given with different
 * values is a `conflicting_values` issue at `[index, spec]`.
 */
function readSpelledTwice(
  row: RowFields,
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
export function parseOhlcvRowSlowly(row: RowFields, index: number, ctx: FieldContext): Ohlcv | undefined {
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
