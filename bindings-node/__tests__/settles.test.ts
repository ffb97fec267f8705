// eventuallySettles (issue 12): the value once it stopped changing for `quiet`, from synchronous
// and asynchronous probes; `quiet` is required.
import { describe, expect, test } from '@jest/globals';
import { eventuallySettles, LivenessTimeoutError } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

/** A queue that receives 3 events, one per read, then stays quiet: what the probe watches. */
function draining(): () => string[] {
  const seen: string[] = [];
  const incoming = ['created', 'modified', 'closed'];
  return () => {
    const next = incoming.shift();
    if (next !== undefined) seen.push(next);
    return [...seen];
  };
}

describe('eventuallySettles', () => {
  test('resolves with the value once it stayed deeply equal for quiet (a fresh array at each read)', async () => {
    await expect(eventuallySettles(draining(), { quiet: 20, interval: 2 })).resolves.toEqual(['created', 'modified', 'closed']);
  });

  test('an asynchronous probe', async () => {
    const read = draining();
    await expect(eventuallySettles(() => Promise.resolve(read()), { quiet: 20, interval: 2 })).resolves.toEqual(['created', 'modified', 'closed']);
  });

  test('a throw is retried and clears the previous value: the next value is new', async () => {
    const values: unknown[] = [1, new Error('read failed'), 1, 1];
    let i = 0;
    const accepted: boolean[] = [];
    const v = await eventuallySettles(
      () => {
        const x = values[i++];
        if (x instanceof Error) throw x;
        return x;
      },
      // quiet 0: settled at the first read equal to the one before it.
      { quiet: 0, interval: 1, onEvaluation: (e) => void accepted.push(e.accepted) },
    );
    expect(v).toBe(1);
    // Read #3 equals read #1, but the throw between them cleared it: only #4 is accepted.
    expect(accepted).toEqual([false, false, false, true]);
  });

  test('a value that keeps changing times out with the longest quiet stretch', async () => {
    let n = 0;
    const error = await eventuallySettles(() => n++, { quiet: 10, timeout: 30, interval: 2 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('not settled for 0.01 s');
    expect(error.message).toMatch(/the longest a value stayed the same was \d\.\d\d s/);
    expect(error.message).toContain('last: returned');
  });

  test('quiet is required: a rejected Promise with a TypeError, before any evaluation', async () => {
    let calls = 0;
    const probe = () => ++calls;
    // @ts-expect-error: quiet is required
    const missing = eventuallySettles(probe, {});
    await expect(missing).rejects.toThrow(TypeError);
    await expect(missing).rejects.toThrow(/`quiet` must be a number of milliseconds \(it is required\)/);
    // @ts-expect-error: options are required
    await expect(eventuallySettles(probe)).rejects.toThrow(/quiet/);
    // @ts-expect-error: quiet is a number of ms
    await expect(eventuallySettles(probe, { quiet: '10' })).rejects.toThrow(TypeError);
    await expect(eventuallySettles(probe, { quiet: -1 })).rejects.toThrow(RangeError);
    await expect(eventuallySettles(probe, { quiet: 100, timeout: 50 })).rejects.toThrow(/quiet/);
    await expect(eventuallySettles(probe, { quiet: 10, stableFor: 10 })).rejects.toThrow(/stableFor/);
    expect(calls).toBe(0);
  });
});
