//! The thin napi layer of the npm package `liveness`: it translates between JavaScript values and
//! the core's types, and nothing more. Every rule (schedule, deadline, acceptance bookkeeping,
//! reports, event matching) lives in the core; the TypeScript layer (lib/) waits and calls probes.
//!
//! Errors: functions that can fail on bad input throw with a `code` the TypeScript layer turns into
//! a `TypeError`/`RangeError` of the test's own realm (Jest sandboxes tests, and an `Error` made
//! here would fail `instanceof Error` there). Assertion failures are returned as text, not thrown.

mod errors;
mod events;
mod flat;
mod home;
mod lint;
mod names;
mod poller;
mod values;

use napi_derive::napi;

/// The crate version (the workspace version), so the package can check its own agrees.
#[napi(catch_unwind)]
pub fn native_version() -> String {
    liveness::VERSION.to_owned()
}
