// The private native module. It is built by `napi build` into liveness.node beside package.json
// (dist/ is one level below); its generated declarations are native.d.ts, committed.
import type * as Native from '../native';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const native = require('../liveness.node') as typeof Native;

/** `next()` answers: evaluate now, succeeded, failed; any other value is a wait in ms. */
export const EVALUATE = -1;
export const DONE_OK = -2;
export const DONE_FAILED = -3;

export type NativeReport = Native.NativeReport;
export type NativePoller = Native.NativePoller;
