// Types of `import '@liveness-dev/liveness/jest'`: the liveness matchers on Jest's `expect`, for both the
// global `expect` of @types/jest and `import { expect } from '@jest/globals'`. Hand-written (not
// compiled from lib/) because module augmentations must be read as the user's compiler reads them.
import type { LivenessMatchers } from './dist/matchers.js';
import type { Options } from './dist/options.js';

export { matchers } from './dist/jest.js';

declare global {
  namespace jest {
    // The type parameters must match @types/jest's exactly.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends LivenessMatchers<R> {}
  }
}

declare module 'expect' {
  /** `await expect.eventually(() => store.count).toBe(3)`: any matcher, `.not` too, polled until it passes. */
  interface BaseExpect {
    eventually<T>(
      probe: () => T | PromiseLike<T>,
      options?: Options,
    ): Matchers<Promise<void>, Awaited<T>> & Inverse<Matchers<Promise<void>, Awaited<T>>>;
  }

  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LivenessMatchers<R> {}
}
