//! Wake hints: an event re-evaluates a waiting probe at once, on top of its schedule.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use liveness::events::event;
use liveness::eventually;

/// The schedule alone would evaluate a second time only after 20 s; the hint makes it at once.
#[test]
fn a_wake_hint_cuts_a_long_interval_short() {
    let ready = Arc::new(AtomicBool::new(false));
    let evaluations = Arc::new(AtomicU32::new(0));
    let (r, e) = (ready.clone(), evaluations.clone());
    let system = thread::spawn(move || {
        // Wait (with liveness) until the waiter has made its first evaluation and is parked.
        eventually(|| e.load(Ordering::SeqCst) >= 1).run().unwrap();
        r.store(true, Ordering::SeqCst);
        event("wake.test.ready").emit().unwrap();
    });
    let started = Instant::now();
    let value = eventually(|| {
        evaluations.fetch_add(1, Ordering::SeqCst);
        ready.load(Ordering::SeqCst)
    })
    .interval(Duration::from_secs(20))
    .timeout(Duration::from_secs(40))
    .wake_on("wake.test.**")
    .run()
    .unwrap();
    system.join().unwrap();
    assert!(value);
    assert_eq!(evaluations.load(Ordering::SeqCst), 2, "the first evaluation and the woken one");
    // Not a speed target: without the hint this line is reached after 20 s, not milliseconds.
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn hints_that_do_not_match_do_not_wake() {
    let evaluations = AtomicU32::new(0);
    let err = eventually(|| {
        let n = evaluations.fetch_add(1, Ordering::SeqCst);
        // The probe's own emissions never wake its own wait, matching or not.
        event("wake.self.loop").emit().unwrap();
        n > 1_000_000
    })
    .interval(Duration::from_millis(40))
    .timeout(Duration::from_millis(100))
    .wake_on("wake.self.**")
    .run()
    .unwrap_err();
    let n = evaluations.load(Ordering::SeqCst);
    assert!(n <= 5, "a probe that emits its own hint must not spin: {n} evaluations ({err})");
}
