// One adapter per way of waiting. Each adapter is
//   { label, version, settings, scenarios, waitUntil(probe, timeoutMs), fastest?, wakeEvent? }
// where `waitUntil` resolves true when the boolean `probe` held and false when the wait timed
// out (any other error propagates), using the library's own defaults for everything but the
// timeout; `fastest` is the same at interval 0 or the library's smallest allowed interval
// (eval_overhead); `wakeEvent`, when set, is emitted by the overshoot setter right after it
// flips the condition. Defaults are as read in each package's source (versions pinned in
// package.json); `settings` says them.
//
// Vitest's expect.poll is not here: it only runs inside a Vitest test (see vitest/).
const fs = require('node:fs');
const path = require('node:path');
const liveness = require('@liveness-dev/liveness');
const push = require('./push');
const { handLoop, handLoopImmediate } = require('./hand-loops');

const WAKE_EVENT = 'bench.ready';

/** The version of an installed package, from its package.json (some `exports` hide it). */
function versionOf(name) {
  for (const dir of require.resolve.paths(name) ?? []) {
    const file = path.join(dir, name, 'package.json');
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  }
  throw new Error(`package ${name} is not installed (run npm ci in bench/node)`);
}

/** Thrown by the probes of libraries that retry on a thrown error (as `expect` would throw). */
class NotYet extends Error {}
const assertHolds = (probe) => () => {
  if (!probe()) throw new NotYet('not yet');
};

/** Resolves false when `promise` rejects with a timeout this library raises, true when it resolves. */
function timedOut(promise, isTimeout) {
  return promise.then(
    () => true,
    (error) => {
      if (isTimeout(error)) return false;
      throw error;
    },
  );
}

const onlyIn = (...names) => new Set(names);
const WAITING = ['overshoot', 'cpu', 'suite'];

function livenessAdapters() {
  const version = versionOf('@liveness-dev/liveness');
  const isTimeout = (e) => e instanceof liveness.LivenessTimeoutError;
  return [
    {
      label: 'liveness',
      version,
      settings: 'defaults: eventually(probe, {timeout}); adaptive period 20 × probe cost within minInterval 1 ms … maxInterval 50 ms; eval_overhead: {minInterval: 0, maxInterval: 0} (a busy loop; one setImmediate turn between evaluations)',
      scenarios: onlyIn(...WAITING, 'eval_overhead'),
      waitUntil: (probe, timeoutMs) => timedOut(liveness.eventually(probe, { timeout: timeoutMs }), isTimeout),
      // interval 0 is the adaptive schedule (SPEC §2): the busy loop is minInterval = maxInterval = 0.
      fastest: { intervalS: 0, waitUntil: (probe, timeoutMs) => timedOut(liveness.eventually(probe, { timeout: timeoutMs, minInterval: 0, maxInterval: 0 }), isTimeout) },
    },
    {
      label: 'liveness + wake hint',
      version,
      settings: `defaults + wakeOn: '${WAKE_EVENT}'; the overshoot setter calls emit('${WAKE_EVENT}') right after flipping the condition; in cpu nothing emits it during the wait`,
      // cpu: the hint names an event that does not come, which is what it costs while the
      // system under test is still busy. The suite's singleton emits nothing.
      scenarios: onlyIn('overshoot', 'cpu'),
      wakeEvent: WAKE_EVENT,
      waitUntil: (probe, timeoutMs) => timedOut(liveness.eventually(probe, { timeout: timeoutMs, wakeOn: WAKE_EVENT }), isTimeout),
    },
  ];
}

function handLoops() {
  const node = process.version;
  return [
    ...[1, 10].map((ms) => ({
      label: `hand loop ${ms} ms`,
      version: node,
      settings: `while (!p()) await new Promise(r => setTimeout(r, ${ms})), with a deadline check`,
      scenarios: onlyIn(...WAITING),
      waitUntil: (probe, timeoutMs) => handLoop(probe, timeoutMs, ms),
    })),
    {
      label: 'hand loop',
      version: node,
      settings: 'interval 0: while (!p()) await new Promise(r => setImmediate(r)), with a deadline check (one event-loop turn per evaluation, like liveness at interval 0; a loop awaiting only microtasks would starve timers and I/O)',
      scenarios: onlyIn('eval_overhead'),
      fastest: { intervalS: 0, waitUntil: handLoopImmediate },
    },
  ];
}

