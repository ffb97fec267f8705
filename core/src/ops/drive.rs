//! How a Rust operation meets the drivers: each operation is a [`Plan`] (its preparation, one
//! attempt, how an accepted value is described), and one adapter turns any plan into the probe
//! that the blocking or the tokio driver calls. Panics in a probe are failed evaluations, in the
//! async probes too.

use std::time::Duration;

use super::panics::catch;
use super::wait::{Hooks, StopRules};
use crate::error::Error;
use crate::policy::{Options, timeout_scale};
use crate::poll::{
    Driver, Evaluated, Failure, Operation, Outcome, Poller, Probe, Spelling, WakeSignal, drive_blocking,
};

/// One Rust operation with a synchronous probe.
pub(crate) trait Plan {
    /// The accepted value.
    type Value;

    fn operation(&self) -> Operation;

    /// The preparation (`sync_operation`'s action, `eventually_changes`' baseline); its error
    /// propagates, a panic in it too.
    fn prepare(&mut self) -> Result<(), Error> {
        Ok(())
    }

    /// One call of the probe, judged by the operation's acceptance.
    fn attempt(&mut self) -> Result<Self::Value, Failure>;

    /// The accepted value's text, for `never`'s report.
    fn describe(&self, _value: &Self::Value) -> Option<String> {
        None
    }
}

/// A plan as the drivers call it; keeps the accepted value.
pub(crate) struct Adapter<'r, P: Plan> {
    plan: P,
    rules: &'r StopRules,
    hooks: &'r mut Hooks,
    /// The last evaluation's failure, kept only for an `on_evaluation` hook.
    last_failure: Option<Failure>,
    pub(crate) accepted: Option<P::Value>,
}

impl<'r, P: Plan> Adapter<'r, P> {
    pub(crate) fn new(plan: P, rules: &'r StopRules, hooks: &'r mut Hooks) -> Self {
        Adapter { plan, rules, hooks, last_failure: None, accepted: None }
    }
}

/// Keeps an outcome's failure for `on_evaluation` (a clone only when a hook is installed).
pub(crate) fn observe(hooks: &Hooks, outcome: &Result<Outcome, Error>, slot: &mut Option<Failure>) {
    if hooks.observes() {
        *slot = match outcome {
            Ok(Outcome::Rejected(failure)) => Some(failure.clone()),
            _ => None,
        };
    }
}

/// Judges one attempt the way every Rust operation does: accepted, retried, or stopped.
pub(crate) fn judge<T>(
    rules: &StopRules,
    attempt: Result<T, Failure>,
    describe: impl FnOnce(&T) -> Option<String>,
    accepted: &mut Option<T>,
) -> Result<Outcome, Error> {
    match attempt {
        Ok(value) => {
            let text = describe(&value);
            *accepted = Some(value);
            Ok(Outcome::Accepted { text })
        }
        Err(failure) if rules.stops(&failure) => Err(Error::Probe { failure }),
        Err(failure) => Ok(Outcome::Rejected(failure)),
    }
}

impl<P: Plan> Probe for Adapter<'_, P> {
    type Stop = Error;

    fn prepare(&mut self) -> Result<(), Error> {
        self.plan.prepare()
    }

    fn evaluate(&mut self) -> Result<Outcome, Error> {
        let attempt = catch(|| self.plan.attempt());
        let plan = &self.plan;
        let outcome = judge(self.rules, attempt, |v| plan.describe(v), &mut self.accepted);
        observe(self.hooks, &outcome, &mut self.last_failure);
        outcome
    }

    fn evaluated(&mut self, evaluated: Evaluated) -> Result<(), Error> {
        self.hooks.evaluated(evaluated, self.last_failure.as_ref());
        Ok(())
    }

    fn evaluated_takes_time(&self) -> bool {
        self.hooks.observes()
    }
}

#[cfg(feature = "tokio")]
impl<P: Plan> crate::poll::AsyncProbe for Adapter<'_, P> {
    type Stop = Error;

    async fn prepare(&mut self) -> Result<(), Error> {
        self.plan.prepare()
    }

    async fn evaluate(&mut self) -> Result<Outcome, Error> {
        Probe::evaluate(self)
    }

    fn evaluated(&mut self, evaluated: Evaluated) -> Result<(), Error> {
        Probe::evaluated(self, evaluated)
    }

    fn evaluated_takes_time(&self) -> bool {
        Probe::evaluated_takes_time(self)
    }
}

/// Makes the poller, after the binding's part of the options (the environment's scale).
/// The options are copied only when the environment scales them: a thousand concurrent waits
/// each make a Poller.
pub(crate) fn poller(operation: Operation, options: &Options, driver: Driver) -> Result<Poller, Error> {
    let scale = timeout_scale()?;
    if scale == 1.0 {
        return Poller::new(operation, options, Spelling::Snake, driver);
    }
    let options = Options { timeout_scale: options.timeout_scale * scale, ..options.clone() };
    Poller::new(operation, &options, Spelling::Snake, driver)
}

/// `.run()`: on this thread, parking it between evaluations.
pub(crate) fn run_blocking<P: Plan>(
    plan: P,
    options: &Options,
    rules: &StopRules,
    hooks: &mut Hooks,
) -> Result<Option<P::Value>, Error> {
    #[cfg(feature = "tokio")]
    super::runtime::refuse_to_block(plan.operation())?;
    let mut poller = poller(plan.operation(), options, Driver::Blocking)?;
    let mut adapter = Adapter::new(plan, rules, hooks);
    let park = |d: Duration, signal: &WakeSignal| {
        signal.park(d);
        Ok(())
    };
    let driven = drive_blocking(&mut poller, &mut adapter, park);
    let accepted = adapter.accepted;
    driven.map_err(|e| hooks.failed(Error::from(e)))?;
    Ok(accepted)
}

/// `.run_async().await` of a synchronous probe: waits with `tokio::time`.
#[cfg(feature = "tokio")]
pub(crate) async fn run_async<P: Plan>(
    plan: P,
    options: &Options,
    rules: &StopRules,
    hooks: &mut Hooks,
) -> Result<Option<P::Value>, Error> {
    let mut poller = poller(plan.operation(), options, Driver::EventLoop)?;
    let mut adapter = Adapter::new(plan, rules, hooks);
    let driven = crate::poll::drive_async(&mut poller, &mut adapter).await;
    let accepted = adapter.accepted;
    driven.map_err(|e| hooks.failed(Error::from(e)))?;
    Ok(accepted)
}
