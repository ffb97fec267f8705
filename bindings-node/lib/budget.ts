// The running test's time budget (issue 13, point 1). Jest's and Vitest's default test timeout is
// 5 s, the same as a wait's default: a wait that never holds would be cut off by the runner at the
// same moment it gives up, and the test would show only "Exceeded timeout of 5000 ms" instead of
// the wait's report. So under Jest and Vitest a wait ends, with its own report, a little before the
// current test (or hook) runs out of time, and its report says it was cut (the pytest plugin does
// the same with pytest-timeout). An explicit timeout that fits is left alone; a larger one,
// `Infinity` included, is cut too: a wait must not outlive its test.
//
// Jest (jest-circus): the test function's start is seen through circus' event handlers
// (`globalThis[Symbol.for('EVENT_HANDLERS')]`, the list `test_fn_start`, `hook_start`, … are
// dispatched to), registered when this module loads, so `import '@liveness-dev/liveness'` is enough. The limit is
// Jest's own choice, `test.timeout || state.testTimeout` (the third argument of `test`, else
// `jest.setTimeout` or the `testTimeout` setting). Vitest: `@liveness-dev/liveness/vitest` wraps each test's
// function (`getFn`/`setFn` of `vitest/suite`, in a `beforeEach`) to see when it starts and ends;
// its limit is the task's `timeout` (the test's option, else `testTimeout`).
import { native } from './native';

/** The time a test (or hook) is given, as the runner counts it, on the addon's monotonic clock. */
export interface Budget {
  /** `Jest` or `Vitest`, for the note. */
  runner: string;
  what: 'test' | 'hook';
  limitMs: number;
  startedMs: number;
}

/**
 * How long before the runner's limit a cut wait ends: what the wait still does after its
 * deadline (the evaluation in flight, if synchronous, runs to its end; the timer that ends the
 * wait may fire late on a busy machine) and building and throwing the report must all fit before
 * the runner's own timer fires. 200 ms covers a slow last evaluation of ~100 ms plus a late timer
 * on a loaded 2-core CI machine; a short limit keeps 90 % of itself (a 200 ms test: 20 ms).
 */
export const MARGIN_MAX_MS = 200;
export const MARGIN_FRACTION = 0.1;

export function margin(limitMs: number): number {
  return Math.min(MARGIN_MAX_MS, limitMs * MARGIN_FRACTION);
}

/** The budget of what runs now, set by the runner integrations; undefined outside a test. */
let current: Budget | undefined;
/** The last test function's budget that ended, and whether it ran out of time (for the forgotten-await guard). */
let lastTest: { budget: Budget; timedOut: boolean } | undefined;

export function begin(budget: Budget): void {
  current = budget;
}

/**
 * The current test function or hook ended; `runnerTimedOut` when the runner said it ran out of
 * time. Otherwise the clock decides, with a little slack: the runner's timer starts just before
 * the event that starts ours, so on a loaded machine our count can fall a few ms short.
 */
export function end(runnerTimedOut = false): void {
  if (current?.what === 'test') {
    const slack = Math.min(20, current.limitMs * 0.05);
    const timedOut = runnerTimedOut || native.monotonicMs() - current.startedMs >= current.limitMs - slack;
    lastTest = { budget: current, timedOut };
  }
  current = undefined;
}

export function currentBudget(): Budget | undefined {
  return current;
}

/** Whether a test function's budget was ever seen (the runner integration works here). */
export function budgetKnown(): boolean {
  return lastTest !== undefined;
}

/** The budget of the test function that just ended, if it ran out of time (the runner's timeout). */
export function lastTimedOut(): Budget | undefined {
  return lastTest?.timedOut ? lastTest.budget : undefined;
}

const seconds = (ms: number) => `${Number((ms / 1000).toPrecision(6))} s`;

/**
 * The timeout a wait starting now may have (ms, unscaled), and the note for its report, when it
 * must be cut to end before the current budget; undefined when it fits (or there is no budget).
 * `timeout`: the wait's own (undefined: the default); `scale`: LIVENESS_TIMEOUT_SCALE's factor.
 */
export function cut(timeout: number, lateCheck: number, scale: number): { timeout: number; lateCheck: number; note: string | undefined } | undefined {
  const b = current;
  if (b === undefined || !(b.limitMs > 0) || b.limitMs === Infinity) return undefined;
  const remaining = Math.max(0, b.startedMs + b.limitMs - margin(b.limitMs) - native.monotonicMs());
  // After a timeout the late check looks on for up to lateCheck (at most the timeout): it must end
  // before the limit too.
  const late = Math.min(lateCheck, timeout);
  if ((timeout + late) * scale <= remaining) return undefined;
  // The wait fits, its late check does not: shorten the check, not the wait.
  if (timeout * scale <= remaining) return { timeout, lateCheck: remaining / scale - timeout, note: undefined };
  const note = `note: timeout cut to ${(remaining / 1000).toFixed(2)} s to end before ${b.runner}'s ${seconds(b.limitMs)} limit for this ${b.what}`;
  // No time is left to look on after the cut deadline.
  return { timeout: remaining / scale, lateCheck: 0, note };
}

// --- Jest (jest-circus) -------------------------------------------------------------------------

interface CircusEvent {
  name: string;
  test?: { timeout?: number };
  hook?: { timeout?: number };
  /** jest-circus sets it on the *_failure events (its own timeout: "Exceeded timeout of N ms"). */
  error?: unknown;
}

const INSTALLED = Symbol.for('liveness.budget.installed');

/** Registers the jest-circus event handler that follows test functions and hooks, if under Jest. */
function installJest(): void {
  const g = globalThis as Record<symbol, unknown>;
  const handlers = g[Symbol.for('EVENT_HANDLERS')];
  if (!Array.isArray(handlers) || (handlers as unknown as Record<symbol, unknown>)[INSTALLED]) return;
  (handlers as unknown as Record<symbol, unknown>)[INSTALLED] = true;
  handlers.push((event: CircusEvent, state: { testTimeout?: number }) => {
    switch (event.name) {
      case 'test_fn_start':
      case 'hook_start': {
        const own = event.name === 'test_fn_start' ? event.test?.timeout : event.hook?.timeout;
        // Jest's own rule (jest-circus `_callCircusTest`, `_callCircusHook`).
        const limitMs = own || state?.testTimeout;
        if (typeof limitMs === 'number') {
          begin({ runner: 'Jest', what: event.name === 'hook_start' ? 'hook' : 'test', limitMs, startedMs: native.monotonicMs() });
        }
        break;
      }
      case 'test_fn_success':
      case 'test_fn_failure':
      case 'hook_success':
      case 'hook_failure':
        end(/Exceeded timeout of/.test(String(event.error)));
        break;
    }
  });
}

installJest();
