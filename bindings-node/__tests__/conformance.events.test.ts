// The shared event vectors (tests/conformance/events/), through the public API.
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';

import { expect, test } from '@jest/globals';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  assertEmitted,
  assertEmittedInOrder,
  assertNotEmitted,
  bridgeEmitter,
  capture,
  emit,
  EventAssertionError,
  EventSpanProcessor,
  type Measurements,
} from '@liveness-dev/liveness';

import { type AssertCase, type EventCase, load, type Located, type VectorEvent } from './support/conformance';
import { expectInstanceOf } from './support/expect';

const cases = load('events');
type Of<K extends EventCase['kind']> = Extract<Located<EventCase>, { kind: K }>;
const byKind = <K extends EventCase['kind']>(kind: K): [string, Of<K>][] => cases.filter((c): c is Of<K> => c.kind === kind).map((c) => [c.name, c]);
const send = (events: VectorEvent[] = []) => events.forEach((e) => emit(e.name, e.measurements, e.metadata));

// Taken at module level, in no scope: code run through it is in no scope, as a thread the system
// under test started by itself.
const noScope = AsyncLocalStorage.snapshot();

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

test.each(byKind('scoped_capture'))('scoped capture: %s', async (_n, c) => {
  // Taken before the capture opens: a scoped capture opened through it is in a scope the block is
  // not in (another test's).
  const elsewhere = AsyncLocalStorage.snapshot();
  const block = async () => {
    for (const { name, from } of c.emits) {
      if (from === 'block') emit(name);
      else if (from === 'nested') await capture('**', { scoped: true }, () => emit(name));
      else if (from === 'sibling') await elsewhere(() => capture('**', { scoped: true }, () => emit(name)));
      else noScope(() => emit(name));
    }
  };
  const got = await capture(c.patterns, { scoped: c.scoped }, block);
  expect(got.map((e) => e.name)).toEqual(c.expect_names);
});

test.each(byKind('bridge_name'))('bridge name through bridgeEmitter: %s', async (_n, c) => {
  const source = new EventEmitter();
  using bridge = bridgeEmitter(source, ['done'], { prefix: c.source });
  expect(bridge.events.get('done')).toBe(`${c.expect}.done`);
  const got = await capture('**', () => source.emit('done'));
  expect(got.map((e) => e.name)).toEqual([`${c.expect}.done`]);
});

test.each(byKind('bridge_name'))('bridge name through EventSpanProcessor: %s', async (_n, c) => {
  const tracer = new BasicTracerProvider({ spanProcessors: [new EventSpanProcessor()] }).getTracer('conformance');
  const got = await capture('**', () => tracer.startSpan(c.source).end());
  expect(got.map((e) => e.name)).toEqual([c.expect]);
});
