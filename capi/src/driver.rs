//! The one place the blocking operations (ops.rs) meet the core's driver: a C wait parks the
//! calling thread like a Rust test does (a C test has no event loop or signal handling to keep
//! alive while it waits). The sans-IO poller handles (poller.rs) are the only other user of the
//! core's poll API in this crate.

use std::time::Duration;

use liveness_core::Error;
use liveness_core::poll::{Driver, Operation, Poller, Probe, Spelling, WakeSignal, drive_blocking};

use crate::hook::Hooked;
use crate::options::ReadOptions;

/// Runs `operation` with `options` on the calling thread: the core's blocking driver executes the
/// Poller's steps (the preparation, each evaluation, the waits, woken early by `options.wake_on`)
/// on the thread's clock, the monotonic one or the virtual clock of clock.rs, and calls the
/// options' `on_evaluation` hook after each evaluation it counted. Option errors name the C
/// fields (`max_interval_ms`).
pub(crate) fn run_blocking(
    operation: Operation,
    read: &ReadOptions,
    probe: &mut impl Probe<Stop = Error>,
) -> Result<(), Error> {
    let mut poller = Poller::new(operation, &read.options, Spelling::C, Driver::Blocking)?;
    let mut probe = Hooked { probe, on_evaluation: read.on_evaluation };
    // A park longer than an Instant can hold waits for a hint (the core handles it).
    let park = |d: Duration, signal: &WakeSignal| {
        signal.park(d);
        Ok(())
    };
    drive_blocking(&mut poller, &mut probe, park).map_err(Error::from)
}
