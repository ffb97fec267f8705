// `make bench`: the Node figures. Timings are measured here, never asserted in tests.
//   1. overhead: liveness vs a hand-written `while (!p()) await sleep(…)` loop, in the same run
//   2. overshoot: how long after the condition became true the wait resolved (default options)
//   3. event-loop delay while a wait is in progress (perf_hooks.monitorEventLoopDelay)
// QUICK=1 for a short run. Writes target/bench/node.json beside the printed table.
const fs = require('node:fs');
const path = require('node:path');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const { eventually } = require('..');

const QUICK = Boolean(process.env.QUICK);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function handLoop(p, ms) {
  while (!p()) await sleep(ms);
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function overhead() {
  const calls = QUICK ? 2000 : 20000;
  const results = {};
  // (a) a wait whose condition already holds: the fixed cost of one call and one evaluation.
  for (const [name, run] of [
    ['hand loop', () => handLoop(() => true, 1)],
    ['liveness', () => eventually(() => true)],
  ]) {
    for (let i = 0; i < 200; i++) await run(); // warm up
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await run();
    results[name] = { immediateUs: ((performance.now() - t0) * 1000) / calls };
  }
  // (b) a condition false for many evaluations at a 1 ms period: CPU time per evaluation.
  const evaluations = QUICK ? 200 : 1000;
  for (const [name, run] of [
    ['hand loop', (p) => handLoop(p, 1)],
    ['liveness', (p) => eventually(p, { interval: 1, timeout: 60_000 })],
  ]) {
    let n = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(() => ++n >= evaluations);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    results[name].cpuUsPerEvaluation = (cpu.user + cpu.system) / n;
    results[name].wallMsPerEvaluation = wall / n;
  }
  return results;
}

async function overshoot() {
  const plan = QUICK
    ? [[1, 60], [10, 30], [100, 10], [1000, 3]]
    : [[1, 300], [10, 200], [100, 50], [1000, 12]];
  const rows = [];
  for (const [ms, samples] of plan) {
    const lates = [];
    for (let i = 0; i < samples; i++) {
      let flippedAt = 0;
      let ready = false;
      setTimeout(() => {
        ready = true;
        flippedAt = performance.now();
      }, ms);
      await eventually(() => ready);
      lates.push(performance.now() - flippedAt);
    }
    lates.sort((a, b) => a - b);
    rows.push({ afterMs: ms, samples, p50Ms: quantile(lates, 0.5), p99Ms: quantile(lates, 0.99), maxMs: lates[lates.length - 1] });
  }
  return rows;
}

async function loopDelay() {
  const waitMs = QUICK ? 300 : 1000;
  const out = {};
  for (const [name, run] of [
    ['idle (a plain timer)', (p) => sleep(waitMs).then(() => p())],
    ['hand loop, 1 ms', (p) => handLoop(p, 1)],
    ['liveness, default options', (p) => eventually(p, { timeout: 10_000 })],
  ]) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    let ready = false;
    setTimeout(() => (ready = true), waitMs);
    h.enable();
    await run(() => ready);
    h.disable();
    out[name] = { p50Ms: h.percentile(50) / 1e6, p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 };
  }
  return out;
}

async function main() {
  const f = (x) => x.toFixed(3).padStart(9);
  console.log(`node bench${QUICK ? ' (QUICK)' : ''} — node ${process.version}`);
  const o = await overhead();
  console.log('\n1. overhead (same run)');
  console.log('   variant       immediate µs/call   CPU µs/evaluation   wall ms/evaluation (1 ms period)');
  for (const [name, r] of Object.entries(o)) {
    console.log(`   ${name.padEnd(12)} ${f(r.immediateUs)}          ${f(r.cpuUsPerEvaluation)}          ${f(r.wallMsPerEvaluation)}`);
  }
  const s = await overshoot();
  console.log('\n2. overshoot with default options (condition set by a timer; time until the wait resolved)');
  console.log('   true after    samples     p50 ms     p99 ms     max ms');
  for (const r of s) console.log(`   ${String(r.afterMs).padStart(7)} ms   ${String(r.samples).padStart(7)} ${f(r.p50Ms)}  ${f(r.p99Ms)}  ${f(r.maxMs)}`);
  const d = await loopDelay();
  console.log('\n3. event-loop delay while waiting (monitorEventLoopDelay, resolution 1 ms)');
  console.log('   while                          p50 ms     p99 ms     max ms');
  for (const [name, r] of Object.entries(d)) console.log(`   ${name.padEnd(28)} ${f(r.p50Ms)}  ${f(r.p99Ms)}  ${f(r.maxMs)}`);
  const file = path.resolve(__dirname, '../../target/bench/node.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ quick: QUICK, node: process.version, overhead: o, overshoot: s, eventLoopDelay: d }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
