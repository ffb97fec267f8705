//! The six operations of SPEC §1 and §4 as Rust functions returning a [`Wait`] builder.

use std::fmt::Debug;
use std::time::Duration;

use super::panics::catch;
use super::verdict::{ActionOutcome, Passes, Verdict, repr};
use super::wait::{Wait, run_blocking};
use crate::error::Error;
use crate::poll::{Failure, Operation};

pub struct Eventually<P>(P);
pub struct EventuallyPasses<P>(P);
pub struct Always<P>(P, Duration);
pub struct Never<P>(P, Duration);
pub struct EventuallyChanges<P>(P);
pub struct SyncOperation<A, P>(Option<A>, P);

/// Polls `probe` until it returns `true`, `Some(v)` or `Ok(v)`; returns the accepted value.
///
/// ```
/// # use std::time::Duration;
/// let v = liveness::eventually(|| Some(3)).timeout(Duration::from_secs(2)).run().unwrap();
/// assert_eq!(v, 3);
/// ```
pub fn eventually<P, R>(probe: P) -> Wait<Eventually<P>>
where
    P: FnMut() -> R,
    R: Verdict,
{
    Wait::new(Eventually(probe))
}

/// Polls a block of assertions until it neither panics nor returns `false`/`Err`.
pub fn eventually_passes<P, R>(block: P) -> Wait<EventuallyPasses<P>>
where
    P: FnMut() -> R,
    R: Passes,
{
    Wait::new(EventuallyPasses(block))
}

/// Checks that `probe` is accepted at every evaluation for `during`.
pub fn always<P, R>(probe: P, during: Duration) -> Wait<Always<P>>
where
    P: FnMut() -> R,
    R: Verdict,
{
    Wait::new(Always(probe, during))
}

/// Checks that `probe` is never accepted during `during`.
pub fn never<P, R>(probe: P, during: Duration) -> Wait<Never<P>>
where
    P: FnMut() -> R,
    R: Verdict,
    R::Value: Debug,
{
    Wait::new(Never(probe, during))
}

/// Takes a baseline from `probe`, then polls until its value differs; returns the new value.
pub fn eventually_changes<P, T>(probe: P) -> Wait<EventuallyChanges<P>>
where
    P: FnMut() -> T,
    T: PartialEq + Debug,
{
    Wait::new(EventuallyChanges(probe))
}

/// Fires `action` once (its error propagates, nothing is polled), then `eventually(until)`.
pub fn sync_operation<A, AR, P, R>(action: A, until: P) -> Wait<SyncOperation<A, P>>
where
    A: FnOnce() -> AR,
    AR: ActionOutcome,
    P: FnMut() -> R,
    R: Verdict,
{
    Wait::new(SyncOperation(Some(action), until))
}

impl<P: FnMut() -> R, R: Verdict> Wait<Eventually<P>> {
    /// Waits on this thread; returns the accepted value or a timeout error.
    pub fn run(self) -> Result<R::Value, Error> {
        let Wait { kind: Eventually(mut probe), options, rules } = self;
        let options = options.with_env_scale()?;
        let found =
            run_blocking(Operation::Eventually, &options, || rules.classify(catch(|| probe().verdict()), |_| None))?;
        Ok(found.expect("an accepted evaluation carries its value"))
    }
}

impl<P: FnMut() -> R, R: Passes> Wait<EventuallyPasses<P>> {
    pub fn run(self) -> Result<R::Value, Error> {
        let Wait { kind: EventuallyPasses(mut block), options, rules } = self;
        let options = options.with_env_scale()?;
        let found = run_blocking(Operation::EventuallyPasses, &options, || {
            rules.classify(catch(|| block().passes()), |_| None)
        })?;
        Ok(found.expect("an accepted evaluation carries its value"))
    }
}

impl<P: FnMut() -> R, R: Verdict> Wait<Always<P>> {
    pub fn run(self) -> Result<(), Error> {
        let Wait { kind: Always(mut probe, during), options, rules } = self;
        let options = options.with_env_scale()?;
        let op = Operation::Always { during };
        run_blocking(op, &options, || rules.classify(catch(|| probe().verdict().map(drop)), |_| None)).map(drop)
    }
}

impl<P: FnMut() -> R, R: Verdict> Wait<Never<P>>
where
    R::Value: Debug,
{
    pub fn run(self) -> Result<(), Error> {
        let Wait { kind: Never(mut probe, during), options, rules } = self;
        let options = options.with_env_scale()?;
        let op = Operation::Never { during };
        run_blocking(op, &options, || rules.classify(catch(|| probe().verdict()), |v| Some(repr(v)))).map(drop)
    }
}

impl<P: FnMut() -> T, T: PartialEq + Debug> Wait<EventuallyChanges<P>> {
    /// The baseline is taken by calling the probe once, on this thread; if it panics, the panic
    /// propagates.
    pub fn run(self) -> Result<T, Error> {
        let Wait { kind: EventuallyChanges(mut probe), options, rules } = self;
        let options = options.with_env_scale()?;
        // Bad options are reported before any evaluation, the baseline included.
        crate::poll::Poller::new(Operation::EventuallyChanges, &options, crate::poll::Spelling::Snake)?;
        let baseline = probe();
        let changed = |value: T| {
            if value != baseline { Ok(value) } else { Err(Failure::unchanged(repr(&value))) }
        };
        let found = run_blocking(Operation::EventuallyChanges, &options, || {
            rules.classify(catch(|| changed(probe())), |_| None)
        })?;
        Ok(found.expect("an accepted evaluation carries its value"))
    }
}

impl<A, AR, P, R> Wait<SyncOperation<A, P>>
where
    A: FnOnce() -> AR,
    AR: ActionOutcome,
    P: FnMut() -> R,
    R: Verdict,
{
    /// Validates the options, fires the action once, then polls `until`.
    pub fn run(self) -> Result<R::Value, Error> {
        let Wait { kind: SyncOperation(action, mut until), options, rules } = self;
        let options = options.with_env_scale()?;
        // Bad options must be reported before the action fires, not after.
        crate::poll::Poller::new(Operation::SyncOperation, &options, crate::poll::Spelling::Snake)?;
        let action = action.expect("a sync operation runs once");
        action().action_outcome().map_err(|failure| Error::Probe { failure })?;
        let found =
            run_blocking(Operation::SyncOperation, &options, || rules.classify(catch(|| until().verdict()), |_| None))?;
        Ok(found.expect("an accepted evaluation carries its value"))
    }
}

impl<P> Eventually<P> {
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn into_probe(self) -> P {
        self.0
    }
}
