// JavaScript options → the native options. Only JavaScript types are checked here (a TypeError for
// a string where a number belongs, an unknown option name); every range and relation is checked
// by the core when the poller is created (a RangeError).

/** An error class (matched with `instanceof`, so subclasses count). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => unknown;

/** The options of every polling operation. Durations are in milliseconds. */
export interface Options {
  /** Deadline, from the call (default 5000 ms). Scaled by `LIVENESS_TIMEOUT_SCALE`. */
  timeout?: number;
  /** A fixed period between the starts of two evaluations; default: adaptive. */
  interval?: number;
  /** Floor of the adaptive period (default 1 ms). */
  minInterval?: number;
  /** Cap of the adaptive period (default 50 ms). */
  maxInterval?: number;
  /** Wait before the first evaluation (counts toward the timeout). */
  delay?: number;
  /** Also stop after this many evaluations. */
  attempts?: number;
  /** What is awaited; shown first in the failure. */
  message?: string;
  /** Succeed only once the probe stayed accepted this long. */
  stableFor?: number;
  /** Event pattern(s) whose emission re-evaluates the probe at once. */
  wakeOn?: string | readonly string[];
  /** Only these errors are retried; any other fails the wait at once, as itself. */
  retryOn?: ErrorClass | readonly ErrorClass[];
  /** These errors fail the wait at once, as themselves. */
  failOn?: ErrorClass | readonly ErrorClass[];
  /** Stops the wait: it rejects with the signal's reason. */
  signal?: AbortSignal;
}

const DURATIONS = ['timeout', 'interval', 'minInterval', 'maxInterval', 'delay', 'stableFor'] as const;
const KNOWN = new Set<string>([...DURATIONS, 'attempts', 'message', 'wakeOn', 'retryOn', 'failOn', 'signal']);

/** What the driver needs, besides the native options. */
export interface Checked {
  native: {
    timeout?: number;
    interval?: number;
    minInterval?: number;
    maxInterval?: number;
    delay?: number;
    attempts?: number;
    message?: string;
    stableFor?: number;
    wakeOn?: string[];
  };
  retryOn: ErrorClass[] | undefined;
  failOn: ErrorClass[];
  signal: AbortSignal | undefined;
}

function classes(name: string, value: unknown): ErrorClass[] {
  const list = Array.isArray(value) ? value : [value];
  for (const c of list) {
    if (typeof c !== 'function') {
      throw new TypeError(`option \`${name}\` must be an error class or an array of them, got ${typeof c}`);
    }
  }
  return list as ErrorClass[];
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

/** Checks the JavaScript types of `options`; throws TypeError/RangeError synchronously. */
export function check(options: unknown): Checked {
  if (options === undefined || options === null) {
    return { native: {}, retryOn: undefined, failOn: [], signal: undefined };
  }
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new TypeError(`unknown option \`${key}\``);
  }
  const native: Checked['native'] = {};
  for (const key of DURATIONS) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'number') throw new TypeError(`option \`${key}\` must be a number of milliseconds, got ${typeof v}`);
    native[key] = v;
  }
  if (o.attempts !== undefined) {
    const a = o.attempts;
    if (typeof a !== 'number') throw new TypeError(`option \`attempts\` must be a number, got ${typeof a}`);
    if (!Number.isInteger(a) || a < 0 || a > 0xffffffff) {
      throw new RangeError(`invalid option \`attempts\`: must be a whole number of at least 1, got ${a}`);
    }
    native.attempts = a;
  }
  if (o.message !== undefined) {
    if (typeof o.message !== 'string') throw new TypeError(`option \`message\` must be a string, got ${typeof o.message}`);
    native.message = o.message;
  }
  if (o.wakeOn !== undefined) {
    const list = typeof o.wakeOn === 'string' ? [o.wakeOn] : o.wakeOn;
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
      throw new TypeError('option `wakeOn` must be an event pattern or an array of them');
    }
    native.wakeOn = [...(list as string[])];
  }
  if (o.signal !== undefined && !isAbortSignal(o.signal)) {
    throw new TypeError('option `signal` must be an AbortSignal');
  }
  return {
    native,
    retryOn: o.retryOn === undefined ? undefined : classes('retryOn', o.retryOn),
    failOn: o.failOn === undefined ? [] : classes('failOn', o.failOn),
    signal: o.signal,
  };
}

/** Whether an error the probe threw must propagate at once instead of being retried. */
export function stops(checked: Checked, error: unknown): boolean {
  if (checked.failOn.some((c) => error instanceof (c as never))) return true;
  if (checked.retryOn && !checked.retryOn.some((c) => error instanceof (c as never))) return true;
  return false;
}
