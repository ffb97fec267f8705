// The shared polling vectors, run through the public API in virtual time (Jest's modern fake
// timers): each probe call advances the fake clock by its scripted duration, and every wait of
// liveness advances it by exactly the waited time. Each case runs twice: with a synchronous probe
// and action (judged by `expect`) and with asynchronous ones whose results arrive on a faked timer
// (judged by `async_expect` when the vector has one: they settle at the deadline). Every case runs
// with an `onEvaluation` hook installed; its calls are compared where the case has `on_evaluation`.
// A case with `alongside` waits (polling/budget.json) runs them beside its own, on the same fake
// clock: concurrent eventually() calls whose probes are pending for their `duration_ms`.
import { setImmediate as realSetImmediate } from 'node:timers';

import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  always,
  emit,
  eventually,
  eventuallyChanges,
  eventuallyPasses,
  eventuallySettles,
  type Evaluation,
  LivenessTimeoutError,
  LivenessViolationError,
  never,
  syncOperation,
} from '@liveness-dev/liveness';

import { camel, kind, load, type Located, number, options, type PollingCase, type PollingExpect, type ScriptEntry } from './support/conformance';
import { expectInstanceOf } from './support/expect';

/** Waits started beside the case's own, `count` copies of each (the README's `alongside`). */
interface Alongside {
  count: number;
  options?: Record<string, unknown>;
  script: ScriptEntry[];
  repeat_last?: boolean;
}

type Case = Located<PollingCase> & { alongside?: Alongside[] };

const cases: Case[] = load('polling');
const TOLERANCE = 1e-6;

/** One call of the probe or the action: emits while it runs, then takes its time and ends. */
function step(entry: ScriptEntry, asynchronous: boolean): unknown {
  for (const name of typeof entry.emits === 'string' ? [entry.emits] : (entry.emits ?? [])) emit(name);
  const duration = entry.duration_ms ?? 0;
  const outcome = () => {
    if (entry.raises) throw new (kind(entry.raises.kind))(entry.raises.text);
    return entry.returns;
  };
  if (!asynchronous) {
    jest.advanceTimersByTime(duration);
    return outcome();
  }
  if (!Number.isInteger(duration)) {
    // Fake timers cannot fire after a fraction of a millisecond: take the time in a microtask.
    return Promise.resolve().then(() => {
      jest.advanceTimersByTime(duration);
      return outcome();
    });
  }
  // liveness: allow-sleep(the vector's probe cost, on the faked clock: the behaviour under test)
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        resolve(outcome());
      } catch (e) {
        reject(e);
      }
    }, duration);
  });
}

/** Call `i` (from 0) of a script: past its end, its last entry again if it repeats. */
function entryAt(script: ScriptEntry[], repeatLast: boolean | undefined, i: number): ScriptEntry {
  const entry = i < script.length ? script[i] : repeatLast ? script[script.length - 1] : undefined;
  if (entry === undefined) throw new Error(`vector bug: probe called ${i + 1} times, script has ${script.length}`);
  return entry;
}

/**
 * Starts the case's `alongside` waits on the current (fake) clock, each on its own copy of its
 * script, with asynchronous probes: their time passes on the shared clock while the others run.
 * Their outcome is not checked, but they are awaited (in virtual time, after the case's wait has
 * been measured), so that none runs on into the next case.
 */
function startAlongside(c: Case): Promise<unknown> {
  const waits = (c.alongside ?? []).flatMap((a) =>
    Array.from({ length: a.count }, () => {
      let calls = 0;
      const probe = () => step(entryAt(a.script, a.repeat_last, calls++), true);
      return eventually(probe, options(a.options)).catch(() => undefined);
    }),
  );
  return Promise.all(waits);
}

/** How the operation ended: with a value, or with an error. */
interface Outcome {
  value?: unknown;
  error?: unknown;
}

interface Run {
  outcome: Outcome;
  starts: number[];
  /** Per call after the first: whether the task woken by the call before had run by then. */
  turned: boolean[];
  calls: number;
  actionCalls: number;
  elapsed: number;
  evaluated: Evaluation[];
}

async function run(c: Case, asynchronous: boolean): Promise<Run> {
  const starts: number[] = [];
  const turned: boolean[] = [];
  let calls = 0;
  let actionCalls = 0;
  // The other task of the event loop: each call wakes it with a real setImmediate, what the
  // driver's turn of the loop lets run (the fake timers do not touch node:timers under Jest).
  let ticked = true;
  const t0 = performance.now();
  const probe = () => {
    const i = calls++;
    starts.push(performance.now() - t0);
    if (i > 0) turned.push(ticked);
    ticked = false;
    realSetImmediate(() => (ticked = true));
    return step(entryAt(c.script, c.repeat_last, i), asynchronous);
  };
  const action = () => {
    actionCalls++;
    return step(c.action ?? {}, asynchronous);
  };
  const evaluated: Evaluation[] = [];
  const opts = { ...options(c.options), onEvaluation: (e: Evaluation) => void evaluated.push(e) };
  // The vector's value, whatever it is: an invalid one is a case of polling/options.json.
  const during = number(c.options?.during_ms) as number;
  const call = (): Promise<unknown> => {
    switch (c.operation) {
      case 'always':
        return always(probe, during, opts);
      case 'never':
        return never(probe, during, opts);
      case 'sync_operation':
        return syncOperation(action, probe, opts);
      case 'eventually':
        return eventually(probe, opts);
      case 'eventually_passes':
        return eventuallyPasses(probe, opts);
      case 'eventually_changes':
        return eventuallyChanges(probe, opts);
      case 'eventually_settles':
        // `quiet_ms` became `quiet` among the options (a missing one is the call's own error).
        return eventuallySettles(probe, opts as Parameters<typeof eventuallySettles>[1]);
    }
  };
  let outcome: Outcome;
  const alongside = startAlongside(c);
  try {
    outcome = { value: await call() };
  } catch (error) {
    outcome = { error };
  }
  const elapsed = performance.now() - t0;
  await alongside;
  return { outcome, starts, turned, calls, actionCalls, elapsed, evaluated };
}

