//! The builder every Rust operation shares: options as chained setters, then `.run()` (blocks
//! this thread) or `.run_async().await` (feature `tokio`), whatever the constructor.

use std::time::Duration;

use crate::policy::Options;
use crate::poll::Failure;

type FailurePredicate = Box<dyn Fn(&Failure) -> bool + Send>;

/// A configured wait; `K` holds the probe and decides what it accepts.
#[must_use = "a wait does nothing until .run() or .run_async().await"]
pub struct Wait<K> {
    pub(crate) kind: K,
    pub(crate) options: Options,
    pub(crate) rules: StopRules,
}

/// Which failures propagate at once instead of being retried (`retry_on` / `fail_on`).
#[derive(Default)]
pub(crate) struct StopRules {
    retry_on: Option<FailurePredicate>,
    fail_on: Option<FailurePredicate>,
}

impl<K> Wait<K> {
    pub(crate) fn new(kind: K) -> Self {
        Wait { kind, options: Options::default(), rules: StopRules::default() }
    }

    /// Deadline, from the call (default 5 s; scaled by `LIVENESS_TIMEOUT_SCALE`).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.options.timeout = d;
        self
    }

    /// A fixed period between evaluation starts, instead of the adaptive one.
    pub fn interval(mut self, d: Duration) -> Self {
        self.options.interval = Some(d);
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
