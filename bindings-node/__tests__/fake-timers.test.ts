// With fake timers installed, liveness advances the fake clock as it polls (as testing-library's
// waitFor does), so a system under test driven by faked timers progresses, and the wait runs in
// virtual time.
import * as fs from 'node:fs';

import { afterEach, describe, expect, jest, test } from '@jest/globals';
import * as FakeTimers from '@sinonjs/fake-timers';
import { always, eventually, eventuallyPasses, LivenessTimeoutError } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

/** A system under test that finishes its work on a timer. */
function startJob(ms: number): { done: boolean } {
  const job = { done: false };
  setTimeout(() => (job.done = true), ms);
  return job;
}

afterEach(() => {
  jest.useRealTimers();
});

describe("Jest's modern fake timers", () => {
  test('a job finishing on a faked 10-minute timer is seen; fake time advanced', async () => {
    jest.useFakeTimers();
    const t0 = Date.now();
    const job = startJob(60_000);
    await eventually(() => job.done, { timeout: 120_000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60_000);
  });

  test('the timeout is in fake time: a 1-hour wait that fails ends after 1 fake hour', async () => {
    jest.useFakeTimers();
    const t0 = Date.now();
    const error = await eventually(() => false, { timeout: 3_600_000, interval: 60_000 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('not met after 3600.00 s (61 evaluations)');
    // ... and the late check's one fake second after it (1 s, at most the timeout).
    expect(error.message).toContain('late: still not met 1.00 s after the deadline (1 more evaluation)');
    expect(Date.now() - t0).toBe(3_601_000);
  });

  test('concurrent waits share the fake clock: two 1-hour waits end after 1 fake hour, not 2', async () => {
    jest.useFakeTimers();
    const t0 = Date.now();
    const wait = () => eventually(() => false, { timeout: 3_600_000, interval: 60_000, lateCheck: 0 }).catch((e: unknown) => e);
    const [a, b] = await Promise.all([wait(), wait()]);
    for (const error of [a, b]) {
      expectInstanceOf(error, LivenessTimeoutError);
      expect(error.message).toContain('not met after 3600.00 s (61 evaluations)');
    }
    // Each wait moving the clock by its own sleeps would have taken 2 fake hours.
    expect(Date.now() - t0).toBe(3_600_000);
  });

  test('an async probe waiting on a faked timer settles', async () => {
    jest.useFakeTimers();
    // liveness: allow-sleep(the probe's own timer, on Jest's fake clock: the timer under test)
    const read = () => new Promise<string>((r) => setTimeout(() => r('value'), 250));
    await expect(eventually(read)).resolves.toBe('value');
  });

  test('promise callbacks and real I/O still run between evaluations', async () => {
    jest.useFakeTimers();
    let value: string | undefined;
    fs.readFile(__filename, 'utf8', (_err, text) => (value = text));
    await eventuallyPasses(() => expect(value).toContain('fake timers'), { timeout: 60_000, interval: 1 });
  });

  test('always runs its whole duration in fake time', async () => {
    jest.useFakeTimers();
    const t0 = Date.now();
    await always(() => true, 10_000);
    expect(Date.now() - t0).toBe(10_000);
  });

  test('fake timers installed after the package was loaded are noticed at each call', async () => {
    await eventually(() => true); // real timers
    jest.useFakeTimers();
    const job = startJob(5000);
    await eventually(() => job.done);
    jest.useRealTimers();
    const real = startJob(5);
    await eventually(() => real.done);
  });
});

test("Jest's legacy fake timers", async () => {
  jest.useFakeTimers({ legacyFakeTimers: true });
  const job = startJob(30_000);
  await eventually(() => job.done, { timeout: 60_000 });
});

test("sinon's fake timers (@sinonjs/fake-timers installed directly)", async () => {
  const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
  try {
    const job = startJob(45_000);
    await eventually(() => job.done, { timeout: 60_000 });
    expect(clock.now).toBeGreaterThanOrEqual(45_000);
  } finally {
    clock.uninstall();
  }
});

describe('realTimers: true waits on the real clock even under fake timers (issue 12, point 8)', () => {
  // node:timers keeps the real functions under Jest's fake timers (sinon's are looked up by the wait).
  const { setTimeout: realSetTimeout } = jest.requireActual<typeof import('node:timers')>('node:timers');

  test("Jest's modern fake timers: a real timer's effect is seen, and fake time does not move", async () => {
    jest.useFakeTimers();
    const t0 = Date.now();
    let done = false;
    realSetTimeout(() => (done = true), 20);
    await eventually(() => done, { realTimers: true, timeout: 10_000 });
    expect(Date.now()).toBe(t0);
  });

  test('real I/O, and a timeout in real time', async () => {
    jest.useFakeTimers();
    const t0 = Date.now();
    let text: string | undefined;
    fs.readFile(__filename, 'utf8', (_err, t) => (text = t));
    await expect(eventually(() => text, { realTimers: true })).resolves.toContain('realTimers');
    const error = await eventually(() => false, { realTimers: true, timeout: 30 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.elapsedMs).toBeGreaterThanOrEqual(30);
    expect(Date.now()).toBe(t0);
  });

  test("sinon's fake timers, which also fake node:timers and performance.now()", async () => {
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date', 'performance'] });
    try {
      let done = false;
      realSetTimeout(() => (done = true), 20);
      await eventually(() => done, { realTimers: true, timeout: 10_000 });
      expect(clock.now).toBe(0);
    } finally {
      clock.uninstall();
    }
  });
});
