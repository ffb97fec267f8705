// The EventEmitter and OpenTelemetry bridges (SPEC §5, bridges) on real library output: a Node
// stream's events and spans of the official OpenTelemetry SDK. Each has a bridge-less control
// that sees nothing, so the bridge is what makes the assertion pass.
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter, once } from 'node:events';
import { Readable } from 'node:stream';

import { expect, test } from '@jest/globals';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  assertEmitted,
  assertEmittedInOrder,
  assertNotEmitted,
  bridgeEmitter,
  capture,
  EventAssertionError,
  EventSpanProcessor,
} from '@liveness-dev/liveness';

import { expectInstanceOf } from './support/expect';

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

test('bridgeEmitter: a Node stream’s events, arguments as { args }', async () => {
  const stream = Readable.from(['a', 'b'], { objectMode: true });
  using bridge = bridgeEmitter(stream, ['data', 'end'], { prefix: 'upload::stream' });
  expect([...bridge.events.values()]).toEqual(['upload.stream.data', 'upload.stream.end']);
  await assertEmittedInOrder(['upload.stream.data', 'upload.stream.data', 'upload.stream.end'], async () => {
    await assertEmitted(
      'upload.stream.data',
      async () => {
        stream.resume();
        await once(stream, 'end');
      },
      { where: { args: ['b'] }, count: 1 },
    );
  });
});

test('bridgeEmitter: the control without the bridge sees nothing', async () => {
  const stream = Readable.from(['a', 'b'], { objectMode: true });
  const outcome = await rejection(
    assertEmitted('upload.stream.data', async () => {
      stream.resume();
      await once(stream, 'end');
    }),
  );
  expectInstanceOf(outcome, EventAssertionError);
  expect(outcome.message).toContain('upload.stream.data');
});

test('bridgeEmitter: a single plain-object argument gives the metadata; close() removes the listeners', async () => {
  const orders = new EventEmitter();
  const before = orders.listenerCount('placed');
  const bridge = bridgeEmitter(orders, ['placed'], { prefix: 'shop' });
  expect(orders.listenerCount('placed')).toBe(before + 1);
  await assertEmitted('shop.placed', () => orders.emit('placed', { id: 7, total: 12.5 }), { where: { id: 7, total: 12.5 } });
  const got = await capture('shop.*', () => orders.emit('placed', 1, 'two'));
  expect(got.map((e) => e.metadata)).toEqual([{ args: [1, 'two'] }]);
  bridge.close();
  bridge.close();
  expect(orders.listenerCount('placed')).toBe(before);
  await assertNotEmitted('shop.placed', () => orders.emit('placed', { id: 8 }));
});

test('bridgeEmitter: bridging error keeps emit(error) throwing when nobody else listens', async () => {
  const source = new EventEmitter();
  using bridge = bridgeEmitter(source, ['error'], { prefix: 'db' });
  expect(bridge.events.get('error')).toBe('db.error');
  const boom = new Error('connection reset');
  await assertEmitted('db.error', () => expect(() => source.emit('error', boom)).toThrow('connection reset'));
  source.on('error', () => {});
  await assertEmitted('db.error', () => expect(source.emit('error', boom)).toBe(true));
});

test('bridgeEmitter: the event is in the scope of the code that emitted', async () => {
  const source = new EventEmitter();
  using bridge = bridgeEmitter(source, ['tick'], { prefix: 'job' });
  expect(bridge.events.get('tick')).toBe('job.tick');
  const elsewhere = AsyncLocalStorage.snapshot();
  const got = await capture('job.tick', { scoped: true }, async () => {
    source.emit('tick', { from: 'mine' });
    await elsewhere(() => capture('**', { scoped: true }, () => source.emit('tick', { from: 'theirs' })));
  });
  expect(got.map((e) => e.metadata)).toEqual([{ from: 'mine' }]);
});

test('bridgeEmitter: a payload liveness cannot keep never throws into the emitter; the event says why', async () => {
  const source = new EventEmitter();
  using bridge = bridgeEmitter(source, ['loop'], { prefix: 'graph' });
  const cyclic: Record<string, unknown> = { id: 1 };
  cyclic.self = cyclic;
  const got = await capture('graph.*', () => expect(source.emit('loop', cyclic)).toBe(true));
  expect(got.map((e) => e.name)).toEqual([bridge.events.get('loop')]);
  expect(got[0].metadata.bridgeError).toEqual(expect.stringContaining('must not contain itself'));
});

test('bridgeEmitter: bad arguments are TypeErrors', () => {
  const source = new EventEmitter();
  expect(() => bridgeEmitter({} as never, ['x'], { prefix: 'p' })).toThrow(TypeError);
  expect(() => bridgeEmitter(source, [], { prefix: 'p' })).toThrow(TypeError);
  expect(() => bridgeEmitter(source, ['x'], {} as never)).toThrow(TypeError);
});

function tracerWith(...spanProcessors: EventSpanProcessor[]) {
  return new BasicTracerProvider({ spanProcessors }).getTracer('checkout');
}

test('EventSpanProcessor: a finished span of the SDK, with its attributes, ids, status, kind and duration', async () => {
  const tracer = tracerWith(new EventSpanProcessor());
  let ids = { trace_id: '', span_id: '' };
  const got = await capture('**', () =>
    tracer.startActiveSpan('GET /cart', (span) => {
      const { traceId, spanId } = span.spanContext();
      ids = { trace_id: traceId, span_id: spanId };
      span.setAttribute('http.method', 'GET');
      span.addEvent('cache miss', { key: 'cart:7' });
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream down' });
      span.end();
    }),
  );
  expect(got.map((e) => e.name)).toEqual(['GET__cart.cache_miss', 'GET__cart']);
  expect(got[0].metadata).toEqual({ key: 'cart:7', span: 'GET /cart', ...ids });
  expect(got[1].metadata).toEqual({ 'http.method': 'GET', ...ids, status: 'ERROR', kind: 'INTERNAL' });
  expect(typeof got[1].measurements.duration_ms).toBe('number');
  expect(got[1].measurements.duration_ms).toBeGreaterThanOrEqual(0);
});

test('EventSpanProcessor: the attribute event names the event; assertEmitted matches its metadata', async () => {
  const tracer = tracerWith(new EventSpanProcessor());
  await assertEmitted('order.placed', () => tracer.startSpan('placeOrder', { attributes: { event: 'order.placed', 'order.id': 42 } }).end(), {
    where: { 'order.id': 42, status: 'UNSET' },
  });
  // Not a valid event name: the span's name decides.
  const got = await capture('**', () => tracer.startSpan('placeOrder', { attributes: { event: 'not valid!' } }).end());
  expect(got.map((e) => e.name)).toEqual(['placeOrder']);
});

test('EventSpanProcessor: the control without the processor sees nothing', async () => {
  const tracer = tracerWith();
  const outcome = await rejection(assertEmitted('placeOrder', () => tracer.startSpan('placeOrder').end()));
  expectInstanceOf(outcome, EventAssertionError);
});

test('EventSpanProcessor: a span ended in another test’s scope is not this scoped capture’s', async () => {
  const tracer = tracerWith(new EventSpanProcessor());
  const elsewhere = AsyncLocalStorage.snapshot();
  await assertNotEmitted(
    'theirs',
    async () => {
      tracer.startSpan('mine').end();
      await elsewhere(() => capture('**', { scoped: true }, () => tracer.startSpan('theirs').end()));
    },
    { scoped: true },
  );
});
