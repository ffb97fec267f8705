// The polling budget shared by the waits on one clock (SPEC §2), as a Node user meets it: a wait
// that ended without a done step must not keep its share (its poller goes back to a pool).
import { afterEach, expect, jest, test } from '@jest/globals';
import { eventually, LivenessTimeoutError } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

afterEach(() => {
  jest.useRealTimers();
});

test('an aborted wait does not slow later waits', async () => {
  jest.useFakeTimers();
  // Another wait, which ends after the aborted one: its poller goes back to the pool last, so the
  // next wait takes it and the aborted wait's poller stays idle (what a suite's pool looks like).
  let otherReady = false;
  const other = eventually(() => otherReady, { timeout: 5000 });
  const abort = new AbortController();
  const costly = () => {
    jest.advanceTimersByTime(10); // the probe's cost: 10 ms of the fake clock
    return false;
  };
  // Aborted while it waits for its second evaluation: it ends without a done step.
  setTimeout(() => abort.abort(new Error('the test gave up')), 20);
  await expect(eventually(costly, { timeout: 5000, signal: abort.signal })).rejects.toThrow('the test gave up');
  otherReady = true;
  await other;

  let cheapCalls = 0;
  const error = await eventually(
    () => {
      cheapCalls += 1;
      return false;
    },
    { timeout: 20, lateCheck: 0 },
  ).catch((e: unknown) => e);
  expectInstanceOf(error, LivenessTimeoutError);
  // Alone, a cheap wait is evaluated every millisecond. Had the aborted wait kept its share of
  // the budget (its 10 ms evaluation), this one would poll every 50 ms: 2 evaluations in 20 ms.
  expect(cheapCalls).toBeGreaterThanOrEqual(15);
});
