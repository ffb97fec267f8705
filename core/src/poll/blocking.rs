//! The blocking driver: evaluates on the calling thread and parks it between evaluations, waking
//! early when a wake-hint event is emitted. Used by the Rust sync API, the C ABI and Python's
//! sync functions (which wrap `wait` to release the interpreter and check signals).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use super::outcome::{Failure, Outcome};
use super::poller::{Poller, Step};
use super::report::Report;
use crate::error::Error;
use crate::events::WakeSubscription;

/// The host's verdict on one evaluation, with the value to return if it is the accepted one.
#[derive(Debug)]
pub enum Evaluation<T, E> {
    Accepted {
        value: T,
        text: Option<String>,
    },
    Rejected(Failure),
    /// Stop at once and propagate this (a `fail_on` error, `KeyboardInterrupt`, an abort).
    Stop(E),
}

/// How a driven wait failed.
#[derive(Debug)]
pub enum DriveError<E> {
    /// Timed out or violated: raise the host's timeout / assertion error with this report.
    Failed(Box<Report>),
    /// The host stopped the wait (an error that must propagate as itself).
    Host(E),
    /// The wake-hint subscription could not be made.
    Setup(Error),
}

/// Lets a parked waiter be woken by a wake-hint event from any thread.
#[derive(Debug, Clone)]
pub struct WakeSignal {
    woken: Arc<AtomicBool>,
    waiter: Thread,
    /// Whether anything can wake it; if not, a plain sleep is cheaper than a futex wait.
    armed: bool,
}

impl WakeSignal {
    /// A signal that wakes the current thread.
    pub fn for_current_thread() -> Self {
        WakeSignal { woken: Arc::new(AtomicBool::new(false)), waiter: thread::current(), armed: true }
    }

    /// A signal nobody will wake: `park` is a plain sleep (measurably less CPU per wait).
    pub fn never_woken() -> Self {
        WakeSignal { armed: false, ..Self::for_current_thread() }
    }

    /// Marks the signal and unparks the waiter; callable from any thread. A hint emitted by the
    /// waiting thread itself (its probe's own events) is ignored, or such a probe would spin.
    pub fn wake(&self) {
        if thread::current().id() == self.waiter.id() {
            return;
        }
        self.woken.store(true, Ordering::Release);
        self.waiter.unpark();
    }

    /// Parks the waiter for up to `d`, returning early (and `true`) on a wake.
    pub fn park(&self, d: Duration) -> bool {
        if !self.armed {
            thread::sleep(d);
            return false;
        }
        let until = Instant::now() + d;
        loop {
            if self.woken.load(Ordering::Acquire) {
                return true;
            }
            let now = Instant::now();
            if now >= until {
                return false;
            }
            // park_timeout may return spuriously; the loop re-checks the flag and the clock.
            thread::park_timeout(until - now);
        }
    }

    /// Consumes a pending wake.
    pub fn take(&self) -> bool {
        self.woken.swap(false, Ordering::AcqRel)
    }
}

/// Runs `poller` to completion on this thread. `evaluate` is called at each evaluation; `wait`
/// blocks for up to the given time (use [`WakeSignal::park`], possibly in slices to check for
/// interrupts). Returns the last accepted value (`None` for `always`/`never`).
pub fn drive_blocking<T, E>(
    poller: &mut Poller,
    mut evaluate: impl FnMut() -> Evaluation<T, E>,
    mut wait: impl FnMut(Duration, &WakeSignal) -> Result<(), E>,
) -> Result<Option<T>, DriveError<E>> {
    let start = Instant::now();
    let hinted = !poller.wake_patterns().is_empty();
    let signal = if hinted { WakeSignal::for_current_thread() } else { WakeSignal::never_woken() };
    let _subscription = if !hinted {
        None
    } else {
        let waker = signal.clone();
        let patterns = poller.wake_patterns().to_vec();
        Some(WakeSubscription::new(&patterns, move || waker.wake()).map_err(DriveError::Setup)?)
    };
    let mut accepted = None;
    loop {
        match poller.next(start.elapsed()) {
            Step::Evaluate => {
                // Hints up to now are answered by this evaluation; one from another thread while
                // it runs stays pending and makes the next wait return at once.
                signal.take();
                poller.started(start.elapsed());
                let evaluation = evaluate();
                let at = start.elapsed();
                match evaluation {
                    Evaluation::Accepted { value, text } => {
                        accepted = Some(value);
                        poller.finished(at, Outcome::Accepted { text });
                    }
                    Evaluation::Rejected(failure) => poller.finished(at, Outcome::Rejected(failure)),
                    Evaluation::Stop(e) => return Err(DriveError::Host(e)),
                }
            }
            Step::Wait(d) => {
                wait(d, &signal)?;
                if signal.take() {
                    poller.wake();
                }
            }
            Step::Done(Ok(())) => return Ok(accepted),
            Step::Done(Err(report)) => return Err(DriveError::Failed(Box::new(report))),
        }
    }
}

impl<E> From<E> for DriveError<E> {
    fn from(e: E) -> Self {
        DriveError::Host(e)
    }
}
