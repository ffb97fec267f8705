// Runtime support of `import 'liveness/vitest'` (esm/vitest.mjs registers these; Vitest's
// `expect` and `afterEach` can only be imported from ES modules). Its types are vitest.d.ts.
export { matchers } from './matchers';
export { cancelPendingWaits } from './pending';
