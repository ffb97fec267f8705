//! The operations with asynchronous probes (feature `tokio`): `eventually_async` and its five
//! siblings take closures returning futures. They finish like the others: `.run_async().await`
//! waits with `tokio::time`; `.run()` blocks, running the wait on a runtime of its own (and fails
//! at once on a runtime's thread). A probe still pending at the deadline is dropped there and
//! reported as still running; a panic while polling it is a failed evaluation, as in sync probes.

use std::fmt::Debug;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::acceptance::{ActionOutcome, Passes, Truthy, repr};
use super::drive::{judge, observe, poller};
use super::operations::{accepted, changed, settled};
use super::panics::quietly;
use super::wait::{Hooks, StopRules, Wait};
use crate::error::Error;
use crate::poll::{AsyncProbe, Driver, Evaluated, Failure, Operation, Outcome};

pub struct EventuallyAsync<F>(F);
pub struct EventuallyPassesAsync<F>(F);
pub struct AlwaysAsync<F>(F, Duration);
pub struct NeverAsync<F>(F, Duration);
pub struct EventuallyChangesAsync<F, T> {
    probe: F,
    baseline: Option<T>,
}
pub struct EventuallySettlesAsync<F, T> {
    probe: F,
    quiet: Duration,
    previous: Option<T>,
}
pub struct SyncOperationAsync<A, F> {
    action: Option<A>,
    until: F,
}

/// Awaits `probe()` until its output is accepted (`true`, `Some`, `Ok`).
pub fn eventually_async<F, Fut>(probe: F) -> Wait<EventuallyAsync<F>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output: Truthy>,
{
    Wait::new(EventuallyAsync(probe))
}

/// Awaits a block of assertions until it neither panics nor returns `false`/`Err`.
pub fn eventually_passes_async<F, Fut>(block: F) -> Wait<EventuallyPassesAsync<F>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output: Passes>,
{
    Wait::new(EventuallyPassesAsync(block))
}

/// Checks that `probe()`'s output is accepted at every evaluation for `during`.
pub fn always_async<F, Fut>(probe: F, during: Duration) -> Wait<AlwaysAsync<F>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output: Truthy>,
{
    Wait::new(AlwaysAsync(probe, during))
}

/// Checks that `probe()`'s output is never accepted during `during`.
pub fn never_async<F, Fut>(probe: F, during: Duration) -> Wait<NeverAsync<F>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output: Truthy<Value: Debug>>,
{
    Wait::new(NeverAsync(probe, during))
}

/// Awaits a baseline from `probe()`, then until its output differs; returns the new value.
pub fn eventually_changes_async<F, Fut, T>(probe: F) -> Wait<EventuallyChangesAsync<F, T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
    T: PartialEq + Debug,
{
    Wait::new(EventuallyChangesAsync { probe, baseline: None })
}

/// Awaits `probe()` until its output stayed the same for `quiet`; returns that value.
pub fn eventually_settles_async<F, Fut, T>(probe: F, quiet: Duration) -> Wait<EventuallySettlesAsync<F, T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
    T: PartialEq + Debug,
{
    Wait::new(EventuallySettlesAsync { probe, quiet, previous: None })
}

/// Awaits `action()` once (bounded by the deadline; its error propagates), then
/// `eventually_async(until)`.
pub fn sync_operation_async<A, AF, F, Fut>(action: A, until: F) -> Wait<SyncOperationAsync<A, F>>
where
    A: FnOnce() -> AF,
    AF: Future<Output: ActionOutcome>,
    F: FnMut() -> Fut,
    Fut: Future<Output: Truthy>,
{
    Wait::new(SyncOperationAsync { action: Some(action), until })
}

/// One Rust operation with an asynchronous probe.
pub(crate) trait AsyncPlan {
    type Value;
    fn operation(&self) -> Operation;
    fn prepare(&mut self) -> impl Future<Output = Result<(), Error>> {
        async { Ok(()) }
    }
    /// One call of the probe, awaited and judged by the operation's acceptance.
    fn attempt(&mut self) -> impl Future<Output = Result<Self::Value, Failure>>;
    fn describe(&self, _value: &Self::Value) -> Option<String> {
        None
    }
}

