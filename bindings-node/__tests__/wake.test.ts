// wakeOn: an event matching the pattern re-evaluates the probe at once, on top of its schedule;
// the probe still decides. (Bounded by Jest's test timeout: without the hint the next scheduled
// evaluation would come only after a minute.)
import { expect, test } from '@jest/globals';
import { emit, eventually, LivenessTimeoutError } from '@liveness-dev/liveness';

// The private native module, for its test hook that emits from a native thread.
import { native } from '../dist/native';

import { expectInstanceOf } from './support/expect';

const MINUTE = 60_000;

test('an event emitted from JavaScript wakes the wait', async () => {
  let ready = false;
  setTimeout(() => {
    ready = true;
    emit('svc.ready');
  }, 5);
  await expect(eventually(() => ready, { interval: MINUTE, timeout: 2 * MINUTE, wakeOn: 'svc.*' })).resolves.toBe(true);
}, 10_000);

test('a hint emitted from JavaScript is delivered inside the emit, not on a later turn', async () => {
  // Two timers due together run in one timers phase, with promise callbacks drained between
  // them. A hint delivered inside the emit settles the wait before the second timer runs; a hint
  // queued to the event loop would settle it only after the whole phase.
  let ready = false;
  const order: string[] = [];
  setTimeout(() => {
    ready = true;
    emit('svc.now');
  }, 5);
  setTimeout(() => order.push('next timer'), 5);
  await eventually(() => ready, { interval: MINUTE, timeout: 2 * MINUTE, wakeOn: 'svc.now' });
  order.push('wait resolved');
  await eventually(() => order.includes('next timer')); // the second timer runs either way
  expect(order).toEqual(['wait resolved', 'next timer']);
}, 10_000);

test('an event emitted by native code on another thread wakes the wait', async () => {
  let calls = 0;
  setTimeout(() => native.emitFromNativeThread('native.ping', 1), 5);
  await eventually(() => ++calls >= 2, { interval: MINUTE, timeout: 2 * MINUTE, wakeOn: ['native.**'] });
}, 10_000);

test('a hint does not make a false probe pass: the probe decides', async () => {
  setTimeout(() => emit('svc.noise'), 1);
  const error = await eventually(() => false, { interval: 20, timeout: 50, wakeOn: 'svc.noise' }).catch((e: unknown) => e);
  expectInstanceOf(error, LivenessTimeoutError);
  expect(error.message).toContain('not met');
});
