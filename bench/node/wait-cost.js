// The fixed costs of issue 17's "last overheads" bullet, best of the repeats after a warm-up:
// an already-true `eventually` (µs per awaited call) against a hand loop that returns at once, and
// the time per evaluation of a busy wait (`eventually` at minInterval = maxInterval = 0, one
// setImmediate turn between evaluations) against the hand loop of eval_overhead (peers.js).
//   node bench/node/wait-cost.js [package dir, default bindings-node] [calls] [evaluations]
// Prints one JSON line with the ratios. To compare two builds, run each in its own process.
"use strict";
const path = require("node:path");

const pkg = path.resolve(
  process.argv[2] ?? path.join(__dirname, "../../bindings-node"),
);
const calls = Number(process.argv[3] ?? 100_000);
const evaluations = Number(process.argv[4] ?? 20_000);
const { eventually } = require(path.join(pkg, "dist/index.js"));

/** eval_overhead's hand loop (peers.js): one setImmediate turn between evaluations. */
async function handLoop(probe, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (probe()) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Best mean µs per awaited call of `wait`, over `repeats` runs of `count` calls. */
async function usPerCall(count, wait, repeats = 5) {
  for (let i = 0; i < Math.min(count, 10_000); i++) await wait();
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await wait();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1000 / count);
  }
  return best;
}

/** Best ns per evaluation of `waitUntil` on a probe that holds at its `count`-th call. */
async function nsPerEvaluation(count, waitUntil, repeats = 5) {
  let best = Infinity;
  for (let r = 0; r <= repeats; r++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    await waitUntil(() => ++n >= count);
    const ns = Number(process.hrtime.bigint() - t0) / n;
    if (r > 0) best = Math.min(best, ns); // the first run is the warm-up
  }
  return best;
}

async function main() {
  const yes = () => true;
  const out = { package: pkg, calls, evaluations };
  out.already_true_us = await usPerCall(calls, () => eventually(yes));
  out.hand_loop_already_true_us = await usPerCall(calls, () =>
    handLoop(yes, 5000),
  );
  const busy = { timeout: 60_000, minInterval: 0, maxInterval: 0 };
  out.per_evaluation_ns = await nsPerEvaluation(evaluations, (probe) =>
    eventually(probe, busy),
  );
  out.hand_loop_per_evaluation_ns = await nsPerEvaluation(
    evaluations,
    (probe) => handLoop(probe, 60_000),
  );
  out.per_evaluation_ratio =
    out.per_evaluation_ns / out.hand_loop_per_evaluation_ns;
  console.log(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
