// liveness for Node: drop the sleeps from your tests. Every operation returns a Promise; none
// blocks the event loop. See SPEC.md for the behaviour shared with Rust, C and Python.
export { eventually, eventuallyPasses, always, never, eventuallyChanges, eventuallySettles, syncOperation } from './operations';
export type { Probe, Truthy } from './operations';
export type { Options, SettlesOptions, Evaluation, ErrorClass } from './options';
export { emit, attach, detach, hasSubscribers, capture, Capture, assertEmitted, assertNotEmitted, assertEmittedInOrder } from './events';
export type { LivenessEvent, Measurements, Metadata, Where, EmittedOptions, NotEmittedOptions, ScopeOptions } from './events';
export { bridgeChannel } from './diagnostics';
export type { Bridge, BridgeOptions } from './diagnostics';
export { bridgeEmitter } from './emitter';
export type { EmitterBridge, EmitterBridgeOptions } from './emitter';
export { EventSpanProcessor } from './otel';
export type { FinishedSpan } from './otel';
export { LivenessError, LivenessTimeoutError, LivenessViolationError, EventAssertionError } from './errors';
export type { HistoryRun } from './errors';
export { pendingWaits, cancelPendingWaits } from './pending';
export type { PendingWait } from './pending';
export { VERSION } from './version';
