// Events (SPEC §5): emit, attach/detach, captures and the assertions on what a block emitted.
// The bus, matching and the failure reports are the core's; this file translates.
import { EventAssertionError, translate } from './errors';
import { native } from './native';
import { checkPayload, flatArguments, type LivenessEvent, measurementsJson, metadataJson, parseEvent, parseEvents } from './payload';
import { describeError, isThenable } from './repr';
import { currentScope, newScope, type NativeScope, runIn } from './scope';
import { restack } from './stack';

export type { LivenessEvent } from './payload';

/** Measurements: numbers by name. Metadata: any values by name (data is copied, objects kept). */
export type Measurements = Record<string, number> | Map<string, number>;
export type Metadata = Record<string, unknown> | Map<string, unknown>;

function patternList(name: string, patterns: unknown): string[] {
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
    throw new TypeError(`${name}: patterns must be a string or an array of strings`);
  }
  return list as string[];
}

/**
 * Names the core already accepted, each with its id from `internName` (src/names.rs): the name
 * crosses to native and is checked once per name, and a captured emit passes the id. -1: the
 * native table is full, the name itself crosses (the JSON path).
 */
const nameIds = new Map<string, number>();
const CHECKED_NAMES_MAX = 4096;

/** The name's id, interning (and so validating: a TypeError for an invalid name) it when new. */
function nameId(name: string): number {
  const known = nameIds.get(name);
  if (known !== undefined) return known;
  const id = translate(() => native.internName(name));
  // The native table keeps every id, so forgetting ours only costs asking again.
  if (nameIds.size >= CHECKED_NAMES_MAX) nameIds.clear();
  nameIds.set(name, id);
  return id;
}

/** The native emit of a flat payload: its entries cross as arguments (src/events.rs). */
const emitFlat = native.emitFlatFunction();

/** name → what hasSubscribers said, under the subscription generation it was asked at. */
const listening = new Map<string, { generation: number; listened: boolean }>();

/** Whether someone listens to `name`: asks the core only when the generation has changed. */
function listenedTo(name: string, generation: number): boolean {
  const known = listening.get(name);
  if (known !== undefined && known.generation === generation) return known.listened;
  // Asked after the generation was read: an attach or detach meanwhile changes it again.
  const listened = native.hasSubscribers(name);
  if (known !== undefined) {
    known.generation = generation;
    known.listened = listened;
  } else {
    if (listening.size >= CHECKED_NAMES_MAX) listening.clear();
    listening.set(name, { generation, listened });
  }
  return listened;
}

/**
 * Emits an event to every attached handler whose pattern matches, synchronously. Throws a
 * TypeError for an invalid name, a non-numeric measurement or bad metadata (a cycle, nesting
 * deeper than MAX_PAYLOAD_DEPTH, a property that throws when read), even when nothing is attached;
 * never because of a handler.
 */
export function emit(name: string, measurements?: Measurements, metadata?: Metadata): void {
  if (typeof name !== 'string') throw new TypeError(`event name must be a string, got ${typeof name}`);
  const id = nameId(name);
  // Nothing attached anywhere (the usual case in production code), or nobody listening to this
  // name (the core's answer, kept while its subscription generation is unchanged): no string
  // crosses to native, and the payload is only checked, the same way as when it is built.
  const generation = native.subscriptionGeneration();
  if (generation === 0 || !listenedTo(name, generation)) {
    checkPayload(measurements, metadata);
    return;
  }
  // The usual payload crosses as napi values in one call; JSON would cost more than the emit.
  const args = id >= 0 ? flatArguments(measurements, metadata) : undefined;
  if (args !== undefined) {
    args[0] = id;
    args[1] = currentScope() ?? null;
    translate((): void => {
      Reflect.apply(emitFlat, undefined, args);
    });
    return;
  }
  const m = measurementsJson(measurements);
  const d = metadataJson(metadata);
  // The scope is read only here, past the fast path: an idle emit never touches the context.
  const scope = currentScope() ?? null;
  translate(() => native.emitPayload(name, m, d, scope));
}

/** Whether emitting `name` now would reach any handler. */
export function hasSubscribers(name: string): boolean {
  if (typeof name !== 'string') throw new TypeError(`event name must be a string, got ${typeof name}`);
  return native.hasSubscribers(name);
}

/**
 * Attaches `handler` under `id` for events matching `patterns`. A handler that throws is
 * detached, reported with `process.emitWarning` and as the event `liveness.handler.failure`.
 */
