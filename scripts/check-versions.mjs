#!/usr/bin/env node
// Every package of a tree carries the workspace version: node scripts/check-versions.mjs [ROOT]
// [EXPECTED]. Run on the checkout by `make test` (test-version-script), and on a copy after
// `make version` to prove that the script sets every copy.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
const cargo = read('Cargo.toml');
const workspace = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(cargo)?.[1];
const expected = process.argv[3] ?? workspace;
const wrong = [];
const check = (what, actual) => {
  if (actual !== expected) wrong.push(`${what} is ${JSON.stringify(actual)}`);
};
check('Cargo.toml [workspace.package] version', workspace);
check('Cargo.toml [workspace.dependencies] liveness', /\nliveness = \{ path = "core", version = "([^"]+)"/.exec(cargo)?.[1]);
const packages = ['bindings-node/package.json'];
const npm = path.join(root, 'bindings-node', 'npm');
if (fs.existsSync(npm)) {
  for (const dir of fs.readdirSync(npm).sort()) packages.push(`bindings-node/npm/${dir}/package.json`);
}
for (const file of packages) {
  const pkg = JSON.parse(read(file));
  check(`${file} version`, pkg.version);
  for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
    if (name.startsWith('@liveness-dev/')) check(`${file} optionalDependencies ${name}`, range);
  }
}
const lock = JSON.parse(read('bindings-node/package-lock.json'));
check('bindings-node/package-lock.json version', lock.version);
check('bindings-node/package-lock.json packages[""].version', lock.packages?.['']?.version);
if (wrong.length) {
  console.error(`versions differ from ${expected}:\n  ${wrong.join('\n  ')}`);
  process.exit(1);
}
console.log(`every package is at ${expected} (${packages.length} package.json files, Cargo, the npm lock)`);
