// Issue 13: expect.eventually (point 4), the matchers' header and stacks that start at the test's
// line (point 2), integer measurements (point 14).
import '@liveness-dev/liveness/jest';

import { stripVTControlCharacters } from 'node:util';

import { expect, test } from '@jest/globals';
import { assertEmitted, capture, emit, eventually, LivenessTimeoutError } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

const firstFrame = (e: unknown) => (e as Error).stack?.split('\n').find((l) => l.trimStart().startsWith('at ')) ?? '';

test('expect.eventually polls a value against any matcher, .not too', async () => {
  let count = 0;
  setTimeout(() => (count = 3), 5);
  await expect.eventually(() => count).toBe(3);
  await expect.eventually(async () => Promise.resolve(count)).not.toBe(4);
  await expect.eventually(() => ({ a: count })).toEqual({ a: 3 });
});

test("expect.eventually's failure is the liveness report with Jest's own matcher message, and its options", async () => {
  let n = 0;
  const error: unknown = await expect
    .eventually(() => ++n, { timeout: 50 })
    .toBe(-1)
    .catch((e: unknown) => e);
  expectInstanceOf(error, LivenessTimeoutError);
  expect(error.message).toMatch(/^expect\.eventually: not met after 0\.0[5-9] s/);
  expect(error.message).toContain('expect(received).toBe(expected)');
  expect(error.message).toMatch(/Expected: -1\n\s+Received: \d+/);
  expect(firstFrame(error)).toContain('eventually-expect.test.ts');
  await expect(expect.eventually(() => 1, { timeout: 20 }).not.toBe(1)).rejects.toThrow(/expect\(received\)\.not\.toBe\(expected\)/);
  expect(() => expect.eventually(42 as unknown as () => number)).toThrow(TypeError);
});

test("the matchers' messages start with Jest's header", async () => {
  const error: unknown = await expect(() => false)
    .toEventually({ timeout: 10 })
    .catch((e: unknown) => e);
  expect(stripVTControlCharacters((error as Error).message)).toMatch(/^expect\(received\)\.toEventually\(\)\n\neventually: not met/);
  const emitted: unknown = await expect(() => emit('h.up'))
    .toEmit('h.down')
    .catch((e: unknown) => e);
  expect(stripVTControlCharacters((emitted as Error).message)).toMatch(/^expect\(received\)\.toEmit\(pattern\)\n\nexpected at least one event/);
});

test("timeout and event assertion errors' stacks start at the test's line, not in the package", async () => {
  const timeout = await eventually(() => false, { timeout: 10 }).catch((e: unknown) => e);
  expect(firstFrame(timeout)).toContain('eventually-expect.test.ts');
  const events = await assertEmitted('s.up', () => emit('s.down')).catch((e: unknown) => e);
  expect(firstFrame(events)).toContain('eventually-expect.test.ts');
  expect((events as Error).stack).not.toMatch(/dist[\\/](events|drive|operations)\.js/);
});

test('an integer measurement stays an integer: event.measurements, its JSON, and a report listing it', async () => {
  const [event] = await capture('int.*', () => emit('int.count', { count: 1, ratio: 0.5 }));
  expect(event.measurements).toEqual({ count: 1, ratio: 0.5 });
  expect(Number.isInteger(event.measurements.count)).toBe(true);
  expect(JSON.stringify(event.measurements)).toBe('{"count":1,"ratio":0.5}');
  const error = await assertEmitted('int.other', () => emit('int.count', { count: 1 })).catch((e: unknown) => e);
  expect((error as Error).message).toContain('int.count {"count":1}');
  expect((error as Error).message).not.toContain('1.0');
});
