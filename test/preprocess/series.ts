/** Small builders shared by the preprocessing tests. */
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import { BAR_FLAG_BY_CODE } from '../../src/schemas/bar-flag.js';

export const M = 60_000;

/** A frozen bar at minute `minute` with the given close (open = close, ±1 wick). */
export function bar(minute: number, close: number, extra: Partial<Ohlcv> = {}): Ohlcv {
  return Object.freeze({ timestamp: minute * M, open: close, high: close + 1, low: close - 1, close, volume: 10, ...extra });
}

/** A frozen array of frozen bars with the given closes at minutes 0, 1, 2, … */
export function closes(values: readonly number[]): readonly Ohlcv[] {
  return Object.freeze(values.map((c, i) => bar(i, c)));
}

/** Rows as frozen columns. */
export function columnsOf(rows: readonly Ohlcv[]): OhlcvColumns {
  const pick = (f: (r: Ohlcv) => number): Float64Array => Float64Array.from(rows, f);
  return Object.freeze({
    length: rows.length,
    timestamp: pick((r) => r.timestamp),
    open: pick((r) => r.open),
    high: pick((r) => r.high),
    low: pick((r) => r.low),
    close: pick((r) => r.close),
    volume: pick((r) => r.volume),
  });
}

/** Columns back to plain rows (flag from the flags column). */
export function rowsOf(c: OhlcvColumns): Ohlcv[] {
  return Array.from({ length: c.length }, (_, i) => {
    const flag = BAR_FLAG_BY_CODE[c.flags?.[i] ?? 0];
    return {
      timestamp: c.timestamp[i] as number,
      open: c.open[i] as number,
      high: c.high[i] as number,
      low: c.low[i] as number,
      close: c.close[i] as number,
      volume: c.volume[i] as number,
      ...(flag === undefined ? {} : { flag }),
    };
  });
}
