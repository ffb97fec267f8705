// assertEmitted / assertNotEmitted / assertEmittedInOrder: run the block to completion, then
// assert on what it emitted; failures list what was emitted and the near misses.
import { expect, test } from '@jest/globals';
import {
  assertEmitted,
  assertEmittedInOrder,
  assertNotEmitted,
  emit,
  EventAssertionError,
  hasSubscribers,
  LivenessError,
} from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

test('assertEmitted passes and resolves with the block value', async () => {
  await expect(assertEmitted('svc.*.started', () => (emit('svc.db.started'), 'v'))).resolves.toBe('v');
});

test('an async block is awaited before the check', async () => {
  await assertEmitted('svc.late', async () => {
    // liveness: allow-sleep(the block's own async work before it emits: the behaviour under test)
    await new Promise((r) => setTimeout(r, 5));
    emit('svc.late');
  });
});

test('a missing event fails with an EventAssertionError listing what was emitted and the near misses', async () => {
  const error = await assertEmitted('svc.db.started', () => {
    emit('svc.db.stopped', { ms: 3 }, { host: 'db-1' });
    emit('svc.api.started');
  }).catch((e: unknown) => e);
  expectInstanceOf(error, EventAssertionError);
  expect(error).toBeInstanceOf(LivenessError);
  expect(error.message).toContain('expected at least one event matching "svc.db.started", found 0');
  expect(error.message).toMatch(/#1 svc.db.stopped {"ms":3(\.0)?} {"host":"db-1"}/);
  expect(error.message).toContain('near misses');
});

test('where as a map is a subset match of the metadata; the report says which key differed', async () => {
  await assertEmitted('breaker.state', () => emit('breaker.state', {}, { to: 'open', from: 'closed' }), { where: { to: 'open' } });
  const error = await assertEmitted('breaker.state', () => emit('breaker.state', {}, { to: 'half_open' }), {
    where: { to: 'open' },
  }).catch((e: unknown) => e);
  expectInstanceOf(error, EventAssertionError);
  expect(error.message).toContain('metadata "to"');
});

test('where as a predicate gets the event', async () => {
  await assertEmitted('q.depth', () => emit('q.depth', { n: 12 }), { where: (e) => e.measurements.n > 10 });
  await expect(assertEmitted('q.depth', () => emit('q.depth', { n: 2 }), { where: (e) => e.measurements.n > 10 })).rejects.toThrow(
    EventAssertionError,
  );
});

test('an error thrown by the predicate propagates as itself', async () => {
  const bug = new Error('predicate bug');
  await expect(
    assertEmitted('p', () => emit('p'), {
      where: () => {
        throw bug;
      },
    }),
  ).rejects.toBe(bug);
});

test('count asks for exactly that many', async () => {
  const twice = () => (emit('tick'), emit('tick'));
  await assertEmitted('tick', twice, { count: 2 });
  await expect(assertEmitted('tick', twice, { count: 1 })).rejects.toThrow(/exactly 1/);
  await expect(assertEmitted('tick', twice, { count: -1 })).rejects.toThrow(RangeError);
});

test('events before the block do not count', async () => {
  emit('early');
  await expect(assertEmitted('early', () => {})).rejects.toThrow(/no events were emitted/);
});

test('a block that throws propagates its error and closes the capture', async () => {
  await expect(
    assertEmitted('x', () => {
      throw new TypeError('block bug');
    }),
  ).rejects.toThrow('block bug');
  expect(hasSubscribers('anything.at.all')).toBe(false);
});

test('assertNotEmitted', async () => {
  await expect(assertNotEmitted('svc.crashed', () => emit('svc.ok'))).resolves.toBeUndefined();
  const error = await assertNotEmitted('svc.crashed', () => emit('svc.crashed', {}, { code: 1 })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EventAssertionError);
  await assertNotEmitted('svc.crashed', () => emit('svc.crashed', {}, { code: 1 }), { where: { code: 2 } });
});

test('assertEmittedInOrder: a subsequence in that order', async () => {
  const block = () => ['a.start', 'noise', 'a.work', 'a.stop'].forEach((n) => emit(n));
  await assertEmittedInOrder(['a.start', 'a.stop'], block);
  await expect(assertEmittedInOrder(['a.stop', 'a.start'], block)).rejects.toThrow(EventAssertionError);
});

test('bad input is a TypeError', async () => {
  await expect(assertEmitted('a..b', () => {})).rejects.toThrow(TypeError);
  // @ts-expect-error: a block is a function
  await expect(assertEmitted('a', 'not a block')).rejects.toThrow(TypeError);
  // @ts-expect-error: the patterns are an array
  await expect(assertEmittedInOrder('a', () => {})).rejects.toThrow(TypeError);
});
