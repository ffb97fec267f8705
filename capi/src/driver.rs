//! The one place the blocking operations (ops.rs) meet the core's driver: a C wait parks the
//! calling thread like a Rust test does (a C test has no event loop or signal handling to keep
//! alive while it waits). The sans-IO poller handles (poller.rs) are the only other user of the
//! core's poll API in this crate.

use std::time::Duration;

use liveness_core::Error;
use liveness_core::poll::{Driver, Operation, Poller, Probe, Spelling, WakeSignal, drive_blocking};
use liveness_core::testing::VirtualClock;

use crate::hook::Hooked;
use crate::options::ReadOptions;

/// The longest single park on the real clock. `WakeSignal::park` computes `Instant::now() + d`,
/// which overflows for a wait near `Duration::MAX` (a timeout of INFINITY with a huge
/// `interval_ms`: LIVENESS_INTERNAL); parking in slices, the driver asks the poller again after
/// each and is told the rest. A virtual clock takes any wait in one step (it saturates).
const LONGEST_REAL_PARK: Duration = Duration::from_secs(24 * 60 * 60);

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
    let real_clock = VirtualClock::installed().is_none();
    let park = |d: Duration, signal: &WakeSignal| {
        signal.park(if real_clock { d.min(LONGEST_REAL_PARK) } else { d });
        Ok(())
    };
    drive_blocking(&mut poller, &mut probe, park).map_err(Error::from)
}
