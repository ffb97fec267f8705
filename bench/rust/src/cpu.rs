//! CPU time per second of waiting on a cheap probe that never holds (the wait times out).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::params::Params;
use crate::waiters::{self, Waiter};

/// Process CPU time: what the waiting costs the machine, whichever thread spends it.
pub fn process_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid clock id and a valid pointer to a timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "CLOCK_PROCESS_CPUTIME_ID is available on Linux");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn cpu_ms_per_s(waiter: Waiter, wait: Duration) -> f64 {
    let (cpu0, wall0) = (process_cpu(), Instant::now());
    let held = waiter.wait_until(|| std::hint::black_box(false), wait);
    let (cpu, wall) = (process_cpu() - cpu0, wall0.elapsed());
    assert!(!held && wall >= wait, "the wait ran to its timeout");
    cpu.as_secs_f64() * 1000.0 / wall.as_secs_f64()
}

pub fn run(p: &Params) -> Vec<Value> {
    println!("\ncpu while waiting ({} s on a cheap probe that never holds; ms of CPU per s)", p.cpu_wait.as_secs_f64());
    waiters::CPU
        .iter()
        .map(|&w| {
            let v = cpu_ms_per_s(w, p.cpu_wait);
            println!("  {:<24} {v:8.2}", w.label());
            json!({"scenario": "cpu", "library": w.label(), "wait_s": p.cpu_wait.as_secs_f64(), "cpu_ms_per_s": v})
        })
        .collect()
}
