// The floor's waiter: no polling at all. A system written to be waited for calls notifyPush()
// right after it changes state, which resolves the Promise the push waiter awaits; the waiter then
// re-evaluates its probe (a notification is a hint, the probe decides).
const LABEL = 'floor (push waiter)';

let pushed;
let resolvePushed;
function arm() {
  pushed = new Promise((resolve) => {
    resolvePushed = resolve;
  });
}
arm();

/** What a system under test calls right after it changes state: wakes every push waiter. */
function notifyPush() {
  const resolve = resolvePushed;
  arm();
  resolve();
}

async function pushWait(probe, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    // Taken before the probe: a notification after a false evaluation resolves this one.
    const next = pushed;
    if (probe()) return true;
    const remaining = deadline - performance.now();
    if (remaining <= 0) return false;
    let timer;
    await Promise.race([next, new Promise((resolve) => (timer = setTimeout(resolve, Math.ceil(remaining))))]);
    clearTimeout(timer);
  }
}

module.exports = { LABEL, notifyPush, pushWait };
