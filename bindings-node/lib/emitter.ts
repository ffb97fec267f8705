// A bridge from any EventEmitter (SPEC §5, bridges): the named events an emitter already emits
// become liveness events, so code under test is asserted on unchanged. The listener runs inside
// the emitter's synchronous emit, so the event carries the emitting code's scope.
import type { EventEmitter } from 'node:events';

import { emit, type Measurements, type Metadata } from './events';
import { native } from './native';

export interface EmitterBridgeOptions {
  /** The first segments of every event's name, through the bridges' naming rule (`bridgeName`). */
  prefix: string;
}

/** A bridge in place; `close()` removes its listeners (idempotent). */
export interface EmitterBridge {
  /** The liveness event name of each bridged event name. */
  readonly events: ReadonlyMap<string, string>;
  close(): void;
  [Symbol.dispose](): void;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A single plain-object argument gives its fields; anything else is `{ args: [...] }`. */
function payload(args: unknown[]): Metadata {
  return args.length === 1 && isPlainObject(args[0]) ? args[0] : { args };
}

/**
 * Emits for a bridge: never throws into the instrumented code (its emit, its span.end()). A
 * payload liveness cannot keep (a plain object that contains itself, nesting deeper than
 * MAX_PAYLOAD_DEPTH, a property that throws) still gives the event, with the reason as its only
 * metadata `bridgeError`, so an assertion's report shows why its fields are missing.
 * @internal
 */
export function bridgeEmit(name: string, measurements: Measurements | undefined, metadata: Metadata): void {
  try {
    emit(name, measurements, metadata);
  } catch (error) {
    emit(name, undefined, { bridgeError: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Re-emits each of `events` emitted by `emitter` as the liveness event
 * `bridgeName(prefix) + '.' + bridgeName(eventName)`, only while someone listens (with nothing
 * attached, a bridged emit costs one native check). Bridging `'error'` keeps its meaning: when the
 * bridge is the emitter's only `'error'` listener, the error is still thrown after it is bridged.
 */
export function bridgeEmitter(emitter: EventEmitter, events: readonly string[], options: EmitterBridgeOptions): EmitterBridge {
  if (emitter === null || typeof emitter !== 'object' || typeof emitter.on !== 'function' || typeof emitter.removeListener !== 'function') {
    throw new TypeError('bridgeEmitter: emitter must be an EventEmitter');
  }
  if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string')) {
    throw new TypeError('bridgeEmitter: events must be a non-empty array of event names (strings)');
  }
  const prefix = (options as EmitterBridgeOptions | undefined)?.prefix;
  if (typeof prefix !== 'string') throw new TypeError('bridgeEmitter: options.prefix must be a string');
  // The naming rule is the core's (events::bridge_name): every door names a source the same way.
  const head = native.bridgeName(prefix);
  const names = new Map<string, string>();
  // `events` was checked above, but Array.isArray narrowed it to any[].
  for (const e of new Set<string>(events as readonly string[])) names.set(e, `${head}.${native.bridgeName(e)}`);
  const listeners: [string, (...args: unknown[]) => void][] = [];
  for (const [eventName, name] of names) {
    const listener = (...args: unknown[]): void => {
      if (native.anyAttached() && native.hasSubscribers(name)) bridgeEmit(name, undefined, payload(args));
      // Without a listener, emit('error') throws: a bridge must not swallow that.
      if (eventName === 'error' && typeof emitter.listenerCount === 'function' && emitter.listenerCount('error') === 1) {
        throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error. (${String(args[0])})`);
      }
    };
    emitter.on(eventName, listener);
    listeners.push([eventName, listener]);
  }
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    for (const [eventName, listener] of listeners) emitter.removeListener(eventName, listener);
  };
  return { events: names, close, [Symbol.dispose]: close };
}
