// AbortSignal: a wait stopped by its signal rejects with the signal's reason, at once, and polls
// no more.
import { expect, test } from '@jest/globals';
import { always, eventually, never } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

test('an already aborted signal rejects before any evaluation, with its reason', async () => {
  let calls = 0;
  const controller = new AbortController();
  controller.abort();
  const error = await eventually(() => ++calls, { signal: controller.signal }).catch((e: unknown) => e);
  expectInstanceOf(error, DOMException);
  expect(error.name).toBe('AbortError');
  expect(calls).toBe(0);
});

test('aborting during the wait rejects with an AbortError and stops polling', async () => {
  let calls = 0;
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 10);
  const error = await eventually(() => (++calls, false), { signal: controller.signal, timeout: 60_000 }).catch((e: unknown) => e);
  expect(error).toBe(controller.signal.reason);
  expectInstanceOf(error, DOMException);
  expect(error.name).toBe('AbortError');
  const after = calls;
  await never(() => calls !== after, 30);
});

test("the caller's own reason is the rejection", async () => {
  const controller = new AbortController();
  const reason = new Error('test is over');
  setTimeout(() => controller.abort(reason), 5);
  await expect(eventually(() => false, { signal: controller.signal })).rejects.toBe(reason);
});

test('an abort while an async probe is pending rejects at once', async () => {
  const controller = new AbortController();
  const pending = eventually(() => new Promise(() => {}), { signal: controller.signal, timeout: 60_000 });
  setTimeout(() => controller.abort(), 5);
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
});

test('AbortSignal.timeout works as a signal and is not retried', async () => {
  const error = await always(() => true, 60_000, { signal: AbortSignal.timeout(10) }).catch((e: unknown) => e);
  expectInstanceOf(error, DOMException);
  expect(error.name).toBe('TimeoutError');
});
