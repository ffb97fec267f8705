// Concurrency (issue 19): N waits at once on the one event loop, all on one cheap probe that a
// timer makes true at T. Per cell: process CPU from the start of the waits to the last one
// returning (process.cpuUsage), the overshoot of each wait (flip → its return) as p50 / p99 /
// max, and the event-loop delay over the cell (perf_hooks.monitorEventLoopDelay: how late its
// 10 ms timer ran). liveness with defaults, hand loops at 1 ms and 50 ms, and the package peers
// (testing-library's waitFor polls every 50 ms), the peers capped at peer_max_n.node.
const events = require('node:events');
const fs = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { percentile } = require('./stats');
const params = require('./params');

const LIBRARIES = ['liveness', 'hand loop 1 ms', 'hand loop 50 ms', 'wait-for-expect', '@testing-library/dom waitFor', 'async-wait-until', 'p-wait-for'];
const PEERS = new Set(LIBRARIES.slice(3));

function handLoop50() {
  return {
    label: 'hand loop 50 ms',
    version: process.version,
    settings: 'concurrency only: while (!p()) await new Promise(r => setTimeout(r, 50)), with a deadline check (testing-library waitFor\'s default interval)',
    waitUntil: async (probe, timeoutMs) => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        if (probe()) return true;
        if (performance.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** `modes.<mode>.concurrency` and the shared block of bench/scenarios.json. */
function config(mode) {
  const all = JSON.parse(fs.readFileSync(params.SCENARIOS, 'utf8'));
  const c = all.modes[mode].concurrency;
  const phase = all.overshoot.phase_step;
  return {
    readyMs: c.ready_ms,
    n: c.n,
    peerMaxN: c.peer_max_n.node,
    waitTimeoutMs: c.wait_timeout_s * 1000,
    tickMs: all.concurrency.loop_delay_tick_ms,
    /** Cell i (from 0) of a row flips at T × (1 + frac((i + 1) × phase)): over [T, 2T). */
    readyAt: (i) => c.ready_ms * (1 + (((i + 1) * phase) % 1)),
  };
}

async function cell(adapter, n, readyMs, c) {
  // p-wait-for adds an abort listener to its timeout signal at every sleep and keeps it: past 10
  // sleeps each wait prints a MaxListenersExceededWarning (thousands per cell). The listeners are
  // part of what it costs; the warnings are only noise.
  const maxListeners = events.defaultMaxListeners;
  events.defaultMaxListeners = Infinity;
  try {
    return await measure(adapter, n, readyMs, c);
  } finally {
    events.defaultMaxListeners = maxListeners;
  }
}

async function measure(adapter, n, readyMs, c) {
  let ready = false;
  let flipped;
  const probe = () => ready;
  const delay = monitorEventLoopDelay({ resolution: c.tickMs });
  delay.enable();
  const cpu0 = process.cpuUsage();
  setTimeout(() => {
    flipped = performance.now(); // taken right before the condition flips
    ready = true;
  }, readyMs);
  const returns = await Promise.all(
    Array.from({ length: n }, async () => {
      const held = await adapter.waitUntil(probe, c.waitTimeoutMs);
      return { at: performance.now(), held };
    }),
  );
  const used = process.cpuUsage(cpu0);
  delay.disable();
  const timedOut = returns.filter((r) => !r.held).length;
  if (timedOut) throw new Error(`${timedOut} of ${n} waits timed out`);
  const over = returns.map((r) => Math.max(0, r.at - flipped)).sort((a, b) => a - b);
  // The histogram holds the whole interval between its timer's runs (ns): lateness is beyond the tick.
  const late = (p) => Math.max(0, delay.percentile(p) / 1e6 - c.tickMs);
  return {
    scenario: 'concurrency', library: adapter.label, driver: 'event loop', n, ready_ms: readyMs,
    cpu_ms: (used.user + used.system) / 1000,
    overshoot_p50_ms: percentile(over, 50), overshoot_p99_ms: percentile(over, 99), overshoot_max_ms: over[over.length - 1],
    timed_out: 0, loop_delay_p50_ms: late(50), loop_delay_p99_ms: late(99),
  };
}

async function run(ctx, adapters) {
  const c = config(ctx.params.mode);
  const byLabel = new Map([...adapters, handLoop50()].map((a) => [a.label, a]));
  console.log(`\nconcurrency (N waits at once, true after ~${c.readyMs} ms; per N: CPU ms / overshoot p50 / max ms / loop delay p99 ms)`);
  console.log(`  ${''.padEnd(30)}${c.n.map((n) => `N = ${n}`.padStart(36)).join('')}`);
  const records = [];
  for (const label of LIBRARIES) {
    const adapter = byLabel.get(label);
    if (!adapter) continue;
    let line = `  ${label.padEnd(30)}`;
    process.stdout.write(line);
    for (let i = 0; i < c.n.length; i++) {
      if (PEERS.has(label) && c.n[i] > c.peerMaxN) continue;
      try {
        const r = await cell(adapter, c.n[i], c.readyAt(i), c);
        records.push(r);
        line = ` ${r.cpu_ms.toFixed(0).padStart(7)} / ${r.overshoot_p50_ms.toFixed(2).padStart(7)} / ${r.overshoot_max_ms.toFixed(2).padStart(7)} / ${r.loop_delay_p99_ms.toFixed(1).padStart(5)}`;
        process.stdout.write(line);
      } catch (error) {
        process.stdout.write('\n');
        ctx.onError('concurrency', label, error);
        break;
      }
    }
    process.stdout.write('\n');
  }
  return records;
}

/** The `libraries` entries this scenario adds (the 50 ms hand loop). */
function libraries() {
  const { label, version, settings } = handLoop50();
  return { [label]: { version, settings } };
}

module.exports = { run, libraries };
