// Which native binary to load, napi-rs's way: one npm package per platform
// (`@liveness-dev/liveness-<platform>`, an optionalDependency of this package, which npm installs
// only where its os/cpu/libc match), or the `liveness.<platform>.node` that `make node-build`
// leaves in the checkout. Everything the decision reads (platform, arch, libc, the files, require)
// comes in through `LoaderHost`, so that the tests can run every branch on any machine.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The platforms a binary is published for: the `npm/<platform>/` packages, napi's targets. */
export const SUPPORTED_PLATFORMS = [
  'linux-x64-gnu',
  'linux-arm64-gnu',
  'linux-x64-musl',
  'linux-arm64-musl',
  'darwin-x64',
  'darwin-arm64',
  'win32-x64-msvc',
] as const;
export type SupportedPlatform = (typeof SUPPORTED_PLATFORMS)[number];

export const PACKAGE_NAME = '@liveness-dev/liveness';
export const REPOSITORY = 'https://github.com/liveness-dev/liveness';

export type Libc = 'glibc' | 'musl';

/** What the loader reads of the machine; `nodeHost()` is the real one. */
export interface LoaderHost {
  platform: string;
  arch: string;
  /** Asked on Linux only: the C library node runs on. */
  libc: () => Libc;
  /** The package's root (where package.json is); a dev build sits there. */
  packageRoot: string;
  exists: (file: string) => boolean;
  require: (id: string) => unknown;
}

/** Where the libc answer comes from, injected for the tests. */
export interface LibcSources {
  /** The text of /usr/bin/ldd (a shell script on glibc, a link to musl's loader on Alpine). */
  readLdd: () => string | undefined;
  /** process.report's header; `glibcVersionRuntime` is set when node runs on glibc. */
  reportHeader: () => { glibcVersionRuntime?: string } | undefined;
}

/**
 * glibc or musl, as napi-rs's generated loader decides: /usr/bin/ldd first (a file read, cheap),
 * then process.report (slower: it gathers a whole diagnostic report), then glibc, by far the
 * most common when neither can tell.
 */
export function detectLibc(sources: LibcSources): Libc {
  const ldd = sources.readLdd();
  if (ldd !== undefined) return ldd.includes('musl') ? 'musl' : 'glibc';
  const header = sources.reportHeader();
  if (header !== undefined) return header.glibcVersionRuntime ? 'glibc' : 'musl';
  return 'glibc';
}

/**
 * napi-rs's name of the platform: `linux-x64-gnu`, `linux-arm64-musl`, `darwin-arm64`,
 * `win32-x64-msvc`, … It is named the same way for a platform without a binary
 * (`linux-riscv64-gnu`, `freebsd-x64`), so that the error can say what was looked for.
 */
export function platformName(platform: string, arch: string, libc: () => Libc): string {
  if (platform === 'linux') return `linux-${arch}-${libc() === 'musl' ? 'musl' : 'gnu'}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** The libc sources of this process: /usr/bin/ldd and process.report. */
export const nodeLibcSources: LibcSources = {
  readLdd: () => {
    try {
      return fs.readFileSync('/usr/bin/ldd', 'utf8');
    } catch {
      return undefined;
    }
  },
  reportHeader: () => (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header,
};

/** This process's platform name (`make test-dist-node` asks it which platform package to install). */
export const hostPlatformName = (): string => platformName(process.platform, process.arch, () => detectLibc(nodeLibcSources));

export const isSupported = (name: string): name is SupportedPlatform => (SUPPORTED_PLATFORMS as readonly string[]).includes(name);

export const binaryFile = (name: string): string => `liveness.${name}.node`;
export const platformPackage = (name: string): string => `${PACKAGE_NAME}-${name}`;

const BUILD_FROM_SOURCE =
  `build it from source (Rust stable and Node 20): git clone ${REPOSITORY} && cd liveness && ` +
  `make node-build, then npm install --save-dev /path/to/liveness/bindings-node`;

/** The one error users see when no binary fits; `cause` keeps what require said. */
export function loadError(name: string, reason: 'unsupported' | 'missing' | 'broken', cause?: unknown, from: string = platformPackage(name)): Error {
  const pkg = platformPackage(name);
  const supported = `prebuilt binaries exist for ${SUPPORTED_PLATFORMS.join(', ')}`;
  const what =
    reason === 'unsupported'
      ? `${PACKAGE_NAME} has no prebuilt native binary for this platform, ${name} (it looked for ${pkg}); ${supported}`
      : reason === 'missing'
        ? `${PACKAGE_NAME} could not find its native binary for ${name}: the optional dependency ${pkg} is not ` +
          `installed (npm skips it with --omit=optional or --no-optional, or when the lock file was written ` +
          `on another platform without it: remove node_modules and package-lock.json, then npm install)`
        : `${PACKAGE_NAME} could not load its native binary for ${name}, ${from}: ${describe(cause)}`;
  return new Error(`${what}. Or ${BUILD_FROM_SOURCE}.`, cause === undefined ? undefined : { cause });
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `require`'s "not found" for this very id (and not for something the binary itself needs). */
function isNotFound(error: unknown, id: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' && describe(error).includes(id);
}

export interface Loaded {
  binding: unknown;
  /** What was required: the dev build's path, or the platform package's name. */
  from: string;
}

/**
 * The native binding for this host. A dev build beside package.json comes first, as in
 * napi-rs's own loader: in the checkout it is the code under test, and it must win over a
 * platform package npm may have installed from the registry; a published package has no .node
 * of its own (`files` leaves them out), so for users the platform package is the one.
 */
export function loadNative(host: LoaderHost): Loaded {
  const name = platformName(host.platform, host.arch, host.libc);
  const local = path.join(host.packageRoot, binaryFile(name));
  if (host.exists(local)) {
    try {
      return { binding: host.require(local), from: local };
    } catch (error) {
      throw loadError(name, 'broken', error, local);
    }
  }
  if (!isSupported(name)) throw loadError(name, 'unsupported');
  const pkg = platformPackage(name);
  try {
    return { binding: host.require(pkg), from: pkg };
  } catch (error) {
    throw loadError(name, isNotFound(error, pkg) ? 'missing' : 'broken', error);
  }
}
