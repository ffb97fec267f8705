// The matchers shared by `@liveness-dev/liveness/jest` and `@liveness-dev/liveness/vitest`: the operations, phrased as
// `await expect(probe).toEventually()` and `await expect(block).toEmit(pattern)`.
import { LivenessError } from './errors';
import { assertEmitted, assertEmittedInOrder, assertNotEmitted, type EmittedOptions } from './events';
import { eventually, eventuallyPasses } from './operations';
import type { Options } from './options';

interface Context {
  isNot: boolean;
}

interface Result {
  pass: boolean;
  message: () => string;
}

/** A liveness failure becomes the matcher's message; anything else (bad input) propagates. */
async function verdict(run: () => Promise<unknown>, passed: string): Promise<Result> {
  try {
    await run();
    return { pass: true, message: () => passed };
  } catch (error) {
    if (error instanceof LivenessError) return { pass: false, message: () => error.message };
    throw error;
  }
}

function noNot(ctx: Context, name: string, instead: string): void {
  if (ctx.isNot) throw new TypeError(`.not.${name}() is not supported: use ${instead}`);
}

export const matchers = {
  /** `await expect(probe).toEventually(options)`: the probe returns a truthy value in time. */
  async toEventually(this: Context, probe: unknown, options?: Options): Promise<Result> {
    noNot(this, 'toEventually', 'never(probe, during)');
    return verdict(() => eventually(probe as () => unknown, options), 'the probe became truthy');
  },

  /** `await expect(block).toEventuallyPass(options)`: the block of assertions passes in time. */
  async toEventuallyPass(this: Context, block: unknown, options?: Options): Promise<Result> {
    noNot(this, 'toEventuallyPass', 'never(probe, during)');
    return verdict(() => eventuallyPasses(block as () => unknown, options), 'the block passed');
  },

  /**
   * `await expect(block).toEmit(pattern, { where, count })`: running the block emitted a matching
   * event. `.not.toEmit(pattern, { where })` asserts none was.
   */
  async toEmit(this: Context, block: unknown, pattern: string, options?: EmittedOptions): Promise<Result> {
    const run = block as () => unknown;
    if (!this.isNot) return verdict(() => assertEmitted(pattern, run, options), `emitted ${pattern}`);
    const r = await verdict(() => assertNotEmitted(pattern, run, { where: options?.where }), `did not emit ${pattern}`);
    // Under .not the runner inverts `pass`: a passing assertNotEmitted must report pass = false.
    return { pass: !r.pass, message: r.message };
  },

  /** `await expect(block).toEmitInOrder([patterns])`. */
  async toEmitInOrder(this: Context, block: unknown, patterns: string[]): Promise<Result> {
    noNot(this, 'toEmitInOrder', 'expect(block).not.toEmit(pattern)');
    return verdict(() => assertEmittedInOrder(patterns, block as () => unknown), 'emitted in order');
  },
};

/** The matchers' signatures, for the test runners' type augmentations. */
export interface LivenessMatchers<R> {
  toEventually(options?: Options): Promise<R>;
  toEventuallyPass(options?: Options): Promise<R>;
  toEmit(pattern: string, options?: EmittedOptions): Promise<R>;
  toEmitInOrder(patterns: string[]): Promise<R>;
}
