// liveness under Vitest: the matchers of `@liveness-dev/liveness/vitest`, Vitest's fake timers, and the guard
// against a forgotten await.
import { afterEach, describe, expect, test, vi } from 'vitest';
import '@liveness-dev/liveness/vitest';
import { setTimeout as realSetTimeout } from 'node:timers';
import { stripVTControlCharacters } from 'node:util';
import { eventually, eventuallyPasses, eventuallySettles, emit, cancelPendingWaits, LivenessTimeoutError } from '@liveness-dev/liveness';

afterEach(() => vi.useRealTimers());

describe('matchers', () => {
  test('toEventually and toEventuallyPass', async () => {
    let n = 0;
    setTimeout(() => (n = 2), 5);
    await expect(() => n === 2).toEventually();
    await expect(() => expect(n).toBe(2)).toEventuallyPass();
  });

  test('a failed toEventually carries the timeout report', async () => {
    await expect(expect(() => false).toEventually({ timeout: 10 })).rejects.toThrow(/eventually: not met after/);
  });

  test('toEmit, .not.toEmit, toEmitInOrder', async () => {
    await expect(() => emit('vt.up', {}, { id: 1 })).toEmit('vt.*', { where: { id: 1 } });
    await expect(() => emit('vt.up')).not.toEmit('vt.down');
    await expect(expect(() => emit('vt.up')).toEmit('vt.down')).rejects.toThrow(/found 0/);
    await expect(() => ['vt.a', 'vt.b'].forEach((n) => emit(n))).toEmitInOrder(['vt.a', 'vt.b']);
  });
});

describe('vi.useFakeTimers()', () => {
  test('a job on a faked 30 s timer is seen, in virtual time', async () => {
    vi.useFakeTimers();
    const t0 = Date.now();
    const job = { done: false };
    setTimeout(() => (job.done = true), 30_000);
    await eventually(() => job.done, { timeout: 60_000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(30_000);
  });

  test('a timeout under fake timers is in virtual time', async () => {
    vi.useFakeTimers();
    const error = await eventuallyPasses(() => expect(1).toBe(2), { timeout: 120_000, interval: 1000 }).catch((e) => e);
    expect(error).toBeInstanceOf(LivenessTimeoutError);
    expect(error.message).toContain('not met after 120.00 s (121 evaluations)');
  });
});

describe('issue 12 under Vitest', () => {
  test('realTimers: true waits on the real clock under vi.useFakeTimers()', async () => {
    // Captured before faking: sinon replaces node:timers' functions too.
    const later = realSetTimeout;
    vi.useFakeTimers();
    const t0 = Date.now();
    let done = false;
    later(() => (done = true), 20);
    await eventually(() => done, { realTimers: true, timeout: 10_000 });
    expect(Date.now()).toBe(t0);
  });

  test('eventuallySettles and the hooks, in virtual time', async () => {
    vi.useFakeTimers();
    let n = 0;
    const starts = [];
    const value = await eventuallySettles(() => Math.min(++n, 3), { quiet: 1000, interval: 500, onEvaluation: (e) => starts.push(e.startedMs) });
    expect(value).toBe(3);
    expect(starts).toEqual([0, 500, 1000, 1500, 2000]);
    const replaced = new Error('replaced');
    await expect(eventually(() => false, { timeout: 100, onTimeout: () => replaced })).rejects.toBe(replaced);
    expect(replaced.cause).toBeInstanceOf(LivenessTimeoutError);
  });

  test('a timeout of 2 ** 31 ms does not cut a slow asynchronous probe short (real clock)', async () => {
    // liveness: allow-sleep(the slow probe's answer time: the behaviour under test)
    const slow = () => new Promise((resolve) => setTimeout(() => resolve('up'), 30));
    await expect(eventually(slow, { timeout: 2 ** 31 })).resolves.toBe('up');
  });
});

test('a wait left pending is reported and cancelled', async () => {
  const forgotten = eventually(() => false, { timeout: 60_000 });
  const error = cancelPendingWaits();
  expect(error.message).toContain('did you forget `await`?');
  expect(error.message).toContain('matchers.test.mjs');
  await expect(forgotten).rejects.toBe(error);
});

test('a Vitest test that forgets to await fails, naming the line of the wait', async () => {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const bin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [bin, 'run', '--root', root, '--config', 'vitest.config.mjs', 'forgotten-await'], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const out = run.stdout + run.stderr;
  expect(run.status).not.toBe(0);
  expect(out).toContain('did you forget `await`?');
  expect(out).toMatch(/forgotten-await\.fixture\.mjs:\d+/);
  expect(out).toMatch(/1 failed \| 1 passed/);
}, 60_000);

test('a Vitest test that times out while awaiting a never: the guard cancels it and says it ran out of time', async () => {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const bin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [bin, 'run', '--root', root, '--config', 'vitest.config.mjs', 'test-timeout'], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    // A wait that outlived its test would keep the child alive: this turns that into a failure.
    timeout: 60_000,
  });
  const out = run.stdout + run.stderr;
  expect(run.signal).toBeNull();
  expect(run.status).not.toBe(0);
  expect(out).toMatch(/timed out in 200ms/i);
  expect(out).toContain("the test ran out of time (Vitest's 200 ms limit) while a liveness wait was still pending");
  expect(out).not.toContain('did you forget');
  expect(out).toMatch(/never\(…\) began at .*test-timeout\.fixture\.mjs:\d+/);
}, 60_000);

test("a wait longer than its Vitest test's budget ends first, with its report and a note (issue 13, point 1)", async () => {
  const out = await runFixture('budget');
  expect(out).not.toMatch(/timed out in/i);
  expect(out).not.toContain('did you forget');
  expect(out).toMatch(/note: timeout cut to 0\.3\d s to end before Vitest's 0\.4 s limit for this test/);
  expect(out).toMatch(/note: timeout cut to 0\.2\d s to end before Vitest's 0\.3 s limit for this test/);
  expect(out).toMatch(/2 failed \(2\)/);
}, 60_000);

test("the forgotten-await error's stack is the wait's call, printed once (issue 13, point 2)", async () => {
  const out = await runFixture('forgotten-await');
  expect(out.match(/did you forget/g)?.length).toBeLessThanOrEqual(2); // the summary line and the failure
  expect(out).not.toContain('dist/drive.js');
  expect(out).not.toContain('dist/operations.js');
  // The code frame is the fixture's line of the wait.
  expect(out).toMatch(/❯ forgotten-await\.fixture\.mjs:7:\d+/);
}, 60_000);

async function runFixture(name) {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const bin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [bin, 'run', '--root', root, '--config', 'vitest.config.mjs', name], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    timeout: 60_000,
  });
  expect(run.signal).toBeNull();
  expect(run.status).not.toBe(0);
  return run.stdout + run.stderr;
}

test("expect.eventually under Vitest: any matcher, .not, and Vitest's own message in the report (issue 13, point 4)", async () => {
  let count = 0;
  setTimeout(() => (count = 3), 5);
  await expect.eventually(() => count).toBe(3);
  await expect.eventually(() => count).not.toBe(4);
  const error = await expect
    .eventually(() => count, { timeout: 30 })
    .toBe(5)
    .catch((e) => e);
  expect(error).toBeInstanceOf(LivenessTimeoutError);
  expect(error.message).toMatch(/^expect\.eventually: not met after/);
  expect(error.message).toContain('expected 3 to be 5');
  const hinted = await expect(() => false)
    .toEventually({ timeout: 10 })
    .catch((e) => e);
  expect(stripVTControlCharacters(hinted.message)).toMatch(/^expect\(received\)\.toEventually\(\)/);
});
