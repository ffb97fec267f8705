// The Node door of `make demo`: every scenario of demo/scenarios.json, through liveness' public API.
//
//     node demo/demo.js SCENARIOS.json OUT.json
//
// "Before" is the seed's own code: a fixed sleep, then act. "After" waits for the state with
// liveness. Failures are counted, not raised, so one run shows both time and flakiness (as the Rust
// door, examples/src/demo/run.rs, does). OUT.json is {"door": "node", "rows": [...]}, the format
// examples/src/demo/results.rs reads. The sleeps here are the point of the demo (the "before" of
// the seeds); the simulated systems' own delays are in __tests__/support/scenarios.ts.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { setTimeout: sleep } = require('node:timers/promises');
const { assertEmitted, eventually, LivenessError, syncOperation } = require('..');
// The seeds' systems under test, compiled from __tests__/support/ by `make node-test-build`.
const { CircuitBreaker, delayedWrite, Registry } = require('../test-build/support/scenarios');

const WAIT_TIMEOUT = 5000;
// The label of the "after" variant; a "before" one is "sleep <ms> ms". The same in every door.
const AFTER = 'liveness';

/** The simulated system's delay for test `i` (the file's `_doc` gives the formula). */
function delayMs(d, i) {
  if (d.tail_every > 0 && i % d.tail_every === d.tail_every - 1) return d.tail_ms;
  return d.base_ms + ((i * d.step) % Math.max(d.spread_ms, 1));
}

/** How a test waits before acting: the seed's sleep (`sleepMs`), or liveness (null). */
class Wait {
  constructor(sleepMs) {
    this.sleepMs = sleepMs;
  }

  get label() {
    return this.sleepMs === null ? AFTER : `sleep ${this.sleepMs} ms`;
  }

  sleep() {
    return sleep(this.sleepMs); // liveness: allow-sleep(the "before" column: the seed's sleep)
  }
}

/** A wait that liveness gave up: the test failed. Anything else is a bug of the demo and ends it. */
function failed(error) {
  if (error instanceof LivenessError) return false;
  throw error;
}

/**
 * Seed 004's "100 tests": test i starts the registered adder right after test i-1 stopped it;
 * the adder of test i takes delayMs(i) to shut down.
 */
async function runRestartRace(s, delay, wait) {
  const registry = new Registry();
  const name = 'adder';
  const start = () => {
    try {
      return registry.start(name);
    } catch {
      return null; // already started: the previous adder has not stopped yet
    }
  };
  let failures = 0;
  let previous = null; // the shutdown time of the adder that runs
  for (let i = 0; i < s.tests; i++) {
    if (previous !== null) registry.stop(name, previous); // the previous test ends; its adder stops asynchronously
    let id;
    if (wait.sleepMs === null) {
      id = await eventually(start, { timeout: WAIT_TIMEOUT }).catch(failed);
    } else {
      await wait.sleep();
      id = start();
    }
    previous = id && registry.whereis(name) === id ? delayMs(delay, i) : null;
    if (previous === null) failures++;
  }
  if (previous !== null) registry.stop(name, previous);
  // The last stop frees the name on its own; wait for it so that the process can end at once.
  await eventually(() => registry.whereis(name) === null, { timeout: WAIT_TIMEOUT }).catch(failed);
  return failures;
}

/** Seed 004's `AdditionJob`: the result is flushed to its file `flush_ms` after the call. */
async function runDelayedWrite(s, scratch, wait) {
  const holdsThree = (file) => {
    try {
      return fs.readFileSync(file, 'utf8') === '3';
    } catch {
      return false; // not written yet
    }
  };
  let failures = 0;
  for (let i = 0; i < s.tests; i++) {
    const file = path.join(fs.mkdtempSync(path.join(scratch, 'job-')), 'result.txt');
    delayedWrite(file, '3', s.flush_ms);
    let ok;
    if (wait.sleepMs === null) {
      ok = await eventually(() => holdsThree(file), { timeout: WAIT_TIMEOUT }).catch(failed);
    } else {
      await wait.sleep();
      ok = holdsThree(file);
    }
    if (!ok) failures++;
  }
  return failures;
}

/** Seed 000: the breaker tripped through fire-and-forget failures. */
async function runBreaker(s, delay, wait) {
  const threshold = Math.max(s.threshold, 1);
  let failures = 0;
  for (let i = 0; i < s.tests; i++) {
    const name = `demo-breaker-${wait.label}-${i}`;
    const b = new CircuitBreaker(name, threshold);
    const latency = delayMs(delay, i) / threshold;
    const fire = () => {
      for (let n = 0; n < threshold; n++) b.castFail(latency);
    };
    let ok;
    if (wait.sleepMs === null) {
      ok = await assertEmitted('breaker.state_change', () => syncOperation(fire, () => b.state === 'open', { timeout: WAIT_TIMEOUT }), {
        where: { breaker: name, to: 'open' },
      }).catch(failed);
    } else {
      fire();
      await wait.sleep();
      ok = b.state === 'open';
    }
    if (!ok) failures++;
  }
  return failures;
}

/** The loaded machine: `command` on every core but one until `block` ends. */
async function withHog(command, block) {
  const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const children = [];
  try {
    for (let n = 0; n < Math.max(cores - 1, 1); n++) {
      const child = spawn(command[0], command.slice(1), { stdio: 'ignore' });
      const started = new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
      children.push(child);
      await started;
    }
    return await block();
  } finally {
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return exited;
      }),
    );
  }
}

async function runScenario(spec, s, scratch) {
  const kinds = {
    restart_race: (wait) => runRestartRace(s, spec.delay, wait),
    delayed_write: (wait) => runDelayedWrite(s, scratch, wait),
    breaker: (wait) => runBreaker(s, spec.delay, wait),
  };
  if (!(s.kind in kinds)) throw new Error(`scenario ${JSON.stringify(s.name)}: unknown kind ${JSON.stringify(s.kind)}`);
  if (s.load !== 'idle' && s.load !== 'hog') throw new Error(`scenario ${JSON.stringify(s.name)}: unknown load ${JSON.stringify(s.load)}`);
  const variants = async () => {
    const rows = [];
    for (const wait of [...s.before_sleep_ms.map((ms) => new Wait(ms)), new Wait(null)]) {
      const started = performance.now();
      const failures = await kinds[s.kind](wait);
      const wall_ms = performance.now() - started;
      rows.push({ scenario: s.name, variant: wait.label, wall_ms, failures, tests: s.tests });
    }
    return rows;
  };
  return s.load === 'hog' ? withHog(spec.hog.command, variants) : variants();
}

async function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: node demo/demo.js SCENARIOS.json OUT.json');
    return 2;
  }
  const [scenarios, out] = argv;
  const spec = JSON.parse(fs.readFileSync(scenarios, 'utf8'));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'liveness-demo-'));
  const rows = [];
  try {
    for (const s of spec.scenarios) rows.push(...(await runScenario(spec, s, scratch)));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ door: 'node', rows }, null, 2) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`demo: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  },
);
