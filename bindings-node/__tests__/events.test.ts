// The event bus from JavaScript: emit, attach/detach, hasSubscribers, captures, payloads, handler
// failures, and events emitted by native code on another thread.
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import {
  assertEmitted,
  attach,
  capture,
  Capture,
  detach,
  emit,
  eventually,
  eventuallyPasses,
  hasSubscribers,
  type LivenessEvent,
} from '@liveness-dev/liveness';

// The private native module, for its test hook that emits from a native thread.
import { native } from '../dist/native';

afterEach(() => {
  for (const id of ['t.handler', 't.failing', 't.async', 't.native', 't.a', 't.b']) detach(id);
});

describe('emit', () => {
  test.each([[''], ['a..b'], ['a b'], ['.a'], ['a.']])('an invalid name %p is a TypeError even with nothing attached', (name) => {
    expect(hasSubscribers('anything')).toBe(false);
    expect(() => emit(name)).toThrow(TypeError);
  });

  test('an invalid name throws at every emit, and a valid one is delivered once someone listens', () => {
    // emit remembers names the core accepted, so an idle emit need not cross to native: a
    // rejected name must never be remembered, and a remembered one must still be delivered.
    expect(() => emit('x..y')).toThrow(TypeError);
    expect(() => emit('x..y')).toThrow(TypeError);
    emit('svc.cached');
    const seen: string[] = [];
    attach('t.handler', 'svc.cached', (e) => seen.push(e.name));
    emit('svc.cached');
    expect(seen).toEqual(['svc.cached']);
  });

  test('a non-numeric measurement or bad metadata is a TypeError even with nothing attached', () => {
    // @ts-expect-error: measurements are numbers
    expect(() => emit('svc.up', { ms: '12' })).toThrow(TypeError);
    // @ts-expect-error: metadata is an object
    expect(() => emit('svc.up', { ms: 1 }, 'meta')).toThrow(TypeError);
    // @ts-expect-error: a Map's keys are strings
    expect(() => emit('svc.up', { ms: 1 }, new Map([[1, 'x']]))).toThrow(TypeError);
    // @ts-expect-error: a name is a string
    expect(() => emit(42)).toThrow(TypeError);
  });

  test('delivers synchronously, before emit returns, to handlers whose pattern matches', () => {
    const got: string[] = [];
    attach('t.handler', ['svc.*.started', 'db.**'], (e) => got.push(e.name));
    expect(hasSubscribers('svc.api.started')).toBe(true);
    expect(hasSubscribers('svc.api.stopped')).toBe(false);
    emit('svc.api.started');
    emit('svc.api.stopped');
    emit('db');
    emit('db.pool.full');
    expect(got).toEqual(['svc.api.started', 'db', 'db.pool.full']);
    expect(detach('t.handler')).toBe(true);
    expect(detach('t.handler')).toBe(false);
    emit('db.x');
    expect(got).toHaveLength(3);
  });

  test('an event carries measurements, metadata, a sequence number, a time and the thread', () => {
    const events: LivenessEvent[] = [];
    attach('t.handler', 'svc.**', (e) => events.push(e));
    emit('svc.db.query', { ms: 12.5, rows: 3, bad: Number.NaN }, { sql: 'select 1', tags: ['a', 'b'], nested: { k: null } });
    emit('svc.db.query');
    const [e, f] = events;
    expect(e.name).toBe('svc.db.query');
    expect(e.measurements).toEqual({ ms: 12.5, rows: 3, bad: Number.NaN });
    expect(e.metadata).toEqual({ sql: 'select 1', tags: ['a', 'b'], nested: { k: null } });
    expect(f.seq).toBeGreaterThan(e.seq);
    expect(f.atMs).toBeGreaterThanOrEqual(e.atMs);
    expect(typeof e.thread).toBe('string');
  });

  test('data is copied at emit time; other objects come back as the very same object', () => {
    const events: LivenessEvent[] = [];
    attach('t.handler', 'obj.**', (e) => events.push(e));
    const socket = new (class Socket {})();
    const data = { count: 1 };
    emit('obj.sent', {}, { socket, data, when: new Date(0), fn: detach });
    data.count = 2;
    expect(events[0].metadata.socket).toBe(socket);
    expect(events[0].metadata.fn).toBe(detach);
    expect(events[0].metadata.when).toBeInstanceOf(Date);
    expect(events[0].metadata.data).toEqual({ count: 1 });
  });

  test('what emit knows of who listens to a name follows every attach, detach, capture and close', () => {
    // emit keeps the core's answer per name while nothing is attached or detached: each change
    // below must be seen by the very next emit.
    const other = capture('other.**');
    const seen: number[] = [];
    emit('gen.x', { n: 1 });
    attach('t.handler', 'gen.*', (e) => seen.push(e.measurements.n));
    emit('gen.x', { n: 2 });
    const c = capture('gen.x');
    emit('gen.x', { n: 3 });
    detach('t.handler');
    emit('gen.x', { n: 4 });
    c.close();
    emit('gen.x', { n: 5 });
    other.close();
    expect(seen).toEqual([2, 3]);
    expect(c.events.map((e) => e.measurements.n)).toEqual([3, 4]);
  });

  test('a flat payload (napi values) and one that takes the JSON path give the same values and report', async () => {
    // A nested value sends the whole payload through JSON; without it the payload crosses as napi
    // values. Integers at and past 2^53 are where the two could part (JSON has its own digits).
    const measurements = { i: 3, f: 1.5, nan: Number.NaN, big: 2 ** 60, low: -(2 ** 63), high: 2 ** 63, exp: 1e21, zero: -0 };
    const metadata = { s: 'x\u0000y', n: 2, f: 0.1, b: true, z: null, u: undefined, big: 2 ** 62, ['__proto__']: 'own', é: '' };
    const reports: string[] = [];
    const events: LivenessEvent[] = [];
    for (const extra of [{}, { nested: [1] }]) {
      const error = await assertEmitted('never.emitted', () => {
        emit('same.payload', measurements, { ...metadata, ...extra });
      }).catch((e: unknown) => e as Error);
      reports.push(String((error as Error).message).replace(/,"nested":\["l",1\]|,"nested":\[1\]/, ''));
      const c = capture('same.payload');
      emit('same.payload', measurements, { ...metadata, ...extra });
      c.close();
      const [e] = c.events;
      delete e.metadata.nested;
      events.push(e);
    }
    expect(reports[0]).toContain('1152921504606847000');
    expect(reports[0]).toBe(reports[1]);
    expect(events[0].measurements).toEqual(events[1].measurements);
    expect(events[0].metadata).toEqual(events[1].metadata);
    expect(Object.keys(events[0].metadata)).toContain('__proto__');
  });

  test('names, keys and texts of any length and any characters arrive whole on the flat path', () => {
    // The native side reads a short string through a 128-byte buffer and a longer one another
    // way: byte lengths all around that size, ending in characters of 1 to 4 bytes in UTF-8.
    const texts: string[] = [];
    for (const last of ['a', 'é', '€', '😀']) for (let n = 118; n <= 130; n++) texts.push('k'.repeat(n) + last);
    const name = `${'n'.repeat(200)}.flat`;
    const c = capture('**');
    for (const text of texts) emit(name, { [text]: 1 }, { [text]: text, short: text.slice(-3) });
    c.close();
    expect(c.events.map((e) => e.name)).toEqual(texts.map(() => name));
    expect(c.events.map((e) => [e.measurements, e.metadata])).toEqual(texts.map((t) => [{ [t]: 1 }, { [t]: t, short: t.slice(-3) }]));
  });

  test('the raw native emitFlat throws coded errors for bad arguments instead of crashing', () => {
    // A raw napi function (src/events.rs): its errors are thrown by hand, not by napi-rs.
    const emitFlat = native.emitFlatFunction();
    const c = capture('**');
    const code = (f: () => void): unknown => {
      try {
        f();
      } catch (error) {
        return (error as { code?: unknown }).code;
      }
      return 'no error';
    };
    const ok = native.internName('raw.ok');
    const many = native.internName('raw.many');
    expect(native.internName('raw.ok')).toBe(ok); // one id per name
    expect(code(() => native.internName('bad..name'))).toBe('LIVENESS_INVALID_ARGUMENT');
    expect(code(() => emitFlat(1_000_000, null, 0))).toBe('LIVENESS_INVALID_ARGUMENT'); // no such id
    expect(code(() => emitFlat('raw.ok' as unknown as number, null, 0))).toBe('LIVENESS_INVALID_ARGUMENT');
    expect(code(() => emitFlat(ok, null, 1, 'n'))).toBe('LIVENESS_INVALID_ARGUMENT');
    expect(code(() => emitFlat(ok, null, 1, 'n', 'not a number'))).toBe('LIVENESS_INVALID_ARGUMENT');
    expect(code(() => emitFlat(ok, null, 0, 'k', {} as unknown as string))).toBe('LIVENESS_INVALID_ARGUMENT');
    expect(code(() => (emitFlat as unknown as () => void)())).toBe('LIVENESS_INVALID_ARGUMENT');
    expect(code(() => emitFlat(ok, null, 1, 'n', 2, 'k', 'v'))).toBe('no error');
    const pairs = Array.from({ length: 20 }, (_, i) => [`k${i}`, i]).flat();
    expect(code(() => emitFlat(many, null, 0, ...pairs))).toBe('no error');
    c.close();
    expect(c.events.map((e) => [e.name, e.measurements, e.metadata])).toEqual([
      ['raw.ok', { n: 2 }, { k: 'v' }],
      ['raw.many', {}, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]))],
    ]);
  });

  test('a Map with string keys is metadata too', () => {
    const events: LivenessEvent[] = [];
    attach('t.handler', 'map', (e) => events.push(e));
    emit('map', new Map([['n', 1]]), new Map([['k', 'v']]));
    expect(events[0].measurements).toEqual({ n: 1 });
    expect(events[0].metadata).toEqual({ k: 'v' });
  });
});

