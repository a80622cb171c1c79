import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { thrown } from './thrown.js';

/** One bad option: how to hit it, and what its `ConfigError` must say. */
export interface ConfigErrorCase {
  /** Named in the test's title. */
  readonly name: string;
  /** The call that must throw. */
  readonly attempt: () => unknown;
  /** The error's `path`. */
  readonly path: readonly PropertyKey[];
  /** The error's `value`: the offending value as given. */
  readonly value: unknown;
  /** Fragments its message must contain. */
  readonly says: readonly string[];
}

/**
 * The README's rule for bad options, one test per case: a `ConfigError` naming the path and the
 * offending value, with a message that says them.
 *
 * @param title - The describe block's title.
 * @param cases - The bad options.
 */
export function describeConfigErrors(title: string, cases: readonly ConfigErrorCase[]): void {
  describe(title, () => {
    for (const { name, attempt, path, value, says } of cases) {
      it(`names the path and the value for ${name}`, () => {
        const error = thrown(attempt);
        expect(isConfigError(error)).toBe(true);
        expect(error).toMatchObject({ path, value });
        for (const fragment of says) expect(String(error)).toContain(fragment);
      });
    }
  });
}
