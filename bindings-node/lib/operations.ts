// The polling operations of SPEC §1 and §4. Each is a Plan for the driver: which operation the
// core runs, and its acceptance: what a JavaScript value counts as (truthiness, `false` and deep
// equality are JavaScript's, so they are decided here, not in the core).
import { isDeepStrictEqual } from 'node:util';

import { type Outcome, type Plan, start } from './drive';
import type { Options } from './options';
import { isThenable, repr } from './repr';

/** A probe: called with no arguments; may return a value or a Promise. */
export type Probe<T> = () => T | PromiseLike<T>;

/** The value a probe resolves to, once accepted (falsy values are never accepted by `eventually`). */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined | 0n>;

const reject = (value: unknown): Outcome => ({ accept: false, repr: repr(value), nullish: value === null || value === undefined });

/** eventually's acceptance (and always', syncOperation's): a truthy value (not false, 0, '', null, undefined, NaN, 0n). */
function truthy(value: unknown): Outcome {
  return value ? { accept: true } : reject(value);
}

/** eventuallyPasses' acceptance: anything but the boolean `false` (a block of assertions that did not throw). */
function passes(value: unknown): Outcome {
  return value === false ? reject(value) : { accept: true };
}

function plan(operation: string, probe: unknown, acceptance: (v: unknown) => Outcome, extra?: Partial<Plan>): Plan {
  return { operation, probe, acceptance, probeName: 'probe', ...extra };
}

/** Waits until `probe` returns a truthy value; resolves with it. */
export function eventually<T>(probe: Probe<T>, options?: Options): Promise<Truthy<Awaited<T>>> {
  return start(plan('eventually', probe, truthy), options) as Promise<Truthy<Awaited<T>>>;
}

/** Waits until `block` runs without throwing (and does not return `false`); resolves with its value. */
export function eventuallyPasses<T>(block: Probe<T>, options?: Options): Promise<Awaited<T>> {
  return start(plan('eventuallyPasses', block, passes, { probeName: 'block' }), options) as Promise<Awaited<T>>;
}

/** Checks that `probe` stays truthy for `during` ms; rejects at the first evaluation that is not. */
export function always(probe: Probe<unknown>, during: number, options?: Options): Promise<void> {
  return start(plan('always', probe, truthy, { during }), options) as Promise<void>;
}

/** Checks that `probe` stays falsy for `during` ms; rejects at the first evaluation that is truthy. */
export function never(probe: Probe<unknown>, during: number, options?: Options): Promise<void> {
  // never fails on an accepted value: the core shows it, so it is described.
  const held = (value: unknown): Outcome => (value ? { accept: true, text: repr(value) } : reject(value));
  return start(plan('never', probe, held, { during }), options) as Promise<void>;
}

/**
 * Evaluates `probe` once for a baseline (if that throws, the error propagates), then waits until
 * it returns a value that is not deeply equal to the baseline; resolves with the new value.
 */
export function eventuallyChanges<T>(probe: Probe<T>, options?: Options): Promise<Awaited<T>> {
  let baseline: unknown;
  // The baseline is the Poller's Prepare step, on the wait's clock (the driver bounds an async one).
  const prepare = () => {
    const r = (probe as () => unknown)();
    if (isThenable(r)) return Promise.resolve(r).then((v) => void (baseline = v));
    baseline = r;
    return undefined;
  };
  // A value deeply equal to the baseline is a plain failure: the core words it "(unchanged)".
  const changed = (value: unknown): Outcome => (isDeepStrictEqual(value, baseline) ? reject(value) : { accept: true });
  return start(plan('eventuallyChanges', probe, changed, { prepare }), options) as Promise<Awaited<T>>;
}

/**
 * Calls `action` once — if it throws, that error propagates and nothing is polled — then waits
 * like `eventually(until)`; resolves with `until`'s value.
 */
export function syncOperation<T>(action: () => unknown, until: Probe<T>, options?: Options): Promise<Truthy<Awaited<T>>> {
  const prepare = () => {
    if (typeof action !== 'function') {
      throw new TypeError(`syncOperation: \`action\` must be a function, got ${action === null ? 'null' : typeof action}`);
    }
    return action();
  };
  return start(plan('syncOperation', until, truthy, { prepare, probeName: 'until' }), options) as Promise<Truthy<Awaited<T>>>;
}
