#!/usr/bin/env node
// `make version V=x.y.z`: one version for every package. Cargo's workspace version is the source
// the Python package (maturin, through cargo metadata) and the C .pc (mk/c.mk) derive theirs
// from; npm keeps its own copies in package.json files and the lock file, set here. The tests
// that compare each package's version with the workspace's catch a copy this script missed.
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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = process.argv[2];
// SemVer 2.0 (https://semver.org), which both Cargo and npm accept.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
if (!version || !SEMVER.test(version)) {
  console.error(`usage: make version V=x.y.z (a SemVer version), got ${JSON.stringify(version ?? '')}`);
  process.exit(2);
}

const changed = [];
const rewrite = (file, edit) => {
  const full = path.join(root, file);
  const before = fs.readFileSync(full, 'utf8');
  const after = edit(before);
  if (after !== before) {
    fs.writeFileSync(full, after);
    changed.push(file);
  }
};
const replaceOnce = (text, pattern, replacement, what) => {
  if (!pattern.test(text)) throw new Error(`set-version: ${what} not found`);
  return text.replace(pattern, replacement);
};

rewrite('Cargo.toml', (text) => {
  const out = replaceOnce(text, WORKSPACE_VERSION, `$1"${version}"`, 'version in [workspace.package] of Cargo.toml');
  return replaceOnce(
    out,
    WORKSPACE_DEPENDENCY,
    `$1"${version}"`,
    'the liveness entry of [workspace.dependencies] in Cargo.toml',
  );
});

// npm's own layout keeps two spaces and a final newline.
const editJson = (file, edit) =>
  rewrite(file, (text) => {
    const json = JSON.parse(text);
    edit(json);
    return `${JSON.stringify(json, null, 2)}\n`;
  });
const ourOptionals = (deps) => {
  for (const name of Object.keys(deps ?? {})) if (isOurs(name)) deps[name] = version;
};

for (const file of packageJsonFiles(root)) {
  editJson(file, (pkg) => {
    pkg.version = version;
    ourOptionals(pkg.optionalDependencies);
  });
}
editJson(NPM_LOCK, (lock) => {
  lock.version = version;
  const self = lock.packages?.[''];
  if (self) {
    self.version = version;
    ourOptionals(self.optionalDependencies);
  }
  // The old version's tarball address and hash would not match the new one: npm ci would fetch
  // the wrong file or reject it. Without them npm resolves the version from the registry.
  for (const [, entry] of lockEntriesOfOurs(lock)) {
    entry.version = version;
    delete entry.resolved;
    delete entry.integrity;
  }
});

console.log(changed.length ? `set ${version} in: ${changed.join(', ')}` : `already ${version} everywhere`);
