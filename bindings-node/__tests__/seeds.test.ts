// The seeds' scenarios, without a single sleep: wait for the state with liveness, assert events
// with assertEmitted after the block completed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  assertEmitted,
  assertEmittedInOrder,
  eventually,
  eventuallyChanges,
  eventuallyPasses,
  LivenessTimeoutError,
  never,
  syncOperation,
} from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';
import { CircuitBreaker, delayedWrite, Registry } from './support/scenarios';

describe('the restart race (a singleton whose shutdown finishes on a later tick)', () => {
  test.each(Array.from({ length: 10 }, (_, i) => [i]))('run %i: the service comes back with a new id', async () => {
    const registry = new Registry();
    const old = registry.start('svc');
    registry.restart('svc');
    const fresh = await eventually(() => {
      const id = registry.whereis('svc');
      return id !== old && id;
    });
    expect(fresh).not.toBe(old);
    expect(() => registry.start('svc')).toThrow('already started');
  });

  test('eventuallyChanges: the registered id changes (first to nothing, then to a new id)', async () => {
    const registry = new Registry();
    const old = registry.start('svc');
    registry.restart('svc');
    // The stop and the new start may both land between two evaluations (the restart can follow
    // the stop on the next tick), so the first change is to nothing or straight to a new id.
    const first = await eventuallyChanges(() => registry.whereis('svc'));
    if (first === null) {
      await expect(eventuallyChanges(() => registry.whereis('svc'))).resolves.toBeGreaterThan(old);
    } else {
      expect(first).toBeGreaterThan(old);
    }
  });

  test('syncOperation: fire the restart once, then wait for its effect', async () => {
    const registry = new Registry();
    const old = registry.start('svc');
    const id = await syncOperation(
      () => registry.restart('svc'),
      () => {
        const now = registry.whereis('svc');
        return now !== null && now > old && now;
      },
    );
    expect(id).toBeGreaterThan(old);
  });
});

describe('the delayed file write', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liveness-node-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('eventuallyPasses with an async block of assertions', async () => {
    const file = path.join(dir, 'result.txt');
    delayedWrite(file, '3');
    await eventuallyPasses(async () => expect(await fs.promises.readFile(file, 'utf8')).toBe('3'));
  });

  test('while the file is missing the wait names ENOENT as the last failure', async () => {
    const error = await eventuallyPasses(() => fs.readFileSync(path.join(dir, 'never.txt'), 'utf8'), { timeout: 20 }).catch((e: unknown) => e);
    expectInstanceOf(error, LivenessTimeoutError);
    expect(error.message).toContain('ENOENT');
    expect(error.cause).toHaveProperty('code', 'ENOENT');
  });
});

describe('the circuit breaker of seed 000', () => {
  const failing = () => Promise.reject(new Error('service down'));

  test('opening is asserted as an emitted state change, after the calls completed', async () => {
    const breaker = new CircuitBreaker('payments', 3);
    await assertEmitted(
      'breaker.state_change',
      async () => {
        for (let i = 0; i < 3; i++) await breaker.call(failing).catch(() => {});
      },
      { where: { breaker: 'payments', to: 'open' } },
    );
    expect(breaker.state).toBe('open');
  });

  test('a success is emitted with its metadata; failures come before the state change', async () => {
    const breaker = new CircuitBreaker('search', 2);
    await assertEmitted('breaker.call.success', () => breaker.call(() => Promise.resolve('ok')), {
      where: (e) => e.metadata.breaker === 'search',
      count: 1,
    });
    await assertEmittedInOrder(['breaker.call.failure', 'breaker.call.failure', 'breaker.state_change'], async () => {
      await breaker.call(failing).catch(() => {});
      await breaker.call(failing).catch(() => {});
    });
    await expect(breaker.call(() => Promise.resolve('ok'))).rejects.toThrow('is open');
  });

  test('fire-and-forget failures: syncOperation waits for the open state, assertEmitted sees the change', async () => {
    const breaker = new CircuitBreaker('casts', 3);
    await assertEmitted(
      'breaker.state_change',
      () =>
        syncOperation(
          () => {
            for (let i = 0; i < 3; i++) breaker.castFail(2);
            // A cast returns before the breaker records it: asserting here is the seed's race.
            expect(breaker.failures).toBe(0);
          },
          () => breaker.state === 'open',
        ),
      { where: { breaker: 'casts', from: 'closed', to: 'open' } },
    );
    expect(breaker.failures).toBe(3);
  });

  test('below the threshold the breaker never opens', async () => {
    const breaker = new CircuitBreaker('mail', 3);
    await breaker.call(failing).catch(() => {});
    await never(() => breaker.state === 'open', 20);
  });
});
