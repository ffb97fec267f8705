//! Hooks for testing code that waits, and for testing liveness itself: a stable API.
//!
//! [`VirtualClock`] replaces the monotonic clock of the blocking waits (`.run()`, the C
//! functions, Python's synchronous functions) on one thread: waits take no real time, a probe
//! "takes" time by advancing the clock, and a test can assert exact evaluation times. The
//! asynchronous waits use their runtime's own virtual time instead: tokio's paused clock, a
//! virtual-time asyncio loop or trio's `MockClock`, Jest's or Vitest's fake timers.
//!
//! ```
//! use std::time::Duration;
//! use liveness::testing::VirtualClock;
//!
//! let clock = VirtualClock::new();
//! let _installed = clock.install();
//! let probe_clock = clock.clone();
//! let err = liveness::eventually(move || {
//!     probe_clock.advance(Duration::from_millis(3)); // each evaluation takes 3 ms
//!     false
//! })
//! .timeout(Duration::from_secs(60))
//! .late_check(Duration::ZERO) // no looking on after the deadline: the clock stops at it
//! .run()
//! .unwrap_err();
//! assert!(err.to_string().starts_with("eventually: not met after 60.00 s"));
//! assert_eq!(clock.now(), Duration::from_millis(60_003)); // no real time passed
//! ```

use std::cell::RefCell;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::poll::Budget;

/// A clock that moves only when told to. Clones share the same time.
#[derive(Debug, Clone, Default)]
pub struct VirtualClock {
    now: Arc<Mutex<Duration>>,
    /// The polling budget of the waits on this clock (SPEC §2): their virtual time is not the
    /// process's CPU, so they neither count in the real waits' budget nor in another clock's.
    budget: Arc<Budget>,
}

thread_local! {
    static INSTALLED: RefCell<Option<VirtualClock>> = const { RefCell::new(None) };
}

impl VirtualClock {
    /// A clock at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time since the clock was made, plus every advance.
    pub fn now(&self) -> Duration {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves the clock forward (a probe "taking" this long, another part of a test passing time).
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = now.saturating_add(by);
    }

    /// The polling budget shared by the waits on this clock.
    pub fn budget(&self) -> Arc<Budget> {
        self.budget.clone()
    }

    /// Blocking waits that start on this thread until the guard drops use this clock: their
    /// waits advance it instead of sleeping. Other threads keep the real clock. Guards nest.
    pub fn install(&self) -> Installed {
        let previous = INSTALLED.with(|slot| slot.replace(Some(self.clone())));
        Installed { previous, _on_this_thread: PhantomData }
    }

    /// The clock installed on this thread, if any: the one a blocking wait started here uses.
    pub fn installed() -> Option<VirtualClock> {
        INSTALLED.with(|slot| slot.borrow().clone())
    }
}

/// Restores the previous clock of this thread when dropped (see [`VirtualClock::install`]).
#[must_use = "the clock is uninstalled when this guard drops"]
#[derive(Debug)]
pub struct Installed {
    previous: Option<VirtualClock>,
    /// Installed per thread: the guard must drop on the thread that made it.
    _on_this_thread: PhantomData<*const ()>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.previous.take();
        INSTALLED.with(|slot| *slot.borrow_mut() = previous);
    }
}
