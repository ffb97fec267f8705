// The human table printed to stdout as the harness goes (the JSON file is the real output).
const W = 30; // library column

const fix = (x, d = 3, w = 8) => x.toFixed(d).padStart(w);

const HEADERS = {
  overshoot: (p) =>
    `\novershoot (ms from 'condition true' to 'wait returned'; p50 / p99)\n  ${'library'.padEnd(W)}` +
    p.overshoot.readyMs.map((r) => `ready at ${r} ms`.padStart(20)).join(''),
  cpu: (p) => `\ncpu while waiting (${p.cpu.waitS} s on a probe that never holds; ms of CPU per s of wall time)`,
  delayed_write: (p) =>
    `\ndelayed write (ms from 'file written' to 'wait returned', p50 / p99; ms of CPU per s of waiting)\n  ${'library'.padEnd(W)}` +
    p.delayedWrite.readyMs.map((r) => `written at ${r} ms`.padStart(30)).join(''),
  eval_overhead: (p) =>
    `\nevaluation overhead (trivial probe, up to ${p.evalOverhead.evaluations} evaluations per run, budget ${p.evalOverhead.budgetS} s per library)\n` +
    `  ${'library'.padEnd(W)} ${'interval s'.padStart(10)} ${'evaluations'.padStart(12)} ${'evals/s'.padStart(12)}`,
  suite: (p) => `\nsuite time (${p.suite.tests} tests per run; wall s and failed tests per run)`,
  emit: () => `\nemit (ns per call)`,
};

const ROWS = {
  overshoot: (label, rs) => `  ${label.padEnd(W)}` + rs.map((r) => `${fix(r.p50_ms)} / ${fix(r.p99_ms)}`.padStart(20)).join(''),
  cpu: (label, rs) => `  ${label.padEnd(W)} ${fix(rs[0].cpu_ms_per_s, 2)}`,
  delayed_write: (label, rs) =>
    `  ${label.padEnd(W)}` + rs.map((r) => `${fix(r.p50_ms)} / ${fix(r.p99_ms)} cpu ${fix(r.cpu_ms_per_s, 2, 6)}`.padStart(30)).join(''),
  eval_overhead: (label, rs) =>
    `  ${label.padEnd(W)} ${String(rs[0].interval_s).padStart(10)} ${String(rs[0].evaluations).padStart(12)} ${rs[0].evals_per_s.toFixed(0).padStart(12)}`,
  suite: (label, rs) => `  ${rs[0].load.padEnd(5)} ${label.padEnd(W)}` + rs.map((r) => ` ${fix(r.wall_s, 2, 7)} s ${String(r.failures).padStart(3)} failed`).join(''),
  emit: (label, rs) => rs.map((r) => `  ${r.case.padEnd(17)} ${label.padEnd(W)} ${fix(r.ns_per_emit, 1, 10)}`).join('\n'),
};

/** `scenario` may carry a qualifier after a colon (suite:idle); the table is the scenario's. */
const base = (scenario) => scenario.split(':')[0];

module.exports = {
  header: (scenario, params) => console.log(HEADERS[base(scenario)](params)),
  row: (scenario, label, records) => console.log(ROWS[base(scenario)](label, records)),
  error: (scenario, label, error) => console.log(`  ${label.padEnd(W)} FAILED in ${scenario}: ${error?.stack ?? error}`),
};