struct AsyncAdapter<'r, P: AsyncPlan> {
    plan: P,
    rules: &'r StopRules,
    hooks: &'r mut Hooks,
    last_failure: Option<Failure>,
    accepted: Option<P::Value>,
}

impl<P: AsyncPlan> AsyncProbe for AsyncAdapter<'_, P> {
    type Stop = Error;

    async fn prepare(&mut self) -> Result<(), Error> {
        self.plan.prepare().await
    }

    async fn evaluate(&mut self) -> Result<Outcome, Error> {
        let attempt = CatchPanic(Box::pin(self.plan.attempt())).await;
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

/// A panic while polling the probe's future is its evaluation failing (a failed `assert_eq!`
/// is "not yet"), caught at each poll like a sync probe's panic.
struct CatchPanic<'a, T>(Pin<Box<dyn Future<Output = Result<T, Failure>> + 'a>>);

impl<T> Future for CatchPanic<'_, T> {
    type Output = Result<T, Failure>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = &mut self.0;
        match quietly(|| catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx)))) {
            Ok(poll) => poll,
            Err(failure) => Poll::Ready(Err(failure)),
        }
    }
}

async fn run_async<P: AsyncPlan>(
    plan: P,
    options: &crate::Options,
    rules: &StopRules,
    hooks: &mut Hooks,
) -> Result<Option<P::Value>, Error> {
    let mut poller = poller(plan.operation(), options, Driver::EventLoop)?;
    let mut adapter = AsyncAdapter { plan, rules, hooks, last_failure: None, accepted: None };
    let driven = crate::poll::drive_async(&mut poller, &mut adapter).await;
    let accepted = adapter.accepted;
    driven.map_err(|e| hooks.failed(Error::from(e)))?;
    Ok(accepted)
}

impl<F: FnMut() -> Fut, Fut: Future<Output: Truthy>> AsyncPlan for EventuallyAsync<F> {
    type Value = <Fut::Output as Truthy>::Value;
    fn operation(&self) -> Operation {
        Operation::Eventually
    }
    async fn attempt(&mut self) -> Result<Self::Value, Failure> {
        (self.0)().await.truthy()
    }
}

impl<F: FnMut() -> Fut, Fut: Future<Output: Passes>> AsyncPlan for EventuallyPassesAsync<F> {
    type Value = <Fut::Output as Passes>::Value;
    fn operation(&self) -> Operation {
        Operation::EventuallyPasses
    }
    async fn attempt(&mut self) -> Result<Self::Value, Failure> {
        (self.0)().await.passes()
    }
}

impl<F: FnMut() -> Fut, Fut: Future<Output: Truthy>> AsyncPlan for AlwaysAsync<F> {
    type Value = ();
    fn operation(&self) -> Operation {
        Operation::Always { during: self.1 }
    }
    async fn attempt(&mut self) -> Result<(), Failure> {
        (self.0)().await.truthy().map(drop)
    }
}

impl<F: FnMut() -> Fut, Fut: Future<Output: Truthy<Value: Debug>>> AsyncPlan for NeverAsync<F> {
    type Value = <Fut::Output as Truthy>::Value;
    fn operation(&self) -> Operation {
        Operation::Never { during: self.1 }
    }
    async fn attempt(&mut self) -> Result<Self::Value, Failure> {
        (self.0)().await.truthy()
    }
    fn describe(&self, value: &Self::Value) -> Option<String> {
        Some(repr(value))
    }
}

impl<F: FnMut() -> Fut, Fut: Future<Output = T>, T: PartialEq + Debug> AsyncPlan for EventuallyChangesAsync<F, T> {
    type Value = T;
    fn operation(&self) -> Operation {
        Operation::EventuallyChanges
    }
    async fn prepare(&mut self) -> Result<(), Error> {
        self.baseline = Some((self.probe)().await);
        Ok(())
    }
    async fn attempt(&mut self) -> Result<T, Failure> {
        let value = (self.probe)().await;
        changed(value, self.baseline.as_ref())
    }
}

