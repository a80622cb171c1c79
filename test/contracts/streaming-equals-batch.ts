/**
 * Shared contract: a streaming calculator equals its batch function on every prefix of every
 * series, including live updates of the still-forming bar (`replace`) and restarts after a
 * large gap (`restart`, when the calculator has one). Equality is exact (`Object.is`, so
 * `NaN` equals `NaN`): the streaming and batch paths must do the same arithmetic.
 *
 * Use it from a `*.test.ts` file in `test/contracts/`:
 * `describeStreamingEqualsBatch({ name: 'AtrCalculator', bars, variant, batch, create })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** What the contract needs from a streaming calculator. */
export interface StreamingCalculator<Bar> {
  add(bar: Bar): number;
  replace(bar: Bar): number;
  readonly value: number;
  restart?(): void;
}

/** A calculator and its batch twin, with generators for their input. */
export interface StreamingContract<Bar> {
  /** Printed in the `describe` title. */
  readonly name: string;
  /** Series to try (keep them short: every prefix is recomputed in batch). */
  readonly bars: fc.Arbitrary<Bar[]>;
  /** Other versions of a bar, as a live feed sends them before the bar closes. */
  readonly variant: (bar: Bar) => fc.Arbitrary<Bar>;
  /** The batch function; `breaks` holds the indices of the bars added right after `restart()`. */
  readonly batch: (bars: readonly Bar[], breaks: readonly number[]) => ArrayLike<number>;
  /** A fresh calculator with the same options as `batch`. */
  readonly create: () => StreamingCalculator<Bar>;
  /** Runs per property. @defaultValue 200 */
  readonly numRuns?: number;
}

interface Step<Bar> {
  readonly bar: Bar;
  readonly drafts: readonly Bar[];
  readonly restartBefore: boolean;
}

/** Registers the contract's tests for one calculator. */
export function describeStreamingEqualsBatch<Bar>(contract: StreamingContract<Bar>): void {
  const numRuns = contract.numRuns ?? 200;
  const steps = (withDrafts: boolean, withRestarts: boolean): fc.Arbitrary<Step<Bar>[]> =>
    contract.bars.chain((bars) =>
      fc.tuple(
        ...bars.map((bar) =>
          fc.record({
            bar: fc.constant(bar),
            drafts: withDrafts ? fc.array(contract.variant(bar), { maxLength: 3 }) : fc.constant([]),
            restartBefore: withRestarts ? fc.integer({ min: 0, max: 9 }).map((k) => k === 0) : fc.constant(false),
          }),
        ),
      ),
    );

  const check = (run: readonly Step<Bar>[]): void => {
    const calc = contract.create();
    const done: Bar[] = [];
    const breaks: number[] = [];
    run.forEach((step, index) => {
      if (step.restartBefore && calc.restart !== undefined) {
        calc.restart();
        breaks.push(index);
      }
      let returned: number;
      const [first, ...rest] = step.drafts;
      if (first === undefined) {
        returned = calc.add(step.bar);
      } else {
        calc.add(first);
        for (const draft of rest) calc.replace(draft);
        returned = calc.replace(step.bar);
      }
      done.push(step.bar);
      const expected = contract.batch(done, breaks)[index];
      expect(Object.is(returned, expected), `bar ${index}: streaming ${returned}, batch ${expected}`).toBe(true);
      expect(Object.is(calc.value, expected), `bar ${index}: value ${calc.value}, batch ${expected}`).toBe(true);
    });
  };

  describe(`${contract.name} (streaming equals batch)`, () => {
    it('equals the batch function on every prefix when bars are only added', () => {
      fc.assert(fc.property(steps(false, false), check), { numRuns });
    });
    it('equals the batch function on every prefix when each bar is first added as drafts and replaced', () => {
      fc.assert(fc.property(steps(true, false), check), { numRuns });
    });
    it('equals the batch function with breaks where it restarts', () => {
      fc.assert(fc.property(steps(true, true), check), { numRuns });
    });
  });
}
