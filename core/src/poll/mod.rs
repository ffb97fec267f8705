//! Polling: the sans-IO [`Poller`] and the drivers that wait for it.

mod blocking;
mod history;
mod operation;
mod outcome;
mod poller;
mod report;

#[cfg(feature = "tokio")]
mod async_driver;

#[cfg(feature = "tokio")]
pub use async_driver::drive_async;
pub use blocking::{DriveError, Evaluation, WakeSignal, drive_blocking};
pub use history::{Run, RunOutcome, SHOWN_RUNS};
pub use operation::{Operation, Spelling};
pub use outcome::{Failure, Outcome, shorten_repr};
pub use poller::{Poller, Step};
pub use report::{Report, ReportKind};
