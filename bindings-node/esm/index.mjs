// The ES module face of the package: the same objects as the CommonJS build (one copy of the
// state: the event bus, the pending waits), re-exported by name.
import cjs from '../dist/index.js';

export const {
  eventually,
  eventuallyPasses,
  always,
  never,
  eventuallyChanges,
  eventuallySettles,
  syncOperation,
  emit,
  attach,
  detach,
  hasSubscribers,
  capture,
  Capture,
  assertEmitted,
  assertNotEmitted,
  assertEmittedInOrder,
  bridgeChannel,
  bridgeEmitter,
  EventSpanProcessor,
  LivenessError,
  LivenessTimeoutError,
  LivenessViolationError,
  EventAssertionError,
  pendingWaits,
  cancelPendingWaits,
  VERSION,
} = cjs;
export default cjs;
