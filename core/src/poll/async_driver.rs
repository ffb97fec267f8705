//! The tokio driver: executes the Poller's steps waiting with `tokio::time` (so
//! `tokio::time::pause` makes tests instant) and a `Notify` for wake hints. It decides nothing:
//! which step is bounded by the deadline, when to yield, what a hint means are the Poller's.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use super::blocking::DriveError;
use super::budget::Budget;
use super::outcome::Outcome;
use super::poller::{Evaluated, Poller, Step};

/// The probe as the tokio driver calls it (see [`super::Probe`]).
pub trait AsyncProbe {
    type Stop;

    /// `sync_operation`'s action or `eventually_changes`' baseline (only called for them).
    fn prepare(&mut self) -> impl Future<Output = Result<(), Self::Stop>> {
        async { Ok(()) }
    }

    fn evaluate(&mut self) -> impl Future<Output = Result<Outcome, Self::Stop>>;

    /// After each evaluation that returned (see [`super::Probe::evaluated`]).
    fn evaluated(&mut self, _evaluated: Evaluated) -> Result<(), Self::Stop> {
        Ok(())
    }
}

/// Hints from any thread, with their time on the wait's clock.
struct Hints {
    notify: Notify,
    latest: Mutex<Option<Duration>>,
}

impl Hints {
    fn take(&self) -> Option<Duration> {
        self.latest.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

thread_local! {
    /// The budget of the current-thread runtime running on this thread.
    static RUNTIME_BUDGET: Arc<Budget> = Budget::new();
}

/// The polling budget of the waits on this runtime's clock. Only a current-thread runtime can
/// pause its clock (`tokio::time::pause`), and it runs its tasks on the one thread that drives
/// it: its waits share the thread's budget, so that paused time, whose "costs" are virtual, is
/// not counted against real waits elsewhere in the process. A multi-thread runtime's clock is
/// the monotonic one: its waits count in the process's budget.
fn runtime_budget() -> Arc<Budget> {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|handle| handle.runtime_flavor()) {
        Ok(RuntimeFlavor::CurrentThread) => RUNTIME_BUDGET.with(Arc::clone),
        _ => Budget::process(),
    }
}

/// Runs `poller` (made for [`super::Driver::EventLoop`]) to completion.
pub async fn drive_async<P: AsyncProbe>(poller: &mut Poller, probe: &mut P) -> Result<(), DriveError<P::Stop>> {
    poller.set_budget(runtime_budget());
    let driven = drive(poller, probe).await;
    // An error of the probe propagates before `Done`: the wait leaves the budget all the same.
    poller.leave_budget();
    driven
}

async fn drive<P: AsyncProbe>(poller: &mut Poller, probe: &mut P) -> Result<(), DriveError<P::Stop>> {
    let start = Instant::now();
    let hints = Arc::new(Hints { notify: Notify::new(), latest: Mutex::new(None) });
    let wake = {
        let hints = hints.clone();
        move || {
            *hints.latest.lock().unwrap_or_else(PoisonError::into_inner) = Some(start.elapsed());
            hints.notify.notify_one();
        }
    };
    let _subscription = poller.subscribe_wakes(wake).map_err(DriveError::Setup)?;
    loop {
        match poller.next(start.elapsed()) {
            Step::Prepare { abandon_at } => {
                poller.started(start.elapsed());
                match bounded(probe.prepare(), start, abandon_at).await {
                    Some(prepared) => prepared.map_err(DriveError::Host)?,
                    None => return Err(DriveError::Failed(Box::new(poller.abandon(start.elapsed())))),
                }
                poller.prepared(start.elapsed());
            }
            Step::Evaluate { abandon_at } => {
                poller.started(start.elapsed());
                match bounded(probe.evaluate(), start, abandon_at).await {
                    Some(outcome) => {
                        let evaluated = poller.finished(start.elapsed(), outcome.map_err(DriveError::Host)?);
                        probe.evaluated(evaluated).map_err(DriveError::Host)?;
                    }
                    // Still pending when the step said: dropped there, never polled again.
                    None => return Err(DriveError::Failed(Box::new(poller.abandon(start.elapsed())))),
                }
            }
            Step::Yield => tokio::task::yield_now().await,
            Step::Wait(d) => {
                tokio::select! {
                    _ = tokio::time::sleep(d) => {}
                    _ = hints.notify.notified() => {}
                }
            }
            Step::Done(Ok(())) => return Ok(()),
            Step::Done(Err(report)) => return Err(DriveError::Failed(report)),
        }
        if let Some(at) = hints.take() {
            poller.wake(at);
        }
    }
}

/// Awaits `step`, giving up at `abandon_at` (elapsed since `start`) when there is one.
async fn bounded<T>(step: impl Future<Output = T>, start: Instant, abandon_at: Option<Duration>) -> Option<T> {
    // A deadline past what an Instant can hold is no deadline.
    match abandon_at.and_then(|at| start.checked_add(at)) {
        None => Some(step.await),
        Some(deadline) => tokio::time::timeout_at(deadline, step).await.ok(),
    }
}
