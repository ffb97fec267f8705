//! The blocking driver: evaluates on the calling thread and parks it between evaluations, waking
//! early on a wake hint (an event matching `wake_on`, a change of a `wake_on_path`). Used by the Rust sync API, the C ABI and Python's
//! sync functions (which wrap `wait` to release the interpreter and check signals). It executes
//! the Poller's steps and decides nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use super::budget::Budget;
use super::monotonic::Origin;
use super::outcome::Outcome;
use super::poller::{Evaluated, Poller, Step};
use super::report::Report;
use crate::error::Error;
use crate::testing::VirtualClock;

/// The probe as a driver calls it: the binding's adapter, which judges each value in its
/// language and keeps the accepted one.
pub trait Probe {
    /// Why the binding stops a wait at once (a `fail_on` error, `KeyboardInterrupt`, an abort):
    /// it propagates as itself.
    type Stop;

    /// `sync_operation`'s action or `eventually_changes`' baseline (only called for them).
    fn prepare(&mut self) -> Result<(), Self::Stop> {
        Ok(())
    }

    /// Told once, before the first evaluation, whether an accepted value needs its text
    /// ([`Poller::wants_accepted_text`]): a probe that renders it only then allocates nothing
    /// per accepted evaluation (`always` accepts every one).
    fn want_accepted_text(&mut self, _wanted: bool) {}

    /// One evaluation, as the operation judges it.
    fn evaluate(&mut self) -> Result<Outcome, Self::Stop>;

    /// After each evaluation that returned, as the Poller counted it: where a binding calls its
    /// user's `on_evaluation` hook (an error of the hook propagates as itself).
    fn evaluated(&mut self, _evaluated: Evaluated) -> Result<(), Self::Stop> {
        Ok(())
    }

    /// Whether [`Probe::evaluated`] may take time (it calls a user's hook). If not, the driver
    /// takes the end of an evaluation as the time of the next step instead of reading its clock
    /// again: one clock read per evaluation in a busy wait.
    fn evaluated_takes_time(&self) -> bool {
        true
    }
}

/// How a driven wait failed.
#[derive(Debug)]
pub enum DriveError<E> {
    /// Timed out or violated: raise the binding's timeout / assertion error with this report.
    Failed(Box<Report>),
    /// The binding stopped the wait (an error that must propagate as itself).
    Host(E),
    /// The wake-hint subscription could not be made.
    Setup(Error),
}

/// How a failed wait becomes the one error type: a report is a timeout or, for `always`/`never`,
/// a violation; the binding's own stop propagates as itself.
impl From<DriveError<Error>> for Error {
    fn from(e: DriveError<Error>) -> Error {
        match e {
            DriveError::Failed(report) if report.is_violation() => Error::Violated { report },
            DriveError::Failed(report) => Error::Timeout { report },
            DriveError::Host(e) | DriveError::Setup(e) => e,
        }
    }
}

/// The clock of one blocking wait: the monotonic clock, or the thread's [`VirtualClock`].
#[derive(Debug, Clone)]
enum Clock {
    Real(Origin),
    Virtual { clock: VirtualClock, origin: Duration },
}

impl Clock {
    fn for_this_thread() -> Clock {
        match VirtualClock::installed() {
            Some(clock) => Clock::Virtual { origin: clock.now(), clock },
            None => Clock::Real(Origin::now()),
        }
    }

    #[inline]
    fn elapsed(&self) -> Duration {
        match self {
            Clock::Real(origin) => origin.elapsed(),
            Clock::Virtual { clock, origin } => clock.now().saturating_sub(*origin),
        }
    }
}

/// Lets a parked waiter be woken by a wake-hint event from any thread; it keeps the time of the
/// latest hint on the wait's clock, for [`Poller::wake`].
#[derive(Debug, Clone)]
pub struct WakeSignal {
    /// The latest hint's time in nanoseconds + 1 (0: none pending).
    hint: Arc<AtomicU64>,
    waiter: Thread,
    clock: Clock,
    /// Whether anything can wake it; if not, a plain sleep is cheaper than a futex wait.
    armed: bool,
}

impl WakeSignal {
    fn new(clock: Clock, armed: bool) -> Self {
        WakeSignal { hint: Arc::new(AtomicU64::new(0)), waiter: thread::current(), clock, armed }
    }

