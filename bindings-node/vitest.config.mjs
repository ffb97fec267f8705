// Vitest runs the short suite in vitest/ (the Jest suites live in __tests__/).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  cacheDir: '../target/vitest-cache',
  test: {
    include: ['vitest/**/*.test.mjs'],
    environment: 'node',
    // The package is CommonJS plus an ES module face: let Node load it, as users' code would.
    server: { deps: { external: [/bindings-node\/(dist|esm)\//] } },
  },
});
