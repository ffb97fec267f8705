// A type test: uses every public API as a user would; `tsc -p types-test` must accept it, and the
// lines marked @ts-expect-error must be rejected (so the types are not just `any`).
import {
  always,
  assertEmitted,
  assertEmittedInOrder,
  assertNotEmitted,
  attach,
  bridgeChannel,
  bridgeEmitter,
  EventSpanProcessor,
  type EmitterBridge,
  capture,
  Capture,
  detach,
  emit,
  EventAssertionError,
  eventually,
  eventuallyChanges,
  eventuallyPasses,
  eventuallySettles,
  hasSubscribers,
  LivenessError,
  LivenessTimeoutError,
  LivenessViolationError,
  never,
  pendingWaits,
  cancelPendingWaits,
  syncOperation,
  VERSION,
  type Evaluation,
  type LivenessEvent,
  type Options,
  type SettlesOptions,
} from '@liveness-dev/liveness';
import '@liveness-dev/liveness/jest';
import { expect } from '@jest/globals';

export async function everything(signal: AbortSignal): Promise<void> {
  const options: Options = {
    timeout: 1000,
    interval: 10,
    minInterval: 1,
    maxInterval: 50,
    delay: 0,
    attempts: 3,
    message: 'ready',
    stableFor: 5,
    wakeOn: ['svc.**'],
    retryOn: [TypeError],
    failOn: RangeError,
    signal,
  };
  const n: number = await eventually(() => 42 as number | null, options);
  const s: string = await eventually(async () => 'x' as string | undefined);
  const v: { ok: boolean } = await eventuallyPasses(() => ({ ok: true }));
  const c: number = await eventuallyChanges(() => n);
  const u: string = await syncOperation(
    () => undefined,
    () => s,
  );
  const nothing: void = await always(() => true, 100);
  await never(() => false, 100, { interval: 5 });
  void [v, c, u, nothing];

  const issue12: Options = {
    timeout: Infinity,
    intervals: [100, 250, 500],
    atLeast: 10,
    realTimers: true,
    onEvaluation: (e: Evaluation) => {
      const fields: [number, number, number, boolean, unknown, unknown] = [e.number, e.startedMs, e.durationMs, e.accepted, e.value, e.error];
      void fields;
    },
    onTimeout: (failure: Error) => new Error('replaced', { cause: failure }),
  };
  await eventually(() => true, { ...issue12, onTimeout: () => undefined });
  await eventually(() => true, { interval: 10, backoff: 2 });
  const settled: string[] = await eventuallySettles(() => ['a'], { quiet: 100, ...issue12 });
  const settlesOptions: SettlesOptions = { quiet: 5 };
  void [settled, settlesOptions];
  // @ts-expect-error: quiet is required
  await eventuallySettles(() => 1, {});
  // @ts-expect-error: intervals is a list
  await eventually(() => true, { intervals: 100 });
  // @ts-expect-error: the hook returns an error or nothing
  await eventually(() => true, { onTimeout: () => 'text' });

  emit('svc.up', { ms: 1 }, { host: 'a', obj: new Date() });
  emit('svc.up', new Map([['ms', 1]]));
  attach('id', 'svc.*', (e: LivenessEvent) => {
    const name: string = e.name;
    const ms: number | undefined = e.measurements.ms;
    void [name, ms, e.metadata.host, e.seq, e.atMs, e.thread];
  });
  const detached: boolean = detach('id');
  const subscribed: boolean = hasSubscribers('svc.up');
  const open: Capture = capture('svc.**');
  const events: LivenessEvent[] = open.events;
  open.close();
  const recorded: LivenessEvent[] = await capture(['a', 'b.*'], async () => emit('a'));
  const value: number = await assertEmitted('svc.up', () => 1, { where: { host: 'a' }, count: 1 });
  await assertEmitted('svc.up', async () => undefined, { where: (e) => e.measurements.ms > 0 });
  await assertNotEmitted('svc.down', () => undefined, { where: { host: 'b' } });
  await assertEmittedInOrder(['a', 'b'], () => undefined);
  const bridge = bridgeChannel('http.client.request.start', { event: 'http.request', metadata: (m) => ({ m }) });
  bridge.close();
  // Scoped captures: the options of the assertions, and capture's block form with options.
  const scoped: LivenessEvent[] = await capture('a', { scoped: true }, () => emit('a'));
  await assertEmitted('a', () => emit('a'), { count: 1, scoped: true });
  await assertNotEmitted('b', () => undefined, { scoped: true });
  await assertEmittedInOrder(['a'], () => emit('a'), { scoped: false });
  // @ts-expect-error: scoped is a boolean
  await assertNotEmitted('b', () => undefined, { scoped: 'yes' });
  const emitterBridge: EmitterBridge = bridgeEmitter(new (await import('node:events')).EventEmitter(), ['ready'], { prefix: 'svc' });
  const bridged: string | undefined = emitterBridge.events.get('ready');
  emitterBridge.close();
  // @ts-expect-error: the prefix is required
  bridgeEmitter(new (await import('node:events')).EventEmitter(), ['ready'], {});
  const processor = new EventSpanProcessor();
  processor.onStart();
  await processor.forceFlush();
  await processor.shutdown();
  void [detached, subscribed, events, recorded, value, scoped, bridged];

  try {
    await eventually(() => false);
  } catch (e) {
    if (e instanceof LivenessTimeoutError) {
      const evaluations: number = e.evaluations;
      const elapsed: number = e.elapsedMs;
      const last: string | undefined = e.lastFailure;
      const runs: number = e.history[0].count;
      const cause: unknown = e.cause;
      void [evaluations, elapsed, last, runs, cause];
    }
    const kinds = [LivenessError, LivenessViolationError, EventAssertionError];
    void kinds;
  }
  const waits: string[] = pendingWaits().map((w) => w.operation);
  const guard: Error | undefined = cancelPendingWaits();
  const version: string = VERSION;
  void [waits, guard, version];

  await expect(() => true).toEventually({ timeout: 10 });
  // expect.eventually: any matcher, `.not` too, each returning a Promise; the options are typed.
  const polled: Promise<void> = expect.eventually(() => 3, { timeout: 10 }).toBe(3);
  await polled;
  await expect.eventually(async () => 'a').not.toBe('b');
  // @ts-expect-error: the options are liveness's
  void expect.eventually(() => 3, { timeout: 'soon' });
  await expect(() => undefined).toEventuallyPass();
  await expect(() => emit('a')).toEmit('a', { where: { k: 1 }, count: 1 });
  await expect(() => emit('a')).toEmitInOrder(['a']);
  await expect(() => emit('a')).toEmit('a', { scoped: true });
  await expect(() => emit('a')).toEmitInOrder(['a'], { scoped: true });

  // @ts-expect-error: a probe is a function
  await eventually(42);
  // @ts-expect-error: durations are numbers of milliseconds
  await eventually(() => true, { timeout: '5s' });
  // @ts-expect-error: unknown option
  await eventually(() => true, { timout: 5 });
  // @ts-expect-error: always needs a duration
  await always(() => true);
  // @ts-expect-error: measurements are numbers
  emit('a', { n: 'one' });
}
