//! The builder every Rust operation shares: options as chained setters, then `.run()` (blocks
//! this thread) or `.run_async().await` (feature `tokio`), whatever the constructor.

use std::time::Duration;

use crate::error::Error;
use crate::policy::Options;
use crate::poll::{Evaluated, Failure};

type FailurePredicate = Box<dyn Fn(&Failure) -> bool + Send>;
type OnEvaluation = Box<dyn FnMut(&Evaluation<'_>) + Send>;
type OnTimeout = Box<dyn FnOnce(Error) -> Error + Send>;

/// One evaluation that returned, as an `on_evaluation` hook sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation<'a> {
    /// 1-based.
    pub number: u32,
    /// When it started, since the call began.
    pub started: Duration,
    pub duration: Duration,
    /// Whether the operation accepted it (for `eventually_settles`: equal to the previous value).
    pub accepted: bool,
    /// Why it was not accepted: the panic, the `Err`, the rejected value.
    pub failure: Option<&'a Failure>,
}

/// A configured wait; `K` holds the probe and decides what it accepts.
#[must_use = "a wait does nothing until .run() or .run_async().await"]
pub struct Wait<K> {
    pub(crate) kind: K,
    pub(crate) options: Options,
    pub(crate) rules: StopRules,
    pub(crate) hooks: Hooks,
}

/// The user's `on_evaluation` and `on_timeout`.
#[derive(Default)]
pub(crate) struct Hooks {
    on_evaluation: Option<OnEvaluation>,
    on_timeout: Option<OnTimeout>,
}

impl Hooks {
    /// Whether the drivers' adapter must keep each failure for `on_evaluation`.
    pub(crate) fn observes(&self) -> bool {
        self.on_evaluation.is_some()
    }

    pub(crate) fn evaluated(&mut self, e: Evaluated, failure: Option<&Failure>) {
        if let Some(hook) = self.on_evaluation.as_mut() {
            hook(&Evaluation {
                number: e.number,
                started: e.started,
                duration: e.duration,
                accepted: e.accepted,
                failure,
            });
        }
    }

    /// A failure with a report (timeout, violation) goes through `on_timeout`; others as they are.
    pub(crate) fn failed(&mut self, error: Error) -> Error {
        match self.on_timeout.take() {
            Some(hook) if error.report().is_some() => hook(error),
            _ => error,
        }
    }
}

/// Which failures propagate at once instead of being retried (`retry_on` / `fail_on`).
#[derive(Default)]
pub(crate) struct StopRules {
    retry_on: Option<FailurePredicate>,
    fail_on: Option<FailurePredicate>,
}

impl<K> Wait<K> {
    pub(crate) fn new(kind: K) -> Self {
        Wait { kind, options: Options::default(), rules: StopRules::default(), hooks: Hooks::default() }
    }

    /// Deadline, from the call (default 5 s; scaled by `LIVENESS_TIMEOUT_SCALE`).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.options.timeout = d;
        self
    }

    /// No deadline: wait until the probe is accepted (or `attempts` run out). Same as
    /// `.timeout(liveness::FOREVER)`.
    pub fn forever(self) -> Self {
        self.timeout(crate::policy::FOREVER)
    }

    /// A fixed period between evaluation starts, instead of the adaptive one (with
    /// [`Wait::backoff`]: the first period).
    pub fn interval(mut self, d: Duration) -> Self {
        self.options.interval = Some(d);
        self
    }

    /// The periods after the first evaluation, the second, ...; the last one repeats
    /// (Playwright's `intervals`).
    pub fn intervals(mut self, periods: impl IntoIterator<Item = Duration>) -> Self {
        self.options.intervals = Some(periods.into_iter().collect());
        self
    }

    /// Exponential backoff: each period is `factor` (≥ 1) times the previous one, from
    /// `interval` (or `min_interval`) up to `max_interval`.
    pub fn backoff(mut self, factor: f64) -> Self {
        self.options.backoff = Some(factor);
        self
    }

    /// After a timeout, go on looking for up to `d` (default 1 s, at most the timeout) and say in
    /// the report whether the condition was met late; `Duration::ZERO` turns it off.
    pub fn late_check(mut self, d: Duration) -> Self {
        self.options.late_check = d;
        self
    }

    /// The condition must not hold before `d`: an accepted evaluation that starts earlier fails
    /// the wait with `Error::Violated` (Awaitility's `atLeast`). Not scaled.
    pub fn at_least(mut self, d: Duration) -> Self {
        self.options.at_least = d;
        self
    }

    pub fn min_interval(mut self, d: Duration) -> Self {
        self.options.min_interval = d;
        self
    }

    pub fn max_interval(mut self, d: Duration) -> Self {
        self.options.max_interval = d;
        self
    }

    /// Wait before the first evaluation (counts toward the timeout).
    pub fn delay(mut self, d: Duration) -> Self {
        self.options.delay = d;
        self
    }

    /// Also stop after this many evaluations.
    pub fn attempts(mut self, n: u32) -> Self {
        self.options.attempts = Some(n);
        self
    }

    /// What is awaited, shown first in the failure.
    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.options.message = Some(m.into());
        self
    }

    /// Succeed only once the probe stayed accepted this long.
    pub fn stable_for(mut self, d: Duration) -> Self {
        self.options.stable_for = d;
        self
    }

    /// Re-evaluate at once when an event matching `pattern` is emitted (may be repeated).
    pub fn wake_on(mut self, pattern: impl Into<String>) -> Self {
        self.options.wake_on.push(pattern.into());
        self
    }

    /// Re-evaluate at once when `path` changes: a file created, written, renamed into place or
    /// deleted, or (for a directory) an entry in it (may be repeated). A path that does not exist
    /// yet is watched through its directory, which must exist.
    pub fn wake_on_path(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.options.wake_on_path.push(path.into());
        self
    }

    /// Replaces every option at once (bindings and tests).
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Only failures for which `pred` holds are retried; others propagate at once.
    pub fn retry_on(mut self, pred: impl Fn(&Failure) -> bool + Send + 'static) -> Self {
        self.rules.retry_on = Some(Box::new(pred));
        self
    }

    /// Failures for which `pred` holds propagate at once as `Error::Probe`.
    pub fn fail_on(mut self, pred: impl Fn(&Failure) -> bool + Send + 'static) -> Self {
        self.rules.fail_on = Some(Box::new(pred));
        self
    }

    /// Called after each evaluation that returned (not for one abandoned at the deadline, nor
    /// for the preparation), in order: for logging and diagnostics.
    pub fn on_evaluation(mut self, hook: impl FnMut(&Evaluation<'_>) + Send + 'static) -> Self {
        self.hooks.on_evaluation = Some(Box::new(hook));
        self
    }

    /// Called with the wait's failure (a timeout or a violation, the errors with a report)
    /// before it is returned; what it returns is returned instead (to add context, or map it).
    pub fn on_timeout(mut self, hook: impl FnOnce(Error) -> Error + Send + 'static) -> Self {
        self.hooks.on_timeout = Some(Box::new(hook));
        self
    }
}

impl StopRules {
    /// Whether a failure propagates at once instead of being retried. Only a raised failure can
    /// (SPEC §1: `retry_on`/`fail_on` select errors); a rejected value is always "not yet".
    pub(crate) fn stops(&self, failure: &Failure) -> bool {
        if !matches!(failure, Failure::Raised { .. }) {
            return false;
        }
        self.fail_on.as_ref().is_some_and(|p| p(failure)) || self.retry_on.as_ref().is_some_and(|p| !p(failure))
    }
}
