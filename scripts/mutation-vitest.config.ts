import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration Stryker runs (`npm run mutation`): only the test files named, as
 * comma-separated globs relative to the project root, in `MUTATION_TESTS` (set by
 * `scripts/mutation.ts` for the module under test), so that a mutant of `src/time/` is not
 * tested by the whole suite.
 */
const include: string[] = (process.env['MUTATION_TESTS'] ?? 'test/**/*.test.ts').split(',');

export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include,
    // The dry run measures every test with coverage counters in every statement: on a loaded
    // machine the simulated days of the rate limiter's tests (3 s alone) passed 60 s. A mutant's
    // own time limit is Stryker's (`timeoutMS` past the test's measured time), not this.
    testTimeout: 300_000,
  },
});
