const util = require('node:util');
const { promisify } = require('util');
const { setTimeout: delay } = require('node:timers/promises');
const timers = require('timers/promises');
const sleep = util.promisify(setTimeout);
const nap = promisify(setTimeout);
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms)); // expect: js/promise-settimeout

test('sleeps', async () => {
  start();
  await new Promise(r => setTimeout(r, 100)); // expect: js/promise-settimeout
  await new Promise((resolve) => { setTimeout(() => resolve(), 50); }); // expect: js/promise-settimeout
  await new Promise(function (done) { global.setTimeout(done, 20); }); // expect: js/promise-settimeout
  await delay(10); // expect: js/timers-promises-settimeout
  await timers.setTimeout(10); // expect: js/timers-promises-settimeout
  await sleep(30); // expect: js/timers-promises-settimeout
  await nap(30); // expect: js/timers-promises-settimeout
  await wait(5);
  expect(done()).toBe(true);
});

test('timers under test', async () => {
  const fired = jest.fn();
  setTimeout(fired, 100); // near-miss: a timer under test, not awaited as a delay
  jest.advanceTimersByTime(100);
  const p = new Promise((resolve, reject) => { setTimeout(() => reject(new Error('timeout')), 1000); }); // near-miss: a timeout that rejects
  await new Promise((r) => setTimeout(r, 0)); // near-miss: a macrotask tick, not a wait
  await new Promise((r) => setImmediate(r)); // near-miss: setImmediate
  await delay(0); // near-miss: zero delay
  // liveness: allow-sleep(the debounce window is what this test measures)
  await new Promise((r) => setTimeout(r, 300)); // near-miss: allowed with a reason
});
