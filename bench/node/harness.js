#!/usr/bin/env node
// The Node harness of `make bench` (bench/README.md):
//   node bench/node/harness.js --mode full|quick|smoke --out DIR   →   DIR/node.json
// liveness against the hand-written loops and the usual Node waiting helpers, every one with its
// own defaults, on the scenarios of bench/scenarios.json. Vitest's expect.poll only works inside
// a Vitest test, so it is measured first by a small `vitest run` (vitest/) and its rows are shown
// with the others. Exits non-zero when a library could not be measured.
const fs = require('node:fs');
const path = require('node:path');
const concurrency = require('./concurrency');
const delayedWrite = require('./delayed-write');
const params = require('./params');
const peers = require('./peers');
const scenarios = require('./scenarios');
const table = require('./table');
const vitestRun = require('./vitest-run');

function parseArgs(argv) {
  const args = { mode: 'full', out: 'target/bench' };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (key === '--mode' || key === '--out') {
      if (argv[i + 1] === undefined) throw new Error(`${key} needs a value`);
      args[key.slice(2)] = argv[++i];
    } else if (key === '--help' || key === '-h') {
      console.log('usage: node harness.js --mode full|quick|smoke --out DIR');
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${JSON.stringify(key)} (usage: --mode full|quick|smoke --out DIR)`);
    }
  }
  return args;
}

/** Which (scenario, label) pairs must have records: every library in every scenario it declares. */
function expected(ways, p) {
  const want = [];
  for (const w of ways) {
    for (const s of w.scenarios) {
      if (s === 'suite') for (const load of p.suite.loads) want.push({ scenario: s, label: w.label, load });
      else want.push({ scenario: s, label: w.label });
    }
  }
  return want;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const p = params.load(args.mode);
  const started = performance.now();
  console.log(`node harness (${p.mode} mode), Node ${process.version}`);

  const failures = [];
  const ctx = {
    params: p,
    onRow: table.row,
    onError: (scenario, label, error) => {
      failures.push({ scenario, label, error: String(error?.message ?? error) });
      table.error(scenario, label, error);
    },
  };
  const adapters = await peers.load();

  // expect.poll first, in its own process, so it never runs beside another measurement.
  console.log(`\n${vitestRun.LABEL}: measuring in a \`vitest run\` (its rows appear in each table below)`);
  let vitest = { records: [], errors: [] };
  const v0 = performance.now();
  try {
    vitest = await vitestRun.run(p.mode);
    for (const e of vitest.errors) ctx.onError(e.scenario, e.label, e.error);
    console.log(`  done in ${((performance.now() - v0) / 1000).toFixed(1)} s`);
  } catch (error) {
    ctx.onError('vitest run', vitestRun.LABEL, error);
  }
  const vitestRows = (scenario, print) => {
    const mine = vitest.records.filter((r) => r.scenario === scenario);
    if (mine.length) print(mine);
  };

  const records = [];
  table.header('overshoot', p);
  records.push(...(await scenarios.overshoot(ctx, adapters)));
  vitestRows('overshoot', (rs) => table.row('overshoot', vitestRun.LABEL, rs));

  table.header('cpu', p);
  records.push(...(await scenarios.cpu(ctx, adapters)));
  vitestRows('cpu', (rs) => table.row('cpu', vitestRun.LABEL, rs));

  table.header('delayed_write', p);
  records.push(...(await delayedWrite.run(ctx, adapters)));

  table.header('eval_overhead', p);
  records.push(...(await scenarios.evalOverhead(ctx, adapters)));
  vitestRows('eval_overhead', (rs) => table.row('eval_overhead', vitestRun.LABEL, rs));

  table.header('suite', p);
  records.push(...(await scenarios.suite(ctx, adapters)));
  vitestRows('suite', (rs) => {
    for (const load of p.suite.loads) {
      const byLoad = rs.filter((r) => r.load === load);
      if (byLoad.length) table.row('suite', vitestRun.LABEL, byLoad);
    }
  });

  table.header('emit', p);
  records.push(...(await scenarios.emit(ctx)));

  records.push(...(await concurrency.run(ctx, adapters)));

  // Group the expect.poll records with their scenarios, in table order.
  const order = ['overshoot', 'cpu', 'delayed_write', 'eval_overhead', 'suite', 'emit', 'concurrency'];
  const all = [...records, ...vitest.records].sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));

  const sleep = scenarios.sleepWay(p.suite.sleepMs);
  const wakeOnPath = delayedWrite.wakeOnPathWay();
  const libraries = {};
  for (const a of [...adapters, sleep, wakeOnPath]) libraries[a.label] = { version: a.version, settings: a.settings };
  if (vitest.library) libraries[vitestRun.LABEL] = vitest.library;
  Object.assign(libraries, concurrency.libraries());
  // liveness is also an emit label: its entry says both how it waits and how it emits.
  for (const [label, lib] of Object.entries(scenarios.emitLibraries())) {
    libraries[label] = libraries[label] ? { ...libraries[label], settings: `${libraries[label].settings}; emit: ${lib.settings}` } : lib;
  }

  const vitestWay = { label: vitestRun.LABEL, scenarios: ['overshoot', 'cpu', 'eval_overhead', 'suite'] };
  const emitWays = Object.keys(scenarios.emitLibraries()).map((label) => ({ label, scenarios: ['emit'] }));
  for (const want of expected([...adapters, sleep, wakeOnPath, vitestWay, ...emitWays], p)) {
    const found = all.some((r) => r.scenario === want.scenario && r.library === want.label && (want.load === undefined || r.load === want.load));
    if (!found && !failures.some((f) => f.label === want.label)) failures.push({ ...want, error: 'no record' });
    if (!found) console.log(`  missing: ${want.label} in ${want.scenario}${want.load ? ` (${want.load})` : ''}`);
  }

  const report = { language: 'node', mode: p.mode, runtime: `Node ${process.version}`, libraries, records: all };
  fs.mkdirSync(args.out, { recursive: true });
  const file = path.join(args.out, 'node.json');
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nresults: ${file} (${all.length} records, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (failures.length) {
    console.error(`\n${failures.length} librar${failures.length === 1 ? 'y' : 'ies'}/scenario(s) could not be measured:`);
    for (const f of failures) console.error(`  ${f.label} in ${f.scenario}: ${f.error.split('\n')[0]}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
