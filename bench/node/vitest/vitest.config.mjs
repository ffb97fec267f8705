// The small Vitest run that measures expect.poll (it only works inside a Vitest test).
import { fileURLToPath } from 'node:url';

export default {
  // Vite's and Vitest's caches go with the installed packages (ignored by git), not beside this file.
  cacheDir: fileURLToPath(new URL('../node_modules/.vite', import.meta.url)),
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['expect-poll.test.mjs'],
    environment: 'node',
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 60 * 60 * 1000, // the whole scenario set is one test (its length: bench/scenarios.json)
    watch: false,
    reporters: ['dot'],
  },
};
