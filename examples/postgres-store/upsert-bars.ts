import type { RevisedBar, Timeframe } from 'market-data-pipeline';
import type { ClientBase, Pool } from 'pg';
import { binaryNumberArray, binaryTextArray } from './binary-array.js';

/** The bars of one series, as `Store.upsert` and a `bars` sink record carry them. */
export interface SeriesBars {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly bars: readonly RevisedBar[];
}

/** One row to write. */
interface Row {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly bar: RevisedBar;
}

/**
 * The rows to write, one per `(symbol, timeframe, timestamp)`: of several bars at one key the
 * highest revision, the later one on a tie (what upserting them one by one would leave).
 * Sorted by key, so concurrent writers lock rows in one order and never deadlock.
 */
function rowsOf(series: readonly SeriesBars[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const { symbol, timeframe, bars } of series) {
    for (const bar of bars) {
      const key = `${symbol}\u0000${timeframe}\u0000${bar.timestamp}`;
      const held = byKey.get(key);
      if (held === undefined || bar.revision >= held.bar.revision) byKey.set(key, { symbol, timeframe, bar });
    }
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...byKey.values()].sort((a, b) => cmp(a.symbol, b.symbol) || cmp(a.timeframe, b.timeframe) || a.bar.timestamp - b.bar.timestamp);
}

/**
 * Upserts bars of any number of series with one `INSERT … SELECT FROM unnest(…) ON CONFLICT …
 * DO UPDATE … WHERE excluded.revision >= bars.revision` (a single statement: atomic on its own,
 * or part of the caller's transaction when `client` is in one). A stored bar is replaced only by
 * one with an equal or higher revision (equal: an at-least-once re-delivery, same content).
 * Timestamps (epoch ms) become `timestamptz` with `to_timestamp(ms / 1000)`, exact to the
 * millisecond. Each column goes as one array parameter in PostgreSQL's binary format (see
 * `binary-array.ts`): no number is turned into text on either side.
 *
 * @param client - A pool (the statement is its own transaction) or a client inside a transaction.
 * @param schema - The schema holding `bars` (validated identifier).
 * @param series - The bars to write; several bars at one key are allowed.
 * @returns How many rows were inserted or replaced (rows that lost on revision are not counted).
 */
export async function upsertBars(client: Pool | ClientBase, schema: string, series: readonly SeriesBars[]): Promise<number> {
  const rows = rowsOf(series);
  if (rows.length === 0) return 0;
  const column = <T>(pick: (row: Row) => T): T[] => rows.map(pick);
  const result = await client.query(
    `INSERT INTO ${schema}.bars AS bars
       (symbol, timeframe, open_time, open, high, low, close, volume, quote_volume, trades, taker_buy_volume, flag, count, revision)
     SELECT symbol, timeframe, to_timestamp(t / 1000), o, h, l, c, v, qv, n, tbv, f, k, r
     FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
                 $9::float8[], $10::int8[], $11::float8[], $12::text[], $13::int4[], $14::int4[])
       AS u(symbol, timeframe, t, o, h, l, c, v, qv, n, tbv, f, k, r)
     ON CONFLICT (symbol, timeframe, open_time) DO UPDATE SET
       open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume,
       quote_volume = excluded.quote_volume, trades = excluded.trades, taker_buy_volume = excluded.taker_buy_volume,
       flag = excluded.flag, count = excluded.count, revision = excluded.revision
     WHERE excluded.revision >= bars.revision`,
    [
      binaryTextArray(column((r) => r.symbol)),
      binaryTextArray(column((r) => r.timeframe)),
      binaryNumberArray(
        'float8',
        column((r) => r.bar.timestamp),
      ),
      binaryNumberArray(
        'float8',
        column((r) => r.bar.open),
      ),
      binaryNumberArray(
        'float8',
        column((r) => r.bar.high),
      ),
      binaryNumberArray(
        'float8',
        column((r) => r.bar.low),
      ),
      binaryNumberArray(
        'float8',
        column((r) => r.bar.close),
      ),
      binaryNumberArray(
        'float8',
        column((r) => r.bar.volume),
      ),
      binaryNumberArray(
        'float8',
        column((r) => r.bar.quoteVolume),
      ),
      binaryNumberArray(
        'int8',
        column((r) => r.bar.trades),
      ),
      binaryNumberArray(
        'float8',
        column((r) => r.bar.takerBuyVolume),
      ),
      binaryTextArray(column((r) => r.bar.flag)),
      binaryNumberArray(
        'int4',
        column((r) => r.bar.count),
      ),
      binaryNumberArray(
        'int4',
        column((r) => r.bar.revision),
      ),
    ],
  );
  return result.rowCount ?? 0;
}
