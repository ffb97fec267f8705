// Timeouts past a 32-bit timer, and no timeout at all (issue 12, points 1 and 2), on the real
// clock: Node's setTimeout fires after 1 ms for a delay above 2 ** 31 - 1 ms, so a wait must never
// hand it one. The fake-clock path is pinned by the vectors of polling/unbounded.json.
import { describe, expect, jest, test } from '@jest/globals';
import { eventually, never } from '@liveness-dev/liveness';

// The module object itself (an `import * as` is a frozen copy of it), to watch its setTimeout.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const timers = require('node:timers') as typeof import('node:timers');

/** The system under test: answers `value` after `ms` real milliseconds. */
function slowly<T>(ms: number, value: T): () => Promise<T> {
  // liveness: allow-sleep(the simulated system's answer time)
  return () => new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

describe('a timeout longer than a 32-bit timer', () => {
  test('2 ** 31 ms does not abandon an asynchronous evaluation after 1 ms', async () => {
    // Before the fix: "evaluation #1 still running" after 1-3 ms.
    await expect(eventually(slowly(30, 'up'), { timeout: 2 ** 31 })).resolves.toBe('up');
  });

  test('far larger ones neither (2 ** 53 ms, and Number.MAX_VALUE)', async () => {
    await expect(eventually(slowly(10, 1), { timeout: 2 ** 53 })).resolves.toBe(1);
    await expect(eventually(slowly(10, 2), { timeout: Number.MAX_VALUE })).resolves.toBe(2);
  });

  test('an interval past 2 ** 31 ms is one long wait: no timer overflows, no early evaluation', async () => {
    // Before the fix each sleep was one timer of 2 ** 32 ms, which Node fires after 1 ms: the wait
    // woke up every millisecond until the interval had passed. The delays the real timers get
    // are watched (lib/clock.ts looks `setTimeout` up on node:timers at each call).
    const delays: number[] = [];
    const original = timers.setTimeout;
    const spy = jest.spyOn(timers, 'setTimeout').mockImplementation((f: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return original(f, ms);
    });
    try {
      let calls = 0;
      const stop = new AbortController();
      const wait = eventually(() => ++calls > 1, { timeout: 2 ** 33, interval: 2 ** 32, signal: stop.signal });
      await never(() => calls > 1, 50);
      stop.abort(new Error('stopped by the test'));
      await expect(wait).rejects.toThrow('stopped by the test');
      expect(calls).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(delays.filter((ms) => ms > 2 ** 31 - 1)).toEqual([]);
    // One timer of the longest delay a timer can take (the first link of the chain).
    expect(delays.filter((ms) => ms === 2 ** 31 - 1)).toHaveLength(1);
  });
});

describe('timeout: Infinity', () => {
  test('waits for a slow asynchronous probe to the end', async () => {
    await expect(eventually(slowly(30, 'done'), { timeout: Infinity })).resolves.toBe('done');
  });

  test('ends at the attempt limit', async () => {
    await expect(eventually(() => false, { timeout: Infinity, attempts: 3, interval: 1 })).rejects.toThrow('stopped at the attempt limit of 3');
  });

  test('ends when its signal aborts', async () => {
    const stop = new AbortController();
    const wait = eventually(() => false, { timeout: Infinity, signal: stop.signal });
    await eventually(() => true); // a turn or two of the wait
    stop.abort(new Error('enough'));
    await expect(wait).rejects.toThrow('enough');
  });
});
