/**
 * Types shared by the benchmark suites. Each file in `bench/suites/` default-exports a
 * {@link Suite}; `bench/index.ts` generates the data once, runs every group's cases in the
 * same process and prints median times and ratios against the group's reference case.
 */
import type { Ohlcv, OhlcvColumns } from '../src/index.js';

/** The shared input: seeded generated 1m bars (1,000,000 by default). */
export interface BenchData {
  /** The bars as columns. */
  readonly columns: OhlcvColumns;
  /** The same bars as rows. */
  readonly rows: readonly Ohlcv[];
  /** How the bars were made, printed beside the ratios of a group that names no other {@link BenchGroup.shape}. */
  readonly shape: string;
  /**
   * True in a child process started to time one cold call (see {@link BenchGroup.cold}): a suite
   * then builds its groups without warming anything up.
   */
  readonly cold: boolean;
}

/** One timed operation. */
export interface BenchCase {
  /** Short label printed in the table. */
  readonly name: string;
  /** `ours`: this library; `peer`: another library; `limit`: a plain loop (the practical floor). */
  readonly role: 'ours' | 'peer' | 'limit';
  /** The operation; its result is kept alive so it is not optimised away. May be async. */
  readonly fn: () => unknown;
}

/**
 * A target the issue sets: `ours` must be at least `factor`× faster than `than` (or, with
 * `within`, at most `within`× slower), or, with `maxMs` and no `than`, take at most that long.
 */
export interface BenchTarget {
  readonly ours: string;
  readonly than?: string;
  /** `ours`' median must be at most this many ms (an absolute target: machine load shows in it). */
  readonly maxMs?: number;
  /** Printed after an absolute target, e.g. `per 100 bars`. */
  readonly per?: { readonly count: number; readonly unit: string };
  /** `ours` must take at most `time(than) / factor`. */
  readonly factor?: number;
  /** `ours` must take at most `time(than) * within`. */
  readonly within?: number;
}

/** A quantity measured once rather than timed (a bundle's size in bytes), with an optional ceiling. */
export interface BenchFact {
  /** Short label printed in the table. */
  readonly name: string;
  /** The measured value, in `unit`. */
  readonly value: number;
  /** Unit of `value` and `max`, e.g. `B`. */
  readonly unit: string;
  /** The target: `value` must be at most this (inclusive). */
  readonly max?: number;
  /** Where `max` comes from, printed beside the verdict. */
  readonly maxSource?: string;
  /** Printed after the value, e.g. a ratio to a peer. */
  readonly note?: string;
}

/** Operations compared side by side. */
export interface BenchGroup {
  readonly title: string;
  /** The data the cases run on, printed beside every ratio; the shared data's {@link BenchData.shape} when omitted. */
  readonly shape?: string;
  /**
   * Also time the first call of each case (`ours` and `peer`) in a fresh process: one child
   * `node` per case builds the data and the suite's groups, collects garbage and times a single
   * call, with nothing warmed up — what a user who calls once pays, JIT and page faults included.
   */
  readonly cold?: boolean;
  readonly cases: readonly BenchCase[];
  readonly targets?: readonly BenchTarget[];
  /**
   * Sample exactly this many rounds (one call of each case per round, no batching) after a
   * single untimed call of each case, instead of sampling by time budget. For cases that each
   * start a process, where a call is already long and the JIT warm-up means nothing.
   */
  readonly rounds?: number;
  /**
   * Quantities measured once, printed under the group's cases: a list the suite measured while
   * building the group, or a function called after the cases ran (for what the cases recorded).
   */
  readonly facts?: readonly BenchFact[] | (() => readonly BenchFact[]);
}

/** A suite builds its groups from the shared data (conversions it needs happen here, untimed). */
export type Suite = (data: BenchData) => readonly BenchGroup[] | Promise<readonly BenchGroup[]>;
