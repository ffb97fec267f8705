// The fixed costs of issue 17's "last overheads" bullet, best of the repeats after a warm-up:
// an already-true `eventually` (µs per awaited call) against a hand loop that returns at once, and
// the CPU time per evaluation of a busy wait (`eventually` at minInterval = maxInterval = 0, one
// setImmediate turn between evaluations) against the hand loop of eval_overhead (peers.js).
//   node bench/node/wait-cost.js [package dir, default bindings-node] [calls] [evaluations]
// Prints one JSON line with the ratios; the ways alternate run by run, best of 5 each. To compare
// two builds, run each in its own process, alternating.
'use strict';
const path = require('node:path');

const pkg = path.resolve(process.argv[2] ?? path.join(__dirname, '../../bindings-node'));
const calls = Number(process.argv[3] ?? 100_000);
const evaluations = Number(process.argv[4] ?? 20_000);
const { eventually } = require(path.join(pkg, 'dist/index.js'));
// eval_overhead's hand loop: one setImmediate turn between evaluations.
const { handLoopImmediate: handLoop } = require('./hand-loops');

/** Mean µs per awaited call of `wait`, over `count` calls. */
async function usPerCall(count, wait) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await wait();
  return Number(process.hrtime.bigint() - t0) / 1000 / count;
}

/**
 * CPU ns (user + system) per evaluation of `waitUntil` on a probe that holds at its `count`-th
 * call: CPU time, not wall time, since on a loaded machine the wall time of a busy wait is mostly
 * the time other processes ran.
 */
async function nsPerEvaluation(count, waitUntil) {
  let n = 0;
  const cpu0 = process.cpuUsage();
  await waitUntil(() => ++n >= count);
  const used = process.cpuUsage(cpu0);
  return ((used.user + used.system) * 1000) / n;
}

/**
 * The best of `repeats` runs of each of `ways` after a warm-up run, the ways alternating run by
 * run: on a loaded machine the ways then see the same load, and their ratio means something.
 */
async function bestOf(repeats, ways) {
  const best = Object.fromEntries(Object.keys(ways).map((k) => [k, Infinity]));
  for (let r = 0; r <= repeats; r++) {
    for (const [name, measure] of Object.entries(ways)) {
      const value = await measure();
      if (r > 0) best[name] = Math.min(best[name], value);
    }
  }
  return best;
}

async function main() {
  const yes = () => true;
  const busy = { timeout: 60_000, minInterval: 0, maxInterval: 0 };
  const already = await bestOf(5, {
    already_true_us: () => usPerCall(calls, () => eventually(yes)),
    hand_loop_already_true_us: () => usPerCall(calls, () => handLoop(yes, 5000)),
  });
  const perEvaluation = await bestOf(5, {
    per_evaluation_ns: () => nsPerEvaluation(evaluations, (probe) => eventually(probe, busy)),
    hand_loop_per_evaluation_ns: () => nsPerEvaluation(evaluations, (probe) => handLoop(probe, 60_000)),
  });
  const out = { package: pkg, calls, evaluations, ...already, ...perEvaluation };
  out.already_true_ratio = out.already_true_us / out.hand_loop_already_true_us;
  out.per_evaluation_ratio = out.per_evaluation_ns / out.hand_loop_per_evaluation_ns;
  console.log(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
