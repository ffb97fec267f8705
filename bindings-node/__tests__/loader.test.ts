// The loader's decisions (lib/loader.ts), every branch on this one machine: the host it reads is
// injected (platform, arch, libc, which files exist, what require answers).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { SUPPORTED_PLATFORMS, detectLibc, hostPlatformName, loadNative, platformName, type Libc, type LoaderHost } from '../dist/loader';

const ROOT = '/pkg';
const BINDING = { version: () => 'fake' };

/** A require that knows only `known` (a path or package name); others fail as node's does. */
function fakeRequire(known: Record<string, unknown>, calls: string[] = []): (id: string) => unknown {
  return (id) => {
    calls.push(id);
    if (id in known) {
      const value = known[id];
      if (value instanceof Error) throw value;
      return value;
    }
    throw Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- /pkg/dist/native.js`), {
      code: 'MODULE_NOT_FOUND',
    });
  };
}

function host(overrides: Partial<LoaderHost> & { files?: string[]; libcIs?: Libc }): LoaderHost {
  const files = overrides.files ?? [];
  return {
    platform: 'linux',
    arch: 'x64',
    libc: () => overrides.libcIs ?? 'glibc',
    packageRoot: ROOT,
    exists: (file) => files.includes(file),
    require: fakeRequire({}),
    ...overrides,
  };
}

const thrown = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('platformName: napi-rs names', () => {
  test.each([
    ['linux', 'x64', 'glibc', 'linux-x64-gnu'],
    ['linux', 'arm64', 'glibc', 'linux-arm64-gnu'],
    ['linux', 'x64', 'musl', 'linux-x64-musl'],
    ['linux', 'arm64', 'musl', 'linux-arm64-musl'],
    ['darwin', 'x64', 'glibc', 'darwin-x64'],
    ['darwin', 'arm64', 'glibc', 'darwin-arm64'],
    ['win32', 'x64', 'glibc', 'win32-x64-msvc'],
    ['win32', 'arm64', 'glibc', 'win32-arm64-msvc'],
    ['linux', 'riscv64', 'glibc', 'linux-riscv64-gnu'],
    ['linux', 'arm', 'musl', 'linux-arm-musl'],
    ['freebsd', 'x64', 'glibc', 'freebsd-x64'],
    ['darwin', 'ia32', 'glibc', 'darwin-ia32'],
  ] as const)('%s %s %s -> %s', (platform, arch, libc, name) => {
    expect(platformName(platform, arch, () => libc)).toBe(name);
  });

  test('libc is asked on Linux only (process.report is slow to gather)', () => {
    let asked = 0;
    const libc = (): Libc => {
      asked += 1;
      return 'glibc';
    };
    platformName('darwin', 'arm64', libc);
    platformName('win32', 'x64', libc);
    expect(asked).toBe(0);
    platformName('linux', 'x64', libc);
    expect(asked).toBe(1);
  });
});

describe('detectLibc: /usr/bin/ldd, then process.report, then glibc', () => {
  const glibcLdd = '#! /bin/bash\n# This file is part of the GNU C Library.\nTEXTDOMAIN=libc\n';
  test.each([
    ['glibc ldd script', glibcLdd, undefined, 'glibc'],
    ['musl ldd (its loader)', '\x7fELF ... /lib/ld-musl-x86_64.so.1 musl libc', undefined, 'musl'],
    ['ldd decides before the report', glibcLdd, {}, 'glibc'],
    ['no ldd, report with glibcVersionRuntime', undefined, { glibcVersionRuntime: '2.36' }, 'glibc'],
    ['no ldd, report without it', undefined, {}, 'musl'],
    ['neither', undefined, undefined, 'glibc'],
  ] as const)('%s -> %s', (_what, ldd, header, libc) => {
    expect(detectLibc({ readLdd: () => ldd, reportHeader: () => header })).toBe(libc);
  });

  test('the report is not gathered when ldd answers', () => {
    let gathered = false;
    detectLibc({
      readLdd: () => 'musl',
      reportHeader: () => {
        gathered = true;
        return {};
      },
    });
    expect(gathered).toBe(false);
  });
});

describe('loadNative: which binary', () => {
  test.each(SUPPORTED_PLATFORMS.map((name) => [name]))('%s: the platform package', (name) => {
    const [platform, arch, abi] = name.split('-');
    const calls: string[] = [];
    const loaded = loadNative(
      host({
        platform,
        arch,
        libcIs: abi === 'musl' ? 'musl' : 'glibc',
        require: fakeRequire({ [`@liveness-dev/liveness-${name}`]: BINDING }, calls),
      }),
    );
    expect(loaded).toEqual({ binding: BINDING, from: `@liveness-dev/liveness-${name}` });
    expect(calls).toEqual([`@liveness-dev/liveness-${name}`]);
  });

  test('the dev build beside package.json comes first (the checkout tests its own code)', () => {
    const local = path.join(ROOT, 'liveness.linux-x64-gnu.node');
    const calls: string[] = [];
    const dev = { dev: true };
    const loaded = loadNative(
      host({ files: [local], require: fakeRequire({ [local]: dev, '@liveness-dev/liveness-linux-x64-gnu': BINDING }, calls) }),
    );
    expect(loaded).toEqual({ binding: dev, from: local });
    expect(calls).toEqual([local]);
  });

  test("a dev build of another platform's name is not taken", () => {
    const other = path.join(ROOT, 'liveness.linux-x64-musl.node');
    const loaded = loadNative(host({ files: [other], require: fakeRequire({ [other]: {}, '@liveness-dev/liveness-linux-x64-gnu': BINDING }) }));
    expect(loaded.from).toBe('@liveness-dev/liveness-linux-x64-gnu');
  });

  test('musl picks the musl package, not the gnu one', () => {
    const loaded = loadNative(
      host({
        libcIs: 'musl',
        require: fakeRequire({ '@liveness-dev/liveness-linux-x64-gnu': {}, '@liveness-dev/liveness-linux-x64-musl': BINDING }),
      }),
    );
    expect(loaded.from).toBe('@liveness-dev/liveness-linux-x64-musl');
  });

  test('a dev build on a platform without a published binary loads (built from source)', () => {
    const local = path.join(ROOT, 'liveness.freebsd-x64.node');
    const loaded = loadNative(host({ platform: 'freebsd', files: [local], require: fakeRequire({ [local]: BINDING }) }));
    expect(loaded.from).toBe(local);
  });
});

describe('loadNative: the errors a user reads', () => {
  test.each([
    ['linux', 'riscv64', 'glibc', 'linux-riscv64-gnu'],
    ['linux', 'arm', 'musl', 'linux-arm-musl'],
    ['freebsd', 'x64', 'glibc', 'freebsd-x64'],
    ['win32', 'arm64', 'glibc', 'win32-arm64-msvc'],
    ['darwin', 'ia32', 'glibc', 'darwin-ia32'],
  ] as const)('no binary for %s %s %s: names %s, the package, the platforms, how to build', (platform, arch, libc, name) => {
    const calls: string[] = [];
    const error = thrown(() => loadNative(host({ platform, arch, libcIs: libc, require: fakeRequire({}, calls) })));
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(`no prebuilt native binary for this platform, ${name}`);
    expect(error.message).toContain(`it looked for @liveness-dev/liveness-${name}`);
    expect(error.message).toContain(`prebuilt binaries exist for ${SUPPORTED_PLATFORMS.join(', ')}`);
    expect(error.message).toContain('git clone https://github.com/liveness-dev/liveness && cd liveness && make node-build');
    expect(error.message).toContain('npm install --save-dev /path/to/liveness/bindings-node');
    // Nothing to require: the package does not exist on the registry.
    expect(calls).toEqual([]);
  });

  test('the whole message, for linux-riscv64-gnu', () => {
    const error = thrown(() => loadNative(host({ arch: 'riscv64' })));
    expect(error.message).toBe(
      '@liveness-dev/liveness has no prebuilt native binary for this platform, linux-riscv64-gnu (it looked for ' +
        '@liveness-dev/liveness-linux-riscv64-gnu); prebuilt binaries exist for linux-x64-gnu, linux-arm64-gnu, ' +
        'linux-x64-musl, linux-arm64-musl, darwin-x64, darwin-arm64, win32-x64-msvc. Or build it from source ' +
        '(Rust stable and Node 20): git clone https://github.com/liveness-dev/liveness && cd liveness && ' +
        'make node-build, then npm install --save-dev /path/to/liveness/bindings-node.',
    );
  });

  test.each(SUPPORTED_PLATFORMS.map((name) => [name]))('%s with its optional dependency not installed: says so and how to reinstall', (name) => {
    const [platform, arch, abi] = name.split('-');
    const error = thrown(() => loadNative(host({ platform, arch, libcIs: abi === 'musl' ? 'musl' : 'glibc' })));
    expect(error.message).toContain(
      `could not find its native binary for ${name}: the optional dependency @liveness-dev/liveness-${name} is not installed`,
    );
    expect(error.message).toContain('--omit=optional');
    expect(error.message).toContain('remove node_modules and package-lock.json, then npm install');
    expect(error.message).toContain('make node-build');
    expect((error.cause as { code?: string }).code).toBe('MODULE_NOT_FOUND');
  });

  test('a platform package that fails to load (an older glibc): the cause is kept, not "not installed"', () => {
    const cause = new Error("/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.18' not found");
    const error = thrown(() => loadNative(host({ require: fakeRequire({ '@liveness-dev/liveness-linux-x64-gnu': cause }) })));
    expect(error.message).toContain(
      'could not load its native binary for linux-x64-gnu, @liveness-dev/liveness-linux-x64-gnu: /lib/x86_64-linux-gnu/libc.so.6',
    );
    expect(error.message).not.toContain('not installed');
    expect(error.cause).toBe(cause);
  });

  test('a MODULE_NOT_FOUND for something else than the package is a load failure', () => {
    const cause = Object.assign(new Error("Cannot find module 'libfoo.so'"), { code: 'MODULE_NOT_FOUND' });
    const error = thrown(() => loadNative(host({ require: fakeRequire({ '@liveness-dev/liveness-linux-x64-gnu': cause }) })));
    expect(error.message).toContain('could not load its native binary');
    expect(error.cause).toBe(cause);
  });

  test('a dev build that fails to load names its path and keeps the cause', () => {
    const local = path.join(ROOT, 'liveness.linux-x64-gnu.node');
    const cause = new Error('invalid ELF header');
    const error = thrown(() => loadNative(host({ files: [local], require: fakeRequire({ [local]: cause }) })));
    expect(error.message).toContain(`for linux-x64-gnu, ${local}: invalid ELF header`);
    expect(error.cause).toBe(cause);
  });

  test('a thrown non-Error is described too', () => {
    const error = thrown(() =>
      loadNative(
        host({
          require: () => {
            // eslint-disable-next-line @typescript-eslint/only-throw-error
            throw 'boom';
          },
        }),
      ),
    );
    expect(error.message).toContain('@liveness-dev/liveness-linux-x64-gnu: boom');
  });
});

describe('the real host', () => {
  test('the checkout loads its dev build, named as the loader expects', () => {
    const name = hostPlatformName();
    expect(fs.existsSync(path.join(__dirname, '..', `liveness.${name}.node`))).toBe(true);
  });

  test('every supported platform has its npm/<platform> package, named and constrained to match', () => {
    for (const name of SUPPORTED_PLATFORMS) {
      const file = path.join(__dirname, '..', 'npm', name, 'package.json');
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        name: string;
        main: string;
        files: string[];
        os: string[];
        cpu: string[];
        libc?: string[];
      };
      const [platform, arch, abi] = name.split('-');
      expect(pkg.name).toBe(`@liveness-dev/liveness-${name}`);
      expect(pkg.main).toBe(`liveness.${name}.node`);
      expect(pkg.files).toEqual([pkg.main, 'LICENSE-MIT', 'LICENSE-APACHE']);
      expect(pkg.os).toEqual([platform]);
      expect(pkg.cpu).toEqual([arch]);
      expect(pkg.libc).toEqual(abi === 'gnu' ? ['glibc'] : abi === 'musl' ? ['musl'] : undefined);
    }
  });
});
