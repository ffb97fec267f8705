// The guarantees of SPEC §1 that tests converted from sleeps rely on (issue 12, point 11): probes
// never overlap, run on the caller's thread and in its asynchronous context, and are never called
// again once the wait has settled (succeeded, failed, or abandoned an evaluation at the deadline).
import { AsyncLocalStorage } from 'node:async_hooks';
import { threadId } from 'node:worker_threads';

import { describe, expect, test } from '@jest/globals';
import { eventually, eventuallySettles, LivenessTimeoutError, never } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

/** The system under test takes `ms` real milliseconds to answer. */
// liveness: allow-sleep(the simulated system's answer time)
const takes = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('probes never overlap', () => {
  test('an asynchronous probe slower than the interval is not called again before it settles', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    await eventually(
      async () => {
        most = Math.max(most, ++running);
        await takes(3);
        running--;
        return ++calls >= 5;
      },
      { interval: 1 },
    );
    expect(calls).toBe(5);
    expect(most).toBe(1);
  });
});

describe("probes run on the caller's thread and task", () => {
  test('the same thread, and the asynchronous context of the call (AsyncLocalStorage)', async () => {
    const context = new AsyncLocalStorage<string>();
    const seen: [number, string | undefined][] = [];
    let n = 0;
    await context.run('the test', () =>
      eventually(async () => {
        seen.push([threadId, context.getStore()]);
        await takes(1);
        seen.push([threadId, context.getStore()]);
        return ++n >= 2;
      }),
    );
    expect(seen).toEqual(Array(4).fill([threadId, 'the test']));
  });
});

describe('never called again once the wait settled', () => {
  test('after success', async () => {
    let calls = 0;
    await eventually(() => ++calls >= 2, { interval: 1 });
    await never(() => calls > 2, 30);
  });

  test('after a timeout', async () => {
    let calls = 0;
    await expect(eventually(() => void calls++, { timeout: 10, interval: 1 })).rejects.toThrow(LivenessTimeoutError);
    const after = calls;
    await never(() => calls > after, 30);
  });

  test('after an evaluation abandoned at the deadline (which then ends, unobserved)', async () => {
    let calls = 0;
    let ended = 0;
    const error = await eventuallySettles(
      async () => {
        calls++;
        await takes(40);
        ended++;
        return 1;
      },
      { quiet: 5, timeout: 10 },
    ).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('still running');
    await eventually(() => ended === 1, { message: 'the abandoned evaluation ends on its own' });
    await never(() => calls > 1, 20);
  });
});
