// Capture scopes (SPEC §5, scoped captures). The core decides what a scoped capture records
// (Capture::open_scoped); this door only keeps the current scope, in an AsyncLocalStorage so that
// promises, timers and callbacks started inside a scoped block carry it, and hands it to each emit.
import { AsyncLocalStorage } from 'node:async_hooks';

import { native } from './native';

export type NativeScope = InstanceType<typeof native.NativeScope>;

const current = new AsyncLocalStorage<NativeScope>();

/** The scope the calling code runs in, if any (read by emit only when someone listens). */
export function currentScope(): NativeScope | undefined {
  return current.getStore();
}

/** A new scope nested in the current one. */
export function newScope(): NativeScope {
  return new native.NativeScope(current.getStore() ?? null);
}

/** Runs `block` (synchronously; what it starts inherits the scope) with `scope` as the current one. */
export function runIn<T>(scope: NativeScope, block: () => T): T {
  return current.run(scope, block);
}
