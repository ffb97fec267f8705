// The shared polling vectors, run through the public API in virtual time (Jest's modern fake
// timers): each probe call advances the fake clock by its scripted duration, and every wait of
// liveness advances it by exactly the waited time. Each case runs twice: with a synchronous probe
// (judged by `expect`) and with an asynchronous one whose result arrives on a faked timer
// (judged by `async_expect` when the vector has one: it settles at the deadline).
const liveness = require('..');
const { load, kind, options, camel, number } = require('./support/conformance');

const cases = load('polling');
const TOLERANCE = 1e-6;

function step(entry, asynchronous, now) {
  const outcome = () => {
    if (entry.raises) throw new (kind(entry.raises.kind))(entry.raises.text);
    return entry.returns;
  };
  if (!asynchronous) {
    jest.advanceTimersByTime(entry.duration_ms);
    return outcome();
  }
  if (!Number.isInteger(entry.duration_ms)) {
    // Fake timers cannot fire after a fraction of a millisecond: take the time in a microtask.
    return Promise.resolve().then(() => {
      jest.advanceTimersByTime(entry.duration_ms);
      return outcome();
    });
  }
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        resolve(outcome());
      } catch (e) {
        reject(e);
      }
    }, entry.duration_ms);
  });
}

async function run(c, asynchronous) {
  const starts = [];
  let calls = 0;
  let actionCalls = 0;
  const t0 = performance.now();
  const probe = () => {
    const i = calls++;
    starts.push(performance.now() - t0);
    let entry = c.script[i];
    if (entry === undefined) {
      if (!c.repeat_last) throw new Error(`vector bug: probe called ${i + 1} times, script has ${c.script.length}`);
      entry = c.script[c.script.length - 1];
    }
    return step(entry, asynchronous);
  };
  const action = () => {
    actionCalls++;
    if (c.action?.raises) throw new (kind(c.action.raises.kind))(c.action.raises.text);
    return c.action?.returns;
  };
  const opts = options(c.options);
  const during = number(c.options?.during_ms);
  const op = camel(c.operation);
  const call = () => {
    switch (op) {
      case 'always':
      case 'never':
        return liveness[op](probe, during, opts);
      case 'syncOperation':
        return liveness.syncOperation(action, probe, opts);
      default:
        return liveness[op](probe, opts);
    }
  };
  let outcome;
  try {
    outcome = { value: await call() };
  } catch (error) {
    outcome = { error };
  }
  return { outcome, starts, calls, actionCalls, elapsed: performance.now() - t0 };
}

function classify(outcome) {
  if (!outcome.error) return 'ok';
  const e = outcome.error;
  if (e instanceof liveness.LivenessTimeoutError) return 'timeout';
  if (e instanceof liveness.LivenessViolationError) return 'violated';
  if (e instanceof RangeError || e instanceof TypeError) return 'invalid_option';
  return 'propagated';
}

function check(c, r, expect_) {
  const got = classify(r.outcome);
  const where = `${c.name} (${c.file})`;
  if (got !== expect_.result) {
    throw new Error(`${where}: expected ${expect_.result}, got ${got}: ${r.outcome.error?.stack ?? JSON.stringify(r.outcome.value)}`);
  }
  if ('value' in expect_ && !['always', 'never'].includes(c.operation)) expect(r.outcome.value).toEqual(expect_.value);
  if ('evaluations' in expect_) expect({ where, evaluations: r.calls }).toEqual({ where, evaluations: expect_.evaluations });
  if ('action_calls' in expect_) expect(r.actionCalls).toBe(expect_.action_calls);
  if ('starts_ms' in expect_) {
    expect(r.starts.length).toBe(expect_.starts_ms.length);
    r.starts.forEach((s, i) => expect(Math.abs(s - expect_.starts_ms[i])).toBeLessThan(TOLERANCE + 1e-9));
  }
  if ('elapsed_ms' in expect_) expect({ where, elapsedOff: Math.abs(r.elapsed - expect_.elapsed_ms) < 1e-6 }).toEqual({ where, elapsedOff: true });
  if (expect_.propagated_kind) expect(r.outcome.error.name).toBe(expect_.propagated_kind);
  if (expect_.invalid_option) expect(r.outcome.error.message).toContain(camel(expect_.invalid_option));
  const message = r.outcome.error?.message ?? '';
  for (const f of expect_.message_contains ?? []) expect(message).toContain(f);
  for (const f of expect_.message_not_contains ?? []) expect(message).not.toContain(f);
  let from = 0;
  for (const f of expect_.message_order ?? []) {
    const i = message.indexOf(f, from);
    expect({ fragment: f, found: i >= 0 }).toEqual({ fragment: f, found: true });
    from = i + f.length;
  }
  const count = (f) => message.split(f).length - 1;
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

function withEnv(c) {
  delete process.env.LIVENESS_TIMEOUT_SCALE;
  for (const [k, v] of Object.entries(c.env ?? {})) process.env[k] = v;
}

describe('conformance: polling vectors, synchronous probes', () => {
  test.each(cases.map((c) => [c.name, c]))('%s', async (_name, c) => {
    withEnv(c);
    check(c, await run(c, false), c.expect);
  });
});

describe('conformance: polling vectors, asynchronous probes', () => {
  test.each(cases.map((c) => [c.name, c]))('%s', async (_name, c) => {
    withEnv(c);
    check(c, await run(c, true), c.async_expect ?? c.expect);
  });
});
