//! Polling: the sans-IO [`Poller`] and the drivers that execute its steps.

mod blocking;
mod budget;
mod history;
mod monotonic;
mod operation;
mod outcome;
mod poller;
mod report;

#[cfg(feature = "tokio")]
mod async_driver;

#[cfg(feature = "tokio")]
pub use async_driver::{AsyncProbe, drive_async};
pub use blocking::{DriveError, Probe, WakeSignal, drive_blocking};
pub use budget::{Budget, EVALUATION_OVERHEAD, Share};
pub use history::{Run, RunOutcome, SHOWN_RUNS};
pub use operation::{Operation, Spelling};
pub use outcome::{Failure, Outcome, shorten_repr, shorten_repr_owned};
pub use poller::{Driver, Evaluated, Poller, Step};
pub use report::{Late, Report, ReportKind};
