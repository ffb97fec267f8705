// Event payloads ↔ the JSON the native layer reads (see src/values.rs for the encoding). Data
// (numbers, strings, booleans, null, arrays, plain objects and string-keyed Maps of them) is
// copied; a BigInt crosses by value; any other object, function or symbol is kept by reference in
// this environment's registry and comes back as the very same value. The encoding cannot be
// spoofed by user data: a JSON object is always a map whose keys are never interpreted; lists and
// everything else cross as arrays whose first item says what they are.
import { native } from './native';
import { describeError, repr } from './repr';

/** How deeply metadata may nest, the metadata map included: the same limit in every binding. */
export const MAX_PAYLOAD_DEPTH: number = native.maxPayloadDepth();
/** The deepest level a container may sit at (the metadata map is level 1), as the core decides. */
const MAX_METADATA_LEVEL: number = native.maxMetadataLevel();

/** Values kept by reference, by id (this environment's own; a Worker has its own registry). */
const objects = new Map<number, object | symbol>();
const ids = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextId = 1;

/** Forgets values no event in the core refers to any more. */
function collect(): void {
  for (const id of native.takeReleasedHostIds()) {
    const o = objects.get(id);
    objects.delete(id);
    if (typeof o === 'symbol') symbolIds.delete(o);
    else if (o !== undefined) ids.delete(o);
  }
}

function keep(o: object | symbol): number {
  let id = typeof o === 'symbol' ? symbolIds.get(o) : ids.get(o);
  if (id === undefined || !objects.has(id)) {
    id = nextId++;
    if (typeof o === 'symbol') symbolIds.set(o, id);
    else ids.set(o, id);
    objects.set(id, o);
  }
  return id;
}

