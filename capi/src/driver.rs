//! The one place the blocking operations (ops.rs) meet the core's driver: a C wait parks the
//! calling thread like a Rust test does (a C test has no event loop or signal handling to keep
//! alive while it waits). The sans-IO poller handles (poller.rs) are the only other user of the
//! core's poll API in this crate.

use std::time::Duration;

use liveness_core::Error;
use liveness_core::policy::Options;
use liveness_core::poll::{DriveError, Evaluation, Operation, Poller, Spelling, WakeSignal, drive_blocking};

/// Checks `options` for `operation` as a whole (as the wait will), without waiting. For
/// liveness_sync_operation(), whose action must not fire when an option is bad.
pub(crate) fn check(operation: Operation, options: &Options) -> Result<(), Error> {
    Poller::new(operation, options, Spelling::Snake).map(drop)
}

/// Runs `operation` with `options` on the calling thread, calling `evaluate` at each evaluation
/// and parking the thread in between (woken early by the wake hints of `options.wake_on`).
/// Returns the last accepted value (`None` for always/never) or the error to report.
pub(crate) fn run_blocking<T>(
    operation: Operation,
    options: &Options,
    evaluate: impl FnMut() -> Evaluation<T, Error>,
) -> Result<Option<T>, Error> {
    let mut poller = Poller::new(operation, options, Spelling::Snake)?;
    let park = |d: Duration, signal: &WakeSignal| {
        signal.park(d);
        Ok(())
    };
    drive_blocking(&mut poller, evaluate, park).map_err(|e| match e {
        DriveError::Failed(report) if report.is_violation() => Error::Violated { report },
        DriveError::Failed(report) => Error::Timeout { report },
        DriveError::Host(e) | DriveError::Setup(e) => e,
    })
}
