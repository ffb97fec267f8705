// The package's bin, `npx liveness lint`: the linter's engine through the addon.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = path.join(__dirname, '..', pkg.bin.liveness);

function lint(cwd: string, ...args: string[]) {
  const out = spawnSync(process.execPath, [bin, 'lint', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liveness-lint-'));
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

describe('npx liveness lint', () => {
  test('finds a delay Promise in a test file, not in the code under test', () => {
    const dir = project({
      '__tests__/a.test.ts': "test('a', async () => {\n  await new Promise((r) => setTimeout(r, 100));\n});\n",
      'src/a.ts': 'export const wait = () => new Promise((r) => setTimeout(r, 100));\n',
    });
    const out = lint(dir, '--format', 'json');
    expect(out.code).toBe(1);
    const findings = (JSON.parse(out.stdout) as { findings: { path: string; line: number; column: number; rule: string; suggestion: string }[] })
      .findings;
    expect(findings.map((f) => [f.path, f.line, f.column, f.rule])).toEqual([['__tests__/a.test.ts', 2, 3, 'js/promise-settimeout']]);
    expect(findings[0].suggestion).toContain('await eventuallyPasses(');
  });

  test('an allow comment with a reason; the exit statuses', () => {
    const dir = project({
      'a.test.js': '// liveness: allow-sleep(the debounce window under test)\nawait new Promise((r) => setTimeout(r, 300));\n',
    });
    expect(lint(dir).code).toBe(0);
    const bad = lint(dir, '--format', 'yaml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format');
  });
});
