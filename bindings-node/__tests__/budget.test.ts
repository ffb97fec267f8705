// Issue 13, point 1: under Jest a wait ends with its own report before the test's timeout, and
// says it was cut; the forgotten-await guard does not fire for it. The fixture runs in a child
// Jest (its tests fail on purpose).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { expect, test } from '@jest/globals';

import { margin, MARGIN_MAX_MS } from '../dist/budget';

function runFixture(pattern: string): string {
  const jestBin = require.resolve('jest/bin/jest');
  const run = spawnSync(process.execPath, [jestBin, '--ci', '--roots', path.join(__dirname, 'fixtures'), '--testMatch', `**/${pattern}`], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    // A wait that outlived its test would keep the child alive: this turns that into a failure.
    timeout: 60_000,
  });
  expect(run.signal).toBeNull();
  expect(run.status).not.toBe(0);
  return run.stdout + run.stderr;
}

test('the margin: a tenth of the limit, at most 200 ms', () => {
  expect(margin(5000)).toBe(MARGIN_MAX_MS);
  expect(margin(400)).toBe(40);
});

test("Jest: a wait longer than its test's budget ends first, with its report and a note", () => {
  const out = runFixture('budget.fixture.ts');
  expect(out).not.toContain('Exceeded timeout');
  expect(out).not.toContain('did you forget');
  // The per-test timeout argument (400 ms), and jest.setTimeout(600) for the test without one.
  expect(out).toMatch(
    /eventually: not met after 0\.3\d s[^\n]*\n[\s\S]*?note: timeout cut to 0\.3\d s to end before Jest's 0\.4 s limit for this test/,
  );
  expect(out).toMatch(/note: timeout cut to 0\.5\d s to end before Jest's 0\.6 s limit for this test/);
  // A timeout that fits is left alone (no note): three failures, two notes.
  expect(out).toContain('eventually: not met after 0.05 s');
  expect(out.match(/note: timeout cut/g)).toHaveLength(2);
  expect(out).toMatch(/3 failed, 3 total/);
}, 60_000);
