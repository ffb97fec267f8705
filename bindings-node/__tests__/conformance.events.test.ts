// The shared event vectors (tests/conformance/events/), through the public API.
import { expect, test } from '@jest/globals';
import { assertEmitted, assertEmittedInOrder, assertNotEmitted, capture, emit, EventAssertionError, type Measurements } from '@liveness-dev/liveness';

import { type AssertCase, type EventCase, load, type Located, type VectorEvent } from './support/conformance';
import { expectInstanceOf } from './support/expect';

const cases = load('events');
type Of<K extends EventCase['kind']> = Extract<Located<EventCase>, { kind: K }>;
const byKind = <K extends EventCase['kind']>(kind: K): [string, Of<K>][] => cases.filter((c): c is Of<K> => c.kind === kind).map((c) => [c.name, c]);
const send = (events: VectorEvent[] = []) => events.forEach((e) => emit(e.name, e.measurements, e.metadata));

test.each(byKind('pattern'))('pattern: %s', (_n, c) => {
  const cap = capture(c.pattern);
  for (const name of [...c.matches, ...c.rejects]) emit(name);
  cap.close();
  expect(cap.events.map((e) => e.name)).toEqual(c.matches);
});

test.each(byKind('invalid_name'))('invalid name: %s', (_n, c) => {
  for (const name of c.names) expect(() => emit(name)).toThrow(TypeError);
});

test.each(byKind('invalid_pattern'))('invalid pattern: %s', (_n, c) => {
  for (const p of c.patterns) expect(() => capture(p)).toThrow(TypeError);
});

test.each(byKind('invalid_emit'))('invalid emit: %s', (_n, c) => {
  // Measurements that are not numbers, on purpose: emit's run-time check is what is tested.
  expect(() => emit(c.emit.name, c.emit.measurements as Measurements | undefined, c.emit.metadata)).toThrow(TypeError);
});

test.each(byKind('capture'))('capture: %s', (_n, c) => {
  send(c.before_emits);
  const cap = capture(c.patterns);
  send(c.emits);
  cap.close();
  send(c.after_emits);
  const got = cap.events;
  expect(got.map((e) => e.name)).toEqual(c.expect_names);
  if (c.expect_events) {
    expect(got.map((e) => ({ name: e.name, measurements: e.measurements, metadata: e.metadata }))).toEqual(
      c.expect_events.map((e) => ({ name: e.name, measurements: e.measurements ?? {}, metadata: e.metadata ?? {} })),
    );
  }
});

const asserts = cases.filter((c): c is Located<AssertCase> => c.kind.startsWith('assert_'));

test.each(asserts.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
  send(c.before_emits);
  const block = () => send(c.block_emits);
  let run: Promise<unknown>;
  if (c.kind === 'assert_emitted') run = assertEmitted(c.pattern, block, { where: c.where, count: c.count });
  else if (c.kind === 'assert_not_emitted') run = assertNotEmitted(c.pattern, block, { where: c.where });
  else run = assertEmittedInOrder(c.patterns, block);
  const outcome = await run.then(
    () => null,
    (e: unknown) => e,
  );
  if (c.expect.passes) {
    expect(outcome).toBeNull();
    return;
  }
  expectInstanceOf(outcome, EventAssertionError);
  for (const f of c.expect.message_contains ?? []) expect(outcome.message).toContain(f);
  for (const f of c.expect.message_not_contains ?? []) expect(outcome.message).not.toContain(f);
});
