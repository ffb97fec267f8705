// Bad input: a clear TypeError/RangeError of this realm, by rejecting the Promise (nothing throws
// synchronously), before any evaluation.
import { describe, expect, test } from '@jest/globals';
import { always, eventually, eventuallyChanges, eventuallyPasses, LivenessTimeoutError, never, syncOperation } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

async function rejection(start: () => unknown): Promise<unknown> {
  let promise: unknown;
  expect(() => (promise = start())).not.toThrow();
  expectInstanceOf(promise, Promise);
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const probe = () => true;

describe.each([
  ['timeout', -1, RangeError, 'timeout'],
  ['timeout', Number.NaN, RangeError, 'timeout'],
  ['timeout', -Infinity, RangeError, 'timeout'],
  ['interval', Infinity, RangeError, 'interval'],
  ['interval', -5, RangeError, 'interval'],
  ['delay', -1, RangeError, 'delay'],
  ['stableFor', Number.NaN, RangeError, 'stableFor'],
  ['attempts', 0, RangeError, 'attempts'],
  ['attempts', 1.5, RangeError, 'attempts'],
  ['attempts', -1, RangeError, 'attempts'],
  ['timeout', '100', TypeError, 'timeout'],
  ['message', 42, TypeError, 'message'],
  ['wakeOn', 'a..b', RangeError, 'wakeOn'],
  ['wakeOn', [1], TypeError, 'wakeOn'],
  ['retryOn', 'Error', TypeError, 'retryOn'],
  ['failOn', [Error, null], TypeError, 'failOn'],
  ['signal', {}, TypeError, 'signal'],
  ['timout', 5, TypeError, 'timout'],
  ['intervals', 100, TypeError, 'intervals'],
  ['intervals', [10, '20'], TypeError, 'intervals'],
  ['intervals', [], RangeError, 'intervals'],
  ['intervals', [10, 0], RangeError, 'intervals'],
  ['intervals', [Number.NaN], RangeError, 'intervals'],
  ['backoff', '2', TypeError, 'backoff'],
  ['backoff', 0.5, RangeError, 'backoff'],
  ['backoff', Infinity, RangeError, 'backoff'],
  ['atLeast', '5', TypeError, 'atLeast'],
  ['atLeast', -1, RangeError, 'atLeast'],
  ['atLeast', 10_000, RangeError, 'atLeast'],
  ['realTimers', 'yes', TypeError, 'realTimers'],
  ['onEvaluation', 5, TypeError, 'onEvaluation'],
  ['onTimeout', {}, TypeError, 'onTimeout'],
])('option %s = %p', (name, value, Kind, named) => {
  test(`rejects with ${Kind.name} naming \`${named}\`, before any evaluation`, async () => {
    let calls = 0;
    const error = await rejection(() => eventually(() => ++calls, { [name]: value }));
    expectInstanceOf(error, Kind);
    expect(error.message).toContain(named);
    expect(calls).toBe(0);
  });
});

test('maxInterval below minInterval is a RangeError naming both, in JavaScript spelling', async () => {
  const error = await rejection(() => eventually(probe, { minInterval: 10, maxInterval: 5 }));
  expectInstanceOf(error, RangeError);
  expect(error.message).toContain('maxInterval');
  expect(error.message).toContain('minInterval');
  expect(error.message).not.toContain('max_interval');
});

test.each([
  [{ interval: 10, intervals: [10] }, 'intervals'],
  [{ intervals: [10], backoff: 2 }, 'backoff'],
  [{ delay: 200, timeout: 100 }, 'delay'],
  [{ interval: 200, timeout: 100 }, 'interval'],
])('contradictory options %p are a RangeError naming `%s`', async (opts, named) => {
  const error = await rejection(() => eventually(probe, opts));
  expectInstanceOf(error, RangeError);
  expect(error.message).toContain(named);
});

test('interval and backoff together are one schedule; atLeast is not an option of always', async () => {
  await expect(eventually(probe, { interval: 5, backoff: 2 })).resolves.toBe(true);
  const error = await rejection(() => always(probe, 10, { atLeast: 5 }));
  expectInstanceOf(error, RangeError);
  expect(error.message).toContain('atLeast');
});

test('LIVENESS_TIMEOUT_SCALE that is not a positive number is an invalid option', async () => {
  process.env.LIVENESS_TIMEOUT_SCALE = 'fast';
  try {
    const error = await rejection(() => eventually(probe));
    expectInstanceOf(error, RangeError);
    expect(error.message).toContain('LIVENESS_TIMEOUT_SCALE');
  } finally {
    delete process.env.LIVENESS_TIMEOUT_SCALE;
  }
});

test('LIVENESS_TIMEOUT_SCALE is read at each call and scales the timeout', async () => {
  process.env.LIVENESS_TIMEOUT_SCALE = '2';
  try {
    const error = await eventually(() => false, { timeout: 10 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    // Scaled ×2, the wait lasts at least 20 ms (a loaded machine may make it longer).
    const waited = Number(/not met after (\d+\.\d+) s/.exec(error.message)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(0.02);
  } finally {
    delete process.env.LIVENESS_TIMEOUT_SCALE;
  }
});

test.each([
  // @ts-expect-error: a probe is a function
  ['eventually', () => eventually(42)],
  // @ts-expect-error: a block is a function
  ['eventuallyPasses', () => eventuallyPasses('x')],
  // @ts-expect-error: a probe is a function
  ['always', () => always(null, 10)],
  // @ts-expect-error: a probe is a function
  ['never', () => never(undefined, 10)],
  // @ts-expect-error: a probe is a function
  ['eventuallyChanges', () => eventuallyChanges({})],
  // @ts-expect-error: `until` is a function
  ['syncOperation until', () => syncOperation(() => {}, 5)],
  // @ts-expect-error: the action is a function
  ['syncOperation action', () => syncOperation(5, probe)],
])('%s: a probe that is not a function is a TypeError', async (_name, start) => {
  const error = await rejection(start);
  expectInstanceOf(error, TypeError);
  expect(error.message).toMatch(/must be a function/);
});

test.each([
  // @ts-expect-error: always needs a duration
  ['always', () => always(probe)],
  // @ts-expect-error: a duration is a number of milliseconds
  ['never', () => never(probe, '10')],
])('%s: a missing or non-numeric duration is a TypeError', async (_name, start) => {
  const error = await rejection(start);
  expectInstanceOf(error, TypeError);
  expect(error.message).toContain('during');
});

test('always with a negative duration is a RangeError', async () => {
  const error = await rejection(() => always(probe, -1));
  expectInstanceOf(error, RangeError);
  expect(error.message).toContain('during');
});

test('options must be an object', async () => {
  // @ts-expect-error: options are an object
  const error = await rejection(() => eventually(probe, 5));
  expect(error).toBeInstanceOf(TypeError);
});
