// Waits in progress, so that `@liveness-dev/liveness/jest` and `@liveness-dev/liveness/vitest` can fail a test that ended
// while a wait it started was still pending (a forgotten `await`, or a test that timed out while
// it waited), naming where it began, and cancel it: no wait outlives its test silently.
import { budgetKnown, currentBudget, lastTimedOut } from './budget';
import { callerLocation, restack } from './stack';

export interface PendingWait {
  readonly operation: string;
  /** Captured when the wait began; its stack shows the caller. */
  readonly origin: Error;
  /** Stops the wait (its timers are cleared; its promise rejects with `reason`). */
  readonly cancel: (reason: unknown) => void;
  /** Its timeout is `Infinity`: only its probe, its attempts, or the test runner end it. */
  readonly unbounded: boolean;
}

const pending = new Map<PendingWait, Promise<unknown>>();

/**
 * Runs `wait` as a tracked wait. No handler is attached to the Promise returned (it is only
 * forgotten from inside, when it settles), so a wait nobody awaits that fails still surfaces
 * as an unhandled rejection.
 */
export function tracked<T>(wait: PendingWait, run: () => Promise<T>): Promise<T> {
  const promise = (async () => {
    try {
      return await run();
    } finally {
      pending.delete(wait);
    }
  })();
  pending.set(wait, promise);
  return promise;
}

/** The waits started and not yet settled, oldest first. */
export function pendingWaits(): PendingWait[] {
  return [...pending.keys()];
}

/**
 * Cancels every pending wait and returns an error naming where each began, or undefined when
 * none was pending. Used by the test-runner integrations after each test.
 */
export function cancelPendingWaits(): Error | undefined {
  const waits = pendingWaits();
  if (waits.length === 0) return undefined;
  // One line per wait (a test runner prints the error's stack, which is the first wait's, below).
  const where = waits
    .map((w) => `${w.operation}(…)${w.unbounded ? ' with timeout: Infinity' : ''} began at ${callerLocation(w.origin) ?? '(unknown)'}`)
    .join('\n');
  const which = waits.length === 1 ? 'a liveness wait was' : `${waits.length} liveness waits were`;
  // Under Jest and Vitest the budget tells the two cases apart: the test ran out of time while it
  // awaited the wait (an always/never, or a wait on a fake clock, is not cut to the budget), or
  // its function returned without awaiting it. Elsewhere both are named.
  const timedOut = lastTimedOut();
  const known = currentBudget() !== undefined || timedOut !== undefined || budgetKnown();
  const why =
    timedOut !== undefined
      ? `the test ran out of time (${timedOut.runner}'s ${timedOut.limitMs} ms limit) while ${which} still pending, now cancelled ` +
        `(always/never and waits on fake timers are not cut to end before the test's timeout)`
      : known
        ? `the test ended while ${which} still pending, now cancelled: did you forget \`await\`?`
        : `the test ended while ${which} still pending, now cancelled: did you forget \`await\`? Or the test timed out while awaiting it ` +
          `(a wait longer than the test's timeout, e.g. with \`timeout: Infinity\`, ends only with its test).`;
  const error = new Error(`${why}\n${where}`);
  restack(error, waits[0].origin);
  for (const w of waits) {
    // Nobody awaits it (that is the bug being reported): keep its rejection from going unhandled.
    pending.get(w)?.catch(() => undefined);
    w.cancel(error);
    pending.delete(w);
  }
  return error;
}
