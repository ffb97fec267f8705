// liveness/jest: the matchers, and the guard against a forgotten `await`.
import '@liveness-dev/liveness/jest';

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { expect, test } from '@jest/globals';
import { cancelPendingWaits, emit, eventually, pendingWaits } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

test('toEventually passes once the probe is truthy', async () => {
  let ready = false;
  setTimeout(() => (ready = true), 5);
  await expect(() => ready).toEventually();
});

test('toEventually fails with the timeout report as its message', async () => {
  await expect(expect(() => 0).toEventually({ timeout: 10 })).rejects.toThrow(/eventually: not met after/);
});

test('toEventuallyPass takes a block of assertions', async () => {
  let n = 0;
  setTimeout(() => (n = 3), 5);
  await expect(() => expect(n).toBe(3)).toEventuallyPass();
  await expect(expect(() => expect(n).toBe(4)).toEventuallyPass({ timeout: 10 })).rejects.toThrow(/Expected: 4/);
});

test('toEmit / .not.toEmit / toEmitInOrder', async () => {
  await expect(() => emit('svc.up', {}, { id: 7 })).toEmit('svc.*', { where: { id: 7 } });
  // eslint-disable-next-line @typescript-eslint/require-await -- an async block is the case
  await expect(async () => emit('svc.up')).not.toEmit('svc.down');
  await expect(expect(() => emit('svc.down')).not.toEmit('svc.down')).rejects.toThrow(/expected no event/);
  await expect(expect(() => emit('svc.up')).toEmit('svc.down')).rejects.toThrow(/found 0/);
  await expect(() => ['a', 'b', 'c'].forEach((n) => emit(n))).toEmitInOrder(['a', 'c']);
});

test('bad input to a matcher propagates as a TypeError', async () => {
  await expect(expect(42).toEventually()).rejects.toThrow(TypeError);
  await expect(expect(() => 1).not.toEventually()).rejects.toThrow(/never/);
});

test('a wait left pending is reported with where it began, and cancelled', async () => {
  const forgotten = eventually(() => false, { timeout: 60_000 });
  expect(pendingWaits()).toHaveLength(1);
  const error = cancelPendingWaits();
  expectInstanceOf(error, Error);
  expect(error.message).toContain('did you forget `await`?');
  expect(error.message).toMatch(/eventually\(…\) began at .*matchers\.test\.ts:\d+/);
  // Its stack is the wait's call (issue 13, point 2): the first frame is this file's line.
  expect(error.stack?.split('\n').find((l) => l.includes(' at '))).toContain('matchers.test.ts');
  await expect(forgotten).rejects.toBe(error);
  expect(pendingWaits()).toHaveLength(0);
});

test('a Jest test that forgets to await fails, naming the line of the wait', () => {
  const jestBin = require.resolve('jest/bin/jest');
  // The package's Jest configuration (its ts-jest transform), with only the fixture as a test.
  const run = spawnSync(
    process.execPath,
    [jestBin, '--ci', '--roots', path.join(__dirname, 'fixtures'), '--testMatch', '**/forgotten-await.fixture.ts'],
    {
      cwd: path.join(__dirname, '..'),
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    },
  );
  const out = run.stdout + run.stderr;
  expect(run.status).not.toBe(0);
  expect(out).toContain('did you forget `await`?');
  expect(out).toMatch(/forgotten-await\.fixture\.ts:\d+/);
  expect(out).toMatch(/1 failed, 1 passed/);
}, 60_000);

test('the guard names a wait with timeout: Infinity', async () => {
  const unbounded = eventually(() => false, { timeout: Infinity });
  await eventually(() => pendingWaits().length === 1);
  const error = cancelPendingWaits();
  expectInstanceOf(error, Error);
  expect(error.message).toContain('eventually(…) with timeout: Infinity began at');
  await expect(unbounded).rejects.toBe(error);
});

test('a Jest test that times out while awaiting a never fails; the guard says it ran out of time, and Jest exits', () => {
  const jestBin = require.resolve('jest/bin/jest');
  const run = spawnSync(
    process.execPath,
    [jestBin, '--ci', '--roots', path.join(__dirname, 'fixtures'), '--testMatch', '**/test-timeout.fixture.ts'],
    // A wait that outlived its test would keep the child alive: `timeout` turns that into a failure.
    { cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 },
  );
  const out = run.stdout + run.stderr;
  expect(run.signal).toBeNull();
  expect(run.status).not.toBe(0);
  expect(out).toContain('Exceeded timeout of 200 ms');
  expect(out).toContain("the test ran out of time (Jest's 200 ms limit) while a liveness wait was still pending");
  expect(out).not.toContain('did you forget');
  expect(out).toMatch(/never\(…\) began at .*test-timeout\.fixture\.ts:\d+/);
}, 60_000);
