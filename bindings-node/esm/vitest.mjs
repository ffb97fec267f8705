// `import '@liveness-dev/liveness/vitest'`: registers the liveness matchers, `expect.eventually`, the
// forgotten-await guard, and follows each test's time budget (a wait ends before its test does).
import { afterEach, beforeEach, expect } from 'vitest';
import { getFn, setFn } from 'vitest/suite';
import support from '../dist/vitest.js';

expect.extend(support.matchers);
expect.eventually = support.makeEventually(expect);
beforeEach((context) => {
  if (context?.task) support.followTestFunction(context.task, getFn, setFn);
});
afterEach(() => {
  const error = support.cancelPendingWaits();
  if (error) throw error;
});
