import { parquetWriteBuffer, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import type { RevisedBar } from 'market-data-pipeline';

type OptionalColumn = readonly [name: string, field: 'quoteVolume' | 'trades' | 'takerBuyVolume' | 'count', type: 'DOUBLE' | 'INT64'];

/** Columns written only when at least one bar has the field (null where a bar lacks it). */
const OPTIONAL_COLUMNS: readonly OptionalColumn[] = [
  ['quote_volume', 'quoteVolume', 'DOUBLE'],
  ['trades', 'trades', 'INT64'],
  ['taker_buy_volume', 'takerBuyVolume', 'DOUBLE'],
  ['count', 'count', 'INT64'],
];

/**
 * Encodes bars as a Parquet file (with hyparquet-writer, Snappy-compressed). Columns:
 *
 * | column | Parquet type | |
 * |---|---|---|
 * | `timestamp` | INT64, logical TIMESTAMP(MILLIS, UTC) | bar open time; pandas and polars read it as a UTC datetime |
 * | `open`, `high`, `low`, `close`, `volume` | DOUBLE, required | |
 * | `flag` | UTF8 string, nullable | `interpolated`, `forward_filled`, `clipped`, or null for a real bar |
 * | `revision` | INT32, required | 0 for the first delivery, higher for each replacement |
 * | `quote_volume`, `taker_buy_volume` | DOUBLE, nullable | only when some bar has them |
 * | `trades`, `count` | INT64, nullable | only when some bar has them |
 *
 * @param bars - The bars, in the order to write them (oldest first as the pipeline gives them).
 * @returns The file's bytes.
 *
 * @example
 * ```ts
 * const bytes = barsToParquet([{ timestamp: 1735689600000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, revision: 0 }]);
 * await parquetReadObjects({ file: bytes });
 * // [{ timestamp: 2025-01-01T00:00:00.000Z (a Date), open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, flag: null, revision: 0 }]
 * ```
 */
export function barsToParquet(bars: readonly RevisedBar[]): ArrayBuffer {
  const n = bars.length;
  const timestamp = new BigInt64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const flag: (string | null)[] = new Array<string | null>(n);
  const revision = new Int32Array(n);
  bars.forEach((bar, i) => {
    timestamp[i] = BigInt(bar.timestamp);
    open[i] = bar.open;
    high[i] = bar.high;
    low[i] = bar.low;
    close[i] = bar.close;
    volume[i] = bar.volume;
    flag[i] = bar.flag ?? null;
    revision[i] = bar.revision;
  });
  const columnData: ColumnSource[] = [
    { name: 'timestamp', data: timestamp },
    { name: 'open', data: open },
    { name: 'high', data: high },
    { name: 'low', data: low },
    { name: 'close', data: close },
    { name: 'volume', data: volume },
    { name: 'flag', data: flag },
    { name: 'revision', data: revision },
  ];
  const schema: SchemaElement[] = [
    { name: 'root', num_children: 0 },
    {
      name: 'timestamp',
      type: 'INT64',
      converted_type: 'TIMESTAMP_MILLIS',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      repetition_type: 'REQUIRED',
    },
    ...(['open', 'high', 'low', 'close', 'volume'] as const).map((name): SchemaElement => ({
      name,
      type: 'DOUBLE',
      repetition_type: 'REQUIRED',
    })),
    { name: 'flag', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'revision', type: 'INT32', repetition_type: 'REQUIRED' },
  ];
  for (const [name, field, type] of OPTIONAL_COLUMNS) {
    if (!bars.some((bar) => bar[field] !== undefined)) continue;
    const data = bars.map((bar) => {
      const value = bar[field];
      if (value === undefined) return null;
      return type === 'INT64' ? BigInt(value) : value;
    });
    columnData.push({ name, data });
    schema.push({ name, type, repetition_type: 'OPTIONAL' });
  }
  schema[0] = { name: 'root', num_children: columnData.length };
  return parquetWriteBuffer({ columnData, schema });
}
