#!/usr/bin/env node
// Every package of a tree carries the workspace version: node scripts/check-versions.mjs [ROOT]
// [EXPECTED]. Run on the checkout by `make test` (test-version-script), and on a copy after
// `make version` to prove that the script sets every copy.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  NPM_LOCK,
  WORKSPACE_DEPENDENCY,
  WORKSPACE_VERSION,
  isOurs,
  lockEntriesOfOurs,
  packageJsonFiles,
} from './versioned-files.mjs';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
const cargo = read('Cargo.toml');
const workspace = WORKSPACE_VERSION.exec(cargo)?.[2];
const expected = process.argv[3] ?? workspace;
const wrong = [];
const check = (what, actual) => {
  if (actual !== expected) wrong.push(`${what} is ${JSON.stringify(actual)}`);
};
check('Cargo.toml [workspace.package] version', workspace);
check('Cargo.toml [workspace.dependencies] liveness', WORKSPACE_DEPENDENCY.exec(cargo)?.[2]);
const packages = packageJsonFiles(root);
for (const file of packages) {
  const pkg = JSON.parse(read(file));
  check(`${file} version`, pkg.version);
  for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
    if (isOurs(name)) check(`${file} optionalDependencies ${name}`, range);
  }
}
const lock = JSON.parse(read(NPM_LOCK));
check(`${NPM_LOCK} version`, lock.version);
check(`${NPM_LOCK} packages[""].version`, lock.packages?.['']?.version);
for (const [name, range] of Object.entries(lock.packages?.['']?.optionalDependencies ?? {})) {
  if (isOurs(name)) check(`${NPM_LOCK} packages[""].optionalDependencies ${name}`, range);
}
const lockEntries = lockEntriesOfOurs(lock);
for (const [key, entry] of lockEntries) {
  check(`${NPM_LOCK} packages["${key}"].version`, entry.version);
  if (entry.resolved !== undefined && !entry.resolved.endsWith(`-${expected}.tgz`)) {
    wrong.push(`${NPM_LOCK} packages["${key}"].resolved is ${JSON.stringify(entry.resolved)}`);
  }
}
if (wrong.length) {
  console.error(`versions differ from ${expected}:\n  ${wrong.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `every package is at ${expected} (${packages.length} package.json files, Cargo, the npm lock and its ${lockEntries.length} entries of ours)`,
);
