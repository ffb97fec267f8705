// Runs vitest/expect-poll.test.mjs with `vitest run` (a child process, ~2 s of start-up) and
// returns what it measured: { label, library, records, errors }.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { versionOf } = require('./peers');

const LABEL = 'vitest expect.poll';

function vitestBin() {
  versionOf('vitest'); // a clear error when it is not installed
  for (const dir of require.resolve.paths('vitest') ?? []) {
    const bin = path.join(dir, 'vitest', 'vitest.mjs');
    if (fs.existsSync(bin)) return bin;
  }
  throw new Error('vitest/vitest.mjs not found');
}

async function run(mode) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liveness-bench-vitest-'));
  const out = path.join(dir, 'records.json');
  try {
    const args = [vitestBin(), 'run', '--config', path.join(__dirname, 'vitest', 'vitest.config.mjs')];
    const child = spawn(process.execPath, args, {
      cwd: __dirname,
      env: { ...process.env, LIVENESS_BENCH_MODE: mode, LIVENESS_BENCH_RECORDS: out, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const code = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0 || !fs.existsSync(out)) throw new Error(`vitest run exited with ${code}:\n${log}`);
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run, LABEL };
