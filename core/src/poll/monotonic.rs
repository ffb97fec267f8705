//! The blocking driver's real clock: time since a wait began, read once per evaluation.
//!
//! Where std's `Instant` is `CLOCK_MONOTONIC` (Linux, the BSDs), the clock is read directly and
//! kept as nanoseconds: `Instant::elapsed` reads the same clock but then subtracts two
//! `timespec`s with overflow checks and normalisation on every read, a third of what the clock
//! cost a busy wait (callgrind, eval_overhead). Elsewhere (Apple's `Instant` is another clock,
//! Windows has no `clock_gettime`) it is `Instant`.

use std::time::Duration;

/// When a wait began on the monotonic clock.
#[derive(Debug, Clone, Copy)]
pub(super) struct Origin(imp::Stamp);

impl Origin {
    pub(super) fn now() -> Origin {
        Origin(imp::now())
    }

    /// The time since the origin; zero if the clock read earlier (it never does: it is monotonic).
    #[inline]
    pub(super) fn elapsed(&self) -> Duration {
        imp::since(self.0)
    }
}

#[cfg(all(unix, not(target_vendor = "apple")))]
mod imp {
    use std::time::Duration;

    /// Nanoseconds of `CLOCK_MONOTONIC`: a `u64` holds 584 years of uptime.
    pub(super) type Stamp = u64;

    #[inline]
    pub(super) fn now() -> Stamp {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC exists on every such system
        // (std's `Instant::now` makes the same call and treats a failure as impossible).
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
        (ts.tv_sec as u64).wrapping_mul(1_000_000_000).wrapping_add(ts.tv_nsec as u64)
    }

    #[inline]
    pub(super) fn since(origin: Stamp) -> Duration {
        Duration::from_nanos(now().saturating_sub(origin))
    }
}

#[cfg(not(all(unix, not(target_vendor = "apple"))))]
mod imp {
    use std::time::{Duration, Instant};

    pub(super) type Stamp = Instant;

    pub(super) fn now() -> Stamp {
        Instant::now()
    }

    #[inline]
    pub(super) fn since(origin: Stamp) -> Duration {
        origin.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::Origin;
    use std::time::Instant;

    #[test]
    fn it_runs_with_the_monotonic_clock() {
        // Read between two Instants: the direct read agrees with std's clock, never ahead of it.
        let origin = Origin::now();
        let before = Instant::now();
        let mut spins = 0u64;
        while before.elapsed().as_micros() < 200 {
            spins = std::hint::black_box(spins + 1);
        }
        let ours = origin.elapsed();
        let theirs = before.elapsed();
        assert!(ours >= std::time::Duration::from_micros(200), "{ours:?}");
        assert!(ours <= theirs + std::time::Duration::from_secs(1), "{ours:?} vs {theirs:?}");
    }
}
