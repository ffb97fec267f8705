// ESLint over the package's own code (`make node-lint`, part of `make test-node`). The TypeScript
// (lib/, __tests__/, types-test/, the hand-written .d.ts) gets typescript-eslint's type-aware
// rules: every operation returns a Promise, and a Promise nobody awaits is the bug the package
// reports at run time (no-floating-promises catches it before). The JavaScript (the ES module
// face, the Vitest suite, the demo, the configs) gets ESLint's recommended rules. The layout is
// Prettier's (prettier.config.mjs, checked by the same make step), so no rule here is about it.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Built output, and native.d.ts, which napi generates (and `make test-node` checks is fresh).
  globalIgnores(['dist/', 'test-build/', 'native.d.ts']),
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // dist-test/ is a user's project (make test-dist-node runs it with Jest from the registry):
    // plain CommonJS with Jest's globals, as a user without TypeScript writes tests.
    files: ['dist-test/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is typed by the tsconfig that builds or checks it; jest.d.ts, vitest.d.ts and
        // vitest.d.mts are in none (they are published as written), so they get a default project.
        projectService: { allowDefaultProject: ['jest.d.ts', 'vitest.d.ts', 'vitest.d.mts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An aborted wait rejects with the signal's reason, whatever it is (AbortSignal's contract),
      // and a probe's rejection is passed on as it came: such reasons are typed `unknown`. A
      // reason of a known type that is not an Error is still reported.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // The type test checks what the signatures accept and infer: its async blocks need no await,
    // and its assertions widen values on purpose (`42 as number | null`) to see what is stripped.
    files: ['types-test/**'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // The CommonJS view of the Vitest type test compiles under nodenext only (Vitest's own
    // index.d.cts requires its ES modules, which node16 rejects): its tsconfig is that one.
    files: ['types-test/vitest-usage.cts'],
    languageOptions: { parserOptions: { projectService: false, project: './types-test/tsconfig.vitest-nodenext-cjs.json' } },
  },
);
