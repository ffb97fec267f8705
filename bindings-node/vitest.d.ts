// Types of `import '@liveness-dev/liveness/vitest'`: the liveness matchers on Vitest's `expect`.
// Hand-written (not compiled) because the augmentation must be read in ES module mode.
import type { LivenessMatchers } from './dist/matchers.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Assertion<T> extends LivenessMatchers<void> {}
}
