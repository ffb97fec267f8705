//! Wake hints: an event re-evaluates a waiting probe at once, on top of its schedule.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use liveness::events::event;
use liveness::eventually;
use liveness::testing::VirtualClock;

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
        event("wake.test.ready").emit();
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
fn a_probe_that_emits_its_own_hint_is_evaluated_at_most_twice_per_period() {
    // On the virtual clock: exact times, no real waiting.
    let clock = VirtualClock::new();
    let _installed = clock.install();
    let starts = std::cell::RefCell::new(Vec::new());
    let err = eventually(|| {
        starts.borrow_mut().push(clock.now().as_millis());
        // A hint during the evaluation earns one more at once; one during that one does not.
        event("wake.self.loop").emit();
        false
    })
    .interval(Duration::from_millis(40))
    .timeout(Duration::from_millis(100))
    .late_check(Duration::ZERO) // this test pins the hint rule; late.json pins the late check
    .wake_on("wake.self.**")
    .run()
    .unwrap_err();
    assert_eq!(*starts.borrow(), vec![0, 0, 40, 40, 80, 80, 100], "{err}");
}

#[test]
fn a_hint_from_another_thread_during_an_evaluation_is_not_lost() {
    let clock = VirtualClock::new();
    let _installed = clock.install();
    let starts = std::cell::RefCell::new(Vec::new());
    let value = eventually(|| {
        let n = starts.borrow().len();
        starts.borrow_mut().push(clock.now().as_millis());
        if n == 0 {
            // The system becomes ready while the first evaluation runs, and says so.
            thread::spawn(|| event("wake.other.ready").emit()).join().unwrap();
            clock.advance(Duration::from_millis(5));
            return false;
        }
        true
    })
    .interval(Duration::from_secs(20))
    .timeout(Duration::from_secs(40))
    .wake_on("wake.other.**")
    .run()
    .unwrap();
    assert!(value);
    assert_eq!(*starts.borrow(), vec![0, 5], "re-evaluated as soon as the first evaluation ended");
}
