/**
 * The outcome of reading untrusted data: the value, or the reasons it was refused.
 * Functions that return it never throw on bad data.
 *
 * @typeParam T - the value on success.
 * @typeParam I - the issue type on failure.
 */
export type Result<T, I = DataIssue> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly I[] };

/**
 * One reason a piece of input was refused, shaped like a zod issue.
 * `path` locates the value inside the input (array indices are numbers).
 */
export interface DataIssue {
  /** Stable, machine-readable identifier such as `'invalid_type'` or `'implausible_timestamp'`. */
  readonly code: string;
  /** Location of the offending value in the input. */
  readonly path: readonly (string | number)[];
  /** Human-readable explanation naming the offending value. */
  readonly message: string;
}
