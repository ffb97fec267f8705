//! CPU time per second of waiting on a cheap probe that never holds (target ≤ 2% of a core).

use std::time::{Duration, Instant};

use liveness::eventually;
use serde_json::{Value, json};

fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid clock id and a valid pointer to a timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "CLOCK_THREAD_CPUTIME_ID is available on Linux");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn measure(wait: Duration, f: impl FnOnce()) -> f64 {
    let (cpu0, wall0) = (thread_cpu(), Instant::now());
    f();
    let (cpu, wall) = (thread_cpu() - cpu0, wall0.elapsed());
    assert!(wall >= wait);
    cpu.as_secs_f64() / wall.as_secs_f64() * 100.0
}

pub fn run(quick: bool) -> Value {
    let wait = Duration::from_secs(if quick { 1 } else { 3 });
    let liveness = measure(wait, || {
        let _ = eventually(|| std::hint::black_box(false)).timeout(wait).run();
    });
    let floor2 = measure(wait, || {
        let _ = eventually(|| std::hint::black_box(false)).min_interval(Duration::from_millis(2)).timeout(wait).run();
    });
    let hand = measure(wait, || {
        let until = Instant::now() + wait;
        while Instant::now() < until && !std::hint::black_box(false) {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    println!("\ncpu while waiting (% of one core, {} s wait on a cheap probe; target ≤ 2%)", wait.as_secs());
    println!("  liveness (defaults: every 1 ms)   {liveness:6.2} %");
    println!("  liveness, min_interval 2 ms       {floor2:6.2} %");
    println!("  hand loop, sleep 1 ms             {hand:6.2} %   (liveness defaults = {:.2}× this)", liveness / hand);
    json!({"wait_s": wait.as_secs(), "liveness_percent": liveness, "liveness_min_interval_2ms_percent": floor2,
           "hand_loop_1ms_percent": hand})
}
