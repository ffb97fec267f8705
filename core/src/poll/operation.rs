//! Which operation a poller runs, and how each binding spells names in messages.

use std::time::Duration;

/// The polling operations of SPEC §1 and §4. They share a schedule and differ in acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Eventually,
    EventuallyPasses,
    /// The baseline is the preparation; acceptance is "differs from it" (the binding compares,
    /// with its language's equality).
    EventuallyChanges,
    /// Acceptance is "equal to the previous evaluation's value" (the binding compares, with its
    /// language's equality; a raised evaluation has no value, so the next one is new); succeeds
    /// once one value was seen for `quiet` in a row.
    EventuallySettles {
        quiet: Duration,
    },
    /// The action is the preparation; then `eventually(until)`.
    SyncOperation,
    /// Safety: every evaluation during `during` must be accepted.
    Always {
        during: Duration,
    },
    /// Safety: no evaluation during `during` may be accepted.
    Never {
        during: Duration,
    },
}

/// Names in messages (operations, options) follow the binding's convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spelling {
    /// Rust and Python: `eventually_changes`, `max_interval`.
    #[default]
    Snake,
    /// JavaScript: `eventuallyChanges`, `maxInterval`.
    Camel,
    /// C: snake case, durations as `double` milliseconds named `*_ms` (`max_interval_ms`).
    C,
}

/// The options that are durations (C spells them with `_ms`).
const DURATION_OPTIONS: [&str; 11] = [
    "timeout",
    "interval",
    "intervals",
    "min_interval",
    "max_interval",
    "delay",
    "stable_for",
    "during",
    "at_least",
    "quiet",
    "late_check",
];

impl Spelling {
    /// An option's name (given in snake case, as the core names it) in this spelling.
    pub fn option(self, snake: &str) -> String {
        match self {
            Spelling::Snake => snake.to_owned(),
            Spelling::C if DURATION_OPTIONS.contains(&snake) => format!("{snake}_ms"),
            Spelling::C => snake.to_owned(),
            Spelling::Camel => {
                let mut out = String::with_capacity(snake.len());
                let mut upper = false;
                for c in snake.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        out.extend(c.to_uppercase());
                        upper = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

impl Operation {
    pub fn name(&self, spelling: Spelling) -> &'static str {
        match (self, spelling) {
            (Operation::Eventually, _) => "eventually",
            (Operation::EventuallyPasses, Spelling::Camel) => "eventuallyPasses",
            (Operation::EventuallyPasses, _) => "eventually_passes",
            (Operation::EventuallyChanges, Spelling::Camel) => "eventuallyChanges",
            (Operation::EventuallyChanges, _) => "eventually_changes",
            (Operation::EventuallySettles { .. }, Spelling::Camel) => "eventuallySettles",
            (Operation::EventuallySettles { .. }, _) => "eventually_settles",
            (Operation::SyncOperation, Spelling::Camel) => "syncOperation",
            (Operation::SyncOperation, _) => "sync_operation",
            (Operation::Always { .. }, _) => "always",
            (Operation::Never { .. }, _) => "never",
        }
    }

    /// Whether a preparation runs before the first evaluation, and what the report calls it:
    /// `sync_operation` fires its action, `eventually_changes` takes its baseline.
    pub fn preparation(&self) -> Option<&'static str> {
        match self {
            Operation::SyncOperation => Some("the action"),
            Operation::EventuallyChanges => Some("the baseline"),
            _ => None,
        }
    }

    pub fn prepares(&self) -> bool {
        self.preparation().is_some()
    }

    /// The duration that bounds the wait and its name: `during` for `always`/`never`, the
    /// `timeout` otherwise.
    pub fn horizon(&self, timeout: Duration) -> (&'static str, Duration) {
        match self {
            Operation::Always { during } | Operation::Never { during } => ("during", *during),
            _ => ("timeout", timeout),
        }
    }

    /// `always` and `never` check safety for a duration; the others wait for liveness.
    pub fn is_safety(&self) -> bool {
        matches!(self, Operation::Always { .. } | Operation::Never { .. })
    }
}
