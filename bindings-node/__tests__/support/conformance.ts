// Reads the shared conformance vectors (tests/conformance/, format in its README.md).
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Options } from '@liveness-dev/liveness';

const ROOT = path.resolve(__dirname, '../../../tests/conformance');

/** An error a script entry or an action raises: an Error subclass whose `name` is `kind`. */
export interface Raises {
  kind: string;
  text: string;
}

/**
 * One call of the probe (or the action): it emits `emits` while it runs, takes `duration_ms` of
 * virtual time (0 when absent), then returns or raises.
 */
export interface ScriptEntry {
  duration_ms?: number;
  emits?: string | string[];
  returns?: unknown;
  raises?: Raises;
}

/** A polling case's `expect` (or `async_expect`). */
export interface PollingExpect {
  result: 'ok' | 'timeout' | 'violated' | 'propagated' | 'invalid_option';
  value?: unknown;
  evaluations?: number;
  starts_ms?: number[];
  elapsed_ms?: number;
  propagated_kind?: string;
  invalid_option?: string;
  action_calls?: number;
  message_contains?: string[];
  message_not_contains?: string[];
  message_order?: string[];
  message_count?: Record<string, number>;
  message_max_count?: Record<string, number>;
  /** Event-loop drivers: another task of the loop ran between every two evaluations. */
  loop_turns_between_evaluations?: boolean;
  /** What the `onEvaluation` hook must have received, in order. */
  on_evaluation?: { number: number; started_ms: number; duration_ms: number; accepted: boolean }[];
}

export interface PollingCase {
  name: string;
  spec: string;
  operation: 'eventually' | 'eventually_passes' | 'eventually_changes' | 'eventually_settles' | 'always' | 'never' | 'sync_operation';
  /**
   * Durations in ms (or "NaN"/"Infinity"), `intervals_ms` (a list of them), `backoff`,
   * `attempts`, `message`, `retry_on`/`fail_on` kind names, `during_ms`, `quiet_ms`.
   */
  options?: Record<string, unknown>;
  env?: Record<string, string>;
  action?: ScriptEntry;
  script: ScriptEntry[];
  repeat_last?: boolean;
  expect: PollingExpect;
  async_expect?: PollingExpect;
}

/** An event as the vectors write it; both maps are optional. */
export interface VectorEvent {
  name: string;
  measurements?: Record<string, number>;
  metadata?: Record<string, unknown>;
}

interface Emits {
  before_emits?: VectorEvent[];
}

/** The three event assertions: emit `before_emits`, then assert around a block emitting `block_emits`. */
interface Asserts extends Emits {
  block_emits?: VectorEvent[];
  expect: { passes: boolean; message_contains?: string[]; message_not_contains?: string[] };
}

export type AssertCase = { name: string; spec: string } & Asserts &
  (
    | { kind: 'assert_emitted'; pattern: string; where?: Record<string, unknown>; count?: number }
    | { kind: 'assert_not_emitted'; pattern: string; where?: Record<string, unknown> }
    | { kind: 'assert_emitted_in_order'; patterns: string[] }
  );

export type EventCase =
  | AssertCase
  | ({ name: string; spec: string } & (
      | { kind: 'pattern'; pattern: string; matches: string[]; rejects: string[] }
      | { kind: 'invalid_name'; names: string[] }
      | { kind: 'invalid_pattern'; patterns: string[] }
      /** Deliberately invalid: a measurement that is not a number, a bad name. */
      | { kind: 'invalid_emit'; emit: { name: string; measurements?: Record<string, unknown>; metadata?: Record<string, unknown> } }
      | (Emits & {
          kind: 'capture';
          patterns: string[];
          emits?: VectorEvent[];
          after_emits?: VectorEvent[];
          expect_names: string[];
          expect_events?: VectorEvent[];
        })
      | { kind: 'bridge_name'; source: string; expect: string }
      | {
          kind: 'scoped_capture';
          scoped: boolean;
          patterns: string[];
          emits: { name: string; from: 'block' | 'nested' | 'sibling' | 'outside' }[];
          expect_names: string[];
        }
    ));

/** Which file a case came from, for the failure messages. */
export type Located<C> = C & { file: string };

export function load(folder: 'polling'): Located<PollingCase>[];
export function load(folder: 'events'): Located<EventCase>[];
export function load(folder: 'polling' | 'events'): Located<PollingCase | EventCase>[] {
  const dir = path.join(ROOT, folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      // The format is the README's; a case that does not follow it fails its own test.
      const vectors = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { cases: (PollingCase | EventCase)[] };
      return vectors.cases.map((c) => ({ ...c, file: `${folder}/${f}` }));
    });
}

export const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** An error class (an Error subclass named `kind`) that a probe can raise. */
export type Kind = new (message?: string) => Error;

/** An Error subclass per kind name, so retryOn/failOn can name them. */
const kinds = new Map<string, Kind>();
export function kind(name: string): Kind {
  let K = kinds.get(name);
  if (K === undefined) {
    K = { [name]: class extends Error {} }[name];
    Object.defineProperty(K.prototype, 'name', { value: name });
    kinds.set(name, K);
  }
  return K;
}

/** A duration of a vector: a number, or "NaN"/"Infinity"/"-Infinity" (JSON has no such numbers). */
export function number(v: unknown): unknown {
  return typeof v === 'string' ? Number(v) : v;
}

/**
 * The vector's options in JavaScript spelling (durations stay in ms, as in JavaScript; `quiet_ms`
 * becomes `quiet`, which eventuallySettles takes among its options). The values
 * are the vector's, invalid ones included (polling/options.json): the library checks them at run
 * time, which is what those cases test, so they are not checked against `Options` here.
 */
export function options(o: Record<string, unknown> = {}): Options {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'during_ms') continue;
    if (k === 'retry_on' || k === 'fail_on') out[camel(k)] = (v as string[]).map(kind);
    else if (k.endsWith('_ms')) out[camel(k.slice(0, -3))] = Array.isArray(v) ? v.map(number) : number(v);
    else out[camel(k)] = v;
  }
  return out;
}
