// The scenarios of bench/README.md, each over a list of adapters (peers.js). Each function
// takes `ctx = { params, onRow(scenario, label, records), onError(scenario, label, error) }`,
// measures the adapters one after the other (never two waits at once) and returns the records.
// A library that fails in a scenario is reported through onError and leaves no record there.
const dc = require('node:diagnostics_channel');
const liveness = require('@liveness-dev/liveness');
const { Adder } = require('./singleton');
const { notifyPush } = require('./push');
const hog = require('./hog');
const { summary } = require('./stats');

/** The simulated system's delays and the `sleep 50 ms` variant are the only sleeps of the harness. */
const simulatedDelay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function each(ctx, scenario, adapters, measure) {
  const records = [];
  for (const a of adapters) {
    try {
      const rows = await measure(a);
      records.push(...rows);
      ctx.onRow(scenario, a.label, rows);
    } catch (error) {
      ctx.onError(scenario, a.label, error);
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// overshoot: a timer makes the condition true at ready_ms; how long after that does the wait return?

const OVERSHOOT_TIMEOUT_MS = 30_000;

async function overshootTrial(adapter, readyMs) {
  let ready = false;
  let setAt;
  setTimeout(() => {
    setAt = performance.now(); // taken right before the condition flips
    ready = true;
    if (adapter.wakeEvent) liveness.emit(adapter.wakeEvent);
    if (adapter.pushed) notifyPush();
  }, readyMs);
  const held = await adapter.waitUntil(() => ready, OVERSHOOT_TIMEOUT_MS);
  const returned = performance.now();
  if (!held || setAt === undefined) throw new Error(`the wait returned before the condition held (ready at ${readyMs} ms)`);
  return returned - setAt;
}

function overshoot(ctx, adapters) {
  const o = ctx.params.overshoot;
  return each(ctx, 'overshoot', adapters.filter((a) => a.scenarios.has('overshoot')), async (a) => {
    const rows = [];
    for (let k = 0; k < o.readyMs.length; k++) {
      const started = performance.now();
      const samples = [];
      const budgetMs = o.cellBudgetS * 1000;
      while (samples.length < o.reps[k] && (samples.length < o.minReps || performance.now() - started < budgetMs)) {
        samples.push(await overshootTrial(a, o.readyAt(o.readyMs[k], samples.length)));
      }
      rows.push({ scenario: 'overshoot', library: a.label, ready_ms: o.readyMs[k], ...summary(samples) });
    }
    return rows;
  });
}

// ---------------------------------------------------------------------------------------------
// cpu: process CPU time per second of wall time while waiting wait_s on a probe that never holds.

function cpu(ctx, adapters) {
  const waitS = ctx.params.cpu.waitS;
  return each(ctx, 'cpu', adapters.filter((a) => a.scenarios.has('cpu')), async (a) => {
    const never = () => false;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const held = await a.waitUntil(never, waitS * 1000);
    const wallMs = performance.now() - t0;
    const used = process.cpuUsage(cpu0);
    if (held) throw new Error('a probe that never holds was accepted');
    // Timers may fire a hair early on the performance clock; more than 1 ms early is a bug.
    if (wallMs < waitS * 1000 - 1) throw new Error(`the wait gave up after ${wallMs.toFixed(1)} ms, before its ${waitS * 1000} ms timeout`);
    const cpuMs = (used.user + used.system) / 1000;
    return [{ scenario: 'cpu', library: a.label, wait_s: waitS, cpu_ms_per_s: cpuMs / (wallMs / 1000) }];
  });
}

// ---------------------------------------------------------------------------------------------
// eval_overhead: evaluations per second of a trivial probe at interval 0 (or the smallest allowed).

const EVAL_TIMEOUT_MS = 60_000;

/**
 * One wait on a counter that holds on its `evaluations`-th call, or once `deadline` has passed
 * (checked every 16th call, so the clock read costs the fast waiters next to nothing).
 */
async function countedWait(fastest, evaluations, deadline) {
  let n = 0;
  const t0 = performance.now();
  const probe = () => ++n >= evaluations || ((n & 15) === 0 && performance.now() >= deadline);
  const held = await fastest.waitUntil(probe, EVAL_TIMEOUT_MS);
  const wallS = (performance.now() - t0) / 1000;
  if (!held) throw new Error('the counting probe never held');
  return { evaluations: n, evalsPerS: n / wallS };
}

function evalOverhead(ctx, adapters) {
  const e = ctx.params.evalOverhead;
  const budgetMs = e.budgetS * 1000;
  return each(ctx, 'eval_overhead', adapters.filter((a) => a.scenarios.has('eval_overhead') && a.fastest), async (a) => {
    // Warm-up (JIT), not recorded: a tenth of the budget at most.
    await countedWait(a.fastest, Math.min(e.evaluations, 1000), performance.now() + budgetMs / 10);
    // The cell has budget_s (as in the Python harness): a run stops at `evaluations` or at the
    // budget's end, and no further repeat starts once it is used (a 1 ms-period peer then does
    // fewer evaluations, in one run). The best run is recorded.
    const started = performance.now();
    let best;
    for (let r = 0; r < Math.max(1, e.repeats); r++) {
      const run = await countedWait(a.fastest, e.evaluations, started + budgetMs);
      if (!best || run.evalsPerS > best.evalsPerS) best = run;
      if (performance.now() - started >= budgetMs) break;
    }
    return [{ scenario: 'eval_overhead', library: a.label, interval_s: a.fastest.intervalS, evaluations: best.evaluations, evals_per_s: best.evalsPerS }];
  });
}

// ---------------------------------------------------------------------------------------------
// suite: seed 004. Test i restarts the singleton, waiting until the name is free; stopping it
// frees the name shutdownMs(i) later. A start still refused after the wait is a failure.

const NAME = 'bench-adder';

/** The way the suite's tests wait with a plain sleep: the thing measured, not a wait of ours. */
function sleepWay(sleepMs) {
  return {
    label: `sleep ${sleepMs} ms`,
    version: process.version,
    settings: `await new Promise(r => setTimeout(r, ${sleepMs})), then start once`,
    scenarios: new Set(['suite']),
    sleepMs,
  };
}

async function oneTest(way, s, i) {
  let adder;
  if (way.sleepMs !== undefined) {
    await simulatedDelay(way.sleepMs);
    adder = Adder.tryStart(NAME, s.shutdownMs(i));
  } else {
    await way.waitUntil(() => adder !== undefined || (adder = Adder.tryStart(NAME, s.shutdownMs(i))) !== undefined, s.waitTimeoutMs);
  }
  if (adder === undefined) return false;
  if (adder.add(2, 3) !== 5) throw new Error('the adder is broken');
  adder.stop(); // asynchronous: the name is freed shutdownMs(i) later
  return true;
}

async function oneRun(way, s) {
  const t0 = performance.now();
  let failures = 0;
  let tests = 0;
  for (let i = 0; i < s.tests && performance.now() - t0 <= s.runBudgetMs; i++) {
    tests++;
    if (!(await oneTest(way, s, i))) failures++;
  }
  return { tests, suite_tests: s.tests, wall_s: (performance.now() - t0) / 1000, failures };
}

async function suite(ctx, adapters, { withSleep = true } = {}) {
  const s = ctx.params.suite;
  const ways = [...(withSleep ? [sleepWay(s.sleepMs)] : []), ...adapters.filter((a) => a.scenarios.has('suite'))];
  const records = [];
  for (const load of s.loads) {
    const hogs = load === 'hog' ? hog.start(ctx.params.hogCommand) : undefined;
    try {
      const rows = await each(ctx, `suite:${load}`, ways, async (way) => {
        // The first test of a run must not inherit a name still taken by the previous run.
        await liveness.eventually(() => !Adder.isRegistered(NAME), { timeout: s.waitTimeoutMs });
        const out = [];
        for (let run = 0; run < s.runs; run++) {
          out.push({ scenario: 'suite', library: way.label, load, run, ...(await oneRun(way, s)) });
        }
        return out;
      });
      records.push(...rows);
    } finally {
      await hogs?.stop();
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// emit: ns per emit with nothing attached and with one capture open, liveness against
// node:diagnostics_channel (publish guarded by hasSubscribers; one subscriber appending to an array).

/** Best ns per call over the repeats, after `warm` unrecorded calls (the JIT's warm-up). */
function nsPerCall(n, repeats, f, warm) {
  for (let i = 0; i < warm; i++) f();
  let best = Infinity;
  for (let r = 0; r < Math.max(1, repeats); r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n);
  }
  return best;
}

const EMITTERS = {
  liveness: {
    version: () => liveness.VERSION,
    settings: "emit('bench.emit.idle') with nothing attached; emit('bench.emit.captured', {n: 1}) with capture('bench.emit.**') open",
    idle: () => () => liveness.emit('bench.emit.idle'),
    captured(n) {
      const c = liveness.capture('bench.emit.**');
      return {
        emit: () => liveness.emit('bench.emit.captured', { n: 1 }),
        close: () => {
          c.close();
          return c.length;
        },
      };
    },
  },
  diagnostics_channel: {
    version: () => process.version,
    settings: 'node:diagnostics_channel: if (ch.hasSubscribers) ch.publish({n: 1}); one capture = one subscriber pushing each message to an array',
    idle() {
      const ch = dc.channel('bench.emit.idle');
      return () => {
        if (ch.hasSubscribers) ch.publish({ n: 1 });
      };
    },
    captured() {
      const ch = dc.channel('bench.emit.captured');
      const seen = [];
      const subscriber = (message) => seen.push(message);
      ch.subscribe(subscriber);
      return {
        emit: () => {
          if (ch.hasSubscribers) ch.publish({ n: 1 });
        },
        close: () => {
          ch.unsubscribe(subscriber);
          return seen.length;
        },
      };
    },
  },
};

async function emit(ctx) {
  const { iterations: n, repeats } = ctx.params.emit;
  // What a capture records is kept: a twentieth of the iterations, once, as the Rust harness does
  // (both cases after an unrecorded warm-up).
  const capturedN = Math.max(1, Math.floor(n / 20));
  const adapters = Object.entries(EMITTERS).map(([label, e]) => ({ label, ...e }));
  return each(ctx, 'emit', adapters, async (e) => {
    const idle = nsPerCall(n, repeats, e.idle(), Math.min(n, 100_000));
    const c = e.captured();
    const warm = Math.min(capturedN, 1000);
    const captured = nsPerCall(capturedN, 1, c.emit, warm);
    const seen = c.close();
    if (seen !== capturedN + warm) throw new Error(`the capture saw ${seen} of ${capturedN + warm} events`);
    return [
      { scenario: 'emit', library: e.label, case: 'nothing attached', ns_per_emit: idle },
      { scenario: 'emit', library: e.label, case: 'one capture', ns_per_emit: captured },
    ];
  });
}

/** The `libraries` entries of the emit scenario's labels. */
function emitLibraries() {
  return Object.fromEntries(Object.entries(EMITTERS).map(([label, e]) => [label, { version: e.version(), settings: e.settings }]));
}

/** The waiting scenarios, in order: what the Vitest run measures for expect.poll. */
async function waiting(ctx, adapters, options) {
  return [
    ...(await overshoot(ctx, adapters)),
    ...(await cpu(ctx, adapters)),
    ...(await evalOverhead(ctx, adapters)),
    ...(await suite(ctx, adapters, options)),
  ];
}

module.exports = { overshoot, cpu, evalOverhead, suite, emit, waiting, sleepWay, emitLibraries, NAME };
