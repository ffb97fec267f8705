//! One polling budget per clock (SPEC §2, "many waits at once"): the default schedule keeps one
//! wait's evaluating under 1/`ADAPTIVE_FACTOR` of its time; the budget extends that rule to every
//! wait on the same clock together, so that a hundred concurrent waits poll as a whole no more
//! than one would instead of a hundred times as much.
//!
//! Each wait on the default schedule registers a [`Share`]: the cost of its last evaluation, at
//! least [`EVALUATION_OVERHEAD`]. A wait's period then covers `ADAPTIVE_FACTOR` times its own last
//! evaluation plus the shares of all the others. Lock-free (one atomic sum), so that a wait adds
//! no contention between threads and a fork leaves the child a consistent sum.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use once_cell::sync::Lazy;

use crate::testing::VirtualClock;
use std::time::Duration;

/// What another wait's evaluation costs the process at least, beyond its probe: the timer or
/// thread that wakes it and the driver's step. Without it a cheap probe (a few hundred ns) would
/// count as free, and a thousand waits on it would poll at 1 ms as if each were alone, although
/// waking costs the machine microseconds each time (this machine: 2–10 µs per timer or thread wake).
/// A wait alone never sees it: its own term is its own evaluation's measured cost.
pub const EVALUATION_OVERHEAD: Duration = Duration::from_micros(25);

/// The sum of the shares of the waits in progress on one clock.
#[derive(Debug, Default)]
pub struct Budget {
    /// Nanoseconds; a `u64` holds 584 years, and shares are added and removed exactly.
    total_ns: AtomicU64,
}

/// The monotonic clock's budget: every wait in the process that runs in real time.
static PROCESS: Lazy<Arc<Budget>> = Lazy::new(|| Arc::new(Budget::default()));

impl Budget {
    /// A budget of its own, for a virtual clock: waits in virtual time cost no real CPU and must
    /// not lengthen the real waits' periods (nor be lengthened by them).
    pub fn new() -> Arc<Budget> {
        Arc::new(Budget::default())
    }

    /// The budget of every wait on the monotonic clock in this process.
    pub fn process() -> Arc<Budget> {
        PROCESS.clone()
    }

    /// The budget of the clock a wait started on this thread runs on: the [`VirtualClock`]
    /// installed here (its waits take no real time), or the process's monotonic clock. Every
    /// driver and door that makes a wait on this thread's clock asks this, so the choice is one.
    pub fn for_this_thread() -> Arc<Budget> {
        VirtualClock::installed().map_or_else(Budget::process, |clock| clock.budget())
    }

    /// The sum of all shares registered now.
    pub fn total(&self) -> Duration {
        Duration::from_nanos(self.total_ns.load(Ordering::Relaxed))
    }
}

/// One wait's share of its clock's budget, registered from its first evaluation until it ends
/// (or is dropped: a wait abandoned by its host must not keep the others slow).
#[derive(Debug)]
pub struct Share {
    budget: Arc<Budget>,
    ns: u64,
}

impl Share {
    /// An empty share (a wait that has not evaluated yet costs nothing).
    pub fn new(budget: Arc<Budget>) -> Share {
        Share { budget, ns: 0 }
    }

    /// The wait's last evaluation took `cost`: its share becomes that, at least the overhead.
    #[inline]
    pub fn set(&mut self, cost: Duration) {
        let ns = u64::try_from(cost.max(EVALUATION_OVERHEAD).as_nanos()).unwrap_or(u64::MAX / 2);
        self.replace(ns);
    }

    /// The wait ended: it no longer costs anything.
    pub fn release(&mut self) {
        self.replace(0);
    }

    /// The shares of every other wait on this clock.
    #[inline]
    pub fn others(&self) -> Duration {
        Duration::from_nanos(self.budget.total_ns.load(Ordering::Relaxed).saturating_sub(self.ns))
    }

    fn replace(&mut self, ns: u64) {
        // A busy wait on a cheap probe keeps its share at the overhead evaluation after
        // evaluation: an unchanged share skips the atomic read-modify-write (the sum is the same).
        if ns == self.ns {
            return;
        }
        if ns > self.ns {
            self.budget.total_ns.fetch_add(ns - self.ns, Ordering::Relaxed);
        } else {
            self.budget.total_ns.fetch_sub(self.ns - ns, Ordering::Relaxed);
        }
        self.ns = ns;
    }
}

impl Clone for Share {
    /// A copy of a wait is one more wait: it registers a share of its own.
    fn clone(&self) -> Share {
        let mut share = Share::new(self.budget.clone());
        share.replace(self.ns);
        share
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        self.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_leave_when_released_or_dropped() {
        let budget = Budget::new();
        let mut a = Share::new(budget.clone());
        let mut b = Share::new(budget.clone());
        a.set(Duration::from_millis(2));
        b.set(Duration::ZERO);
        assert_eq!(budget.total(), Duration::from_millis(2) + EVALUATION_OVERHEAD);
        assert_eq!(a.others(), EVALUATION_OVERHEAD);
        assert_eq!(b.others(), Duration::from_millis(2));
        a.set(Duration::from_millis(1));
        assert_eq!(b.others(), Duration::from_millis(1));
        let c = a.clone();
        assert_eq!(b.others(), Duration::from_millis(2));
        drop(c);
        a.release();
        assert_eq!(b.others(), Duration::ZERO);
        drop(b);
        assert_eq!(budget.total(), Duration::ZERO);
    }
}