export function attach(id: string, patterns: string | readonly string[], handler: (event: LivenessEvent) => unknown): void {
  if (typeof id !== 'string') throw new TypeError(`handler id must be a string, got ${typeof id}`);
  const list = patternList('attach', patterns);
  if (typeof handler !== 'function') throw new TypeError(`attach: handler must be a function, got ${typeof handler}`);
  const failed = (name: string, error: unknown): string => {
    const { kind, text } = describeError(error);
    const message = `${kind}: ${text}`;
    // A string, not an Error of ours: under Jest that would be of another realm than Node's check.
    process.emitWarning(`liveness handler ${JSON.stringify(id)} failed on ${JSON.stringify(name)} and was detached: ${message}`, {
      type: 'LivenessHandlerWarning',
      code: 'LIVENESS_HANDLER_FAILED',
    });
    return message;
  };
  const dispatcher = (json: string): string | undefined => {
    const event = parseEvent(json);
    try {
      const r = handler(event);
      if (isThenable(r)) {
        // An async handler fails after emit returned: detach it then (see afterTheFact).
        Promise.resolve(r).catch((error) => afterTheFact(id, event.name, failed(event.name, error)));
      }
      return undefined;
    } catch (error) {
      const message = failed(event.name, error);
      // Emitted from JavaScript, the core gets the text at once and detaches and reports. An event
      // queued from another thread arrives after its emit returned: nobody reads the text then.
      queueMicrotask(() => afterTheFact(id, event.name, message));
      return message;
    }
  };
  translate(() => native.attach(id, list, dispatcher));
}

/**
 * A handler failed after its emit returned (queued from another thread, or async): the core could
 * not see it, so detach it here and report it the way the core does. Nothing happens when the
 * core already detached it.
 * TODO(core): a public `events::handler_failed(id, event, error)` would make this the core's.
 */
function afterTheFact(id: string, event: string, error: string): void {
  if (native.detach(id)) emit('liveness.handler.failure', {}, { handler: id, event, error });
}

/** Detaches the handler `id`; false when none was attached. */
export function detach(id: string): boolean {
  if (typeof id !== 'string') throw new TypeError(`handler id must be a string, got ${typeof id}`);
  return native.detach(id);
}

/** An open capture: records matching events from any thread of the process until closed. */
export class Capture {
  /** @internal */
  readonly native: InstanceType<typeof native.NativeCapture>;
  /** What was recorded, once closed: held by JavaScript (the native buffer is freed at close). */
  private closed: { json: string; length: number } | undefined;

  constructor(patterns: string | readonly string[] = '**', /** @internal */ scope?: NativeScope) {
    const list = patternList('capture', patterns);
    this.native = translate(() => new native.NativeCapture(list, scope ?? null));
  }

  /** The events recorded so far, in emit order. */
  get events(): LivenessEvent[] {
    return parseEvents(this.closed?.json ?? this.native.events());
  }

  get length(): number {
    return this.closed?.length ?? this.native.length;
  }