impl<F: FnMut() -> Fut, Fut: Future<Output = T>, T: PartialEq + Debug> AsyncPlan for EventuallySettlesAsync<F, T> {
    type Value = T;
    fn operation(&self) -> Operation {
        Operation::EventuallySettles { quiet: self.quiet }
    }
    async fn attempt(&mut self) -> Result<T, Failure> {
        let previous = self.previous.take();
        let value = (self.probe)().await;
        settled(value, previous, &mut self.previous)
    }
    fn describe(&self, value: &T) -> Option<String> {
        Some(repr(value))
    }
}

impl<A, AF, F, Fut> AsyncPlan for SyncOperationAsync<A, F>
where
    A: FnOnce() -> AF,
    AF: Future<Output: ActionOutcome>,
    F: FnMut() -> Fut,
    Fut: Future<Output: Truthy>,
{
    type Value = <Fut::Output as Truthy>::Value;
    fn operation(&self) -> Operation {
        Operation::SyncOperation
    }
    async fn prepare(&mut self) -> Result<(), Error> {
        let action = self.action.take().expect("the preparation runs once");
        action().await.action_outcome().map_err(|failure| Error::Probe { failure })
    }
    async fn attempt(&mut self) -> Result<Self::Value, Failure> {
        (self.until)().await.truthy()
    }
}

/// `.run()` and `.run_async()` for one async kind.
macro_rules! async_finishers {
    ($kind:ty, $value:ty, [$($bounds:tt)*], $out:expr) => {
        impl<$($bounds)*> Wait<$kind> {
            /// Waits with `tokio::time`, letting the runtime's other tasks run.
            pub async fn run_async(self) -> Result<$value, Error> {
                let Wait { kind, options, rules, mut hooks } = self;
                run_async(kind, &options, &rules, &mut hooks).await.map($out)
            }

            /// `.run()` for a test: returns the value, or panics with the report.
            #[track_caller]
            pub fn assert(self) -> $value {
                match self.run() {
                    Ok(value) => value,
                    Err(e) => crate::error::fail(e),
                }
            }

            /// Blocks this thread, running the wait on a tokio runtime of its own; on a runtime's
            /// thread it fails at once: use `.run_async().await` there.
            pub fn run(self) -> Result<$value, Error> {
                let Wait { kind, options, rules, mut hooks } = self;
                let operation = kind.operation();
                super::runtime::block_on(operation, async move { run_async(kind, &options, &rules, &mut hooks).await })
                    .map($out)
            }
        }
    };
}

async_finishers!(EventuallyAsync<F>, <Fut::Output as Truthy>::Value, [F: FnMut() -> Fut, Fut: Future<Output: Truthy>], accepted);
async_finishers!(
    EventuallyPassesAsync<F>,
    <Fut::Output as Passes>::Value,
    [F: FnMut() -> Fut, Fut: Future<Output: Passes>],
    accepted
);
async_finishers!(AlwaysAsync<F>, (), [F: FnMut() -> Fut, Fut: Future<Output: Truthy>], drop);
async_finishers!(NeverAsync<F>, (), [F: FnMut() -> Fut, Fut: Future<Output: Truthy<Value: Debug>>], drop);
async_finishers!(
    EventuallyChangesAsync<F, T>,
    T,
    [F: FnMut() -> Fut, Fut: Future<Output = T>, T: PartialEq + Debug],
    accepted
);
async_finishers!(
    EventuallySettlesAsync<F, T>,
    T,
    [F: FnMut() -> Fut, Fut: Future<Output = T>, T: PartialEq + Debug],
    accepted
);
async_finishers!(
    SyncOperationAsync<A, F>,
    <Fut::Output as Truthy>::Value,
    [A: FnOnce() -> AF, AF: Future<Output: ActionOutcome>, F: FnMut() -> Fut, Fut: Future<Output: Truthy>],
    accepted
);
