//! The six operations of SPEC §1 and §4 as Rust functions returning a [`Wait`] builder, with
//! synchronous probes. Each finishes with `.run()` (blocks this thread) or, with the `tokio`
//! feature, `.run_async().await` (waits with `tokio::time`, never blocking the runtime).

use std::fmt::Debug;
use std::time::Duration;

use super::acceptance::{ActionOutcome, Passes, Truthy, repr};
use super::drive::{Plan, run_blocking};
use super::wait::Wait;
use crate::error::Error;
use crate::poll::{Failure, Operation};

pub struct Eventually<P>(P);
pub struct EventuallyPasses<P>(P);
pub struct Always<P>(P, Duration);
pub struct Never<P>(P, Duration);
pub struct EventuallyChanges<P, T> {
    probe: P,
    baseline: Option<T>,
}
pub struct EventuallySettles<P, T> {
    probe: P,
    quiet: Duration,
    previous: Option<T>,
}
pub struct SyncOperation<A, P> {
    action: Option<A>,
    until: P,
}

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
    R: Truthy,
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
    R: Truthy,
{
    Wait::new(Always(probe, during))
}

/// Checks that `probe` is never accepted during `during`.
pub fn never<P, R>(probe: P, during: Duration) -> Wait<Never<P>>
where
    P: FnMut() -> R,
    R: Truthy,
    R::Value: Debug,
{
    Wait::new(Never(probe, during))
}

/// Takes a baseline from `probe` (the preparation: its panic propagates), then polls until its
/// value differs; returns the new value.
pub fn eventually_changes<P, T>(probe: P) -> Wait<EventuallyChanges<P, T>>
where
    P: FnMut() -> T,
    T: PartialEq + Debug,
{
    Wait::new(EventuallyChanges { probe, baseline: None })
}

/// Polls `probe` until its value stayed the same (`==`) for `quiet`, from the evaluation that
/// first saw it; returns that value. A panic is a failed evaluation, and the value after it is
/// new. For "wait until the queue stops growing", "until the file stops changing".
///
/// ```
/// # use std::time::Duration;
/// let mut reads = vec![1, 2, 3, 3, 3].into_iter();
/// let settled = liveness::eventually_settles(move || reads.next().unwrap_or(3), Duration::from_millis(2))
///     .interval(Duration::from_millis(1))
///     .run()
///     .unwrap();
/// assert_eq!(settled, 3);
/// ```
pub fn eventually_settles<P, T>(probe: P, quiet: Duration) -> Wait<EventuallySettles<P, T>>
where
    P: FnMut() -> T,
    T: PartialEq + Debug,
{
    Wait::new(EventuallySettles { probe, quiet, previous: None })
}

/// Fires `action` once (the preparation: its error propagates, nothing is polled), then
/// `eventually(until)`. The timeout counts from the call, the action included.
pub fn sync_operation<A, AR, P, R>(action: A, until: P) -> Wait<SyncOperation<A, P>>
where
    A: FnOnce() -> AR,
    AR: ActionOutcome,
    P: FnMut() -> R,
    R: Truthy,
{
    Wait::new(SyncOperation { action: Some(action), until })
}

impl<P: FnMut() -> R, R: Truthy> Plan for Eventually<P> {
    type Value = R::Value;
    fn operation(&self) -> Operation {
        Operation::Eventually
    }
    fn attempt(&mut self) -> Result<R::Value, Failure> {
        (self.0)().truthy()
    }
}

impl<P: FnMut() -> R, R: Passes> Plan for EventuallyPasses<P> {
    type Value = R::Value;
    fn operation(&self) -> Operation {
        Operation::EventuallyPasses
    }
    fn attempt(&mut self) -> Result<R::Value, Failure> {
        (self.0)().passes()
    }
}

impl<P: FnMut() -> R, R: Truthy> Plan for Always<P> {
    type Value = ();
    fn operation(&self) -> Operation {
        Operation::Always { during: self.1 }
    }
    fn attempt(&mut self) -> Result<(), Failure> {
        (self.0)().truthy().map(drop)
    }
}

impl<P: FnMut() -> R, R: Truthy<Value: Debug>> Plan for Never<P> {
    type Value = R::Value;
    fn operation(&self) -> Operation {
        Operation::Never { during: self.1 }
    }
    fn attempt(&mut self) -> Result<R::Value, Failure> {
        (self.0)().truthy()
    }
    fn describe(&self, value: &R::Value) -> Option<String> {
        Some(repr(value))
    }
}

