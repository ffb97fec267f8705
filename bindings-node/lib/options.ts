// JavaScript options → the native options. Only JavaScript types are checked here (a TypeError for
// a string where a number belongs, an unknown option name); every range and relation is checked
// by the core when the poller is created (a RangeError).

/** An error class (matched with `instanceof`, so subclasses count). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => unknown;

/** One evaluation that returned (or threw), as `onEvaluation` receives it. */
export interface Evaluation {
  /** 1-based; the baseline of `eventuallyChanges` and the action of `syncOperation` are not evaluations. */
  readonly number: number;
  /** When it started, in ms since the call (on the wait's clock: the fake one under fake timers). */
  readonly startedMs: number;
  readonly durationMs: number;
  /** Whether the operation accepted it (`eventuallySettles`: equal to the previous value). */
  readonly accepted: boolean;
  /** What the probe returned (its Promise resolved to); undefined when it threw. */
  readonly value: unknown;
  /** What the probe threw (its Promise rejected with); undefined when it returned. */
  readonly error: unknown;
}

/** The options of every polling operation. Durations are in milliseconds. */
export interface Options {
  /**
   * Deadline, from the call (default 5000 ms). Scaled by `LIVENESS_TIMEOUT_SCALE`. `Infinity`:
   * no deadline — the wait lasts until the probe is accepted, `attempts` run out, or the test
   * runner's own timeout ends the test (`@liveness-dev/liveness/jest` and `@liveness-dev/liveness/vitest` then cancel it).
   */
  timeout?: number;
  /** A fixed period between the starts of two evaluations; default: adaptive. */
  interval?: number;
  /** The periods after the first, second, … evaluation; the last one repeats (Playwright's `intervals`). */
  intervals?: readonly number[];
  /** Exponential backoff: each period is this factor (≥ 1) times the previous one, from `interval` (or `minInterval`), capped at `maxInterval`. */
  backoff?: number;
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
  /** The condition must not hold before this much time: an accepted evaluation starting earlier fails the wait (a violation). Not scaled. */
  atLeast?: number;
  /** After a timeout, go on looking this long (default 1000 ms, at most the timeout; 0: off) and say whether the condition was met late. */
  lateCheck?: number;
  /** Event pattern(s) whose emission re-evaluates the probe at once. */
  wakeOn?: string | readonly string[];
  /** Path(s) whose change (a file created, written, renamed into place or deleted; for a directory, an entry in it) re-evaluates the probe at once. A path that does not exist yet is watched through its directory, which must exist. */
  wakeOnPath?: string | readonly string[];
  /** Only these errors are retried; any other fails the wait at once, as itself. */
  retryOn?: ErrorClass | readonly ErrorClass[];
  /** These errors fail the wait at once, as themselves. */
  failOn?: ErrorClass | readonly ErrorClass[];
  /** Stops the wait: it rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Wait on the real clock with the real timers even when Jest/Vitest/sinon fake timers are installed (for tests that fake only `Date`, or wait on real I/O). */
  realTimers?: boolean;
  /**
   * Called after each evaluation that returned or threw, in order, before the next step (not
   * for one abandoned at the deadline, nor for an error that `retryOn`/`failOn` let through). A
   * throw rejects the wait with that error at once. A Promise it returns is not awaited.
   */
  onEvaluation?: (evaluation: Evaluation) => void;
  /**
   * Called once with the wait's failure (a `LivenessTimeoutError` or `LivenessViolationError`)
   * before the wait rejects. Return an error to reject with it instead (its `cause` is set to the
   * failure unless it has one), or nothing to reject with the failure (which the hook may have
   * changed). A throw rejects the wait with that error.
   */
  onTimeout?: (error: Error) => Error | void;
}

/** The options of `eventuallySettles`: `quiet` is required. */
export interface SettlesOptions extends Options {
  /** How long one value must stay the same (from its first sighting) for the wait to succeed. Scaled by `LIVENESS_TIMEOUT_SCALE`. */
  quiet: number;
}

const DURATIONS = ['timeout', 'interval', 'minInterval', 'maxInterval', 'delay', 'stableFor', 'atLeast', 'lateCheck'] as const;
const HOOKS = ['onEvaluation', 'onTimeout'] as const;
const KNOWN = new Set<string>([
  ...DURATIONS,
  ...HOOKS,
  'intervals',
  'backoff',
  'attempts',
  'message',
  'wakeOn',
  'wakeOnPath',
  'retryOn',
  'failOn',
  'signal',
  'realTimers',
]);

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
    atLeast?: number;
    lateCheck?: number;
    intervals?: number[];
    backoff?: number;
    wakeOn?: string[];
    wakeOnPath?: string[];
  };
  retryOn: ErrorClass[] | undefined;
  failOn: ErrorClass[];
  signal: AbortSignal | undefined;
  realTimers: boolean;
  onEvaluation: ((evaluation: Evaluation) => void) | undefined;
  onTimeout: ((error: Error) => unknown) | undefined;
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
    return { native: {}, retryOn: undefined, failOn: [], signal: undefined, realTimers: false, onEvaluation: undefined, onTimeout: undefined };
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
  if (o.intervals !== undefined) {
    const list = o.intervals;
    if (!Array.isArray(list)) throw new TypeError(`option \`intervals\` must be an array of numbers of milliseconds, got ${describeType(list)}`);
    const bad = list.findIndex((p) => typeof p !== 'number');
    if (bad >= 0) throw new TypeError(`option \`intervals\` must be an array of numbers of milliseconds, entry ${bad} is ${describeType(list[bad])}`);
    native.intervals = [...(list as number[])];
  }
  if (o.backoff !== undefined) {
    if (typeof o.backoff !== 'number') throw new TypeError(`option \`backoff\` must be a number (the factor), got ${typeof o.backoff}`);
    native.backoff = o.backoff;
  }
  for (const key of HOOKS) {
    const f = o[key];
    if (f !== undefined && typeof f !== 'function') throw new TypeError(`option \`${key}\` must be a function, got ${describeType(f)}`);
  }
  if (o.realTimers !== undefined && typeof o.realTimers !== 'boolean') {
    throw new TypeError(`option \`realTimers\` must be a boolean, got ${typeof o.realTimers}`);
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
  if (o.wakeOnPath !== undefined) {
    const list = typeof o.wakeOnPath === 'string' ? [o.wakeOnPath] : o.wakeOnPath;
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
      throw new TypeError('option `wakeOnPath` must be a path or an array of them');
    }
    native.wakeOnPath = [...(list as string[])];
  }
  if (o.signal !== undefined && !isAbortSignal(o.signal)) {
    throw new TypeError('option `signal` must be an AbortSignal');
  }
  return {
    native,
    retryOn: o.retryOn === undefined ? undefined : classes('retryOn', o.retryOn),
    failOn: o.failOn === undefined ? [] : classes('failOn', o.failOn),
    signal: o.signal,
    realTimers: o.realTimers === true,
    onEvaluation: o.onEvaluation as Checked['onEvaluation'],
    onTimeout: o.onTimeout as Checked['onTimeout'],
  };
}

/** A value's type for a TypeError: arrays and null named as such. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Whether an error the probe threw must propagate at once instead of being retried. */
export function stops(checked: Checked, error: unknown): boolean {
  if (checked.failOn.some((c) => error instanceof (c as never))) return true;
  if (checked.retryOn && !checked.retryOn.some((c) => error instanceof (c as never))) return true;
  return false;
}
