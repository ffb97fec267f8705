// Shared timers (issue 19): waits due at the same moment share one timer, so many concurrent waits
// do not each arm their own timer per evaluation.
import timers from 'node:timers';

import { afterEach, expect, jest, test } from '@jest/globals';
import { eventually } from '@liveness-dev/liveness';

afterEach(() => {
  jest.restoreAllMocks();
});

/** A system under test that becomes ready after `ms` of real time (the global timer, not counted). */
function readyAfter(ms: number): { ready: boolean } {
  const state = { ready: false };
  setTimeout(() => (state.ready = true), ms);
  return state;
}

test('concurrent waits on one schedule arm one timer per due time, not one per wait', async () => {
  // What the waits arm: liveness waits with the real timers of node:timers.
  const armed = jest.spyOn(timers, 'setTimeout');
  const waits = 50;
  let evaluations = 0;
  // Ready once the waits evaluated it 20 times each: every wait sleeps about 20 times.
  const ready = () => ++evaluations > waits * 20;
  await Promise.all(Array.from({ length: waits }, () => eventually(ready, { interval: 2 })));
  // One timer per wait and sleep would be about as many timers as evaluations.
  expect(armed.mock.calls.length).toBeLessThanOrEqual(evaluations / 5);
});

test('a wait aborted while it sleeps leaves the shared timer to the others', async () => {
  const state = readyAfter(60);
  const controller = new AbortController();
  // Aborted in the middle of a sleep the waits share (the system under test's own timer).
  setTimeout(() => controller.abort(new Error('aborted')), 30);
  const aborted = eventually(() => state.ready, { interval: 20, signal: controller.signal });
  const others = Array.from({ length: 10 }, () => eventually(() => state.ready, { interval: 20 }));
  await expect(aborted).rejects.toThrow('aborted');
  await expect(Promise.all(others)).resolves.toEqual(Array.from({ length: 10 }, () => true));
});
