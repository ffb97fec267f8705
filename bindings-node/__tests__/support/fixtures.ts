// The fixtures that run in a child process (a crash there fails a test instead of killing the
// runner) or under valgrind run as JavaScript with plain `node`: `tsc -p __tests__` (part of
// `make test-node`) compiles them into test-build/. Run from a stale build they would test old code.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** bindings-node/, from here and from the compiled copy of this file in test-build/support/. */
const PACKAGE = path.resolve(__dirname, '..', '..');

/** The compiled fixture `name` (`workers.fixture`); throws when it is missing or older than its source. */
export function compiledFixture(name: string): string {
  const source = path.join(PACKAGE, '__tests__', 'fixtures', `${name}.ts`);
  const built = path.join(PACKAGE, 'test-build', 'fixtures', `${name}.js`);
  if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(source).mtimeMs) {
    throw new Error(`${path.relative(PACKAGE, built)} is missing or older than its source: run \`npx tsc -p __tests__\` (make test-node does)`);
  }
  return built;
}
