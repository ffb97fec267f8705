// delayed_write (seed 004): a writer, standing in for the system under test and unchanged by
// liveness, writes a result file some time after the start (a timer on the event loop: the Node
// system under test is a callback like any other); each waiter reads the file until it holds the
// result. Overshoot runs from the writer's clock reading right after the write to the wait
// returning; CPU is process CPU per second of waiting over a cell's repetitions.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const liveness = require('@liveness-dev/liveness');
const { timedOut, versionOf } = require('./peers');
const { notifyPush, LABEL: PUSH_LABEL } = require('./push');
const { summary } = require('./stats');

const WAKE_ON_PATH_LABEL = 'liveness + wake_on_path';
const SHARED = ['liveness', 'hand loop 1 ms', 'hand loop 10 ms', PUSH_LABEL];
const TRIAL_TIMEOUT_MS = 30_000;

/** The `libraries` entry of the one waiter only this scenario has (it names the trial's file). */
function wakeOnPathWay() {
  return {
    label: WAKE_ON_PATH_LABEL,
    version: versionOf('@liveness-dev/liveness'),
    settings: 'delayed_write only: defaults + wakeOnPath: <the result file> (its directory is watched until the file exists)',
    scenarios: new Set(['delayed_write']),
  };
}

const isTimeout = (e) => e instanceof liveness.LivenessTimeoutError;
const wakeOnPathWait = (file) => (probe, timeoutMs) =>
  timedOut(liveness.eventually(probe, { timeout: timeoutMs, wakeOnPath: file }), isTimeout);

async function trial(waitFor, readyMs, result) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-delayed-write-'));
  const file = path.join(dir, 'result.txt');
  try {
    const waitUntil = waitFor === WAKE_ON_PATH_LABEL ? wakeOnPathWait(file) : waitFor;
    let writtenAt;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    setTimeout(() => {
      fs.writeFileSync(file, result); // the system under test, done after a while
      writtenAt = performance.now();
      notifyPush(); // only the push waiter listens
    }, readyMs);
    const hasResult = () => {
      try {
        return fs.readFileSync(file, 'utf8') === result;
      } catch (error) {
        if (error.code === 'ENOENT') return false;
        throw error;
      }
    };
    const held = await waitUntil(hasResult, TRIAL_TIMEOUT_MS);
    const returned = performance.now();
    const used = process.cpuUsage(cpu0);
    if (!held || writtenAt === undefined) throw new Error(`the wait returned before the file held the result (written at ${readyMs} ms)`);
    return { overshootMs: returned - writtenAt, cpuMs: (used.user + used.system) / 1000, wallMs: returned - t0 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The scenario over the shared adapters (by label) and the wake_on_path waiter. */
async function run(ctx, adapters) {
  const d = ctx.params.delayedWrite;
  const ways = [
    { label: WAKE_ON_PATH_LABEL, waitUntil: WAKE_ON_PATH_LABEL },
    ...SHARED.map((label) => {
      const a = adapters.find((x) => x.label === label);
      if (!a) throw new Error(`delayed_write: no adapter ${label}`);
      return a;
    }),
  ];
  const records = [];
  for (const w of ways) {
    try {
      const rows = [];
      for (let c = 0; c < d.readyMs.length; c++) {
        const trials = [];
        for (let k = 0; k < d.reps[c]; k++) trials.push(await trial(w.waitUntil, ctx.params.overshoot.readyAt(d.readyMs[c], k), d.result));
        const cpuMs = trials.reduce((s, t) => s + t.cpuMs, 0);
        const wallMs = trials.reduce((s, t) => s + t.wallMs, 0);
        rows.push({ scenario: 'delayed_write', library: w.label, ready_ms: d.readyMs[c], ...summary(trials.map((t) => t.overshootMs)), cpu_ms_per_s: cpuMs / (wallMs / 1000) });
      }
      records.push(...rows);
      ctx.onRow('delayed_write', w.label, rows);
    } catch (error) {
      ctx.onError('delayed_write', w.label, error);
    }
  }
  return records;
}

module.exports = { run, wakeOnPathWay, WAKE_ON_PATH_LABEL };
