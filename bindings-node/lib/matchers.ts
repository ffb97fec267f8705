// The matchers shared by `@liveness-dev/liveness/jest` and `@liveness-dev/liveness/vitest`: the operations, phrased as
// `await expect(probe).toEventually()` and `await expect(block).toEmit(pattern)`.
import { LivenessError } from './errors';
import { assertEmitted, assertEmittedInOrder, assertNotEmitted, type EmittedOptions, type ScopeOptions } from './events';
import { eventually, eventuallyPasses, eventuallyPassesAs } from './operations';
import type { Options } from './options';

interface Context {
  isNot: boolean;
  /** Jest's and Vitest's matcher utilities (absent when a matcher is called by hand). */
  utils?: { matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean }): string };
}

interface Result {
  pass: boolean;
  message: () => string;
}

/**
 * A liveness failure becomes the matcher's message, under the runner's own header
 * (`expect(received).toEventually()`); anything else (bad input) propagates.
 */
async function verdict(ctx: Context, name: string, expected: string, run: () => Promise<unknown>, passed: string): Promise<Result> {
  const hint = ctx.utils?.matcherHint(`.${name}`, 'received', expected, { isNot: ctx.isNot });
  const withHint = (text: string) => (hint === undefined ? text : `${hint}\n\n${text}`);
  try {
    await run();
    return { pass: true, message: () => withHint(passed) };
  } catch (error) {
    if (error instanceof LivenessError) return { pass: false, message: () => withHint(error.message) };
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
    return verdict(this, 'toEventually', '', () => eventually(probe as () => unknown, options), 'the probe became truthy');
  },

  /** `await expect(block).toEventuallyPass(options)`: the block of assertions passes in time. */
  async toEventuallyPass(this: Context, block: unknown, options?: Options): Promise<Result> {
    noNot(this, 'toEventuallyPass', 'never(probe, during)');
    return verdict(this, 'toEventuallyPass', '', () => eventuallyPasses(block as () => unknown, options), 'the block passed');
  },

  /**
   * `await expect(block).toEmit(pattern, { where, count })`: running the block emitted a matching
   * event. `.not.toEmit(pattern, { where })` asserts none was.
   */
  async toEmit(this: Context, block: unknown, pattern: string, options?: EmittedOptions): Promise<Result> {
    const run = block as () => unknown;
    if (!this.isNot) return verdict(this, 'toEmit', 'pattern', () => assertEmitted(pattern, run, options), `emitted ${pattern}`);
    const r = await verdict(
      this,
      'toEmit',
      'pattern',
      () => assertNotEmitted(pattern, run, { where: options?.where, scoped: options?.scoped }),
      `did not emit ${pattern}`,
    );
    // Under .not the runner inverts `pass`: a passing assertNotEmitted must report pass = false.
    return { pass: !r.pass, message: r.message };
  },

  /** `await expect(block).toEmitInOrder([patterns], { scoped })`. */
  async toEmitInOrder(this: Context, block: unknown, patterns: string[], options?: ScopeOptions): Promise<Result> {
    noNot(this, 'toEmitInOrder', 'expect(block).not.toEmit(pattern)');
    return verdict(this, 'toEmitInOrder', 'patterns', () => assertEmittedInOrder(patterns, block as () => unknown, options), 'emitted in order');
  },
};

/** The matchers' signatures, for the test runners' type augmentations. */
export interface LivenessMatchers<R> {
  toEventually(options?: Options): Promise<R>;
  toEventuallyPass(options?: Options): Promise<R>;
  toEmit(pattern: string, options?: EmittedOptions): Promise<R>;
  toEmitInOrder(patterns: string[], options?: ScopeOptions): Promise<R>;
}

type AnyExpect = (actual: unknown) => Record<string, unknown>;

/**
 * `expect.eventually(probe, options)`: the shape of Vitest's `expect.poll`, over any matcher of
 * the runner's `expect` (`.not` too). `await expect.eventually(() => store.count).toBe(3)` is
 * `eventuallyPasses(() => expect(store.count).toBe(3), options)`, reported as `expect.eventually`: the core decides the schedule,
 * and the runner's own matcher message is the report's last failure. The probe may be async.
 */
export function makeEventually(expect: AnyExpect) {
  return function eventuallyExpect(probe: unknown, options?: Options): Record<string, unknown> {
    if (typeof probe !== 'function') {
      throw new TypeError(`expect.eventually: \`probe\` must be a function, got ${probe === null ? 'null' : typeof probe}`);
    }
    const chain = (path: string[]): Record<string, unknown> =>
      new Proxy(
        {},
        {
          get(_target, name) {
            if (typeof name !== 'string' || name === 'then') return undefined;
            if (name === 'not' || name === 'resolves' || name === 'rejects') {
              if (name !== 'not') throw new TypeError(`expect.eventually(…).${name} is not supported: the probe's value is awaited already`);
              return chain([...path, name]);
            }
            return (...args: unknown[]) => {
              const check = (value: unknown) => {
                let target: Record<string, unknown> = expect(value);
                for (const p of path) target = target[p] as Record<string, unknown>;
                const matcher = target[name];
                if (typeof matcher !== 'function') throw new TypeError(`expect.eventually(…).${[...path, name].join('.')}: no such matcher`);
                return (matcher as (...a: unknown[]) => unknown).apply(target, args);
              };
              return eventuallyPassesAs(
                'expect.eventually',
                () => {
                  const value = (probe as () => unknown)();
                  if (typeof (value as PromiseLike<unknown> | undefined)?.then === 'function') return Promise.resolve(value).then(check);
                  return check(value);
                },
                options,
              ).then(() => undefined);
            };
          },
        },
      );
    return chain([]);
  };
}
