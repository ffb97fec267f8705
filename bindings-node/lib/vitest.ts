// Runtime support of `import '@liveness-dev/liveness/vitest'` (esm/vitest.mjs registers these; Vitest's
// `expect` and `afterEach` can only be imported from ES modules). Its types are vitest.d.ts.
import { begin, end } from './budget';
import { native } from './native';

export { makeEventually, matchers } from './matchers';
export { cancelPendingWaits } from './pending';

type TestFn = (...args: unknown[]) => unknown;
const WRAPPED = new WeakSet<TestFn>();

/**
 * The test function of `task`, wrapped so that a wait knows the test's budget (budget.ts): it
 * starts when Vitest calls it (after the beforeEach hooks, as Vitest's own timer) and ends when it
 * settles. `task.timeout` is Vitest's choice (the test's option, else `testTimeout`); 0 or
 * Infinity is no limit. Called from a beforeEach with `getFn`/`setFn` of `vitest/suite`.
 */
export function followTestFunction(task: { timeout?: unknown }, getFn: (task: object) => TestFn, setFn: (task: object, fn: TestFn) => void): void {
  const fn = getFn(task);
  if (typeof fn !== 'function' || WRAPPED.has(fn)) return;
  const limitMs = task.timeout;
  if (typeof limitMs !== 'number' || !(limitMs > 0) || limitMs === Infinity) return;
  const wrapped: TestFn = function (this: unknown, ...args: unknown[]) {
    begin({ runner: 'Vitest', what: 'test', limitMs, startedMs: native.monotonicMs() });
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      end();
      throw error;
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
      end();
      return result;
    }
    return Promise.resolve(result).finally(end);
  };
  WRAPPED.add(wrapped);
  setFn(task, wrapped);
}
