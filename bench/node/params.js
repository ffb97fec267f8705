// The shared scenario set (bench/scenarios.json), read once. Every count and delay the harness
// uses comes from this file, so the languages measure the same thing.
const fs = require('node:fs');
const path = require('node:path');

const SCENARIOS = path.resolve(__dirname, '..', 'scenarios.json');

function need(value, where) {
  if (value === undefined || value === null) throw new Error(`bench/scenarios.json: ${where} is missing`);
  return value;
}

/** The parameters of `mode` (full | quick | smoke), with the suite's shutdown schedule. */
function load(mode) {
  const all = JSON.parse(fs.readFileSync(SCENARIOS, 'utf8'));
  const m = all.modes?.[mode];
  if (!m) throw new Error(`bench/scenarios.json has no mode ${JSON.stringify(mode)} (known: ${Object.keys(all.modes).join(', ')})`);
  const s = need(all.suite, 'suite');
  const o = need(m.overshoot, `modes.${mode}.overshoot`);
  const phaseStep = need(all.overshoot?.phase_step, 'overshoot.phase_step');
  if (o.ready_ms.length !== o.reps.length) throw new Error(`bench/scenarios.json: modes.${mode}.overshoot.ready_ms and reps differ in length`);
  return {
    mode,
    overshoot: {
      readyMs: o.ready_ms,
      reps: o.reps,
      minReps: need(o.min_reps, 'min_reps'),
      cellBudgetS: need(o.cell_budget_s, 'cell_budget_s'),
      /** When repetition k of a cell makes the condition true: spread over [t, 2t). */
      readyAt: (readyMs, k) => readyMs * (1 + ((k * phaseStep) % 1)),
    },
    cpu: { waitS: need(m.cpu?.wait_s, `modes.${mode}.cpu.wait_s`) },
    evalOverhead: {
      evaluations: need(m.eval_overhead?.evaluations, 'eval_overhead.evaluations'),
      repeats: need(m.eval_overhead?.repeats, 'eval_overhead.repeats'),
      budgetS: need(m.eval_overhead?.budget_s, 'eval_overhead.budget_s'),
    },
    suite: {
      tests: need(m.suite?.tests, 'suite.tests'),
      runs: need(m.suite?.runs, 'suite.runs'),
      loads: need(m.suite?.loads, 'suite.loads'),
      /** A run stops after the test that passes this (a peer polling once a second takes minutes). */
      runBudgetMs: need(m.suite?.run_budget_s, 'suite.run_budget_s') * 1000,
      sleepMs: need(s.sleep_ms, 'suite.sleep_ms'),
      waitTimeoutMs: need(s.wait_timeout_s, 'suite.wait_timeout_s') * 1000,
      /** Seed 004: how long test i's singleton takes to free its name after the stop. */
      shutdownMs: (i) => (i % s.tail_every === s.tail_every - 1 ? s.tail_ms : s.base_ms + ((i * s.step) % s.spread_ms)),
    },
    emit: { iterations: need(m.emit?.iterations, 'emit.iterations'), repeats: need(m.emit?.repeats, 'emit.repeats') },
    hogCommand: need(all.hog?.command, 'hog.command'),
    delayedWrite: {
      readyMs: need(m.delayed_write?.ready_ms, `modes.${mode}.delayed_write.ready_ms`),
      reps: need(m.delayed_write?.reps, `modes.${mode}.delayed_write.reps`),
      result: need(all.delayed_write?.result, 'delayed_write.result'),
    },
  };
}

module.exports = { load, SCENARIOS };
