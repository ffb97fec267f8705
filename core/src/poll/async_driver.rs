//! The tokio driver: executes the Poller's steps waiting with `tokio::time` (so
//! `tokio::time::pause` makes tests instant) and, for a wait with a wake source, a `Notify` for
//! wake hints. It decides nothing: which step is bounded by the deadline, when to yield, what a
//! hint means are the Poller's.
//!
//! Many waits run at once on one runtime (issue 19), each evaluating every few tens of
//! milliseconds: what the driver costs per step is multiplied by all of them. So a wait keeps one
//! timer for its whole life (re-armed, not re-made, at each Wait step), reads the clock once per
//! step that took time, arms no timeout for a probe that answers at its first poll, and only a
//! wait that something can wake registers with a `Notify` at each step.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::{Instant, Sleep};

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

    /// Whether [`AsyncProbe::evaluated`] may take time (see [`super::Probe::evaluated_takes_time`]).
    fn evaluated_takes_time(&self) -> bool {
        true
    }
}

/// Hints from any thread: the latest one's time on the wait's clock, and the `Notify` that ends
/// the Wait step in progress. Lock-free, so that a hint never blocks the emitting thread.
#[derive(Default)]
struct Hints {
    notify: Notify,
    /// Nanoseconds + 1 of the latest hint not yet taken; 0: none.
    latest: AtomicU64,
}

impl Hints {
    fn hint(&self, at: Duration) {
        let ns = u64::try_from(at.as_nanos()).unwrap_or(u64::MAX - 1);
        self.latest.store(ns + 1, Ordering::Release);
        self.notify.notify_one();
    }

    fn take(&self) -> Option<Duration> {
        match self.latest.swap(0, Ordering::Acquire) {
            0 => None,
            ns => Some(Duration::from_nanos(ns - 1)),
        }
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
    let hints = poller.has_wake_source().then(|| Arc::new(Hints::default()));
    let _subscription = match &hints {
        Some(hints) => {
            let hints = hints.clone();
            poller.subscribe_wakes(move || hints.hint(start.elapsed())).map_err(DriveError::Setup)?
        }
        None => None,
    };
    // The wait's one timer, made at its first Wait step (a wait that ends at its first
    // evaluation needs none) and re-armed at each later one. Inline in the wait's future, not
    // boxed: the timer wheel's entry then sits beside the task it wakes, one allocation and one
    // region of memory per wait instead of two (with thousands of waits, each wake is a cache miss).
    let mut timer = pin!(None::<Sleep>);
    // One clock read per step that took time: the end of an evaluation is also when the next
    // step is decided and the next evaluation starts, unless a hook ran in between.
    let hook_takes_time = probe.evaluated_takes_time();
    let mut now = start.elapsed();
    loop {
        match poller.next(now) {
            Step::Prepare { abandon_at } => {
                poller.started(now);
                match bounded(probe.prepare(), start, abandon_at).await {
                    Some(prepared) => prepared.map_err(DriveError::Host)?,
                    None => return Err(DriveError::Failed(Box::new(poller.abandon(start.elapsed())))),
                }
                now = start.elapsed();
                poller.prepared(now);
            }
            Step::Evaluate { abandon_at } => {
                poller.started(now);
                match bounded(probe.evaluate(), start, abandon_at).await {
                    Some(outcome) => {
                        now = start.elapsed();
                        let evaluated = poller.finished(now, outcome.map_err(DriveError::Host)?);
                        probe.evaluated(evaluated).map_err(DriveError::Host)?;
                        if hook_takes_time {
                            now = start.elapsed();
                        }
                    }
                    // Still pending when the step said: dropped there, never polled again.
                    None => return Err(DriveError::Failed(Box::new(poller.abandon(start.elapsed())))),
                }
            }
            Step::Yield => {
                tokio::task::yield_now().await;
                now = start.elapsed();
            }
            Step::Wait(d) => {
                let until = instant_after(start, now.saturating_add(d));
                match timer.as_mut().as_pin_mut() {
                    Some(armed) => armed.reset(until),
                    None => timer.set(Some(tokio::time::sleep_until(until))),
                }
                let mut armed = timer.as_mut().as_pin_mut().expect("the timer was just armed");
                match &hints {
                    None => armed.await,
                    Some(hints) => {
                        tokio::select! {
                            _ = armed.as_mut() => {}
                            _ = hints.notify.notified() => {}
                        }
                    }
                }
                now = start.elapsed();
            }
            Step::Done(Ok(())) => return Ok(()),
            Step::Done(Err(report)) => return Err(DriveError::Failed(report)),
        }
        if let Some(at) = hints.as_ref().and_then(|hints| hints.take()) {
            poller.wake(at);
        }
    }
}

/// `start + elapsed`, or a moment decades away when an Instant cannot hold it (a wait without a
/// deadline waits "forever", as `tokio::time::sleep` does for a huge duration).
fn instant_after(start: Instant, elapsed: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(86_400 * 365 * 30);
    start.checked_add(elapsed).unwrap_or_else(|| Instant::now() + FAR)
}

/// Awaits `step`, giving up at `abandon_at` (elapsed since `start`) when there is one. A step
/// ready at its first poll (every synchronous probe's) arms no timeout.
async fn bounded<T>(step: impl Future<Output = T>, start: Instant, abandon_at: Option<Duration>) -> Option<T> {
    let mut step = pin!(step);
    if let Poll::Ready(done) = std::future::poll_fn(|cx| Poll::Ready(step.as_mut().poll(cx))).await {
        return Some(done);
    }
    // A deadline past what an Instant can hold is no deadline.
    match abandon_at.and_then(|at| start.checked_add(at)) {
        None => Some(step.await),
        Some(deadline) => tokio::time::timeout_at(deadline, step).await.ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thousands of waits at once each read their Poller at every step (issue 19): its cold end
    /// state (the late check, the final report) is boxed so that the fields a step reads stay on
    /// few cache lines. Inline, that state made the Poller 1072 bytes.
    #[test]
    fn the_poller_keeps_its_cold_state_out_of_line() {
        let size = std::mem::size_of::<Poller>();
        assert!(size <= 640, "the Poller grew to {size} bytes: box what a step does not read");
    }
}
