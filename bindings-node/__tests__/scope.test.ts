// Scoped captures under Jest's test.concurrent (SPEC §5, scoped captures): two tests of one file
// run at once in one process, their events interleaved for certain by a promise handshake (no
// timers). Scoped, each test's assertions see only its own events; unscoped (the control), each
// test's assertNotEmitted fails on the other's event and its count is wrong.
import { expect, test } from '@jest/globals';
import { assertEmitted, assertNotEmitted, capture, emit, EventAssertionError } from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

const ROUNDS = 5;

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Two parties taking turns: both first wait until the other's assertions are open, then `a`
 * emits, `b` emits, `a` emits, … ROUNDS times each, so each one's events fall inside the other's
 * open capture whatever order Jest starts them in.
 */
function handshake(prefix: string) {
  const open = { a: deferred(), b: deferred() };
  const turnA = Array.from({ length: ROUNDS }, deferred);
  const turnB = Array.from({ length: ROUNDS }, deferred);
  return {
    a: async () => {
      open.a.resolve();
      await open.b.promise;
      for (let i = 0; i < ROUNDS; i++) {
        emit(`${prefix}.a`, {}, { i });
        turnA[i].resolve();
        await turnB[i].promise;
      }
    },
    b: async () => {
      open.b.resolve();
      await open.a.promise;
      for (let i = 0; i < ROUNDS; i++) {
        await turnA[i].promise;
        emit(`${prefix}.b`, {}, { i });
        turnB[i].resolve();
      }
    },
  };
}

// Distinct names per pair: test.concurrent runs all four tests at once, and the control pair's
// events are in no scope (which every scoped capture sees, by design).
const scopedPair = handshake('pair');
const controlPair = handshake('control');

test.concurrent('scoped: test A sees only its own events', async () => {
  await assertEmitted('pair.a', () => assertNotEmitted('pair.b', scopedPair.a, { scoped: true }), { count: ROUNDS, scoped: true });
});

test.concurrent('scoped: test B sees only its own events', async () => {
  await assertEmitted('pair.b', () => assertNotEmitted('pair.a', scopedPair.b, { scoped: true }), { count: ROUNDS, scoped: true });
});

test.concurrent('unscoped control: test A fails on test B’s events', async () => {
  const outcome = await assertNotEmitted('control.b', controlPair.a).then(
    () => null,
    (e: unknown) => e,
  );
  expectInstanceOf(outcome, EventAssertionError);
  expect(outcome.message).toContain('control.b');
});

test.concurrent('unscoped control: test B’s count counts test A’s events', async () => {
  const outcome = await assertEmitted('control.*', controlPair.b, { count: ROUNDS }).then(
    () => null,
    (e: unknown) => e,
  );
  expectInstanceOf(outcome, EventAssertionError);
  expect(outcome.message).toContain('control.a');
});

test('a scope follows the awaits and callbacks of its block', async () => {
  const got = await capture('job.*', { scoped: true }, async () => {
    await Promise.resolve();
    emit('job.after-await');
    await new Promise<void>((resolve) => setImmediate(() => (emit('job.in-callback'), resolve())));
  });
  expect(got.map((e) => e.name)).toEqual(['job.after-await', 'job.in-callback']);
});

test('the scoped form of capture takes a block; scoped must be a boolean', async () => {
  expect(() => capture('**', { scoped: true } as never)).toThrow(TypeError);
  await expect(assertEmitted('x', () => emit('x'), { scoped: 'yes' as never })).rejects.toThrow(TypeError);
});
