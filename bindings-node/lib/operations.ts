// The polling operations of SPEC §1 and §4. Each is a Plan for the driver: which operation the
// core runs, and its acceptance: what a JavaScript value counts as (truthiness, `false` and deep
// equality are JavaScript's, so they are decided here, not in the core).
import { isDeepStrictEqual } from 'node:util';

import { type Outcome, type Plan, start } from './drive';
import type { Options, SettlesOptions } from './options';
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

/** eventuallyPasses as `expect.eventually(probe).matcher(…)` runs it: the report is headed `expect.eventually`. */
export function eventuallyPassesAs(operation: 'expect.eventually', block: Probe<unknown>, options?: Options): Promise<unknown> {
  return start(plan(operation, block, passes, { probeName: 'block' }), options);
}

/** Checks that `probe` stays truthy for `during` ms; rejects at the first evaluation that is not. */
export function always(probe: Probe<unknown>, during: number, options?: Options): Promise<void> {
  return start(plan('always', probe, truthy, { argument: { name: 'during', value: during } }), options) as Promise<void>;
}

/** Checks that `probe` stays falsy for `during` ms; rejects at the first evaluation that is truthy. */
export function never(probe: Probe<unknown>, during: number, options?: Options): Promise<void> {
  // never fails on an accepted value; the driver describes it, as the core asks.
  return start(plan('never', probe, truthy, { argument: { name: 'during', value: during } }), options) as Promise<void>;
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

/**
 * Waits until `probe` returns the same value (deeply equal, as `eventuallyChanges` compares) for
 * `quiet` ms, counted from that value's first sighting; resolves with it. A throw is retried
 * (like `eventually`) and clears the previous value: the next value starts a new quiet period.
 */
export function eventuallySettles<T>(probe: Probe<T>, options: SettlesOptions): Promise<Awaited<T>> {
  // `quiet` is the operation's own duration; the rest are the common options.
  const { quiet, ...rest } = isOptionsObject(options) ? options : ({} as Partial<SettlesOptions>);
  let previous: { value: unknown } | undefined;
  const settled = (value: unknown): Outcome => {
    const same = previous !== undefined && isDeepStrictEqual(value, previous.value);
    previous = { value };
    return same ? { accept: true } : reject(value);
  };
  const raised = () => void (previous = undefined);
  const p = plan('eventuallySettles', probe, settled, { argument: { name: 'quiet', value: quiet }, raised });
  // Not an object: passed on as it is, for the same TypeError as every operation's.
  return start(p, isOptionsObject(options) ? rest : options) as Promise<Awaited<T>>;
}

function isOptionsObject(options: unknown): options is SettlesOptions {
  return typeof options === 'object' && options !== null && !Array.isArray(options);
}
