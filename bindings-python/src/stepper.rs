//! The clock and the pauses of a synchronous wait driven step by step from Python
//! (`liveness.attempts`, the block form): the same clock as the blocking driver's (the monotonic
//! one, or the `VirtualClock` installed on this thread), the same pauses (interpreter detached,
//! signals checked in short slices, woken early by a wake-hint event). The steps themselves are
//! the Poller's (`Wait.next`); this only tells time and waits.
//!
//! The core's blocking driver has this inside `drive_blocking` (its `Clock` and `WakeSignal` are
//! not constructible from outside); a core `BlockingWaiter` would let this file go.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use liveness::events::WakeSubscription;
use liveness::testing::VirtualClock;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::errors::core_error;
use crate::gate;
use crate::options::{paths, patterns};

/// How long a pause on the main thread stays detached before looking for a pending signal. As
/// long as a hinted wait's longest default fallback period (5 × the default `max_interval`,
/// SPEC §2), so that every pause on the default schedule, hinted or not, is one sleep: each
/// slice wakes the thread, and a wake-up costs far more CPU than an evaluation (~0.1 ms on a VM
/// against a few µs), so 20 ms slices tripled what a hinted or `wake_on_path` wait cost. Ctrl-C
/// still raises within a quarter of a second.
const SIGNAL_CHECK: Duration = Duration::from_millis(250);

/// The longest pause this thread may take without the interpreter: [`SIGNAL_CHECK`] on the main
/// thread (where Ctrl-C must raise at once), none elsewhere. Signals are only ever handled on the
/// main thread, so slicing another thread's pause would only re-take the GIL for nothing: with
/// hundreds of waiting threads those needless re-takes are what they fight over.
pub(crate) fn signal_slice(py: Python<'_>) -> PyResult<Option<Duration>> {
    static MAIN: PyOnceLock<u64> = PyOnceLock::new();
    static IDENT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let main = *MAIN.get_or_try_init(py, || {
        py.import("threading")?.call_method0("main_thread")?.getattr("ident")?.extract::<u64>()
    })?;
    let here: u64 = IDENT.import(py, "threading", "get_ident")?.call0()?.extract()?;
    Ok((here == main).then_some(SIGNAL_CHECK))
}

/// Seconds on the monotonic clock since the first reading in this process: a clock that
/// freezegun and time-machine cannot stop (they patch `time.monotonic()`, not this).
#[pyfunction]
pub fn monotonic() -> f64 {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64()
}

enum Clock {
    Real(Instant),
    Virtual { clock: VirtualClock, origin: Duration },
}

impl Clock {
    fn elapsed(&self) -> Duration {
        match self {
            Clock::Real(origin) => origin.elapsed(),
            Clock::Virtual { clock, origin } => clock.now().saturating_sub(*origin),
        }
    }
}

struct Hint {
    /// The latest hint's time in nanoseconds + 1 (0: none pending).
    at: AtomicU64,
    waiter: Thread,
    origin: Clock,
}

/// The clock and the pauses of one synchronous step-driven wait, on the thread that made it.
#[pyclass(module = "liveness._native", unsendable)]
pub struct BlockingClock {
    hint: Arc<Hint>,
    subscription: Option<WakeSubscription>,
}

#[pymethods]
impl BlockingClock {
    /// `wake_on`: the wait's wake patterns (an event matching one ends a pause early);
    /// `wake_on_path`: its paths (a change of one does too).
    #[new]
    #[pyo3(signature = (wake_on=None, wake_on_path=None))]
    fn new(wake_on: Option<Bound<'_, PyAny>>, wake_on_path: Option<Bound<'_, PyAny>>) -> PyResult<BlockingClock> {
        let origin = match VirtualClock::installed() {
            Some(clock) => Clock::Virtual { origin: clock.now(), clock },
            None => Clock::Real(Instant::now()),
        };
        let hint = Arc::new(Hint { at: AtomicU64::new(0), waiter: thread::current(), origin });
        let patterns = patterns("wake_on", wake_on.as_ref())?;
        let paths = paths("wake_on_path", wake_on_path.as_ref())?;
        let subscription = if patterns.is_empty() && paths.is_empty() {
            None
        } else {
            let hint = Arc::clone(&hint);
            Some(
                WakeSubscription::for_sources(&patterns, &paths, "wake_on_path", move || {
                    let nanos = u64::try_from(hint.origin.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
                    hint.at.store(nanos + 1, Ordering::Release);
                    hint.waiter.unpark();
                })
                .map_err(core_error)?,
            )
        };
        Ok(BlockingClock { hint, subscription })
    }

    /// Seconds since the clock was made, on the wait's clock.
    fn elapsed(&self) -> f64 {
        self.hint.origin.elapsed().as_secs_f64()
    }

    /// Whether the wait runs on an installed `VirtualClock`.
    #[getter(is_virtual)]
    fn is_virtual(&self) -> bool {
        matches!(self.hint.origin, Clock::Virtual { .. })
    }

    /// Pauses for up to `seconds` (detached; Ctrl-C raises at once); ends early on a wake hint.
    /// On a virtual clock, the clock jumps ahead instead (unless a hint is pending).
    fn wait(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        let d = Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX);
        if let Clock::Virtual { clock, .. } = &self.hint.origin {
            if !self.pending() {
                clock.advance(d);
            }
            return py.check_signals();
        }
        let until = Instant::now().checked_add(d);
        let check = signal_slice(py)?;
        loop {
            if self.pending() {
                return Ok(());
            }
            let left = match until {
                Some(until) => until.saturating_duration_since(Instant::now()),
                None => check.unwrap_or(Duration::MAX),
            };
            if left.is_zero() {
                return Ok(());
            }
            let slice = check.map_or(left, |check| left.min(check));
            let hinted = self.subscription.is_some();
            gate::pause(py, || if hinted { thread::park_timeout(slice) } else { thread::sleep(slice) });
            py.check_signals()?;
        }
    }

    /// The pending wake hint's time (seconds on the wait's clock), consumed; `None` if none.
    fn take_hint(&self) -> Option<f64> {
        match self.hint.at.swap(0, Ordering::AcqRel) {
            0 => None,
            n => Some(Duration::from_nanos(n - 1).as_secs_f64()),
        }
    }

    /// Ends the wake-hint subscription (a second call does nothing).
    fn close(&mut self) {
        self.subscription = None;
    }
}

impl BlockingClock {
    fn pending(&self) -> bool {
        self.hint.at.load(Ordering::Acquire) != 0
    }
}