impl<P: FnMut() -> T, T: PartialEq + Debug> Plan for EventuallyChanges<P, T> {
    type Value = T;
    fn operation(&self) -> Operation {
        Operation::EventuallyChanges
    }
    fn prepare(&mut self) -> Result<(), Error> {
        self.baseline = Some((self.probe)());
        Ok(())
    }
    fn attempt(&mut self) -> Result<T, Failure> {
        changed((self.probe)(), self.baseline.as_ref())
    }
}

impl<P: FnMut() -> T, T: PartialEq + Debug> Plan for EventuallySettles<P, T> {
    type Value = T;
    fn operation(&self) -> Operation {
        Operation::EventuallySettles { quiet: self.quiet }
    }
    fn attempt(&mut self) -> Result<T, Failure> {
        // Taken before the call: a probe that panics leaves no previous value.
        let previous = self.previous.take();
        let value = (self.probe)();
        settled(value, previous, &mut self.previous)
    }
    fn describe(&self, value: &T) -> Option<String> {
        Some(repr(value))
    }
}

/// `eventually_settles`' acceptance: the value equal to the previous one is accepted (and
/// returned; an equal copy stays as the previous), a new one is kept and rejected.
pub(crate) fn settled<T: PartialEq + Debug>(value: T, previous: Option<T>, keep: &mut Option<T>) -> Result<T, Failure> {
    if previous.as_ref() == Some(&value) {
        *keep = previous;
        return Ok(value);
    }
    let failure = Failure::returned(repr(&value), false);
    *keep = Some(value);
    Err(failure)
}

/// `eventually_changes`' acceptance; the Poller words the rejection ("5 (unchanged)").
pub(crate) fn changed<T: PartialEq + Debug>(value: T, baseline: Option<&T>) -> Result<T, Failure> {
    if baseline != Some(&value) { Ok(value) } else { Err(Failure::returned(repr(&value), false)) }
}

impl<A: FnOnce() -> AR, AR: ActionOutcome, P: FnMut() -> R, R: Truthy> Plan for SyncOperation<A, P> {
    type Value = R::Value;
    fn operation(&self) -> Operation {
        Operation::SyncOperation
    }
    fn prepare(&mut self) -> Result<(), Error> {
        let action = self.action.take().expect("the preparation runs once");
        action().action_outcome().map_err(|failure| Error::Probe { failure })
    }
    fn attempt(&mut self) -> Result<R::Value, Failure> {
        (self.until)().truthy()
    }
}

/// `.run()` and `.run_async()` for one kind; `$out` maps the accepted value to what it returns.
macro_rules! finishers {
    ($kind:ty, $value:ty, [$($bounds:tt)*], $out:expr) => {
        impl<$($bounds)*> Wait<$kind> {
            /// Waits on this thread, parking it between evaluations; returns the accepted value
            /// (nothing for `always`/`never`) or the timeout / violation error. On a tokio
            /// runtime's thread it fails at once: use `.run_async().await` there.
            pub fn run(self) -> Result<$value, Error> {
                let Wait { kind, options, rules, mut hooks } = self;
                run_blocking(kind, &options, &rules, &mut hooks).map($out)
            }

            /// `.run()` for a test: returns the value, or panics with the report (pointing at
            /// the caller), so a test needs no `.unwrap()`.
            #[track_caller]
            pub fn assert(self) -> $value {
                match self.run() {
                    Ok(value) => value,
                    Err(e) => crate::error::fail(e),
                }
            }

            /// Like `.run()`, but waits with `tokio::time` (so `tokio::time::pause` makes a test
            /// instant) and lets the runtime's other tasks run between evaluations.
            #[cfg(feature = "tokio")]
            pub async fn run_async(self) -> Result<$value, Error> {
                let Wait { kind, options, rules, mut hooks } = self;
                super::drive::run_async(kind, &options, &rules, &mut hooks).await.map($out)
            }
        }
    };
}

/// What an accepted evaluation returns: its value.
pub(crate) fn accepted<T>(found: Option<T>) -> T {
    found.expect("an accepted evaluation carries its value")
}

finishers!(Eventually<P>, R::Value, [P: FnMut() -> R, R: Truthy], accepted);
finishers!(EventuallyPasses<P>, R::Value, [P: FnMut() -> R, R: Passes], accepted);
finishers!(Always<P>, (), [P: FnMut() -> R, R: Truthy], drop);
finishers!(Never<P>, (), [P: FnMut() -> R, R: Truthy<Value: Debug>], drop);
finishers!(EventuallyChanges<P, T>, T, [P: FnMut() -> T, T: PartialEq + Debug], accepted);
finishers!(EventuallySettles<P, T>, T, [P: FnMut() -> T, T: PartialEq + Debug], accepted);
finishers!(
    SyncOperation<A, P>,
    R::Value,
    [A: FnOnce() -> AR, AR: ActionOutcome, P: FnMut() -> R, R: Truthy],
    accepted
);
