// Event payloads ↔ the JSON the native layer reads. Data (numbers, strings, booleans, null,
// arrays, plain objects and string-keyed Maps of them) is copied; any other object is kept by
// reference in a registry and crosses as a tag, so it comes back as the very same object.
import { native } from './native';
import { repr } from './repr';

const HOST = '\u0000host';
const NUM = '\u0000num';

const objects = new Map<number, object>();
const ids = new WeakMap<object, number>();
let nextId = 1;

/** Forgets objects no event in the core refers to any more. */
function collect(): void {
  for (const id of native.takeReleasedHostIds()) {
    const o = objects.get(id);
    objects.delete(id);
    if (o) ids.delete(o);
  }
}

function keep(o: object): number {
  let id = ids.get(o);
  if (id === undefined || !objects.has(id)) {
    id = nextId++;
    ids.set(o, id);
    objects.set(id, o);
  }
  return id;
}

function isPlain(o: object): boolean {
  const proto = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

function encodeNumber(n: number): unknown {
  return Number.isFinite(n) ? n : { [NUM]: String(n) };
}

function encode(v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      return encodeNumber(v);
    case 'string':
    case 'boolean':
      return v;
    case 'undefined':
      return null;
    case 'object':
      if (v === null) return null;
      if (Array.isArray(v)) return v.map(encode);
      if (v instanceof Map && [...v.keys()].every((k) => typeof k === 'string')) {
        return Object.fromEntries([...v].map(([k, x]) => [k, encode(x)]));
      }
      if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
      return { [HOST]: keep(v), text: repr(v) };
    default:
      // Functions, symbols, bigints: not data, kept by reference like any other object.
      return { [HOST]: keep(Object(v) === v ? (v as object) : Object(v)), text: repr(v) };
  }
}

/** A metadata map (plain object or Map with string keys) as JSON; TypeError otherwise. */
export function metadataJson(metadata: unknown): string {
  if (metadata === undefined || metadata === null) return '{}';
  if (metadata instanceof Map) {
    for (const k of metadata.keys()) {
      if (typeof k !== 'string') throw new TypeError(`metadata keys must be strings, got ${typeof k}`);
    }
  } else if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError(`metadata must be an object (or a Map with string keys), got ${Array.isArray(metadata) ? 'an array' : typeof metadata}`);
  }
  collect();
  return JSON.stringify(encode(metadata));
}

/** Checks measurements are numbers (TypeError otherwise) and returns them as JSON. */
export function measurementsJson(measurements: unknown): string {
  if (measurements === undefined || measurements === null) return '{}';
  if (typeof measurements !== 'object' || Array.isArray(measurements)) {
    throw new TypeError(`measurements must be an object of numbers, got ${Array.isArray(measurements) ? 'an array' : typeof measurements}`);
  }
  const out: Record<string, unknown> = {};
  const entries = measurements instanceof Map ? [...measurements] : Object.entries(measurements);
  for (const [k, v] of entries) {
    if (typeof k !== 'string') throw new TypeError(`measurement keys must be strings, got ${typeof k}`);
    if (typeof v !== 'number') throw new TypeError(`measurement ${JSON.stringify(k)} must be a number, got ${typeof v}`);
    out[k] = encodeNumber(v);
  }
  return JSON.stringify(out);
}

/** Only the payload's JavaScript types, for the cheap path when nobody listens. */
export function checkPayloadTypes(measurements: unknown, metadata: unknown): void {
  if (measurements !== undefined && measurements !== null) {
    if (typeof measurements !== 'object' || Array.isArray(measurements)) measurementsJson(measurements);
    const values = measurements instanceof Map ? [...measurements.values()] : Object.values(measurements);
    for (const v of values) if (typeof v !== 'number') measurementsJson(measurements);
  }
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) metadataJson(metadata);
    if (metadata instanceof Map) for (const k of metadata.keys()) if (typeof k !== 'string') metadataJson(metadata);
  }
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

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (HOST in o) {
      const found = objects.get(o[HOST] as number);
      return found ?? o.text;
    }
    if (NUM in o) return Number(o[NUM]);
  }
  return value;
}

export function parseEvent(json: string): LivenessEvent {
  return JSON.parse(json, revive) as LivenessEvent;
}

export function parseEvents(json: string): LivenessEvent[] {
  return JSON.parse(json, revive) as LivenessEvent[];
}
