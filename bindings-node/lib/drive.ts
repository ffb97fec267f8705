// The asynchronous driver: it executes the core Poller's steps with the host language's clock and
// timers — runs the preparation, calls the probe, waits, lets the event loop turn — and tells the
// Poller what happened, never blocking the event loop. It decides nothing: the schedule, which
// step the deadline bounds, when to yield, what a wake hint means and the failure text are the
// Poller's. What is JavaScript's stays here: fake clocks, AbortSignal, forgotten awaits, stacks.
import { cut } from './budget';
import { Cancel, type Clock, currentClock, realDelay, realTurn } from './clock';
import { LivenessTimeoutError, LivenessViolationError, translate } from './errors';
import { DONE_FAILED, DONE_OK, EVALUATE, native, type NativePoller, type NativeReport, PREPARE, YIELD } from './native';
import { check, type Checked, type Evaluation, stops } from './options';
import { type PendingWait, tracked } from './pending';
import { describeError, isThenable, repr } from './repr';
import { restack } from './stack';

/** What one evaluation produced, as the operation's acceptance classified the probe's value. */
export type Outcome = { accept: true } | { accept: false; repr: string; nullish: boolean };

export interface Plan {
  /** The operation's name as the core knows it (`eventuallyPasses`, `always`, …). */
  operation: string;
  /** The operation's own duration in ms, as given: `during` of always/never, `quiet` of eventuallySettles. */
  argument?: { name: 'during' | 'quiet'; value: unknown };
  probe: unknown;
  /** The preparation (syncOperation's action, eventuallyChanges' baseline), run at the Prepare step; its error propagates. */
  prepare?: () => unknown;
  /** The operation's acceptance: `truthy`, `passes`, `changed`, `settled` (operations.ts). */
  acceptance(value: unknown): Outcome;
  /** The probe threw, and the error is retried (eventuallySettles forgets the previous value). */
  raised?: () => void;
  /** Probes that must be functions, by argument name, for the TypeError. */
  probeName: string;
}

/** The core's default timeout (SPEC §2), which a test's budget may have to cut. */
const [DEFAULT_TIMEOUT_MS, DEFAULT_LATE_CHECK_MS] = native.optionDefaultsMs();

const ABANDONED = Symbol('abandoned');
const TURN = Symbol('turn');
/** A fake clock advances by at most this much per real turn while an async step is pending. */
const FAKE_STEP_MS = 10;

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * A wait's first evaluation, made before any poller exists (`start`'s fast path) and handed to
 * the poller as its evaluation #1 when it was not the end of the wait.
 */
interface First {
  clock: Clock;
  /** The call's time zero on `clock`, read right before the probe was called. */
  t0: number;
  result: Settled | PromiseLike<unknown>;
  /** `plan.acceptance` of a value returned synchronously. */
  outcome: Outcome | undefined;
}

