import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import {
  SinkError,
  type DataFormat,
  type DatasetRecord,
  type DocumentRecord,
  type Sink,
  type SinkRecord,
  type SinkWriteOptions,
  type SinkWriteResult,
} from 'market-data-pipeline';
import { barsToParquet } from './bars-to-parquet.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of {@link FsStateSink}. */
export interface FsStateSinkOptions {
  /** The directory the `state/` and `data/` trees are written under (created when missing). */
  readonly root: string;
  /**
   * The sink's name (`Sink.name`).
   * @defaultValue 'fs-state'
   */
  readonly name?: string;
  /**
   * Formats of the datasets it writes for `pipeline.request(...)`.
   * @defaultValue ['json', 'parquet']
   */
  readonly datasetFormats?: readonly DataFormat[];
  /**
   * Whether to also take closed bars and append them as JSON lines to
   * `data/bars/<SYMBOL>_<timeframe>.jsonl` (one bar per line, every delivery including
   * re-deliveries and revisions: a reader keeps the highest `revision` per `timestamp`).
   * @defaultValue false (bars are left to a store or a database sink)
   */
  readonly bars?: boolean;
  /**
   * Whether every write is flushed to disk (`fsync` of the file and its directory) before it
   * counts as delivered. Off, a crash of the machine (not of the process) may lose the last
   * writes; files are still replaced atomically.
   * @defaultValue true
   */
  readonly fsync?: boolean;
}

/** Characters allowed in a file name made from a symbol; others become `_` (`BTC/USDT` → `BTC_USDT`). */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * A {@link Sink} that writes the specification's state files under a root directory, so an
 * agent (or a person) can read the current state with nothing but a file read:
 *
 * | record | file (relative to `root`) |
 * |---|---|
 * | `data_status` document | `state/data/data_status.json` |
 * | `quality_report` document | `state/data/quality_report.json` |
 * | `latest_ohlcv` document of a symbol | `state/data/latest_ohlcv/<SYMBOL>.json` **and** `state/data/latest_ohlcv.json` |
 * | `market_context` document of a symbol | `state/market_context/<SYMBOL>.json` **and** `state/market_context.json` |
 * | alert | one JSON line appended to `state/data/alerts.jsonl` |
 * | dataset (`pipeline.request`) | `data/<SYMBOL>_<TF>_<YYYYMMDD>_<YYYYMMDD>.json` or `.parquet` |
 * | bars (only with `bars: true`) | JSON lines appended to `data/bars/<SYMBOL>_<TF>.jsonl` |
 * | `order_book` document of a symbol | `state/data/order_book/<SYMBOL>.json` **and** `state/data/order_book.json` |
 * | ticks (trades on) | one JSON line per trade appended to `data/trades/<SYMBOL>.jsonl` |
 * | orderBook (books on) | one JSON line per snapshot appended to `data/books/<SYMBOL>.jsonl` |
 *
 * **Several symbols.** The specification shows one symbol per `latest_ohlcv` and
 * `market_context` document at a fixed path. Each symbol gets its own file under
 * `latest_ohlcv/` and `market_context/`, and the fixed path holds the document written most
 * recently — with one symbol, always that symbol; with several, whichever was delivered last
 * (not a fixed one: the delivery queue coalesces documents, which can reorder symbols). Watch
 * the per-symbol files when you follow more than one symbol. The per-symbol file is written
 * before the fixed path, so once the fixed path shows a document its symbol's file does too.
 *
 * **Atomicity.** Every `.json` file is replaced with {@link writeFileAtomic} (temporary file
 * in the same directory, `fsync`, `rename`), so a reader never sees a partial document.
 * JSON-lines files are appended with one `write` per record. Delivery is at-least-once: after
 * a retry or a restart an alert line may appear twice (same `alert_id`) and a document may be
 * rewritten with the same content.
 *
 * **Datasets** are written as a JSON array of bars (`timestamp` in epoch ms, the bar's fields,
 * `revision`) or as Parquet ({@link barsToParquet}). `write` answers
 * `{ outputPath }` with the **absolute** path of the file, which the pipeline puts in the data
 * response's `output_path`. A dataset path that would leave `root` is refused with a
 * non-retryable `SinkError`.
 *
 * @example
 * ```ts
 * const sink = new FsStateSink({ root: '/var/lib/market-data' });
 * const pipeline = new Pipeline({ primary, sinks: [sink], config: { symbols: ['BTCUSD'] } });
 * await pipeline.runOnce();
 * // /var/lib/market-data/state/data/data_status.json, latest_ohlcv.json, quality_report.json,
 * // /var/lib/market-data/state/market_context.json now exist
 * const response = await pipeline.request({ request_id: 'DATA-001', requester: 'me', request_type: 'historical_data',
 *   parameters: { symbol: 'BTCUSD', timeframe: '1H', start_date: '2025-01-01', end_date: '2025-01-30', format: 'parquet' } });
 * response.output_path // '/var/lib/market-data/data/BTCUSD_1H_20250101_20250130.parquet'
 * ```
 */
