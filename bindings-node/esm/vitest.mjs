// `import 'liveness/vitest'`: registers the liveness matchers and the forgotten-await guard.
import { afterEach, expect } from 'vitest';
import support from '../dist/vitest.js';

expect.extend(support.matchers);
afterEach(() => {
  const error = support.cancelPendingWaits();
  if (error) throw error;
});