    /// Notes a hint at the current time and unparks the waiter; callable from any thread.
    pub fn wake(&self) {
        let nanos = u64::try_from(self.clock.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
        self.hint.store(nanos + 1, Ordering::Release);
        self.waiter.unpark();
    }

    /// Parks the waiter for up to `d`, returning early (and `true`) on a hint. On a virtual clock
    /// it advances the clock instead.
    pub fn park(&self, d: Duration) -> bool {
        if let Clock::Virtual { clock, .. } = &self.clock {
            if self.pending() {
                return true;
            }
            clock.advance(d);
            return false;
        }
        if !self.armed {
            thread::sleep(d);
            return false;
        }
        // A wait past what an Instant can hold (an unbounded timeout with a huge interval) has no
        // end: it lasts until a hint.
        let until = Instant::now().checked_add(d);
        loop {
            if self.pending() {
                return true;
            }
            let now = Instant::now();
            match until {
                Some(until) if now >= until => return false,
                // park_timeout may return spuriously; the loop re-checks the flag and the clock.
                Some(until) => thread::park_timeout(until - now),
                None => thread::park(),
            }
        }
    }

    fn pending(&self) -> bool {
        self.hint.load(Ordering::Acquire) != 0
    }

    /// Consumes the pending hint: its time on the wait's clock.
    fn take(&self) -> Option<Duration> {
        match self.hint.swap(0, Ordering::AcqRel) {
            0 => None,
            n => Some(Duration::from_nanos(n - 1)),
        }
    }
}

/// Runs `poller` (made for [`super::Driver::Blocking`]) to completion on this thread. `wait`
/// blocks for up to the given time: [`WakeSignal::park`], possibly in slices to check for
/// interrupts. Time is the monotonic clock, or the [`VirtualClock`] installed on this thread.
pub fn drive_blocking<P: Probe>(
    poller: &mut Poller,
    probe: &mut P,
    wait: impl FnMut(Duration, &WakeSignal) -> Result<(), P::Stop>,
) -> Result<(), DriveError<P::Stop>> {
    let driven = drive(poller, probe, wait);
    // However the drive ended (an error of the probe or of `wait` propagates before `Done`), the
    // wait no longer polls: it leaves the budget even if its host keeps the Poller.
    poller.leave_budget();
    driven
}

fn drive<P: Probe>(
    poller: &mut Poller,
    probe: &mut P,
    mut wait: impl FnMut(Duration, &WakeSignal) -> Result<(), P::Stop>,
) -> Result<(), DriveError<P::Stop>> {
    let clock = Clock::for_this_thread();
    poller.set_budget(Budget::for_this_thread());
    let hinted = poller.has_wake_source();
    let signal = WakeSignal::new(clock.clone(), hinted);
    let waker = signal.clone();
    let _subscription = poller.subscribe_wakes(move || waker.wake()).map_err(DriveError::Setup)?;
    // One clock read per step that took time: the end of an evaluation is also when the next
    // step is decided and the next evaluation starts, unless something ran in between.
    probe.want_accepted_text(poller.wants_accepted_text());
    let hook_takes_time = probe.evaluated_takes_time();
    let mut now = clock.elapsed();
    loop {
        match poller.next(now) {
            // A synchronous call cannot be abandoned: `abandon_at` is for asynchronous drivers.
            Step::Prepare { .. } => {
                poller.started(now);
                probe.prepare().map_err(DriveError::Host)?;
                now = clock.elapsed();
                poller.prepared(now);
            }
            Step::Evaluate { .. } => {
                poller.started(now);
                let outcome = probe.evaluate().map_err(DriveError::Host)?;
                now = clock.elapsed();
                let evaluated = poller.finished(now, outcome);
                probe.evaluated(evaluated).map_err(DriveError::Host)?;
                if hook_takes_time {
                    now = clock.elapsed();
                }
            }
            // Nothing else runs on this thread: a blocking poller never asks to yield.
            Step::Yield => {}
            Step::Wait(d) => {
                wait(d, &signal).map_err(DriveError::Host)?;
                now = clock.elapsed();
            }
            Step::Done(Ok(())) => return Ok(()),
            Step::Done(Err(report)) => return Err(DriveError::Failed(report)),
        }
        // Only a wait with a wake source can have a hint (and skipping the swap keeps the busy loop
        // of `min_interval = 0` as cheap as before hints had times).
        if hinted && let Some(at) = signal.take() {
            poller.wake(at);
        }
    }
}
