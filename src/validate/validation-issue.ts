/**
 * How serious a validation issue is: an `error` makes the item invalid; a `warning` is
 * reported but leaves it valid (for example a one-sided order book).
 */
export const IssueSeverity = {
  Error: 'error',
  Warning: 'warning',
} as const;

/** One of the values of {@link IssueSeverity}. */
export type IssueSeverity = (typeof IssueSeverity)[keyof typeof IssueSeverity];

/**
 * One broken rule, located in the input. Shaped like a zod issue: `rule` is the stable
 * machine-readable identifier, `index` the position, `message` names the offending values.
 *
 * @typeParam R - the rule identifiers of the validator that produced it.
 */
export interface ValidationIssue<R extends string = string> {
  /** The rule that was broken, e.g. `'high_gte_low'`. */
  readonly rule: R;
  /** Position of the offending item in the input (a bar, a trade or a book level), from 0. */
  readonly index: number;
  /**
   * The item's timestamp in epoch ms, as given: NaN (or another bad value read as NaN) when
   * the timestamp itself is what is wrong.
   */
  readonly timestamp: number;
  /** `error` makes the item invalid; `warning` does not. */
  readonly severity: IssueSeverity;
  /** Human-readable explanation naming the offending values. */
  readonly message: string;
}

/**
 * What a validator of a series returns. Never thrown: bad data is a value.
 *
 * @typeParam R - the rule identifiers of the validator.
 */
export interface ValidationResult<R extends string = string> {
  /** Whether no item broke an error rule (`invalidCount === 0`). Warnings do not count. */
  readonly valid: boolean;
  /** Items without any error issue. */
  readonly validCount: number;
  /** Items with at least one error issue; `validCount + invalidCount` is the input length. */
  readonly invalidCount: number;
  /** Every broken rule, in input order (an item may have several). */
  readonly issues: readonly ValidationIssue<R>[];
}
