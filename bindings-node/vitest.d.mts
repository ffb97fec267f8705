// Types of `import '@liveness-dev/liveness/vitest'`: the liveness matchers and `expect.eventually` on
// Vitest's `expect`. Hand-written (not compiled) and an ES module declaration (.d.mts): Vitest's
// types are ESM only, and a CommonJS declaration cannot import them (TS1479), which
// `ExpectStatic.eventually` needs for its return type (Vitest's own `Assertion`, named inside the
// `declare module` block).
import type { LivenessMatchers } from './dist/matchers.js';
import type { Options } from './dist/options.js';

/** Every matcher of `Assertion`, returning a Promise (Vitest's `PromisifyAssertion`, not exported by 'vitest'). */
type Promisify<O> = {
  [K in keyof O]: O[K] extends (...args: infer A) => infer R ? Promisify<O[K]> & ((...args: A) => Promise<R>) : O[K];
};

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Assertion<T> extends LivenessMatchers<void> {}

  interface ExpectStatic {
    /**
     * `await expect.eventually(() => store.count).toBe(3)`: any matcher, `.not` too, polled until it
     * passes; the shape of `expect.poll`, on liveness's schedule and report.
     */
    eventually<T>(probe: () => T | PromiseLike<T>, options?: Options): Promisify<Assertion<Awaited<T>>>;
  }
}
