// Scoped captures under Vitest's concurrent tests (SPEC §5): as __tests__/scope.test.ts does for
// Jest, two tests run at once, their events interleaved by a promise handshake (no timers); the
// scoped matchers see only their own test's events, the unscoped control fails.
import { describe, expect, test } from 'vitest';
import '@liveness-dev/liveness/vitest';
import { assertNotEmitted, emit, EventAssertionError } from '@liveness-dev/liveness';

const ROUNDS = 5;

function deferred() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

/** `a` emits, then `b`, ROUNDS times each, once both have their assertions open. */
function handshake(prefix) {
  const open = { a: deferred(), b: deferred() };
  const turnA = Array.from({ length: ROUNDS }, deferred);
  const turnB = Array.from({ length: ROUNDS }, deferred);
  return {
    a: async () => {
      open.a.resolve();
      await open.b.promise;
      for (let i = 0; i < ROUNDS; i++) {
        emit(`${prefix}.a`);
        turnA[i].resolve();
        await turnB[i].promise;
      }
    },
    b: async () => {
      open.b.resolve();
      await open.a.promise;
      for (let i = 0; i < ROUNDS; i++) {
        await turnA[i].promise;
        emit(`${prefix}.b`);
        turnB[i].resolve();
      }
    },
  };
}

const scopedPair = handshake('vpair');
const controlPair = handshake('vcontrol');

describe.concurrent('concurrent tests', () => {
  test('scoped: test A', async () => {
    await expect(() => expect(scopedPair.a).not.toEmit('vpair.b', { scoped: true })).toEmit('vpair.a', { count: ROUNDS, scoped: true });
  });
  test('scoped: test B', async () => {
    await expect(() => expect(scopedPair.b).not.toEmit('vpair.a', { scoped: true })).toEmit('vpair.b', { count: ROUNDS, scoped: true });
  });
  test('unscoped control: test A fails on test B’s events', async () => {
    await expect(assertNotEmitted('vcontrol.b', controlPair.a)).rejects.toBeInstanceOf(EventAssertionError);
  });
  test('unscoped control: test B', async () => {
    await expect(assertNotEmitted('vcontrol.a', controlPair.b)).rejects.toBeInstanceOf(EventAssertionError);
  });
});