describe('attach', () => {
  test('bad arguments are TypeErrors', () => {
    expect(() => attach('t.a', 'a..b', () => {})).toThrow(TypeError);
    expect(() => attach('t.a', [], () => {})).toThrow(TypeError);
    // @ts-expect-error: a handler is a function
    expect(() => attach('t.a', 'a', 'not a function')).toThrow(TypeError);
    expect(() => attach('', 'a', () => {})).toThrow(TypeError);
    attach('t.a', 'a', () => {});
    expect(() => attach('t.a', 'a', () => {})).toThrow(/already attached/);
  });

  test('a handler that throws is detached, warned about, reported as liveness.handler.failure; emit is unaffected', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const failures = capture('liveness.handler.failure');
    const others: string[] = [];
    attach('t.failing', 'boom', () => {
      throw new Error('handler bug');
    });
    attach('t.b', 'boom', (e) => others.push(e.name));
    expect(() => emit('boom')).not.toThrow();
    emit('boom');
    failures.close();
    expect(others).toEqual(['boom', 'boom']);
    expect(hasSubscribers('boom')).toBe(true); // only t.b is left
    expect(detach('t.failing')).toBe(false);
    expect(failures.events).toHaveLength(1);
    expect(failures.events[0].metadata).toMatchObject({ handler: 't.failing', event: 'boom' });
    expect(failures.events[0].metadata.error).toContain('handler bug');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('"t.failing" failed on "boom" and was detached: Error: handler bug');
    expect(warn.mock.calls[0][1]).toEqual({ type: 'LivenessHandlerWarning', code: 'LIVENESS_HANDLER_FAILED' });
    warn.mockRestore();
  });

  test('an async handler that rejects is detached after the fact and reported', async () => {
    const failures = capture('liveness.handler.failure');
    // eslint-disable-next-line @typescript-eslint/require-await -- an async handler that rejects is the case
    attach('t.async', 'later', async () => {
      throw new Error('async bug');
    });
    emit('later');
    await eventually(() => failures.length === 1);
    failures.close();
    expect(detach('t.async')).toBe(false);
    expect(failures.events[0].metadata).toMatchObject({ handler: 't.async', event: 'later' });
  });
});

