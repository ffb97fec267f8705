// `import '@liveness-dev/liveness/jest'` (in a test file or in setupFilesAfterEnv): the matchers, and the
// forgotten-await guard — a test that ends while a liveness wait it started is still pending
// fails, naming where that wait began. Its types (the matcher augmentations) are jest.d.ts.
import { makeEventually, matchers } from './matchers';
import { cancelPendingWaits } from './pending';

declare const expect: { extend(m: object): void; eventually?: unknown } & ((actual: unknown) => Record<string, unknown>);
declare const afterEach: (fn: () => void) => void;

expect.extend(matchers);
expect.eventually = makeEventually(expect);
afterEach(() => {
  const error = cancelPendingWaits();
  if (error) throw error;
});

export { matchers };
