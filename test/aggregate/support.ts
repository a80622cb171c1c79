/** Comparisons and generators shared by the aggregate tests (not a test file); fixtures load through `../support/fixtures.ts`. */
import fc from 'fast-check';
import type { Ohlcv, OhlcvColumns } from '../../src/index.js';

/** Relative difference `|a − b| / max(|a|, |b|)` (0 when both are 0). */
export function relDiff(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/** The OHLCV part of a bar (drops `count`), for comparisons with outside candles. */
export function ohlcvOnly(bar: Ohlcv): Pick<Ohlcv, 'timestamp' | 'open' | 'high' | 'low' | 'close'> {
  return { timestamp: bar.timestamp, open: bar.open, high: bar.high, low: bar.low, close: bar.close };
}

const START = Date.UTC(2024, 0, 1);

/** 2024-01-01T00:00Z, where {@link at} counts minutes from. */
export const T0 = START;
/** One minute in ms. */
export const MINUTE = 60_000;

/** The optional sum columns a test can give {@link pricedColumns}. */
export type SumColumn = 'quoteVolume' | 'trades' | 'takerBuyVolume' | 'count' | 'synthetic';

/**
 * Columns of bars at `times`, bar i priced 10 + i (open = high = low = close) with volume 1;
 * `length` (default: all of `times`) may be shorter than the arrays, and `flags` or sum columns added.
 */
export function pricedColumns(
  times: readonly number[],
  options: {
    readonly length?: number;
    readonly flags?: readonly number[];
    readonly sums?: Partial<Record<SumColumn, readonly number[]>>;
  } = {},
): OhlcvColumns {
  const price = Float64Array.from(times, (_, i) => 10 + i);
  const columns: Record<string, unknown> = {
    length: options.length ?? times.length,
    timestamp: Float64Array.from(times),
    open: price,
    high: price.slice(),
    low: price.slice(),
    close: price.slice(),
    volume: new Float64Array(times.length).fill(1),
  };
  if (options.flags !== undefined) columns.flags = Uint8Array.from(options.flags);
  for (const [key, values] of Object.entries(options.sums ?? {})) columns[key] = Float64Array.from(values);
  return columns as unknown as OhlcvColumns;
}

/** Each issue as `[code, index]`, in order. */
export const issueCodes = (issues: readonly { code: string; index: number }[]): [string, number][] =>
  issues.map((issue) => [issue.code, issue.index]);

/** A flat bar (prices 1, volume 1) `minutes` after {@link T0}, with `extra` fields (any value: tests feed bad ones too). */
export const at = (minutes: number, extra: Partial<Record<keyof Ohlcv, unknown>> = {}): Ohlcv =>
  ({ timestamp: T0 + minutes * MINUTE, open: 1, high: 1, low: 1, close: 1, volume: 1, ...extra }) as Ohlcv;

/**
 * Sorted, unique, 1m-aligned bars with random gaps, zero-volume fillers and optional
 * synthetic flags (synthetic bars with volume 0, as `fillGaps` makes them). Prices are
 * multiples of 0.25 so sums are exact enough to compare.
 */
export const minuteBars = (options: { maxLength?: number; flags?: boolean } = {}): fc.Arbitrary<Ohlcv[]> =>
  fc
    .array(
      fc.record({
        skip: fc.integer({ min: 1, max: 4 }),
        open: fc.integer({ min: 1, max: 400 }),
        up: fc.integer({ min: 0, max: 8 }),
        down: fc.integer({ min: 0, max: 8 }),
        closeAt: fc.integer({ min: 0, max: 16 }),
        volume: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })),
        flag:
          options.flags === true
            ? fc.constantFrom(undefined, undefined, 'interpolated' as const, 'forward_filled' as const, 'clipped' as const)
            : fc.constant(undefined),
      }),
      { maxLength: options.maxLength ?? 120 },
    )
    .chain((specs) =>
      fc.integer({ min: 0, max: 2000 }).map((offset) => {
        let t = START + offset * 60_000;
        return specs.map((s): Ohlcv => {
          t += s.skip === 1 || s.skip === 2 ? 60_000 : s.skip * 60_000;
          const open = s.open / 4;
          const high = open + s.up / 4;
          const low = Math.max(0.25, open - s.down / 4);
          const close = low + ((high - low) * s.closeAt) / 16;
          // Synthetic bars carry no volume: the library's gap filling never gives them any.
          const synthetic = s.flag === 'interpolated' || s.flag === 'forward_filled';
          const bar: Ohlcv = { timestamp: t, open, high, low, close, volume: synthetic ? 0 : s.volume };
          if (s.flag !== undefined) bar.flag = s.flag;
          return bar;
        });
      }),
    );
