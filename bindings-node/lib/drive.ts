// The asynchronous driver: it asks the core's Poller what to do, calls the probe, tells the
// Poller what happened, and waits with timers — never blocking the event loop. All decisions
// (schedule, deadline, attempts, stability, the failure text) are the Poller's.
import { Cancel, type Clock, currentClock, realTimer, realTurn } from './clock';
import { LivenessTimeoutError, LivenessViolationError, translate } from './errors';
import { DONE_FAILED, DONE_OK, EVALUATE, native, type NativePoller, type NativeReport } from './native';
import { check, type Checked, stops } from './options';
import { tracked } from './pending';
import { describeError, isThenable } from './repr';

/** The host's verdict on one value the probe produced. */
export type Verdict = { accept: true; text?: string } | { accept: false; repr: string; nullish: boolean };

export interface Plan {
  /** The operation's name as the core knows it (`eventuallyPasses`, `always`, …). */
  operation: string;
  /** `always`/`never`: how long, in ms. */
  during?: unknown;
  probe: unknown;
  /** Runs once before polling (syncOperation's action, eventuallyChanges' baseline); its error propagates. */
  before?: () => unknown;
  judge(value: unknown): Verdict;
  /** Probes that must be functions, by argument name, for the TypeError. */
  probeName: string;
}

const DEADLINE = Symbol('deadline');
const TURN = Symbol('turn');
/** A fake clock advances by at most this much per real turn while an async probe is pending. */
const FAKE_STEP_MS = 10;

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Starts a wait; the Promise is tracked so a forgotten `await` can be reported. */
export function start(plan: Plan, options: unknown): Promise<unknown> {
  // Captured now, so failures and the forgotten-await guard point at the caller's line.
  const origin = new Error(`${plan.operation} started here`);
  const cancel = new Cancel();
  const wait = { operation: plan.operation, origin, cancel: (reason: unknown) => cancel.abort(reason) };
  return tracked(wait, () => run(plan, options, cancel, origin));
}

function failure(report: NativeReport, lastRaised: { error: unknown } | undefined, origin: Error): Error {
  const Kind = report.violation ? LivenessViolationError : LivenessTimeoutError;
  const error = new Kind(report, lastRaised);
  const frames = (origin.stack ?? '').split('\n').slice(1).join('\n');
  error.stack = `${error.name}: ${error.message}\n${frames}`;
  return error;
}

async function settleReal(p: PromiseLike<unknown>, remainingMs: number, cancel: Cancel): Promise<Settled | typeof DEADLINE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof DEADLINE>((resolve) => {
    timer = realTimer('setTimeout')(() => resolve(DEADLINE), Math.max(0, remainingMs));
  });
  try {
    return await Promise.race([settled(p), deadline, cancel.whenAborted]);
  } finally {
    realTimer('clearTimeout')(timer);
  }
}

async function settleFake(p: PromiseLike<unknown>, clock: Clock, remaining: () => number, cancel: Cancel): Promise<Settled | typeof DEADLINE> {
  const outcome = settled(p);
  for (;;) {
    const turn = realTurn(cancel).then(() => TURN);
    const out = await Promise.race([outcome, turn, cancel.whenAborted]);
    if (out !== TURN) return out as Settled;
    const left = remaining();
    if (left <= 0) return DEADLINE;
    // The probe may be waiting on a faked timer: let fake time pass, as a real wait would —
    // exactly up to the next fake timer when it is known, so virtual times stay exact.
    const next = clock.nextTimerIn();
    clock.advance(Math.min(left, next ?? FAKE_STEP_MS));
  }
}

function settled(p: PromiseLike<unknown>): Promise<Settled> {
  return Promise.resolve(p).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function run(plan: Plan, options: unknown, cancel: Cancel, origin: Error): Promise<unknown> {
  if (typeof plan.probe !== 'function') {
    throw new TypeError(`${plan.operation}: \`${plan.probeName}\` must be a function, got ${plan.probe === null ? 'null' : typeof plan.probe}`);
  }
  const checked: Checked = check(options);
  const during = plan.during;
  if (plan.operation === 'always' || plan.operation === 'never') {
    if (typeof during !== 'number') throw new TypeError(`${plan.operation}: \`during\` must be a number of milliseconds, got ${typeof during}`);
  }
  const poller: NativePoller = translate(
    () =>
      new native.NativePoller(
        plan.operation,
        typeof during === 'number' ? during : null,
        checked.native,
        // The environment as this program sees it (Jest gives each test file its own copy).
        process.env.LIVENESS_TIMEOUT_SCALE ?? null,
      ),
  );
  const probe = plan.probe as () => unknown;
  const signal = checked.signal;
  if (signal?.aborted) throw signal.reason;
  const onAbort = () => cancel.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const patterns = poller.wakePatterns;
  const wake =
    patterns.length > 0
      ? translate(
          () =>
            new native.NativeWake(patterns, () => {
              poller.wake();
              cancel.wake();
            }),
        )
      : undefined;
  const clock = currentClock();
  const t0 = clock.now();
  const at = () => clock.now() - t0;
  try {
    if (plan.before) {
      const r = plan.before();
      if (isThenable(r)) {
        const left = () => poller.deadlineMs - at();
        const out = clock.fake ? await settleFake(r, clock, left, cancel) : await settleReal(r, left(), cancel);
        if (out === DEADLINE) throw failure(poller.abandon(at()), undefined, origin);
        if (!out.ok) throw out.error;
      }
    }
    let value: unknown;
    let lastRaised: { error: unknown } | undefined;
    // Two evaluations back to back still let one turn of the event loop pass between them.
    let turned = true;
    for (;;) {
      const step = poller.next(at());
      // always/never check safety and return nothing.
      if (step === DONE_OK) return plan.during === undefined ? value : undefined;
      if (step === DONE_FAILED) throw failure(poller.report()!, lastRaised, origin);
      if (step !== EVALUATE) {
        await clock.sleep(step, cancel);
        turned = true;
        continue;
      }
      if (!turned) await realTurn(cancel);
      turned = false;
      const startedAt = at();
      poller.started(startedAt);
      // The evaluation that starts at the deadline (the last one) is let finish in every host, so
      // it can still see the condition; one that started earlier is abandoned at the deadline.
      const bounded = startedAt < poller.deadlineMs;
      let outcome: Settled | typeof DEADLINE;
      try {
        const result = probe();
        if (isThenable(result)) {
          const left = bounded ? () => poller.deadlineMs - at() : () => Infinity;
          if (clock.fake) outcome = await settleFake(result, clock, left, cancel);
          else if (bounded) outcome = await settleReal(result, left(), cancel);
          else outcome = await Promise.race([settled(result), cancel.whenAborted]);
        } else {
          outcome = { ok: true, value: result };
        }
      } catch (error) {
        if (cancel.aborted) throw cancel.aborted.reason;
        outcome = { ok: false, error };
      }
      // Still pending at the deadline: the wait settles now and the probe is never called again.
      if (outcome === DEADLINE) throw failure(poller.abandon(at()), lastRaised, origin);
      if (cancel.aborted) throw cancel.aborted.reason;
      if (!outcome.ok) {
        if (stops(checked, outcome.error)) throw outcome.error;
        const { kind, text } = describeError(outcome.error);
        poller.raised(at(), kind, text);
        lastRaised = { error: outcome.error };
        continue;
      }
      const verdict = plan.judge(outcome.value);
      if (verdict.accept) {
        poller.accepted(at(), verdict.text ?? null);
        value = outcome.value;
      } else {
        poller.returned(at(), verdict.repr, verdict.nullish);
        lastRaised = undefined;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    wake?.close();
  }
}
