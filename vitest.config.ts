import { defineConfig } from 'vitest/config';

// Unit tests import from `src/`; examples import `market-data-pipeline` and so test the built
// package (`npm test` builds first).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
