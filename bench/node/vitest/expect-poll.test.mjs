// Vitest's expect.poll through the harness's scenarios. expect.poll throws "expect.poll() must be
// called inside a test" (and importing 'vitest' outside its runner fails), so the harness runs
// this file with `vitest run` and reads back the records it writes to $LIVENESS_BENCH_RECORDS.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test } from 'vitest';

const require = createRequire(import.meta.url);
const params = require('../params.js').load(process.env.LIVENESS_BENCH_MODE);
const scenarios = require('../scenarios.js');
const { timedOut, versionOf } = require('../peers.js');

const LABEL = 'vitest expect.poll';
const isTimeout = (e) => e instanceof Error && e.message === 'Matcher did not succeed in time.';

const adapter = {
  label: LABEL,
  version: versionOf('vitest'),
  settings:
    'expect.poll(probe, {timeout}).toBe(true) inside one test of a `vitest run` (pool forks); defaults: interval 50 ms (timeout 1000 ms, passed explicitly here); eval_overhead: interval 0 (Node\'s timers turn 0 into 1 ms)',
  scenarios: new Set(['overshoot', 'cpu', 'eval_overhead', 'suite']),
  waitUntil: (probe, timeoutMs) => timedOut(expect.poll(probe, { timeout: timeoutMs }).toBe(true), isTimeout),
  fastest: { intervalS: 0, waitUntil: (probe, timeoutMs) => timedOut(expect.poll(probe, { timeout: timeoutMs, interval: 0 }).toBe(true), isTimeout) },
};

test('expect.poll through the bench scenarios', async () => {
  const errors = [];
  const ctx = {
    params,
    onRow: () => {},
    onError: (scenario, label, error) => errors.push({ scenario, label, error: String(error?.stack ?? error) }),
  };
  const records = await scenarios.waiting(ctx, [adapter], { withSleep: false });
  const library = { version: adapter.version, settings: adapter.settings };
  fs.writeFileSync(process.env.LIVENESS_BENCH_RECORDS, JSON.stringify({ label: LABEL, library, records, errors }));
});
