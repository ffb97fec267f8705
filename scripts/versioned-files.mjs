// Where a copy of the version lives outside Cargo.toml: what set-version.mjs writes and
// check-versions.mjs reads, so that the two cannot disagree on the list.
import fs from 'node:fs';
import path from 'node:path';

/** The workspace version line of Cargo.toml (group 1: what precedes the value, group 2: it). */
export const WORKSPACE_VERSION = /(\[workspace\.package\][^[]*?\nversion = )"([^"]*)"/;
/** The `liveness` entry of [workspace.dependencies], which must name the same version. */
export const WORKSPACE_DEPENDENCY = /(\nliveness = \{ path = "core", version = )"([^"]*)"/;
export const NPM_LOCK = 'bindings-node/package-lock.json';
/** Our npm packages in dependency lists: the platform binaries of the main package. */
export const isOurs = (name) => name.startsWith('@liveness-dev/');

/**
 * The lock file's entries of our packages (`node_modules/@liveness-dev/liveness-<platform>`,
 * the optional platform binaries), whose version must follow, or `npm ci` rejects the lock.
 */
export const lockEntriesOfOurs = (lock) =>
  Object.entries(lock.packages ?? {}).filter(
    ([key]) => key.startsWith('node_modules/') && isOurs(key.slice('node_modules/'.length)),
  );

/** The package.json files of the npm packages: the main one and one per platform (npm/*). */
export const packageJsonFiles = (root) => {
  const files = ['bindings-node/package.json'];
  const platforms = path.join(root, 'bindings-node', 'npm');
  if (fs.existsSync(platforms)) {
    for (const dir of fs.readdirSync(platforms).sort()) {
      const file = path.join('bindings-node', 'npm', dir, 'package.json');
      if (fs.existsSync(path.join(root, file))) files.push(file);
    }
  }
  return files;
};
