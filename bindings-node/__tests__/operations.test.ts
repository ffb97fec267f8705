// The polling operations on the real clock: what a user sees (values, errors, causes), never how
// long anything took.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';
import {
  always,
  eventually,
  eventuallyChanges,
  eventuallyPasses,
  LivenessError,
  LivenessTimeoutError,
  LivenessViolationError,
  never,
  syncOperation,
} from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

/** A state that a timer callback changes later: only seen if the event loop keeps running. */
function later(ms: number, fn: () => unknown): void {
  setTimeout(fn, ms);
}

describe('eventually', () => {
  test('resolves with the first truthy value', async () => {
    let n = 0;
    await expect(eventually(() => (++n >= 3 ? { n } : null))).resolves.toEqual({ n: 3 });
  });

  test('sees a condition made true by a timer callback (the event loop is not blocked)', async () => {
    let ready = false;
    later(20, () => (ready = true));
    await expect(eventually(() => ready)).resolves.toBe(true);
  });

  test('rejects 0, "", null, undefined, NaN and false until a truthy value comes', async () => {
    const values = [0, '', null, undefined, Number.NaN, false, 'yes'];
    let i = 0;
    await expect(eventually(() => values[i++])).resolves.toBe('yes');
    expect(i).toBe(values.length);
  });

  test('times out with LivenessTimeoutError, an Error of this realm, with the fields of the report', async () => {
    const error = await eventually(() => false, { timeout: 30, message: 'the cache is warm' }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error).toBeInstanceOf(LivenessError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LivenessTimeoutError');
    expect(error.message).toMatch(/^eventually "the cache is warm": not met after 0\.0\d s \(\d+ evaluations\)/);
    expect(error.message).toContain('last: returned false');
    expect(error.evaluations).toBeGreaterThan(1);
    expect(error.lastFailure).toBe('returned false');
    expect(error.history[0].outcome).toBe('returned false');
    expect(error.cause).toBeUndefined();
  });

  test('a value returned again is reported as itself, also after a different value or an error in between', async () => {
    // The driver passes a repeated value's text once (issue 19); the report must still say which
    // value each evaluation returned.
    const script: (() => unknown)[] = [
      () => false,
      () => false,
      () => 0,
      () => 0,
      () => {
        throw new RangeError('down');
      },
      () => 0,
    ];
    let i = 0;
    const error = await eventually(() => (script[i++] ?? (() => null))(), { timeout: 40, minInterval: 0, maxInterval: 0 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    const runs = error.history.map((r) => [r.outcome, r.count]);
    expect(runs.slice(0, 3)).toEqual([
      ['returned false', 2],
      ['returned 0', 2],
      [expect.stringContaining('RangeError: down'), 1],
    ]);
    expect(runs[3]).toEqual(['returned 0', 1]);
    expect(runs[4]?.[0]).toBe('returned null');
    expect(error.lastFailure).toBe('returned null');
  });

  test('a probe returning nothing every time gets the hint to use eventuallyPasses', async () => {
    const error = await eventually(() => undefined, { timeout: 10 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('use eventuallyPasses');
  });

  test('the last error thrown is the cause; its text is in the message', async () => {
    let n = 0;
    const error = await eventually(
      () => {
        n++;
        throw new RangeError(n < 3 ? 'starting' : 'still starting');
      },
      { timeout: 30 },
    ).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expectInstanceOf(error.cause, RangeError);
    expect(error.cause.message).toBe('still starting');
    expect(error.message).toContain('last: RangeError: still starting');
    expect(error.message).toMatch(/history: 2× RangeError starting .*, then \d+× RangeError still starting/);
  });

  test('the failure points at the line that started the wait', async () => {
    const error = await eventually(() => false, { timeout: 5 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.stack).toContain('operations.test.ts');
  });

  test('attempts stops after that many evaluations', async () => {
    let n = 0;
    const error = await eventually(() => ++n > 100, { attempts: 3, interval: 1 }).catch((e: unknown) => e);
    expect(n).toBe(3);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('attempt limit of 3');
  });

  test('timeout 0 still evaluates once', async () => {
    let n = 0;
    await expect(eventually(() => ++n, { timeout: 0 })).resolves.toBe(1);
  });

  test('delay waits before the first evaluation', async () => {
    let ready = false;
    let sawFalse = false;
    later(5, () => (ready = true));
    await eventually(
      () => {
        if (!ready) sawFalse = true;
        return ready;
      },
      { delay: 50 },
    );
    expect(sawFalse).toBe(false);
  });

  test('stableFor succeeds only once the value stayed accepted, and returns the last one', async () => {
    let flips = 0;
    let n = 0;
    const seen: boolean[] = [];
    const value = await eventually(
      () => {
        n++;
        const ok = n > 3 || n === 1; // accepted, then rejected twice, then accepted for good
        if (!ok) flips++;
        seen.push(ok);
        return ok ? { n } : null;
      },
      { stableFor: 20, interval: 2 },
    );
    expect(flips).toBe(2);
    expect(value.n).toBe(n);
    expect(seen.lastIndexOf(false)).toBeLessThan(seen.length - 2);
  });

  test('failOn errors propagate at once, as themselves', async () => {
    class Fatal extends Error {}
    let n = 0;
    const error = await eventually(
      () => {
        n++;
        throw new Fatal('stop');
      },
      { failOn: Fatal },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Fatal);
    expect(n).toBe(1);
  });

  test('retryOn: listed errors (and subclasses) are retried, others propagate', async () => {
    class NotReady extends Error {}
    class StillNotReady extends NotReady {}
    let n = 0;
    const value = await eventually(
      () => {
        n++;
        if (n === 1) throw new NotReady();
        if (n === 2) throw new StillNotReady();
        return 'up';
      },
      { retryOn: [NotReady] },
    );
    expect(value).toBe('up');
    const error = await eventually(
      () => {
        throw new TypeError('bug');
      },
      { retryOn: NotReady },
    ).catch((e: unknown) => e);
    expectInstanceOf(error, TypeError);
    expect(error.message).toBe('bug');
  });
});

describe('async probes', () => {
  test('a Promise is awaited; its resolved value is judged', async () => {
    let n = 0;
    // eslint-disable-next-line @typescript-eslint/require-await -- an async probe is the case
    await expect(eventually(async () => (++n > 2 ? 'ok' : ''))).resolves.toBe('ok');
  });

  test('a rejected Promise is a failure, retried, and is the cause', async () => {
    const error = await eventually(() => Promise.reject(new SyntaxError('nope')), { timeout: 20 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test('a probe still pending at the deadline settles the wait at the deadline and is never called again', async () => {
    let calls = 0;
    const error = await eventually(
      () => {
        calls++;
        return new Promise(() => {}); // never settles
      },
      { timeout: 30 },
    ).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('evaluation #1 still running after');
    const after = calls;
    await never(() => calls !== after, 40);
  });

  test('a probe that settles after the wait ended leaves no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (r: unknown) => rejections.push(r);
    process.on('unhandledRejection', onRejection);
    let settle: (reason: Error) => void = () => {
      throw new Error('the probe was never called');
    };
    await eventually(() => new Promise((_, reject) => (settle = reject)), { timeout: 10 }).catch(() => {});
    settle(new Error('late'));
    await always(() => rejections.length === 0, 20);
    process.off('unhandledRejection', onRejection);
  });
});

describe('eventuallyPasses', () => {
  test('waits until a block of assertions stops throwing; resolves with its value', async () => {
    let value = 0;
    later(10, () => (value = 3));
    await expect(
      eventuallyPasses(() => {
        expect(value).toBe(3);
        return 'checked';
      }),
    ).resolves.toBe('checked');
  });

  test('undefined is accepted; false is not', async () => {
    await expect(eventuallyPasses(() => undefined)).resolves.toBeUndefined();
    const error = await eventuallyPasses(() => false, { timeout: 10 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('returned false');
  });

  test("Jest's assertion message (without colours) is the last failure, and the error its cause", async () => {
    const error = await eventuallyPasses(() => expect(1).toBe(2), { timeout: 10 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('eventuallyPasses: not met');
    expect(error.message).toContain('expect(received).toBe(expected)');
    expect(error.message).not.toContain('\u001b[');
    // Jest's own assertion error (of Jest's realm, so not checked with instanceof).
    expect(error.cause).toHaveProperty('matcherResult', expect.anything());
  });
});

describe('always and never', () => {
  test('always holds for the whole duration and resolves with nothing', async () => {
    let n = 0;
    await expect(always(() => ++n, 20)).resolves.toBeUndefined();
    expect(n).toBeGreaterThan(1);
  });

  test('always fails at the first falsy evaluation, with LivenessViolationError', async () => {
    let n = 0;
    const error = await always(() => ++n < 3, 1000).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessViolationError);
    expect(n).toBe(3);
    expect(error.message).toContain('always: violated at evaluation #3');
  });

  test('always: a thrown error is the violation and its cause', async () => {
    const error = await always(() => {
      throw new Error('down');
    }, 100).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessViolationError);
    expectInstanceOf(error.cause, Error);
    expect(error.cause.message).toBe('down');
  });

  test('never fails at the first truthy evaluation and shows the value', async () => {
    let n = 0;
    const error = await never(() => (++n === 2 ? { crashed: true } : null), 1000).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessViolationError);
    expect(error.message).toContain('never: held at evaluation #2');
    expect(error.message).toContain('{ crashed: true }');
  });
});

describe('eventuallyChanges', () => {
  test('resolves with the first value that differs (deep equality) from the baseline', async () => {
    let pid = { id: 1 };
    later(10, () => (pid = { id: 1 })); // equal, not a change
    later(20, () => (pid = { id: 2 }));
    await expect(eventuallyChanges(() => pid)).resolves.toEqual({ id: 2 });
  });

  test('an error while taking the baseline propagates as itself', async () => {
    const error = await eventuallyChanges(() => {
      throw new URIError('no baseline');
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(URIError);
  });

  test('times out when nothing changes', async () => {
    const error = await eventuallyChanges(() => 7, { timeout: 10 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('eventuallyChanges: not met');
  });
});

describe('syncOperation', () => {
  test('calls the action once, then waits for until; resolves with its value', async () => {
    let state = 'idle';
    let actions = 0;
    const value = await syncOperation(
      () => {
        actions++;
        later(5, () => (state = 'done'));
      },
      () => state === 'done' && state,
    );
    expect(value).toBe('done');
    expect(actions).toBe(1);
  });

  test('an async action is awaited first', async () => {
    let state = 0;
    await syncOperation(
      async () => {
        // liveness: allow-sleep(the async action's own work, which syncOperation awaits: the behaviour under test)
        await new Promise((r) => setTimeout(r, 5));
        state = 1;
      },
      () => state === 1,
    );
  });

  test('an action that throws propagates and nothing is polled', async () => {
    let polled = 0;
    const error = await syncOperation(
      () => {
        throw new EvalError('refused');
      },
      () => ++polled,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvalError);
    expect(polled).toBe(0);
  });
});

test('a failing wait that nobody awaits is still an unhandled rejection (not swallowed)', () => {
  const script = "require('@liveness-dev/liveness').eventually(() => false, { timeout: 5 }); setTimeout(() => {}, 200);";
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain('LivenessTimeoutError');
});