  /** Stops recording; the events stay readable. */
  close(): void {
    if (this.closed) return;
    this.native.close();
    this.closed = { json: this.native.events(), length: this.native.length };
    this.native.release();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** Options of a capture around a block (`capture(patterns, options, block)`) and of the assertions. */
export interface ScopeOptions {
  /**
   * Run the block in a new scope (nested in the current one) and record only the events emitted
   * in it, in scopes nested in it, or in no scope at all — never another scope's (another test's
   * running at the same time). See SPEC §5, scoped captures.
   */
  scoped?: boolean;
}

function scopedOption(name: string, options: ScopeOptions | undefined): boolean {
  const scoped = options?.scoped ?? false;
  if (typeof scoped !== 'boolean') throw new TypeError(`${name}: scoped must be a boolean, got ${typeof scoped}`);
  return scoped;
}

/**
 * Runs `block` (awaiting it) — in a new scope when `scoped` — with `c` open; closes `c` when the
 * block ends, even when it throws. The scope is entered with AsyncLocalStorage.run, so only the
 * block and what it starts are in it: the caller's own code after the call is not.
 */
async function runBlock<T>(c: Capture, scope: NativeScope | undefined, block: () => T | PromiseLike<T>): Promise<Awaited<T>> {
  try {
    return await (scope === undefined ? block() : runIn(scope, block));
  } finally {
    c.native.close();
  }
}

/**
 * `capture(patterns)` opens a capture (close it, or use `using`). `capture(patterns, block)` runs
 * the block (awaiting it), closes the capture even when the block throws, and resolves with the
 * events. `capture(patterns, { scoped: true }, block)` runs the block in a scope of its own and
 * records only what that scope may see; the scoped form needs a block, since a scope is entered
 * for a block and what it starts, never for the rest of the caller's code.
 */
export function capture(patterns?: string | readonly string[]): Capture;
export function capture(patterns: string | readonly string[], block: () => unknown): Promise<LivenessEvent[]>;
export function capture(patterns: string | readonly string[], options: ScopeOptions, block: () => unknown): Promise<LivenessEvent[]>;
export function capture(
  patterns?: string | readonly string[],
  optionsOrBlock?: ScopeOptions | (() => unknown),
  maybeBlock?: () => unknown,
): Capture | Promise<LivenessEvent[]> {
  if (optionsOrBlock === undefined && maybeBlock === undefined) return new Capture(patterns);
  const options = typeof optionsOrBlock === 'function' ? {} : optionsOrBlock;
  const block = typeof optionsOrBlock === 'function' ? optionsOrBlock : maybeBlock;
  if (block === undefined) throw new TypeError('capture: the form with options takes a block: capture(patterns, { scoped: true }, block)');
  return (async () => {
    if (typeof block !== 'function') throw new TypeError(`capture: block must be a function, got ${typeof block}`);
    const scope = scopedOption('capture', options) ? newScope() : undefined;
    const c = new Capture(patterns, scope);
    await runBlock(c, scope, block);
    const events = c.events;
    c.native.release();
    return events;
  })();
}

/** Which events count beyond their name: a predicate, or metadata values to match (a subset). */
export type Where = ((event: LivenessEvent) => unknown) | Metadata;

export interface EmittedOptions extends ScopeOptions {
  where?: Where;
  /** Exactly this many (default: at least one). */
  count?: number;
}

export interface NotEmittedOptions extends ScopeOptions {
  where?: Where;
}

/**
 * Runs `block` with everything captured, then `verify` on what the block emitted; the capture is
 * closed when the block ends and its memory freed once verified, whatever happens.
 */
function during<T>(block: () => T | PromiseLike<T>, name: string, scoped: boolean, verify: (c: Capture) => void): Promise<Awaited<T>> {
  // Captured at the call, before any await: a failure's stack is the test's line, not ours.
  const origin = new Error(name);
  return duringFrom(block, name, scoped, verify).catch((error: unknown) => {
    if (error instanceof EventAssertionError) restack(error, origin);
    throw error;
  });
}

async function duringFrom<T>(block: () => T | PromiseLike<T>, name: string, scoped: boolean, verify: (c: Capture) => void): Promise<Awaited<T>> {
  if (typeof block !== 'function') throw new TypeError(`${name}: block must be a function, got ${typeof block}`);
  const scope = scoped ? newScope() : undefined;
  // Every event is recorded, not only matching ones, so a failure can show what came close.
  const c = new Capture('**', scope);
  try {
    const value = await runBlock(c, scope, block);
    verify(c);
    return value;
  } finally {
    c.native.release();
  }
}

/** Calls a native check with `where` translated; a predicate's own error is rethrown as itself. */
function check(where: Where | undefined, run: (whereJson: string | null, predicate: ((e: string) => boolean) | null) => string | null): void {
  let thrown: { error: unknown } | undefined;
  let verdict: string | null;
  if (typeof where === 'function') {
    const predicate = (json: string): boolean => {
      if (thrown) return false;
      try {
        return Boolean(where(parseEvent(json)));
      } catch (error) {
        thrown = { error };
        return false;
      }
    };
    verdict = translate(() => run(null, predicate));
  } else if (where !== undefined && where !== null) {
    const json = metadataJson(where);
    verdict = translate(() => run(json, null));
  } else {
    verdict = translate(() => run(null, null));
  }
  if (thrown) throw thrown.error;
  if (verdict !== null) throw new EventAssertionError(verdict);
}

function checkPattern(pattern: unknown, name: string): string {
  if (typeof pattern !== 'string') throw new TypeError(`${name}: pattern must be a string, got ${typeof pattern}`);
  translate(() => native.checkPattern(pattern));
  return pattern;
}

/**
 * Runs `block` to completion (awaiting it), then asserts that an event matching `pattern` (and
 * `where`) was emitted meanwhile — at least once, or exactly `count` times. Resolves with the
 * block's value; rejects with an EventAssertionError listing what was emitted.
 */
export async function assertEmitted<T>(pattern: string, block: () => T | PromiseLike<T>, options: EmittedOptions = {}): Promise<Awaited<T>> {
  checkPattern(pattern, 'assertEmitted');
  const { where, count } = options ?? {};
  const scoped = scopedOption('assertEmitted', options);
  if (count !== undefined) {
    if (typeof count !== 'number') throw new TypeError(`assertEmitted: count must be a number, got ${typeof count}`);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`assertEmitted: count must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${String(count)}`);
    }
  }
  return during(block, 'assertEmitted', scoped, (c) => check(where, (w, p) => c.native.checkEmitted(pattern, w, p, count ?? null)));
}

/** Runs `block`, then asserts no event matching `pattern` (and `where`) was emitted meanwhile. */
export async function assertNotEmitted<T>(pattern: string, block: () => T | PromiseLike<T>, options: NotEmittedOptions = {}): Promise<Awaited<T>> {
  checkPattern(pattern, 'assertNotEmitted');
  const scoped = scopedOption('assertNotEmitted', options);
  return during(block, 'assertNotEmitted', scoped, (c) => check(options?.where, (w, p) => c.native.checkNotEmitted(pattern, w, p)));
}

/** Runs `block`, then asserts events matching `patterns` were emitted in that order (a subsequence). */
export async function assertEmittedInOrder<T>(
  patterns: readonly string[],
  block: () => T | PromiseLike<T>,
  options: ScopeOptions = {},
): Promise<Awaited<T>> {
  if (!Array.isArray(patterns) || patterns.length === 0) throw new TypeError('assertEmittedInOrder: patterns must be a non-empty array of strings');
  for (const p of patterns) checkPattern(p, 'assertEmittedInOrder');
  const scoped = scopedOption('assertEmittedInOrder', options);
  return during(block, 'assertEmittedInOrder', scoped, (c) =>
    check(undefined, () => c.native.checkEmittedInOrder([...(patterns as readonly string[])])),
  );
}
