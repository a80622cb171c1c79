/**
 * The options of `MemorySink` and the shapes it reports (its write log and bar deliveries). A
 * leaf file: the class and its helpers read these types without importing each other.
 */
import type { Clock } from '../pipeline/clock.js';
import type { SinkRecord } from '../pipeline/sink.js';
import type { DataFormat } from '../schemas/data-request-schema.js';
import type { Timeframe } from '../time/timeframe.js';

/**
 * How a `MemorySink` answers writes.
 *
 * - `'never'`: every write succeeds;
 * - `'always'`: every write rejects with a retryable `SinkError`;
 * - `'fatal'`: every write rejects with a `SinkError` with `retryable: false`;
 * - `'hang'`: writes (and `flush`) never answer; they reject with `signal.reason` when their
 *   signal aborts;
 * - `{ rate, seed, retryable }`: each write fails with probability `rate` (0–1), drawn from a
 *   generator seeded with `seed` (default 1) — the same sequence of writes fails the same way.
 */
export type MemorySinkFailure =
  | 'never'
  | 'always'
  | 'fatal'
  | 'hang'
  | {
      /** Probability (0–1) that a write fails. */
      readonly rate: number;
      /**
       * Seed of the draws.
       * @defaultValue 1
       */
      readonly seed?: number;
      /**
       * Whether the failures are retryable.
       * @defaultValue true
       */
      readonly retryable?: boolean;
    };

/** Options of `MemorySink`; all optional. */
export interface MemorySinkOptions {
  /**
   * The sink's name (`Sink.name`).
   * @defaultValue 'memory'
   */
  readonly name?: string;
  /**
   * The clock used for `slowMs` and for the `at` of logged writes; required when `slowMs` is
   * positive.
   * @defaultValue none
   */
  readonly clock?: Clock;
  /**
   * Dataset formats the sink accepts (`Sink.datasetFormats`).
   * @defaultValue ['json']
   */
  readonly datasetFormats?: readonly DataFormat[];
  /**
   * How writes are answered; change it later with `MemorySink.setFailure}.
   * @defaultValue 'never'
   */
  readonly fail?: MemorySinkFailure;
  /**
   * Each write (and `flush`) first waits this many ms on the clock (`clock.sleep(ms, signal)`,
   * so an abort ends the wait); change it later with `MemorySink.setSlowMs}.
   * @defaultValue 0
   */
  readonly slowMs?: number;
  /**
   * Which records the sink wants (`Sink.accepts`); datasets in a format outside
   * `datasetFormats` are refused whatever it says.
   * @defaultValue every record
   */
  readonly accepts?: (record: SinkRecord) => boolean;
  /**
   * Whether to keep the write log and the records (`writes`, `records`). Benchmarks that
   * stream millions of bars turn it off to hold only the views (bars, counts, documents,
   * alerts, datasets).
   * @defaultValue true
   */
  readonly keepLog?: boolean;
}

/** What became of one write, as logged in `MemorySink.writes`. */
export type MemorySinkWriteOutcome = 'pending' | 'written' | 'failed' | 'aborted';

/** One call of `MemorySink.write`. */
export interface MemorySinkWrite {
  /** Sequence number, from 0. */
  readonly seq: number;
  /** The record as given. */
  readonly record: SinkRecord;
  /** Clock time of the call, epoch ms (when the sink has a clock). */
  readonly at?: number;
  /** What became of it; `pending` until it settles. */
  readonly outcome: MemorySinkWriteOutcome;
  /** The rejection, for `failed` and `aborted` writes. */
  readonly error?: unknown;
}

/** How many times one bar revision was written successfully. */
export interface BarDelivery {
  /** The series' symbol. */
  readonly symbol: string;
  /** The series' timeframe. */
  readonly timeframe: Timeframe;
  /** The bar's open time, epoch ms. */
  readonly timestamp: number;
  /** The bar's revision. */
  readonly revision: number;
  /** Successful deliveries of this `(symbol, timeframe, timestamp, revision)`; 1 is exactly once. */
  readonly count: number;
}