async function packagePeers() {
  // Before global-jsdom: wait-for-expect picks `window.setTimeout` over Node's when a `window`
  // exists at load time; loaded first it uses Node's timers, as in Jest's node environment.
  const waitForExpect = require('wait-for-expect');
  // @testing-library/dom needs a DOM (its default container is `document`, and it observes it
  // with a MutationObserver): global-jsdom installs jsdom's window as Jest's jsdom environment does.
  require('global-jsdom')();
  const { waitFor } = require('@testing-library/dom');
  const awu = require('async-wait-until');
  const pWaitFor = await import('p-wait-for'); // ESM only
  const NODE_CLAMP = "Node's timers turn 0 into 1 ms";
  return [
    {
      label: 'wait-for-expect',
      version: versionOf('wait-for-expect'),
      settings: `defaults: interval ${waitForExpect.defaults.interval} ms (timeout ${waitForExpect.defaults.timeout} ms, passed explicitly here); the expectation throws until the probe holds; its timeout counts tries (ceil(timeout / interval)), so it ends later than the timeout in wall time; eval_overhead: interval 0, which the library raises to 1 ms`,
      scenarios: onlyIn(...WAITING, 'eval_overhead'),
      waitUntil: (probe, timeoutMs) => timedOut(waitForExpect(assertHolds(probe), timeoutMs), (e) => e instanceof NotYet),
      fastest: { intervalS: 0.001, waitUntil: (probe, timeoutMs) => timedOut(waitForExpect(assertHolds(probe), timeoutMs, 0), (e) => e instanceof NotYet) },
    },
    {
      label: '@testing-library/dom waitFor',
      version: versionOf('@testing-library/dom'),
      settings: `defaults: interval 50 ms (setInterval) plus a MutationObserver on document, timeout asyncUtilTimeout 1000 ms (passed explicitly here); the callback throws until the probe holds; DOM from jsdom ${versionOf('jsdom')} via global-jsdom ${versionOf('global-jsdom')}; eval_overhead: interval 0 (${NODE_CLAMP})`,
      scenarios: onlyIn(...WAITING, 'eval_overhead'),
      waitUntil: (probe, timeoutMs) => timedOut(waitFor(assertHolds(probe), { timeout: timeoutMs }), (e) => e instanceof NotYet),
      fastest: { intervalS: 0, waitUntil: (probe, timeoutMs) => timedOut(waitFor(assertHolds(probe), { timeout: timeoutMs, interval: 0 }), (e) => e instanceof NotYet) },
    },
    {
      label: 'async-wait-until',
      version: versionOf('async-wait-until'),
      settings: `defaults: intervalBetweenAttempts ${awu.DEFAULT_INTERVAL_BETWEEN_ATTEMPTS_IN_MS} ms (timeout ${awu.DEFAULT_TIMEOUT_IN_MS} ms, passed explicitly here); eval_overhead: intervalBetweenAttempts 0 (${NODE_CLAMP})`,
      scenarios: onlyIn(...WAITING, 'eval_overhead'),
      waitUntil: (probe, timeoutMs) => timedOut(awu.waitUntil(probe, timeoutMs), (e) => e instanceof awu.TimeoutError),
      fastest: {
        intervalS: 0,
        waitUntil: (probe, timeoutMs) => timedOut(awu.waitUntil(probe, { timeout: timeoutMs, intervalBetweenAttempts: 0 }), (e) => e instanceof awu.TimeoutError),
      },
    },
    {
      label: 'p-wait-for',
      version: versionOf('p-wait-for'),
      settings: `defaults: interval 20 ms, before: true (timeout Infinity by default, passed explicitly here); loaded with import() (ESM only); eval_overhead: interval 0 (${NODE_CLAMP})`,
      scenarios: onlyIn(...WAITING, 'eval_overhead'),
      waitUntil: (probe, timeoutMs) => timedOut(pWaitFor.default(probe, { timeout: timeoutMs }), (e) => e instanceof pWaitFor.TimeoutError),
      fastest: { intervalS: 0, waitUntil: (probe, timeoutMs) => timedOut(pWaitFor.default(probe, { timeout: timeoutMs, interval: 0 }), (e) => e instanceof pWaitFor.TimeoutError) },
    },
  ];
}

/** The floor: the push waiter, notified by the system under test (overshoot: the setter right after the flip; suite: the singleton's shutdown timer right after it frees the name; cpu: nobody). */
function floor() {
  return {
    label: push.LABEL,
    version: process.version,
    settings: 'a Promise resolved by the system under test: probe, then await that Promise (or the timeout) and probe again (overshoot: the setter right after the flip; suite: the singleton\'s shutdown timer right after it frees the name; cpu: nobody)',
    scenarios: onlyIn(...WAITING),
    pushed: true,
    waitUntil: push.pushWait,
  };
}

/** Every in-process adapter, in table order. */
async function load() {
  return [...livenessAdapters(), ...handLoops(), ...(await packagePeers()), floor()];
}

module.exports = { load, versionOf, timedOut, WAKE_EVENT, NotYet };
