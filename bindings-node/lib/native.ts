// The private native module, found by ./loader: the platform package npm installed
// (@liveness-dev/liveness-<platform>), or in the checkout the dev build `make node-build` leaves
// beside package.json as liveness.<platform>.node (dist/ is one level below). Its generated
// declarations are native.d.ts, committed.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { detectLibc, loadNative, nodeLibcSources, type LoaderHost } from './loader';
import type * as Native from '../native';

const host: LoaderHost = {
  platform: process.platform,
  arch: process.arch,
  libc: () => detectLibc(nodeLibcSources),
  packageRoot: path.join(__dirname, '..'),
  exists: fs.existsSync,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require: (id) => require(id) as unknown,
};

export const native = loadNative(host).binding as typeof Native;

/** `next()` answers (src/poller.rs): a wait in ms (≥ 0), or one of these steps. */
export const EVALUATE = -1;
export const DONE_OK = -2;
export const DONE_FAILED = -3;
/** Run the preparation (syncOperation's action, eventuallyChanges' baseline), then `prepared()`. */
export const PREPARE = -4;
/** Let the event loop turn once, then ask again. */
export const YIELD = -5;

export type NativeReport = Native.NativeReport;
export type NativePoller = Native.NativePoller;
