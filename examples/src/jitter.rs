//! Deterministic pseudo-random delays, so a run of the demo is reproducible.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

static STATE: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);

/// The next number of a process-wide xorshift sequence.
pub fn next_u64() -> u64 {
    let mut x = STATE.load(Ordering::Relaxed);
    loop {
        let mut y = x;
        y ^= y << 13;
        y ^= y >> 7;
        y ^= y << 17;
        match STATE.compare_exchange_weak(x, y, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return y,
            Err(seen) => x = seen,
        }
    }
}

/// A shutdown delay like the seed's: usually a few milliseconds, occasionally (one in
/// `tail_every`) a long pause of `tail`, as when the machine is loaded.
pub fn shutdown_delay(tail_every: u64, tail: Duration) -> Duration {
    let r = next_u64();
    if tail_every > 0 && r.is_multiple_of(tail_every) { tail } else { Duration::from_micros(1_000 + r % 7_000) }
}
