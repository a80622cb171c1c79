/** Nanoseconds, microseconds, milliseconds or seconds per millisecond-unit, by Arrow/Parquet time unit. */
export type TableTimeUnit = 's' | 'ms' | 'us' | 'ns';

const PER_MS: Readonly<Record<TableTimeUnit, number>> = { s: 1e-3, ms: 1, us: 1e3, ns: 1e6 };

/**
 * A table's timestamp cell as epoch ms: a `Date` (hyparquet's TIMESTAMP), a `bigint` in the
 * column's unit (Arrow and Parquet INT64), or a number (already ms, as Arrow gives
 * timestamps). Anything else is handed on unchanged for the row parser to refuse.
 *
 * @param value - The cell.
 * @param unit - The column's unit, for bigint cells.
 * @returns Epoch ms, or `value` itself when it is no time.
 */
export function toEpochMsValue(value: unknown, unit: TableTimeUnit): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') {
    const perMs = PER_MS[unit];
    return perMs >= 1 ? Number(value / BigInt(perMs)) + Number(value % BigInt(perMs)) / perMs : Number(value) / perMs;
  }
  return value;
}
