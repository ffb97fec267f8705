// The hand-written loops liveness is measured against (peers.js, wait-cost.js): what a test
// author writes without a library. Both resolve true when `probe` held, false at the deadline.

async function handLoop(probe, timeoutMs, intervalMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (probe()) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** interval 0: one setImmediate turn between evaluations, as liveness lets one pass (fair: timers and I/O still run). */
async function handLoopImmediate(probe, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (probe()) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

module.exports = { handLoop, handLoopImmediate };
