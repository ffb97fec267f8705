//! The failure report of SPEC §3: one text for every binding, plus the fields behind it.

use std::fmt;
use std::time::Duration;

use super::history::{Run, describe_runs};
use super::outcome::Failure;
use crate::policy::fmt_secs;

/// Why the wait ended without success.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportKind {
    /// The deadline passed.
    NotMet,
    /// The attempt limit was reached first.
    AttemptsExhausted { attempts: u32 },
    /// Accepted at times, but never for `stable_for` in a row before the deadline.
    NotStable { stable_for: Duration, longest: Duration },
    /// A synchronous evaluation that began before the deadline ended past it.
    Overran { evaluation: u32, took: Duration, past: Duration },
    /// An asynchronous evaluation was still pending at the deadline; it was abandoned.
    StillRunning { evaluation: u32, running_for: Duration },
    /// An asynchronous preparation (`what`: "the action", "the baseline") was still pending at
    /// the deadline; it was abandoned and nothing was evaluated.
    PreparationStillRunning { what: &'static str, running_for: Duration },
    /// `always` saw a rejection, `never` an acceptance, at this evaluation.
    Violated { evaluation: u32, at: Duration },
    /// An evaluation that started `at`, before `at_least`, was accepted: the condition held
    /// too early (a violation of the lower bound, not a timeout).
    TooEarly { evaluation: u32, at: Duration, at_least: Duration },
    /// `eventually_settles`: no value stayed the same for `quiet` before the deadline.
    NotSettled { quiet: Duration, longest: Duration },
}

/// What the late check found after a timeout (SPEC §3): the condition was met this long after
/// the deadline, or still not after looking this long.
#[derive(Debug, Clone, PartialEq)]
pub enum Late {
    Met { after: Duration, evaluation: u32 },
    StillNotMet { after: Duration, evaluations: u32 },
}

/// Everything a reader needs to see why a wait failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The operation as the binding spells it (`eventually_passes`, `eventuallyPasses`).
    pub operation: String,
    pub message: Option<String>,
    pub kind: ReportKind,
    pub elapsed: Duration,
    pub evaluations: u32,
    /// The last failure; for `never`, the value that held.
    pub last: Option<Failure>,
    /// Runs of identical outcomes, the first and the most recent ones.
    pub history: Vec<Run>,
    /// Runs dropped between the first and the most recent ones.
    pub omitted_runs: usize,
    /// Advice when the outcomes point at a likely mistake.
    pub hint: Option<String>,
    /// What the late check found, when it ran.
    pub late: Option<Late>,
}

impl Report {
    /// `always`/`never` violated, as opposed to a timeout.
    pub fn is_violation(&self) -> bool {
        matches!(self.kind, ReportKind::Violated { .. } | ReportKind::TooEarly { .. })
    }

    /// The first line: operation, message, and why it ended.
    pub fn headline(&self) -> String {
        let mut head = self.operation.clone();
        if let Some(m) = &self.message {
            head.push_str(&format!(" {m:?}"));
        }
        let count = plural(self.evaluations, "evaluation");
        let waited = fmt_secs(self.elapsed);
        let why = match &self.kind {
            ReportKind::NotMet => format!("not met after {waited} ({count})"),
            ReportKind::AttemptsExhausted { attempts } => {
                format!("not met after {waited} ({count}); stopped at the attempt limit of {attempts}")
            }
            ReportKind::NotStable { stable_for, longest } => format!(
                "not stable for {} after {waited} ({count}); the longest accepted stretch lasted {}",
                fmt_secs(*stable_for),
                fmt_secs(*longest)
            ),
            ReportKind::Overran { evaluation, took, past } => format!(
                "not met after {waited} ({count}); evaluation #{evaluation} took {}, ending {} past the deadline",
                fmt_secs(*took),
                fmt_secs(*past)
            ),
            ReportKind::StillRunning { evaluation, running_for } => format!(
                "not met after {waited} ({count}); evaluation #{evaluation} still running after {}",
                fmt_secs(*running_for)
            ),
            ReportKind::PreparationStillRunning { what, running_for } => {
                format!("not met after {waited} ({count}); {what} still running after {}", fmt_secs(*running_for))
            }
            ReportKind::TooEarly { evaluation, at, at_least } => format!(
                "held too early, at evaluation #{evaluation} after {} ({count}); it must not hold before {}",
                fmt_secs(*at),
                fmt_secs(*at_least)
            ),
            ReportKind::NotSettled { quiet, longest } => format!(
                "not settled for {} after {waited} ({count}); the longest a value stayed the same was {}",
                fmt_secs(*quiet),
                fmt_secs(*longest)
            ),
            ReportKind::Violated { evaluation, at } => {
                let what = if self.last.is_some() && self.operation_is_never() { "held" } else { "violated" };
                format!("{what} at evaluation #{evaluation} after {} ({count})", fmt_secs(*at))
            }
        };
        format!("{head}: {why}")
    }

    fn operation_is_never(&self) -> bool {
        self.operation == "never"
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Some(last) = &self.last {
            // A multi-line failure (a Rust assert, a pytest diff) stays inside its section.
            write!(f, "\n  last: {}", last.to_string().replace('\n', "\n        "))?;
        }
        if !self.history.is_empty() {
            write!(f, "\n  history: {}", describe_runs(&self.history, self.omitted_runs))?;
        }
        match &self.late {
            Some(Late::Met { after, evaluation }) => write!(
                f,
                "\n  late: met {} after the deadline, at evaluation #{evaluation}: the timeout is too tight (or the machine slow)",
                fmt_secs(*after)
            )?,
            Some(Late::StillNotMet { after, evaluations }) => write!(
                f,
                "\n  late: still not met {} after the deadline ({})",
                fmt_secs(*after),
                plural(*evaluations, "more evaluation")
            )?,
            None => {}
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