/** Starts a wait; the Promise is tracked so a forgotten `await` can be reported. */
export function start(plan: Plan, options: unknown): Promise<unknown> {
  // The fast path (issue 17): a wait with the default options evaluates its probe before it
  // creates or borrows a poller; when the core ends such a wait at an accepted first evaluation,
  // an already-true wait then costs the probe call and a resolved Promise.
  const scaleText = process.env.LIVENESS_TIMEOUT_SCALE ?? null;
  let first: First | undefined;
  if (
    options === undefined &&
    plan.prepare === undefined &&
    plan.argument === undefined &&
    typeof plan.probe === 'function' &&
    knownScale(scaleText)
  ) {
    const clock = currentClock();
    const t0 = clock.now();
    const result = invoke(plan.probe as () => unknown);
    const outcome = isThenable(result) || !result.ok ? undefined : plan.acceptance(result.value);
    if (outcome?.accept === true && endsAtAcceptedFirst(plan.operation)) return Promise.resolve((result as { value: unknown }).value);
    first = { clock, t0, result, outcome };
  }
  const cancel = new Cancel();
  let origin: Error | undefined;
  const wait: Mutable<PendingWait> = {
    operation: plan.operation,
    // Failures and the forgotten-await guard point at the caller's line, so the stack is taken
    // while the caller is still on it: at the latest below, when `run` first awaits. Not before:
    // capturing a stack costs more than an already-true wait's whole run (issue 17), and a wait
    // that settles without awaiting needs one only if it fails (then `failure` reads it, still
    // inside the caller's call).
    get origin() {
      return (origin ??= new Error(`${plan.operation} started here`));
    },
    cancel: (reason: unknown) => cancel.abort(reason),
    unbounded: false,
  };
  const ran = { settled: false };
  const promise = tracked(wait, () => run(plan, options, scaleText, first, cancel, wait, ran));
  // `run` returned at its first await (or settled): the caller's frames are still on the stack.
  if (!ran.settled) void wait.origin;
  return promise;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The wait's failure, as `onTimeout` leaves it: the error to reject with. */
function failure(
  report: NativeReport,
  lastRaised: { error: unknown } | undefined,
  origin: Error,
  checked: Checked,
  note: string | undefined,
): unknown {
  const Kind = report.violation ? LivenessViolationError : LivenessTimeoutError;
  const error = new Kind(report, lastRaised, report.violation ? undefined : note);
  // The stack of the call, without this package's frames: the first frame is the test's line.
  restack(error, origin);
  if (checked.onTimeout === undefined) return error;
  // A throw of the hook propagates as itself: that is the error the caller then sees.
  const replacement = checked.onTimeout(error);
  if (replacement === undefined || replacement === null) return error;
  if (typeof replacement !== 'object') {
    return new TypeError(`option \`onTimeout\` must return an error or nothing, got ${typeof replacement}`, { cause: error });
  }
  const r = replacement as { cause?: unknown };
  if (r.cause === undefined) {
    // Like `new Error(message, { cause })`: an own, non-enumerable property.
    Object.defineProperty(r, 'cause', { value: error, writable: true, configurable: true, enumerable: false });
  }
  return replacement;
}

/** The evaluation that just finished, as `onEvaluation` receives it. */
function evaluation(poller: NativePoller, result: Settled): Evaluation {
  const counted = poller.evaluated()!;
  return {
    number: counted.number,
    startedMs: counted.startedMs,
    durationMs: counted.durationMs,
    accepted: counted.accepted,
    value: result.ok ? result.value : undefined,
    error: result.ok ? undefined : result.error,
  };
}

/** Calls the preparation or the probe: what it returned or threw, or the Promise it returned. */
function invoke(f: () => unknown): Settled | PromiseLike<unknown> {
  try {
    const value = f();
    return isThenable(value) ? value : { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Awaits an asynchronous step; ABANDONED if it is still pending at `abandonAt` (null: unbounded). */
function settle(
  p: PromiseLike<unknown>,
  abandonAt: number | null,
  clock: Clock,
  at: () => number,
  cancel: Cancel,
): Promise<Settled | typeof ABANDONED> {
  const left = abandonAt === null ? () => Infinity : () => abandonAt - at();
  if (clock.fake) return settleFake(p, clock, left, cancel);
  if (abandonAt === null) return Promise.race([settled(p), cancel.whenAborted]);
  return settleReal(p, left(), cancel);
}

async function settleReal(p: PromiseLike<unknown>, remainingMs: number, cancel: Cancel): Promise<Settled | typeof ABANDONED> {
  let stop = () => {};
  const abandoned = new Promise<typeof ABANDONED>((resolve) => {
    // Chained timers: a single one longer than 2 ** 31 - 1 ms would fire at once (issue 12).
    stop = realDelay(remainingMs, () => resolve(ABANDONED));
  });
  try {
    return await Promise.race([settled(p), abandoned, cancel.whenAborted]);
  } finally {
    stop();
  }
}

async function settleFake(p: PromiseLike<unknown>, clock: Clock, remaining: () => number, cancel: Cancel): Promise<Settled | typeof ABANDONED> {
  const outcome = settled(p);
  for (;;) {
    // The step may be waiting on a faked timer: let fake time pass, as a real wait would —
    // exactly up to the next fake timer when it is known, so virtual times stay exact.
    const turn = clock.turn(cancel, () => Math.min(Math.max(0, remaining()), clock.nextTimerIn() ?? FAKE_STEP_MS)).then(() => TURN);
    const out = await Promise.race([outcome, turn, cancel.whenAborted]);
    if (out !== TURN) return out as Settled;
    if (remaining() <= 0) return ABANDONED;
  }
}

/**
 * Where the addon's `monotonicMs()` clock starts on the real `clock`: both read the system's
 * monotonic clock, from different origins. Of a few readings bracketed by two of `clock`'s, the
 * tightest bracket is kept (its error is at most half its width).
 */
function nativeOrigin(clock: Clock): number {
  let best = Infinity;
  let origin = 0;
  for (let i = 0; i < 5; i++) {
    const before = clock.now();
    const reading = native.monotonicMs();
    const after = clock.now();
    if (after - before < best) {
      best = after - before;
      origin = (before + after) / 2 - reading;
    }
  }
  return origin;
}

/** The wait's timeout cut to the running test's budget, or undefined when it fits (or none is known). */
function cutForBudget(checked: Checked, scaleText: string | null): ReturnType<typeof cut> {
  const timeout = checked.native.timeout ?? DEFAULT_TIMEOUT_MS;
  const lateCheck = checked.native.lateCheck ?? DEFAULT_LATE_CHECK_MS;
  // A bad timeout or scale is the core's to report, uncut.
  const scale = scaleText === null ? 1 : Number(scaleText);
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0 || !(scale > 0 && Number.isFinite(scale))) return undefined;
  if (!(lateCheck >= 0)) return undefined;
  return cut(timeout, lateCheck, scale);
}

/**
 * The pollers of waits that ended, for the next waits: creating a napi object costs more than the
 * rest of an already-true wait (issue 17). `reset` makes one a new wait, as the constructor would.
 */
const idlePollers: NativePoller[] = [];
/** As many as waits commonly run at once; a burst beyond it creates new ones. */
const IDLE_POLLERS_MAX = 64;

function obtainPoller(...args: ConstructorParameters<typeof native.NativePoller>): NativePoller {
  const idle = idlePollers.pop();
  let poller: NativePoller;
  if (idle === undefined) {
    poller = new native.NativePoller(...args);
  } else {
    try {
      idle.reset(...args);
    } catch (error) {
      // Bad options: the poller is as it was, still free.
      idlePollers.push(idle);
      throw error;
    }
    poller = idle;
  }
  const scaleText = args[3];
  if (scaleText !== null && scaleText !== undefined) goodScales.add(scaleText);
  return poller;
}

function releasePoller(poller: NativePoller): void {
  if (idlePollers.length < IDLE_POLLERS_MAX) idlePollers.push(poller);
}

/**
 * The `LIVENESS_TIMEOUT_SCALE` texts the core accepted: the fast path calls the probe before the
 * core sees the scale, so it runs only for one the core would not reject (that error comes first).
 */
const goodScales = new Set<string>();

function knownScale(scaleText: string | null): boolean {
  return scaleText === null || goodScales.has(scaleText);
}

/**
 * Whether the core ends a wait of `operation` with the default options at an accepted first
 * evaluation (asked once per operation, of a poller given exactly that): the fast path's rule
 * stays the core's. Not when the core wants the accepted value's text.
 */
const endsAtAccepted = new Map<string, boolean>();

function endsAtAcceptedFirst(operation: string): boolean {
  let ends = endsAtAccepted.get(operation);
  if (ends === undefined) {
    const poller = obtainPoller(operation, null, undefined, null, 0);
    ends = !poller.wantsAcceptedText && native.pollerStep(poller.slot, 0) === EVALUATE && poller.acceptedStep(null, 0) === DONE_OK;
    releasePoller(poller);
    endsAtAccepted.set(operation, ends);
  }
  return ends;
}

/** Whether an options object has no own key (the native options of a call given none). */
function isEmpty(options: object): boolean {
  for (const key in options) if (Object.hasOwn(options, key)) return false;
  return true;
}

function settled(p: PromiseLike<unknown>): Promise<Settled> {
  return Promise.resolve(p).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** `ran.settled`: set when the wait's loop ends, so `start` can tell whether it ever awaited. */
async function run(
  plan: Plan,
  options: unknown,
  scaleText: string | null,
  first: First | undefined,
  cancel: Cancel,
  wait: Mutable<PendingWait>,
  ran: { settled: boolean },
): Promise<unknown> {
  if (typeof plan.probe !== 'function') {
    throw new TypeError(`${plan.operation}: \`${plan.probeName}\` must be a function, got ${plan.probe === null ? 'null' : typeof plan.probe}`);
  }
  const checked: Checked = check(options);
  const argument = plan.argument?.value;
  if (plan.argument !== undefined && typeof argument !== 'number') {
    const what = argument === undefined && plan.argument.name === 'quiet' ? ' (it is required)' : '';
    throw new TypeError(`${plan.operation}: \`${plan.argument.name}\` must be a number of milliseconds${what}, got ${typeof argument}`);
  }
  // `scaleText`: the environment as this program sees it (Jest gives each test file its own copy).
  const clock = first?.clock ?? currentClock(checked.realTimers);
  // The call's time zero. On the real clock it is a reading of the addon's `monotonicMs()`, so the
  // poller's `*Step` methods read the elapsed time themselves (`now()` gives them none).
  const t0 = first?.t0 ?? clock.now();
  // On the real clock, the addon's clock read directly: a busy wait reads it once per evaluation.
  const at = clock.fake ? () => clock.now() - t0 : () => native.monotonicMs() - t0;
  const now = clock.fake ? at : () => undefined;
  const create = ({ timeout, lateCheck, ...options }: Checked['native']) =>
    translate(() =>
      // No other options: undefined, which the addon does not have to take apart field by field;
      // the timeout and lateCheck (the budget's cut) cross as numbers.
      obtainPoller(
        plan.operation,
        typeof argument === 'number' ? argument : null,
        isEmpty(options) ? undefined : options,
        scaleText,
        clock.fake ? 0 : t0,
        timeout,
        lateCheck,
      ),
    );
  // Under Jest or Vitest, a wait ends before its test does (budget.ts). Not always/never: ending
  // one early would pass a safety check that was not done. Not on a fake clock: the wait's
  // timeout is then in fake time, the runner's in real time.
  const budgeted = clock.fake || plan.operation === 'always' || plan.operation === 'never' ? undefined : cutForBudget(checked, scaleText);
  let note: string | undefined;
  let poller: NativePoller;
  if (budgeted === undefined) {
    poller = create(checked.native);
  } else {
    try {
      poller = create({ ...checked.native, timeout: budgeted.timeout, lateCheck: budgeted.lateCheck });
      note = budgeted.note;
    } catch {
      // The options are bad as given (that error is the one to show), or only the cut timeout
      // conflicts with them (a delay longer than what is left): then the wait runs uncut.
      poller = create(checked.native);
    }
  }
  // Named by the test runners' guard if the test ends first: only the runner's timeout ends it.
  wait.unbounded = checked.native.timeout === Infinity;
  const probe = plan.probe as () => unknown;
  const prepare = plan.prepare ?? (() => undefined);
  const signal = checked.signal;
  if (signal?.aborted) throw signal.reason;
  const onAbort = () => cancel.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const patterns = poller.wakePatterns;
  const paths = poller.wakePaths;
  const hinted = patterns.length > 0 || paths.length > 0;
  // A hint emitted from JavaScript arrives inside the emit; one from another thread arrives on a
  // later turn, maybe after the evaluation it was emitted during, so it is dated by when it was
  // emitted (on a fake clock, which native code cannot read, by when it arrives). The Poller
  // decides what a hint means; a sleep in progress ends early. `addonZero`: where the addon's
  // clock reads zero, on this wait's clock (elapsed since the call).
  const addonZero = hinted && !clock.fake ? nativeOrigin(clock) - t0 : 0;
  const wake = hinted
    ? translate(
        () =>
          new native.NativeWake(
            patterns,
            (emittedAtMs) => {
              // A hint queued before the wait ended must not reach the next wait's (pooled) poller.
              if (ran.settled) return;
              poller.wake(clock.fake ? at() : Math.min(at(), Number(emittedAtMs) + addonZero));
              cancel.wake();
            },
            paths,
          ),
      )
    : undefined;
  const describeAccepted = poller.wantsAcceptedText;
  // The per-evaluation calls are plain functions given the poller's slot: a method call first
  // unwraps its napi object (issue 19). The slot is the poller's only while the poller lives:
  // `poller` stays referenced (the finally below releases it), so it cannot be collected first.
  const slot = poller.slot;
  // The last rejected value's text the poller was given: the same text again is passed as null,
  // or through the `*AgainStep` functions, and no string crosses napi (a probe that is not true
  // yet mostly returns the same value).
  let lastRepr: string | undefined;
  let lastNullish = false;
  const reprToPass = (outcome: { repr: string; nullish: boolean }): string | null => {
    if (outcome.repr === lastRepr && outcome.nullish === lastNullish) return null;
    lastRepr = outcome.repr;
    lastNullish = outcome.nullish;
    return outcome.repr;
  };
  let done = false;
  const { onEvaluation } = checked;
  try {
    let value: unknown;
    let lastRaised: { error: unknown } | undefined;
    // Each native call records what happened and answers with the next step (already started
    // when it is to prepare or evaluate): two crossings per evaluation (issue 19), one in a busy wait.
    // A first evaluation already made started at the call's time zero.
    let step = native.pollerStep(slot, first === undefined ? now() : 0);
    // The core's last answer after an evaluation was a turn of the event loop, then the next one
    // (a busy wait): the next evaluation that is not accepted lets that turn pass first and then
    // reports, in one crossing (`*TurnedStep`). Not with a wake hint, which may arrive in the turn.
    let busy = false;
    for (;;) {
      if (step >= 0) {
        busy = false;
        await clock.sleep(step, cancel);
        step = native.pollerStep(slot, now());
        continue;
      }
      if (step === YIELD) {
        busy = !hinted;
        await realTurn(cancel);
        step = native.pollerStep(slot, now());
        continue;
      }
      // always/never check safety and return nothing.
      if (step === DONE_OK) {
        done = true;
        return plan.operation === 'always' || plan.operation === 'never' ? undefined : value;
      }
      if (step === DONE_FAILED) {
        done = true;
        throw failure(poller.report()!, lastRaised, wait.origin, checked, note);
      }
      if (step !== EVALUATE && step !== PREPARE) throw new Error(`liveness: unknown step ${step} from the native poller`);
      let called: Settled | PromiseLike<unknown>;
      let known: Outcome | undefined;
      if (first !== undefined && step === EVALUATE) {
        // Evaluation #1 was made by `start`: its outcome is given, the probe is not called again.
        ({ result: called, outcome: known } = first);
        first = undefined;
      } else {
        called = invoke(step === PREPARE ? prepare : probe);
      }
      // Only a Promise can still be pending at the step's abandonAt: a synchronous call never reads it.
      const result = isThenable(called) ? await settle(called, poller.abandonAtMs, clock, at, cancel) : called;
      // Given up at abandonAt: the wait settles now and the step is never resumed.
      if (result === ABANDONED) throw failure(poller.abandon(at()), lastRaised, wait.origin, checked, note);
      if (cancel.aborted) throw cancel.aborted.reason;
      // `onEvaluation` runs after the Poller counted the evaluation and before the next step.
      const hooked = step === EVALUATE && onEvaluation !== undefined;
      if (step === PREPARE) {
        if (!result.ok) throw result.error;
        step = poller.preparedStep(now());
        continue;
      } else if (!result.ok) {
        if (stops(checked, result.error)) throw result.error;
        const { kind, text } = describeError(result.error);
        plan.raised?.();
        lastRaised = { error: result.error };
        if (!hooked) {
          if (busy) {
            const ended = at();
            await realTurn(cancel);
            step = poller.raisedTurnedStep(kind, text, ended, now());
          } else {
            step = poller.raisedStep(kind, text, now());
          }
          continue;
        }
        poller.raised(at(), kind, text);
      } else {
        const outcome = known ?? plan.acceptance(result.value);
        if (outcome.accept) {
          value = result.value;
          const text = describeAccepted ? repr(result.value) : null;
          if (!hooked) {
            step = poller.acceptedStep(text, now());
            continue;
          }
          poller.accepted(at(), text);
        } else {
          lastRaised = undefined;
          if (!hooked) {
            if (busy) {
              const ended = at();
              await realTurn(cancel);
              const repr = reprToPass(outcome);
              step =
                repr === null
                  ? native.pollerReturnedAgainTurnedStep(slot, ended, now())
                  : native.pollerReturnedTurnedStep(slot, repr, outcome.nullish, ended, now());
            } else {
              const repr = reprToPass(outcome);
              step = repr === null ? native.pollerReturnedAgainStep(slot, now()) : native.pollerReturnedStep(slot, repr, outcome.nullish, now());
            }
            continue;
          }
          poller.returned(at(), reprToPass(outcome), outcome.nullish);
        }
      }
      // Right after the Poller counted it, before the next step; a throw ends the wait as itself.
      onEvaluation(evaluation(poller, result));
      step = native.pollerStep(slot, now());
    }
  } finally {
    ran.settled = true;
    signal?.removeEventListener('abort', onAbort);
    wake?.close();
    // A wait that ended without a done step (its probe's error propagated, it was aborted, a hook
    // threw) leaves the polling budget now: a pooled poller may sit idle for the rest of the run.
    if (!done) poller.leaveBudget();
    releasePoller(poller);
  }
}