function classify(outcome: Outcome): PollingExpect['result'] {
  if (!outcome.error) return 'ok';
  const e = outcome.error;
  if (e instanceof LivenessTimeoutError) return 'timeout';
  if (e instanceof LivenessViolationError) return 'violated';
  if (e instanceof RangeError || e instanceof TypeError) return 'invalid_option';
  return 'propagated';
}

function check(c: Case, r: Run, expect_: PollingExpect): void {
  const got = classify(r.outcome);
  const where = `${c.name} (${c.file})`;
  const error = r.outcome.error;
  if (got !== expect_.result) {
    const shown = error instanceof Error ? error.stack : JSON.stringify(r.outcome.value);
    throw new Error(`${where}: expected ${expect_.result}, got ${got}: ${shown}`);
  }
  if ('value' in expect_ && !['always', 'never'].includes(c.operation)) expect(r.outcome.value).toEqual(expect_.value);
  if (expect_.evaluations !== undefined) expect({ where, evaluations: r.calls }).toEqual({ where, evaluations: expect_.evaluations });
  if (expect_.action_calls !== undefined) expect(r.actionCalls).toBe(expect_.action_calls);
  const startsMs = expect_.starts_ms;
  if (startsMs !== undefined) {
    expect(r.starts.length).toBe(startsMs.length);
    r.starts.forEach((s, i) => expect(Math.abs(s - startsMs[i])).toBeLessThan(TOLERANCE + 1e-9));
  }
  const elapsedMs = expect_.elapsed_ms;
  if (elapsedMs !== undefined) expect({ where, elapsedOff: Math.abs(r.elapsed - elapsedMs) < 1e-6 }).toEqual({ where, elapsedOff: true });
  if (expect_.loop_turns_between_evaluations === true) {
    const stuck = r.turned.indexOf(false);
    expect({ where, loopDidNotTurnBefore: stuck < 0 ? undefined : `evaluation #${stuck + 2}` }).toEqual({ where });
  }
  if (expect_.on_evaluation !== undefined) {
    const near = (a: number, b: number) => Math.abs(a - b) < TOLERANCE;
    const got = r.evaluated.map((e) => ({ number: e.number, started_ms: e.startedMs, duration_ms: e.durationMs, accepted: e.accepted }));
    const want = expect_.on_evaluation;
    const same =
      got.length === want.length &&
      got.every(
        (g, i) =>
          g.number === want[i].number &&
          g.accepted === want[i].accepted &&
          near(g.started_ms, want[i].started_ms) &&
          near(g.duration_ms, want[i].duration_ms),
      );
    expect({ where, onEvaluation: same ? want : got }).toEqual({ where, onEvaluation: want });
  }
  if (expect_.propagated_kind) {
    expectInstanceOf(error, Error);
    expect(error.name).toBe(expect_.propagated_kind);
  }
  const message = error instanceof Error ? error.message : '';
  if (expect_.invalid_option) expect(message).toContain(camel(expect_.invalid_option));
  for (const f of expect_.message_contains ?? []) expect(message).toContain(f);
  for (const f of expect_.message_not_contains ?? []) expect(message).not.toContain(f);
  let from = 0;
  for (const f of expect_.message_order ?? []) {
    const i = message.indexOf(f, from);
    expect({ fragment: f, found: i >= 0 }).toEqual({ fragment: f, found: true });
    from = i + f.length;
  }
  const count = (f: string) => message.split(f).length - 1;
  for (const [f, n] of Object.entries(expect_.message_count ?? {})) expect({ f, n: count(f) }).toEqual({ f, n });
  for (const [f, n] of Object.entries(expect_.message_max_count ?? {})) expect(count(f)).toBeLessThanOrEqual(n);
}

const saved = process.env.LIVENESS_TIMEOUT_SCALE;

beforeEach(() => {
  // Date is faked too, so the probe can read virtual time; the wait reads the same clock.
  jest.useFakeTimers({ now: 0 });
});

afterEach(() => {
  jest.useRealTimers();
  if (saved === undefined) delete process.env.LIVENESS_TIMEOUT_SCALE;
  else process.env.LIVENESS_TIMEOUT_SCALE = saved;
});

function withEnv(c: PollingCase): void {
  delete process.env.LIVENESS_TIMEOUT_SCALE;
  for (const [k, v] of Object.entries(c.env ?? {})) process.env[k] = v;
}

// A synchronous probe holds the event loop for its time: waits alongside cannot run while it does
// (the Rust runner's blocking and tokio-sync drivers skip these cases too). They are listed as
// skipped, so that the summary counts them; the asynchronous probes below run them.
const alone = cases.filter((c) => c.alongside === undefined);
const withCompany = cases.filter((c) => c.alongside !== undefined);

describe('conformance: polling vectors, synchronous probes', () => {
  test.each(alone.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    withEnv(c);
    check(c, await run(c, false), c.expect);
  });
  test.skip.each(withCompany.map((c) => [c.name]))('%s (waits alongside: a synchronous probe holds the loop they share)', () => {});
});

describe('conformance: polling vectors, asynchronous probes', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    withEnv(c);
    check(c, await run(c, true), c.async_expect ?? c.expect);
  });
});
