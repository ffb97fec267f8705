// A user's first test file, run by `make test-dist-node` in a fresh npm project where
// @liveness-dev/liveness and its platform package came from the tarballs of dist/ (no checkout,
// no cargo on PATH). Plain CommonJS: what a user without a TypeScript setup writes.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { VERSION, LivenessTimeoutError, assertEmitted, emit, eventually, eventuallyPasses } = require('@liveness-dev/liveness');
require('@liveness-dev/liveness/jest');

/** A job that finishes on its own, later: what a test waits for instead of sleeping. */
function startJob() {
  const job = { result: undefined };
  setTimeout(() => {
    job.result = 3;
    emit('job.done', { result: 3 });
  }, 30);
  return job;
}

test('eventually: the truthy value, once the job has one', async () => {
  const job = startJob();
  await expect(eventually(() => job.result)).resolves.toBe(3);
});

test('eventuallyPasses: a block of assertions, and the matcher', async () => {
  const job = startJob();
  await eventuallyPasses(() => expect(job.result).toBe(3));
  await expect(() => job.result === 3).toEventually({ timeout: 1000 });
});

test('a timeout says what it saw', async () => {
  const error = await eventually(() => false, { timeout: 50 }).catch((e) => e);
  expect(error).toBeInstanceOf(LivenessTimeoutError);
  expect(error.message).toMatch(/^eventually: not met after 0\.05 s \(\d+ evaluations?\)\n {2}last: returned false/);
});

test('assertEmitted: the event the block emits (it returns what the block returns)', async () => {
  const returned = await assertEmitted(
    'job.done',
    () => {
      emit('job.done', { result: 3 });
      return 'done';
    },
    { where: (e) => e.measurements.result === 3 },
  );
  expect(returned).toBe('done');
  await expect(assertEmitted('job.done', () => {})).rejects.toThrow(/no events were emitted/);
});

test('the version is the one released', () => {
  expect(process.env.LIVENESS_EXPECTED_VERSION).toBeTruthy();
  expect(VERSION).toBe(process.env.LIVENESS_EXPECTED_VERSION);
  const pkg = require('@liveness-dev/liveness/package.json');
  expect(pkg.version).toBe(VERSION);
});

test("the binary loaded is the platform package's, and the main package carries none", () => {
  const platform = process.env.LIVENESS_EXPECTED_PLATFORM;
  expect(platform).toBeTruthy();
  // A plain node process: Jest's sandbox keeps its own module registry.
  const run = spawnSync(
    process.execPath,
    ['-e', "require('@liveness-dev/liveness'); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.endsWith('.node'))))"],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  const expected = path.join(fs.realpathSync('node_modules'), '@liveness-dev', `liveness-${platform}`, `liveness.${platform}.node`);
  expect(JSON.parse(run.stdout).map((f) => fs.realpathSync(f))).toEqual([expected]);
  const main = path.dirname(require.resolve('@liveness-dev/liveness/package.json'));
  expect(fs.readdirSync(main).filter((f) => f.endsWith('.node'))).toEqual([]);
});