describe('capture', () => {
  test('records matching events in order while open; closed captures stay readable', () => {
    emit('cap.before');
    const c = capture('cap.**');
    expect(c).toBeInstanceOf(Capture);
    emit('cap.a', { n: 1 });
    emit('other');
    emit('cap.b.c');
    c.close();
    emit('cap.after');
    expect(c.events.map((e) => e.name)).toEqual(['cap.a', 'cap.b.c']);
    expect(c.length).toBe(2);
  });

  test('with a block: awaits it, closes even when it throws, resolves with the events', async () => {
    const events = await capture(['x.*'], async () => {
      emit('x.one');
      // liveness: allow-sleep(the block's async work between two emits: the behaviour under test)
      await new Promise((r) => setTimeout(r, 1));
      emit('x.two');
    });
    expect(events.map((e) => e.name)).toEqual(['x.one', 'x.two']);
    await expect(
      capture('y', () => {
        throw new Error('block failed');
      }),
    ).rejects.toThrow('block failed');
    expect(hasSubscribers('y')).toBe(false);
  });

  test('an invalid pattern is a TypeError', () => {
    expect(() => capture('a.**.b')).toThrow(TypeError);
  });

  test('events emitted by native code on another thread reach a JavaScript capture', async () => {
    const c = capture('native.worker.tick');
    native.emitFromNativeThread('native.worker.tick', 5);
    await eventually(() => c.length === 5);
    c.close();
    expect(c.events.map((e) => e.metadata.i)).toEqual([0, 1, 2, 3, 4]);
    expect(c.events[0].thread).toBe('liveness-native-emitter');
  });

  test('…and a JavaScript handler, on the JavaScript thread', async () => {
    const got: number[] = [];
    attach('t.native', 'native.worker.**', (e) => got.push(e.measurements.i));
    native.emitFromNativeThread('native.worker.job', 3);
    await eventuallyPasses(() => expect(got).toEqual([0, 1, 2]));
  });
});
