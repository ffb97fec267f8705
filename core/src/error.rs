//! The one error type every binding translates: each variant maps to a host-language exception / status code.

use std::fmt;

use crate::events::EventReport;
use crate::poll::{Failure, Report};

/// Everything a liveness operation can fail with.
///
/// `Debug` shows the report as `Display` does (as `anyhow` does), because that is what
/// `.run().unwrap()` and a test returning `Result<(), liveness::Error>` print; `{:#?}` shows the
/// structure.
#[derive(Clone)]
pub enum Error {
    /// The deadline or the attempt limit passed without an accepted evaluation (SPEC §3).
    Timeout { report: Box<Report> },
    /// `always` saw a rejected evaluation, or `never` an accepted one (SPEC §4).
    Violated { report: Box<Report> },
    /// An option was out of range; raised before any evaluation.
    InvalidOption { option: String, reason: String },
    /// Any other bad input: an event name, a pattern, a payload.
    InvalidArgument { message: String },
    /// `assert_emitted` and friends did not find what they were asked for.
    EventAssertion { report: Box<EventReport> },
    /// A probe failure that must not be retried (`fail_on`, or outside `retry_on`), or a
    /// `sync_operation` action / `eventually_changes` baseline that failed: it propagates as itself.
    Probe { failure: Failure },
}

impl Error {
    /// An [`Error::InvalidOption`]: the option `option` (named as the caller spells it, e.g.
    /// `"attempts"` or `"timeout_ms"`) is out of range because of `reason`. For bindings that
    /// check options of their own before handing them to the core.
    pub fn invalid_option(option: &str, reason: impl Into<String>) -> Self {
        Error::InvalidOption { option: option.to_owned(), reason: reason.into() }
    }

    /// An [`Error::InvalidArgument`] with `message` as its whole text (shown as is). For bindings
    /// that check their own arguments (a NULL pointer, text that is not UTF-8, malformed JSON).
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::InvalidArgument { message: message.into() }
    }

    /// The timeout / violation report, when there is one.
    pub fn report(&self) -> Option<&Report> {
        match self {
            Error::Timeout { report } | Error::Violated { report } => Some(report),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Timeout { report } | Error::Violated { report } => write!(f, "{report}"),
            Error::InvalidOption { option, reason } => write!(f, "invalid option `{option}`: {reason}"),
            Error::InvalidArgument { message } => f.write_str(message),
            Error::EventAssertion { report } => write!(f, "{report}"),
            Error::Probe { failure } => write!(f, "{failure}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !f.alternate() {
            return fmt::Display::fmt(self, f);
        }
        match self {
            Error::Timeout { report } => f.debug_struct("Timeout").field("report", report).finish(),
            Error::Violated { report } => f.debug_struct("Violated").field("report", report).finish(),
            Error::InvalidOption { option, reason } => {
                f.debug_struct("InvalidOption").field("option", option).field("reason", reason).finish()
            }
            Error::InvalidArgument { message } => f.debug_struct("InvalidArgument").field("message", message).finish(),
            Error::EventAssertion { report } => f.debug_struct("EventAssertion").field("report", report).finish(),
            Error::Probe { failure } => f.debug_struct("Probe").field("failure", failure).finish(),
        }
    }
}

impl std::error::Error for Error {}

/// Panics with the error's report, pointing at the caller (`.assert()` finishers).
#[track_caller]
pub(crate) fn fail(error: Error) -> ! {
    panic!("{error}")
}
