// `make demo`: the Node rows of the sleeps-vs-liveness table, as JSON lines (one object a row)
// into the file given as argument. The sleeps here are the anti-pattern being measured.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { eventually } = require('..');
// The tests' systems under test, compiled from __tests__/support/ by `make node-test-build`.
const { Registry, delayedWrite } = require('../test-build/support/scenarios');

const out = process.argv[2];
if (!out) {
  console.error('usage: node demo/demo.js OUT.jsonl');
  process.exit(2);
}
const RUNS = Number(process.env.DEMO_RUNS ?? 100);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(scenario, variant, runs, one) {
  let failures = 0;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) if (!(await one())) failures++;
  const wall = performance.now() - t0;
  console.error(`  ${scenario.padEnd(36)} ${variant.padEnd(12)} ${wall.toFixed(1).padStart(9)} ms  ${String(failures).padStart(3)}/${runs} failed`);
  return { binding: 'node', scenario, variant, wall_ms: Math.round(wall * 10) / 10, failures, runs };
}

/** One test of the restart race: restart the singleton, then check a new instance runs. */
async function restartRace(wait) {
  const registry = new Registry();
  const old = registry.start('svc');
  registry.restart('svc');
  try {
    const id = await wait(() => {
      const now = registry.whereis('svc');
      return now !== null && now !== old ? now : null;
    });
    return id !== null && id !== old;
  } catch {
    return false;
  }
}

async function main() {
  const rows = [];
  console.error('node demo rows:');
  const race = `restart race (${RUNS} tests)`;
  for (const ms of [10, 50]) {
    rows.push(await measure(race, `sleep ${ms} ms`, RUNS, () => restartRace(async (probe) => (await sleep(ms), probe()))));
  }
  rows.push(await measure(race, 'liveness', RUNS, () => restartRace((probe) => eventually(probe, { timeout: 2000 }))));

  const writes = Math.max(3, Math.floor(RUNS / 10));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liveness-demo-'));
  const scenario = `delayed write, 5–30 ms (${writes} tests)`;
  let n = 0;
  const write = async (wait) => {
    const file = path.join(dir, `out-${n++}.txt`);
    delayedWrite(file, '3');
    try {
      const done = () => {
        try {
          return fs.readFileSync(file, 'utf8') === '3';
        } catch {
          return false; // not written yet
        }
      };
      return (await wait(done)) !== false;
    } catch {
      return false;
    }
  };
  rows.push(await measure(scenario, 'sleep 40 ms', writes, () => write(async (done) => (await sleep(40), done()))));
  rows.push(await measure(scenario, 'liveness', writes, () => write((done) => eventually(done, { timeout: 2000 }))));
  fs.rmSync(dir, { recursive: true, force: true });

  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, rows.map((r) => JSON.stringify(r) + '\n').join(''));
  console.error(`wrote ${rows.length} rows to ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
