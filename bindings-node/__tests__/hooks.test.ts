// onEvaluation and onTimeout (issue 12): what the hooks receive, and what their return values and
// throws do to the wait. Virtual time is not needed: every wait here ends on the real clock by an
// attempt limit or a short timeout.
import { describe, expect, test } from '@jest/globals';
import {
  always,
  type Evaluation,
  eventually,
  eventuallyChanges,
  eventuallySettles,
  LivenessTimeoutError,
  LivenessViolationError,
  syncOperation,
} from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

class NotReady extends Error {
  override name = 'NotReady';
}

describe('onEvaluation', () => {
  test('receives each evaluation in order, with the value or the error', async () => {
    const seen: Evaluation[] = [];
    const boom = new NotReady('not yet');
    const script: (() => unknown)[] = [
      () => {
        throw boom;
      },
      () => 0,
      () => 'ready',
    ];
    let i = 0;
    const value = await eventually(() => script[i++](), { interval: 1, onEvaluation: (e) => void seen.push(e) });
    expect(value).toBe('ready');
    expect(seen.map(({ number, accepted, value: v, error }) => ({ number, accepted, value: v, error }))).toEqual([
      { number: 1, accepted: false, value: undefined, error: boom },
      { number: 2, accepted: false, value: 0, error: undefined },
      { number: 3, accepted: true, value: 'ready', error: undefined },
    ]);
    for (const [k, e] of seen.entries()) {
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
      if (k > 0) expect(e.startedMs).toBeGreaterThanOrEqual(seen[k - 1].startedMs + seen[k - 1].durationMs);
    }
  });

  test('an asynchronous probe: the value its Promise resolved to, the reason it rejected with', async () => {
    const seen: [unknown, unknown][] = [];
    let i = 0;
    const probe = () => (i++ === 0 ? Promise.reject(new NotReady('later')) : Promise.resolve(42));
    await eventually(probe, { onEvaluation: (e) => void seen.push([e.value, e.error]) });
    expect(seen).toEqual([
      [undefined, new NotReady('later')],
      [42, undefined],
    ]);
  });

  test("not for eventuallyChanges' baseline nor syncOperation's action: numbers count evaluations", async () => {
    let n = 0;
    const numbers: number[] = [];
    await eventuallyChanges(() => (n++ < 2 ? 'a' : 'b'), { interval: 1, onEvaluation: (e) => void numbers.push(e.number) });
    expect(numbers).toEqual([1, 2]);
    const after: number[] = [];
    await syncOperation(
      () => undefined,
      () => true,
      { onEvaluation: (e) => void after.push(e.number) },
    );
    expect(after).toEqual([1]);
  });

  test('a hook that throws rejects the wait with that error at once; the probe is not called again', async () => {
    const stop = new Error('hook says stop');
    let calls = 0;
    const error = await eventually(() => ++calls > 100, {
      interval: 1,
      onEvaluation: (e) => {
        if (e.number === 2) throw stop;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(stop);
    expect(calls).toBe(2);
  });

  test('not called for an error that failOn lets through (the wait did not count it)', async () => {
    const fatal = new TypeError('fatal');
    const seen: number[] = [];
    const error = await eventually(
      () => {
        throw fatal;
      },
      { failOn: TypeError, onEvaluation: (e) => void seen.push(e.number) },
    ).catch((e: unknown) => e);
    expect(error).toBe(fatal);
    expect(seen).toEqual([]);
  });
});

describe('onTimeout', () => {
  const failing = { attempts: 2, interval: 1 } as const;

  test('an error it returns replaces the failure, with the failure as its cause', async () => {
    const replacement = new Error('the server never came up');
    let got: unknown;
    const error = await eventually(() => false, {
      ...failing,
      onTimeout: (e) => {
        got = e;
        return replacement;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(replacement);
    expectInstanceOf(got, LivenessTimeoutError);
    expect(replacement.cause).toBe(got);
    expect(Object.keys(replacement)).not.toContain('cause');
  });

  test('a replacement that has a cause keeps it', async () => {
    const own = new Error('own cause');
    const replacement = new Error('replaced', { cause: own });
    const error = await eventually(() => false, { ...failing, onTimeout: () => replacement }).catch((e: unknown) => e);
    expect(error).toBe(replacement);
    expect(replacement.cause).toBe(own);
  });

  test('returning nothing keeps the failure, as the hook left it', async () => {
    let calls = 0;
    const error = await eventually(() => false, {
      ...failing,
      onTimeout: (e) => {
        calls++;
        e.message += '\nlogs: (attached by the test)';
      },
    }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('not met');
    expect(error.message).toContain('logs: (attached by the test)');
    expect(calls).toBe(1);
  });

  test('a hook that throws rejects the wait with that error', async () => {
    const thrown = new Error('from the hook');
    const error = await eventually(() => false, {
      ...failing,
      onTimeout: () => {
        throw thrown;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(thrown);
  });

  test('receives violations too (always, atLeast), and timeouts of eventuallySettles', async () => {
    const got: unknown[] = [];
    const onTimeout = (e: Error) => void got.push(e);
    await always(() => false, 1000, { onTimeout }).catch(() => undefined);
    await eventually(() => true, { atLeast: 1000, onTimeout }).catch(() => undefined);
    let n = 0;
    await eventuallySettles(() => n++, { quiet: 10, attempts: 3, onTimeout }).catch(() => undefined);
    expect(got.map((e) => (e as Error).constructor)).toEqual([LivenessViolationError, LivenessViolationError, LivenessTimeoutError]);
  });

  test('not called for a propagated probe error, nor for invalid options', async () => {
    let calls = 0;
    const onTimeout = () => void calls++;
    await eventually(
      () => {
        throw new TypeError('fatal');
      },
      { failOn: TypeError, onTimeout },
    ).catch(() => undefined);
    await eventually(() => true, { timeout: -1, onTimeout }).catch(() => undefined);
    expect(calls).toBe(0);
  });

  test('a value that is not an error is a TypeError, caused by the failure', async () => {
    // @ts-expect-error: the hook returns an error or nothing
    const error = await eventually(() => false, { ...failing, onTimeout: () => 'oops' }).catch((e: unknown) => e);
    expectInstanceOf(error, TypeError);
    expect(error.message).toContain('onTimeout');
    expect(error.cause).toBeInstanceOf(LivenessTimeoutError);
  });
});