function isPlain(o: object): boolean {
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

function encodeNumber(n: number): unknown {
  return Number.isFinite(n) ? n : ['n', String(n)];
}

/** Sets `key` as an own property, `__proto__` included. */
function define(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** Errors of the payload check itself, passed through unchanged by the enclosing containers. */
const ours = new WeakSet<object>();

function invalid(message: string, cause?: unknown): TypeError {
  const error = cause === undefined ? new TypeError(message) : new TypeError(message, { cause });
  ours.add(error);
  return error;
}

function at(path: readonly (string | number)[]): string {
  const shown = path.length > 9 ? [...path.slice(0, 8), `…(${path.length - 8} more)`] : path;
  return 'metadata' + shown.map((p) => (typeof p === 'number' ? `[${p}]` : p.startsWith('…') ? p : `[${JSON.stringify(p)}]`)).join('');
}

/**
 * One walk over metadata: checks it (cycles, depth, unreadable properties) and, when `build`,
 * encodes it. `open` holds the containers from the metadata map down to `v`'s parent.
 */
class Walk {
  readonly open: object[] = [];
  readonly path: (string | number)[] = [];

  constructor(readonly build: boolean) {}

  value(v: unknown): unknown {
    switch (typeof v) {
      case 'number':
        return this.build ? encodeNumber(v) : undefined;
      case 'string':
      case 'boolean':
        return v;
      case 'undefined':
        return null;
      case 'bigint':
        return this.build ? ['b', v.toString()] : undefined;
      case 'symbol':
      case 'function':
        return this.build ? ['h', keep(v), repr(v)] : undefined;
      default: {
        if (v === null) return null;
        const o = v as object;
        if (Array.isArray(o)) return this.container(o, () => this.list(o));
        if (o instanceof Map && [...o.keys()].every((k) => typeof k === 'string')) {
          return this.container(o, () => this.map(o.entries()));
        }
        if (isPlain(o)) return this.container(o, () => this.object(o as Record<string, unknown>));
        return this.build ? ['h', keep(o), repr(o)] : undefined;
      }
    }
  }

  /** The metadata map itself (level 1). */
  root(metadata: object): unknown {
    if (metadata instanceof Map) return this.container(metadata, () => this.map(metadata.entries()));
    return this.container(metadata, () => this.object(metadata as Record<string, unknown>));
  }

  private container(c: object, walk: () => unknown): unknown {
    const found = this.open.indexOf(c);
    if (found === 0) throw invalid(`invalid metadata: ${at(this.path)} is the metadata itself; metadata must not contain itself`);
    if (found > 0) {
      throw invalid(
        `invalid metadata: ${at(this.path.slice(0, 1))} contains itself (${at(this.path)} is ${at(this.path.slice(0, found))}); ` +
          'metadata must be plain data or objects kept by reference, not a cycle of arrays and objects',
      );
    }
    // The metadata map is level 1, so this container is level `open.length + 1`.
    if (this.open.length + 1 > MAX_METADATA_LEVEL) {
      throw invalid(
        `invalid metadata: ${at(this.path.slice(0, 1))} nests arrays and objects deeper than ${MAX_PAYLOAD_DEPTH} levels ` +
          `(the metadata object included), at ${at(this.path)}`,
      );
    }
    this.open.push(c);
    try {
      return walk();
    } catch (error) {
      if (typeof error === 'object' && error !== null && ours.has(error)) throw error;
      const { kind, text } = describeError(error);
      throw invalid(`invalid metadata: ${at(this.path)} could not be read (${kind}: ${text})`, error);
    } finally {
      this.open.pop();
    }
  }

  private entry(key: string | number, v: unknown): unknown {
    this.path.push(key);
    const out = this.value(v);
    this.path.pop();
    return out;
  }

  private list(a: readonly unknown[]): unknown {
    const out: unknown[] | undefined = this.build ? ['l'] : undefined;
    const n = a.length;
    for (let i = 0; i < n; i++) {
      this.path.push(i);
      const x = a[i];
      this.path.pop();
      const e = this.entry(i, x);
      out?.push(e);
    }
    return out;
  }

  private object(o: Record<string, unknown>): unknown {
    const out: Record<string, unknown> | undefined = this.build ? {} : undefined;
    for (const k of Object.keys(o)) {
      this.path.push(k);
      const x = o[k];
      this.path.pop();
      const e = this.entry(k, x);
      if (out) define(out, k, e);
    }
    return out;
  }

  private map(entries: Iterable<[unknown, unknown]>): unknown {
    const out: Record<string, unknown> | undefined = this.build ? {} : undefined;
    for (const [k, x] of entries) {
      const e = this.entry(k as string, x);
      if (out) define(out, k as string, e);
    }
    return out;
  }
}

function checkMetadataShape(metadata: unknown): metadata is object {
  if (metadata === undefined || metadata === null) return false;
  if (metadata instanceof Map) {
    for (const k of metadata.keys()) {
      if (typeof k !== 'string') throw new TypeError(`metadata keys must be strings, got ${typeof k}`);
    }
  } else if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError(`metadata must be an object (or a Map with string keys), got ${Array.isArray(metadata) ? 'an array' : typeof metadata}`);
  }
  return true;
}

/** A metadata map (plain object or Map with string keys) as JSON; TypeError otherwise. */
export function metadataJson(metadata: unknown): string {
  if (!checkMetadataShape(metadata)) return '{}';
  collect();
  return JSON.stringify(new Walk(true).root(metadata));
}

function measurementEntries(measurements: object): [unknown, unknown][] {
  try {
    return measurements instanceof Map ? [...measurements] : Object.entries(measurements);
  } catch (error) {
    const { kind, text } = describeError(error);
    throw new TypeError(`invalid measurements: could not be read (${kind}: ${text})`, { cause: error });
  }
}

/** Checks measurements are numbers (TypeError otherwise) and returns them as JSON. */
export function measurementsJson(measurements: unknown): string {
  if (measurements === undefined || measurements === null) return '{}';
  if (typeof measurements !== 'object' || Array.isArray(measurements)) {
    throw new TypeError(`measurements must be an object of numbers, got ${Array.isArray(measurements) ? 'an array' : typeof measurements}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of measurementEntries(measurements)) {
    if (typeof k !== 'string') throw new TypeError(`measurement keys must be strings, got ${typeof k}`);
    if (typeof v !== 'number') throw new TypeError(`measurement ${JSON.stringify(k)} must be a number, got ${typeof v}`);
    define(out, k, encodeNumber(v));
  }
  return JSON.stringify(out);
}

/** A plain object whose values are all numbers (no getter throws): checked without allocating. */
function plainNumbers(o: object): boolean {
  if (Array.isArray(o) || !isPlain(o)) return false;
  try {
    const keys = Object.keys(o);
    for (let i = 0; i < keys.length; i++) if (typeof (o as Record<string, unknown>)[keys[i]] !== 'number') return false;
    return true;
  } catch {
    return false;
  }
}

/** A plain object holding no container (no getter throws): nothing in it can nest or cycle. */
function plainFlat(o: object): boolean {
  if (Array.isArray(o) || !isPlain(o)) return false;
  try {
    const keys = Object.keys(o);
    for (let i = 0; i < keys.length; i++) {
      const v = (o as Record<string, unknown>)[keys[i]];
      if (typeof v === 'object' && v !== null) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The whole check of a payload without building it, for the path where nobody listens: the same
 * errors as when someone does (bad types, cycles, depth, unreadable properties). Flat plain
 * objects, the usual payload, are checked in one pass that allocates nothing but their keys.
 */
export function checkPayload(measurements: unknown, metadata: unknown): void {
  if (measurements !== undefined && measurements !== null) {
    if (typeof measurements !== 'object' || !plainNumbers(measurements)) measurementsJson(measurements);
  }
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata === 'object' && plainFlat(metadata)) return;
    if (checkMetadataShape(metadata)) new Walk(false).root(metadata);
  }
}

/**
 * The arguments of `emitFlat` for the usual payload (a plain object of numbers, and metadata a
 * plain object of strings, numbers, booleans, null or undefined): `[nameId, scope,
 * measurementCount, key, value, key, value, …]`, the measurements first, each value read once,
 * with the first two slots left for the caller to fill. One array, passed with Reflect.apply: the
 * entries cross as the call's arguments (an array's elements would cost a napi call each), and
 * a captured emit allocates nothing else. `undefined` for anything else (it takes the JSON path,
 * with its checks and errors). A property that throws when read also gives `undefined`: the JSON
 * path then reads it again and reports it.
 */
export function flatArguments(measurements: unknown, metadata: unknown): unknown[] | undefined {
  const args: unknown[] = [undefined, undefined, 0];
  let measurementCount = 0;
  try {
    if (measurements !== undefined && measurements !== null) {
      if (typeof measurements !== 'object' || Array.isArray(measurements) || !isPlain(measurements)) return undefined;
      const m = measurements as Record<string, unknown>;
      for (const k of Object.keys(m)) {
        const v = m[k];
        if (typeof v !== 'number') return undefined;
        args.push(k, v);
        measurementCount++;
      }
    }
    if (metadata !== undefined && metadata !== null) {
      if (typeof metadata !== 'object' || Array.isArray(metadata) || !isPlain(metadata)) return undefined;
      const d = metadata as Record<string, unknown>;
      for (const k of Object.keys(d)) {
        const v = d[k];
        if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
        args.push(k, v);
      }
    }
  } catch {
    return undefined;
  }
  args[2] = measurementCount;
  return args;
}

/** One event, as handlers and captures see it. */
export interface LivenessEvent {
  name: string;
  measurements: Record<string, number>;
  metadata: Record<string, unknown>;
  /** Process-wide emit order. */
  seq: number;
  /** Milliseconds since the bus started (monotonic). */
  atMs: number;
  /** The emitting thread's name or id. */
  thread: string;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) {
    switch (v[0]) {
      case 'l':
        return v.slice(1).map(decode);
      case 'n':
        return Number(v[1]);
      case 'b':
        return BigInt(v[1] as string);
      case 'h': {
        const id = v[1] as number;
        return objects.has(id) ? objects.get(id) : v[2];
      }
    }
    return v;
  }
  if (v !== null && typeof v === 'object') return decodeMap(v as Record<string, unknown>);
  return v;
}

function decodeMap(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) define(out, k, decode(o[k]));
  return out;
}

function decodeEvent(e: LivenessEvent): LivenessEvent {
  e.metadata = decodeMap(e.metadata);
  e.measurements = decodeMap(e.measurements) as Record<string, number>;
  return e;
}

export function parseEvent(json: string): LivenessEvent {
  return decodeEvent(JSON.parse(json) as LivenessEvent);
}

export function parseEvents(json: string): LivenessEvent[] {
  return (JSON.parse(json) as LivenessEvent[]).map(decodeEvent);
}
