// The private native module. It is built by `napi build` into liveness.node beside package.json
// (dist/ is one level below); its generated declarations are native.d.ts, committed.
import type * as Native from '../native';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const native = require('../liveness.node') as typeof Native;

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
