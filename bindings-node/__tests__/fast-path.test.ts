// A wait with the default options makes its first evaluation before it creates a native poller
// (issue 17): an already-true wait ends there, any other goes on with that evaluation counted as
// #1. What a user sees must not change: the probe is called once per evaluation, a throw or a
// falsy value is retried, a Promise is awaited, and a bad LIVENESS_TIMEOUT_SCALE is reported
// before the probe runs.
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { eventually, eventuallyPasses, LivenessTimeoutError } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

/** A probe answering from `script` in turn (the last entry repeats), counting its calls. */
function scripted(script: (() => unknown)[]): { probe: () => unknown; calls: () => number } {
  let n = 0;
  return { probe: () => script[Math.min(n++, script.length - 1)](), calls: () => n };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('a wait with the default options', () => {
  test('already true: resolves with the value, the probe called once', async () => {
    const p = scripted([() => 'ready']);
    await expect(eventually(p.probe)).resolves.toBe('ready');
    expect(p.calls()).toBe(1);
  });

  test('eventuallyPasses: a block that returns resolves with its value, called once', async () => {
    const p = scripted([() => undefined]);
    await expect(eventuallyPasses(p.probe)).resolves.toBeUndefined();
    expect(p.calls()).toBe(1);
  });

  test.each([
    [
      'throws',
      () => (): unknown => {
        throw new Error('not yet');
      },
    ],
    ['returns a falsy value', () => () => 0],
  ])('a first evaluation that %s is retried, and counted once', async (_, first) => {
    const p = scripted([first(), () => 'ready']);
    await expect(eventually(p.probe)).resolves.toBe('ready');
    expect(p.calls()).toBe(2);
  });

  test('eventuallyPasses: a first `false` is retried', async () => {
    const p = scripted([() => false, () => 'ok']);
    await expect(eventuallyPasses(p.probe)).resolves.toBe('ok');
    expect(p.calls()).toBe(2);
  });

  test('an async probe is awaited: resolves with what it resolves to, called once', async () => {
    const p = scripted([() => Promise.resolve('ready')]);
    await expect(eventually(p.probe)).resolves.toBe('ready');
    expect(p.calls()).toBe(1);
  });

  test('an async first evaluation that resolves falsy is retried', async () => {
    const p = scripted([() => Promise.resolve(null), () => Promise.resolve('ready')]);
    await expect(eventually(p.probe)).resolves.toBe('ready');
    expect(p.calls()).toBe(2);
  });

  test('a failure counts every call of the probe as one evaluation (fake timers)', async () => {
    jest.useFakeTimers();
    const p = scripted([() => 0]);
    const error = await eventually(p.probe).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    const late = Number(/\((\d+) more evaluations?\)/.exec(error.message)?.[1] ?? 0);
    expect(error.evaluations + late).toBe(p.calls());
    expect(error.message).toContain('last: returned 0');
  });

  test('a bad LIVENESS_TIMEOUT_SCALE is reported before the probe runs', async () => {
    process.env.LIVENESS_TIMEOUT_SCALE = 'quick';
    try {
      const p = scripted([() => true]);
      const error = await eventually(p.probe).catch((e: unknown) => e);
      expectInstanceOf(error, RangeError);
      expect(error.message).toContain('LIVENESS_TIMEOUT_SCALE');
      expect(p.calls()).toBe(0);
    } finally {
      delete process.env.LIVENESS_TIMEOUT_SCALE;
    }
  });
});

// A busy wait (minInterval = maxInterval = 0): the core asks for one turn of the event loop after
// each evaluation, and the driver lets it pass before it reports the next one (one native call).
describe('a busy wait', () => {
  const busy = { minInterval: 0, maxInterval: 0 };

  test.each([
    ['returns a falsy value', () => 0, 'returned 0'],
    [
      'throws',
      () => {
        throw new Error('not yet');
      },
      'not yet',
    ],
  ])('whose probe %s fails after exactly `attempts` calls, with the last failure', async (_, probe, last) => {
    const p = scripted([probe]);
    const error = await eventually(p.probe, { ...busy, attempts: 50 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(p.calls()).toBe(50);
    expect(error.evaluations).toBe(50);
    expect(error.lastFailure).toContain(last);
  });

  test('ends at the first accepted value after rejected ones', async () => {
    const p = scripted([...Array.from({ length: 20 }, () => () => null), () => 'ready']);
    await expect(eventually(p.probe, busy)).resolves.toBe('ready');
    expect(p.calls()).toBe(21);
  });

  test('an abort during the turn after an evaluation rejects with its reason, the probe not called again', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped');
    let calls = 0;
    const probe = () => {
      if (++calls === 10) controller.abort(reason);
      return false;
    };
    await expect(eventually(probe, { ...busy, signal: controller.signal })).rejects.toBe(reason);
    expect(calls).toBe(10);
  });
});
