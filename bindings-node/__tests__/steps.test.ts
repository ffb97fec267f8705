// What a Node user sees now that the core's Poller decides every rule and the driver only
// executes its steps: the places where the old Node driver decided for itself and said or did
// something else than the other bindings. Waits run in fake time (Jest's modern timers), so the
// times asserted are exact and nothing sleeps.
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  always,
  capture,
  type Capture,
  emit,
  eventually,
  eventuallyChanges,
  LivenessTimeoutError,
  never,
  syncOperation,
} from '@liveness-dev/liveness';

// The private native module, for its test hook that emits from a native thread.
import { native } from '../dist/native';

import { expectInstanceOf } from './support/expect';

const MINUTE = 60_000;

beforeEach(() => {
  jest.useFakeTimers({ now: 0 });
});

afterEach(() => {
  jest.useRealTimers();
});

test('eventuallyChanges reports the baseline seen again as "(unchanged)", as every binding does', async () => {
  const error = await eventuallyChanges(() => 5, { timeout: 100, interval: 10 }).catch((e: unknown) => e);
  expectInstanceOf(error, LivenessTimeoutError);
  expect(error.message).toContain('last: returned 5 (unchanged)');
  expect(error.lastFailure).toBe('returned 5 (unchanged)');
  expect(error.history.map((r) => r.outcome)).toEqual(['returned 5 (unchanged)']);
});

describe('a wake hint emitted while an evaluation runs is not lost', () => {
  test('the event arrives while an async probe is pending: one more evaluation follows at once', async () => {
    let ready = false;
    // The system becomes ready 5 ms in, while the first evaluation (which read the state at its
    // start) is still pending; without the hint the next evaluation would come a minute later.
    setTimeout(() => {
      ready = true;
      emit('svc.ready');
    }, 5);
    const starts: number[] = [];
    const probe = () => {
      starts.push(Date.now());
      const seen = ready;
      // liveness: allow-sleep(the async probe's own cost: the behaviour under test)
      return new Promise<boolean>((resolve) => setTimeout(() => resolve(seen), 10));
    };
    await expect(eventually(probe, { interval: MINUTE, timeout: 2 * MINUTE, wakeOn: 'svc.ready' })).resolves.toBe(true);
    expect(starts).toEqual([0, 10]);
    expect(Date.now()).toBe(20);
  });

  test('the probe itself causes the event: one more evaluation, and a probe emitting every time cannot spin', async () => {
    let refreshed = 0;
    const starts: number[] = [];
    // A cache read that returns the stale value and refreshes it, announcing the refresh.
    const read = () => {
      starts.push(Date.now());
      const stale = refreshed;
      refreshed++;
      emit('cache.refreshed');
      return stale >= 1;
    };
    await expect(eventually(read, { interval: MINUTE, timeout: 2 * MINUTE, wakeOn: 'cache.*' })).resolves.toBe(true);
    expect(starts).toEqual([0, 0]);

    const noisy: number[] = [];
    const error = await eventually(
      () => {
        noisy.push(Date.now());
        emit('cache.refreshed');
        return false;
      },
      { interval: 40, timeout: 100, lateCheck: 0, wakeOn: 'cache.*' }, // pins the hint rule; late.json the late check
    ).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(noisy).toEqual([0, 0, 40, 40, 80, 80, 100]);
  });
});

test('a probe whose native code emits its own hint from another thread does not spin either', async () => {
  // That hint reaches JavaScript only after the (synchronous) evaluation returned; it is dated
  // back to when it was emitted, so the Poller sees it arrived during the evaluation.
  jest.useRealTimers();
  let seen: Capture | undefined;
  let calls = 0;
  const probe = () => {
    // Opened after the wait's hint subscription, so each event reaches that first (handlers run
    // in attach order): once the capture has it, the hint has been dated.
    seen ??= capture('native.self.*');
    calls++;
    native.emitFromNativeThread('native.self.tick', 1);
    // The native thread emits while this evaluation runs: wait for it (microseconds), bounded.
    const until = performance.now() + 5000;
    while (seen.length < calls && performance.now() < until);
    return false;
  };
  try {
    const error = await eventually(probe, { interval: 40, timeout: 200, lateCheck: 0, wakeOn: 'native.self.*' }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    // Twice per period (0, 0, 40, 40, …, 160, 160) and once at the deadline; a spin makes hundreds.
    expect(calls).toBeLessThanOrEqual(11);
  } finally {
    seen?.close();
  }
});

describe('an async preparation still pending at the deadline is abandoned there', () => {
  test("syncOperation's action: the wait rejects at the deadline, naming the action; until is never called", async () => {
    let untilCalls = 0;
    // liveness: allow-sleep(an action still pending at the deadline: the behaviour under test)
    const action = () => new Promise<void>((resolve) => setTimeout(resolve, 10 * MINUTE));
    const error = await syncOperation(action, () => ++untilCalls > 0, { timeout: 100 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('not met after 0.10 s (0 evaluations); the action still running after 0.10 s');
    expect(Date.now()).toBe(100);
    expect(untilCalls).toBe(0);
  });

  test("eventuallyChanges' baseline: the wait rejects at the deadline, naming the baseline; the probe is called once", async () => {
    let calls = 0;
    const probe = () => {
      calls++;
      // liveness: allow-sleep(a baseline probe still pending at the deadline: the behaviour under test)
      return new Promise<number>((resolve) => setTimeout(() => resolve(1), 10 * MINUTE));
    };
    const error = await eventuallyChanges(probe, { timeout: 100 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('the baseline still running after 0.10 s');
    expect(Date.now()).toBe(100);
    expect(calls).toBe(1);
  });

  test('on the real clock too: a never-settling action is given up at the deadline', async () => {
    jest.useRealTimers();
    let untilCalls = 0;
    const error = await syncOperation(
      () => new Promise(() => {}),
      () => ++untilCalls > 0,
      { timeout: 30 },
    ).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('the action still running after');
    await never(() => untilCalls > 0, 40);
  });
});

describe.each([
  ['eventually', (o: object) => eventually(() => true, o)],
  ['always', (o: object) => always(() => true, 10, o)],
  [
    'syncOperation',
    (o: object) =>
      syncOperation(
        () => undefined,
        () => true,
        o,
      ),
  ],
  ['eventuallyChanges', (o: object) => eventuallyChanges(() => 1, o)],
])('%s: option errors name the options as JavaScript spells them', (_name, start) => {
  test('maxInterval below minInterval', async () => {
    const error = await start({ minInterval: 10, maxInterval: 5 }).catch((e: unknown) => e);
    expectInstanceOf(error, RangeError);
    expect(error.message).toContain('invalid option `maxInterval`: maxInterval (5ms) is below minInterval (10ms)');
    expect(error.message).not.toMatch(/max_interval|min_interval/);
  });
});
