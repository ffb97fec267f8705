//! Which operation a poller runs, and how each host spells its name in messages.

use std::time::Duration;

/// The polling operations of SPEC §1 and §4. They share a schedule and differ in acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Eventually,
    EventuallyPasses,
    /// Acceptance is "differs from the baseline"; the host compares.
    EventuallyChanges,
    /// The action already ran; what remains is `eventually(until)`.
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

/// Operation names in messages follow the host's convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spelling {
    #[default]
    Snake,
    Camel,
}

impl Operation {
    pub fn name(&self, spelling: Spelling) -> &'static str {
        match (self, spelling) {
            (Operation::Eventually, _) => "eventually",
            (Operation::EventuallyPasses, Spelling::Snake) => "eventually_passes",
            (Operation::EventuallyPasses, Spelling::Camel) => "eventuallyPasses",
            (Operation::EventuallyChanges, Spelling::Snake) => "eventually_changes",
            (Operation::EventuallyChanges, Spelling::Camel) => "eventuallyChanges",
            (Operation::SyncOperation, Spelling::Snake) => "sync_operation",
            (Operation::SyncOperation, Spelling::Camel) => "syncOperation",
            (Operation::Always { .. }, _) => "always",
            (Operation::Never { .. }, _) => "never",
        }
    }

    /// `always` and `never` check safety for a duration; the others wait for liveness.
    pub fn is_safety(&self) -> bool {
        matches!(self, Operation::Always { .. } | Operation::Never { .. })
    }
}