export class FsStateSink implements Sink {
  /** The sink's name. */
  readonly name: string;
  /** Formats of datasets it writes. */
  readonly datasetFormats: readonly DataFormat[];
  /** The absolute root directory. */
  readonly root: string;
  readonly #bars: boolean;
  readonly #fsync: boolean;

  /**
   * @param options - See {@link FsStateSinkOptions}.
   */
  constructor(options: FsStateSinkOptions) {
    this.root = resolve(options.root);
    this.name = options.name ?? 'fs-state';
    this.datasetFormats = options.datasetFormats ?? ['json', 'parquet'];
    this.#bars = options.bars ?? false;
    this.#fsync = options.fsync ?? true;
  }

  /**
   * Documents, alerts and datasets; bars only with the `bars` option; never the forming bar.
   *
   * @param record - A record the pipeline is about to deliver.
   * @returns Whether this sink takes it.
   */
  accepts(record: SinkRecord): boolean {
    return record.kind === 'bars' ? this.#bars : record.kind !== 'forming';
  }

  /**
   * Writes one record to its file (see the table above).
   *
   * @param record - The record.
   * @param options - `signal` aborts the write; a replaced file then keeps its old content.
   * @returns The absolute path written, as `outputPath`.
   */
  async write(record: SinkRecord, options: SinkWriteOptions): Promise<SinkWriteResult> {
    const { signal } = options;
    switch (record.kind) {
      case 'document':
        return this.#document(record, signal);
      case 'alert': {
        const path = join(this.root, 'state', 'data', 'alerts.jsonl');
        await this.#append(path, `${JSON.stringify(record.alert)}\n`, signal);
        return { outputPath: path };
      }
      case 'dataset':
        return this.#dataset(record, signal);
      case 'bars': {
        const path = join(this.root, 'data', 'bars', `${fileSafe(record.symbol)}_${record.timeframe}.jsonl`);
        await this.#append(path, record.bars.map((bar) => `${JSON.stringify(bar)}\n`).join(''), signal);
        return { outputPath: path };
      }
      case 'forming':
        return {};
      case 'ticks':
      case 'orderBook': {
        const folder = record.kind === 'ticks' ? 'trades' : 'books';
        const path = join(this.root, 'data', folder, `${fileSafe(record.symbol)}.jsonl`);
        const lines = record.kind === 'ticks' ? record.ticks.map((tick) => JSON.stringify(tick)) : [JSON.stringify(record.book)];
        await this.#append(path, lines.map((line) => `${line}\n`).join(''), signal);
        return { outputPath: path };
      }
    }
  }

  async #document(record: DocumentRecord, signal: AbortSignal): Promise<SinkWriteResult> {
    const json = `${JSON.stringify(record.body, null, 2)}\n`;
    const write = (path: string): Promise<void> => writeFileAtomic(path, json, { fsync: this.#fsync, signal });
    const state = join(this.root, 'state');
    switch (record.name) {
      case 'data_status':
      case 'quality_report': {
        const path = join(state, 'data', `${record.name}.json`);
        await write(path);
        return { outputPath: path };
      }
      case 'latest_ohlcv':
      case 'order_book':
      case 'market_context': {
        const dir = record.name === 'market_context' ? state : join(state, 'data');
        // The per-symbol file first: when the fixed path is updated, the per-symbol one already is.
        await write(join(dir, record.name, `${fileSafe(record.symbol ?? record.body.symbol)}.json`));
        const path = join(dir, `${record.name}.json`);
        await write(path);
        return { outputPath: path };
      }
    }
  }

  async #dataset(record: DatasetRecord, signal: AbortSignal): Promise<SinkWriteResult> {
    const path = resolve(this.root, record.path);
    const inside = relative(this.root, path);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
      throw new SinkError(`Dataset path \`${record.path}\` leaves the root ${this.root}`, { sink: this.name, retryable: false });
    }
    const data = record.format === 'parquet' ? new Uint8Array(barsToParquet(record.bars)) : `${JSON.stringify(record.bars)}\n`;
    await writeFileAtomic(path, data, { fsync: this.#fsync, signal });
    return { outputPath: path };
  }

  async #append(path: string, text: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, text, { flush: this.#fsync });
  }
}
