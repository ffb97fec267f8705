// The package as a user gets it: its version is the workspace's, `require` and `import` give the
// same API, the subpath imports resolve, and the committed native declarations are in place.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { expect, test } from '@jest/globals';
import { VERSION } from '@liveness-dev/liveness';

const ROOT = path.resolve(__dirname, '../..');

/** The fields of package.json this file checks. */
interface PackageJson {
  name: string;
  version: string;
  main: string;
  types: string;
  exports: {
    '.': { require: { default: string }; import: { default: string } };
    './jest': { default: string };
    './vitest': { import: { types: string; default: string }; types: string };
  };
  overrides: Record<string, string>;
  files: string[];
  optionalDependencies: Record<string, string>;
  napi: { binaryName: string; targets: string[] };
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(__dirname, '..', file), 'utf8'));
const pkg = readJson('package.json') as PackageJson;

test('the npm version is the workspace version, and so is the native module', () => {
  const cargo = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  const workspace = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(cargo)?.[1];
  expect(workspace).toBeDefined();
  expect(pkg.version).toBe(workspace);
  expect(VERSION).toBe(workspace);
});

test('require and import give the same functions (one copy of the state)', () => {
  const script = `
    const cjs = require('@liveness-dev/liveness');
    import('@liveness-dev/liveness').then((esm) => {
      const names = Object.keys(cjs).sort();
      const same = names.every((n) => esm[n] === cjs[n]);
      console.log(JSON.stringify({ names, esmNames: Object.keys(esm).filter((n) => n !== 'default').sort(), same }));
    });`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const out = JSON.parse(run.stdout) as { names: string[]; esmNames: string[]; same: boolean };
  expect(out.same).toBe(true);
  expect(out.esmNames).toEqual(out.names);
  expect(out.names).toEqual(
    expect.arrayContaining([
      'eventually',
      'eventuallyPasses',
      'always',
      'never',
      'eventuallyChanges',
      'syncOperation',
      'emit',
      'capture',
      'assertEmitted',
      'LivenessTimeoutError',
    ]),
  );
});

test('the exports map: main, types, require/import, liveness/jest, liveness/vitest; the native module stays private', () => {
  expect(pkg.main).toBe('./dist/index.js');
  expect(pkg.types).toBe('./dist/index.d.ts');
  expect(pkg.exports['.'].require.default).toBe('./dist/index.js');
  expect(pkg.exports['.'].import.default).toBe('./esm/index.mjs');
  expect(pkg.exports['./jest'].default).toBe('./dist/jest.js');
  expect(pkg.exports['./vitest'].import).toEqual({ types: './vitest.d.mts', default: './esm/vitest.mjs' });
  expect(pkg.exports['./vitest'].types).toBe('./vitest.d.ts');
  for (const target of [
    './dist/index.d.ts',
    './jest.d.ts',
    './vitest.d.ts',
    './vitest.d.mts',
    './native.d.ts',
    './esm/index.mjs',
    './esm/vitest.mjs',
  ]) {
    expect(fs.existsSync(path.join(__dirname, '..', target))).toBe(true);
  }
  const run = spawnSync(process.execPath, ['-e', "require('@liveness-dev/liveness/liveness.linux-x64-gnu.node')"], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  expect(run.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
});

test('the lockfile pins the helpers this registry lacks platform builds of', () => {
  expect(Object.keys(pkg.overrides)).toEqual(expect.arrayContaining(['@napi-rs/lzma', '@napi-rs/tar', '@napi-rs/wasm-tools', 'rollup']));
  const lock = readJson('package-lock.json') as { packages: Record<string, { version: string }> };
  expect(lock.packages['node_modules/@napi-rs/lzma'].version).toBe(pkg.overrides['@napi-rs/lzma']);
});

test('the package is @liveness-dev/liveness (`liveness` is taken on npm), lockfile included; the old name resolves to nothing', () => {
  expect(pkg.name).toBe('@liveness-dev/liveness');
  const lock = readJson('package-lock.json') as { name: string; packages: Record<string, { name?: string }> };
  expect(lock.name).toBe(pkg.name);
  expect(lock.packages[''].name).toBe(pkg.name);
  const script =
    "for (const s of ['@liveness-dev/liveness/jest', '@liveness-dev/liveness']) require.resolve(s); try { require.resolve('liveness'); console.log('old name resolves'); } catch { console.log('ok'); }";
  const run = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe('ok');
});

test('napi-rs layout: one optional platform package per target at this version, no binary in the main package', () => {
  const platforms = fs.readdirSync(path.join(__dirname, '..', 'npm')).sort();
  expect(platforms).toHaveLength(7);
  expect(Object.keys(pkg.optionalDependencies).sort()).toEqual(platforms.map((p) => `@liveness-dev/liveness-${p}`));
  for (const range of Object.values(pkg.optionalDependencies)) expect(range).toBe(pkg.version);
  expect(pkg.napi.binaryName).toBe('liveness');
  expect(pkg.napi.targets).toHaveLength(7);
  expect(pkg.files.filter((f) => f.includes('.node'))).toEqual([]);
  for (const p of platforms) {
    const platform = readJson(`npm/${p}/package.json`) as { version: string };
    expect(platform.version).toBe(pkg.version);
  }
  // npm ci needs a lock entry for each optional dependency, even one absent from the registry.
  const lock = readJson('package-lock.json') as { packages: Record<string, { version: string; optional?: boolean }> };
  for (const name of Object.keys(pkg.optionalDependencies)) {
    expect(lock.packages[`node_modules/${name}`]).toEqual(expect.objectContaining({ version: pkg.version, optional: true }));
  }
});
