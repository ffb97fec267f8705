//! What issue 12 added to the Rust operations, as a user calls them: unbounded waits, schedules
//! of the user's choosing, `at_least`, `eventually_settles`, the hooks, and the SPEC §1
//! guarantees the peers' users relied on. The rules themselves are pinned by the vectors; these
//! check what the Rust builder adds (types, hooks, threads). Time passes on a `VirtualClock`, or
//! on real threads where concurrency is the point; timing is never asserted.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use liveness::testing::VirtualClock;
use liveness::{Error, FOREVER, eventually, eventually_passes, eventually_settles, never};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn a_wait_without_a_deadline_outlasts_the_default_timeout() {
    let clock = VirtualClock::new();
    let _installed = clock.install();
    let calls = AtomicU32::new(0);
    let got = eventually(|| {
        clock.advance(Duration::from_secs(1));
        (calls.fetch_add(1, Ordering::SeqCst) == 9).then_some("late")
    })
    .forever()
    .run()
    .unwrap();
    assert_eq!(got, "late");
    assert!(clock.now() >= Duration::from_secs(10), "past the 5 s default: {:?}", clock.now());
    // The same through the constant, with attempts as the only bound.
    let e = eventually(|| false).timeout(FOREVER).attempts(3).interval(ms(1)).run().unwrap_err();
    assert!(e.to_string().contains("stopped at the attempt limit of 3"), "{e}");
}

#[test]
fn contradictory_options_fail_before_any_evaluation() {
    let calls = AtomicU32::new(0);
    let e = eventually(|| calls.fetch_add(1, Ordering::SeqCst) > 0)
        .timeout(Duration::from_secs(10))
        .delay(Duration::from_secs(11))
        .run()
        .unwrap_err();
    assert!(matches!(&e, Error::InvalidOption { option, .. } if option == "delay"), "{e}");
    assert!(e.to_string().contains("longer than timeout"), "{e}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    let e = eventually(|| true).intervals([]).run().unwrap_err();
    assert!(matches!(&e, Error::InvalidOption { option, .. } if option == "intervals"), "{e}");
}

#[test]
fn at_least_fails_a_condition_that_holds_too_early_and_shows_the_value() {
    let e = eventually(|| Some(42)).at_least(ms(500)).run().unwrap_err();
    let Error::Violated { report } = &e else { panic!("expected a violation, got {e}") };
    assert!(report.headline().starts_with("eventually: held too early, at evaluation #1"), "{e}");
    // A Rust value need not be Debug, so `eventually` cannot show it; `eventually_settles` can.
    let clock = VirtualClock::new();
    let _installed = clock.install();
    let ok = eventually(|| clock.now() >= ms(30)).at_least(ms(20)).interval(ms(10)).run();
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn eventually_settles_returns_the_value_once_it_stops_changing() {
    let clock = VirtualClock::new();
    let _installed = clock.install();
    // A queue that grows for 50 ms, then stays at 5.
    let len = || (clock.now().as_millis() / 10).min(5);
    let settled = eventually_settles(len, ms(30)).interval(ms(10)).run().unwrap();
    assert_eq!(settled, 5);
    assert!(clock.now() >= ms(80), "5 was first seen at 50 ms and must stay for 30: {:?}", clock.now());
}

#[test]
fn eventually_settles_times_out_with_the_values_it_saw() {
    let clock = VirtualClock::new();
    let _installed = clock.install();
    let e =
        eventually_settles(|| clock.now().as_millis() / 10, ms(30)).timeout(ms(50)).interval(ms(10)).run().unwrap_err();
    let text = e.to_string();
    assert!(text.contains("not settled for 0.03 s after 0.05 s"), "{text}");
    assert!(text.contains("returned 0") && text.contains("returned 5"), "{text}");
}

#[test]
fn on_evaluation_sees_every_evaluation_with_its_failure() {
    let clock = VirtualClock::new();
    let _installed = clock.install();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let calls = AtomicU32::new(0);
    eventually_passes(|| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        assert!(n >= 2, "only {n} calls");
    })
    .interval(ms(10))
    .on_evaluation(move |e| {
        let failure = e.failure.map(|f| f.to_string());
        log.lock().unwrap().push((e.number, e.started, e.accepted, failure));
    })
    .run()
    .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!((seen[0].0, seen[0].1, seen[0].2), (1, ms(0), false));
    assert!(seen[0].3.as_deref().unwrap().contains("only 0 calls"), "{:?}", seen[0]);
    assert_eq!((seen[2].0, seen[2].1, seen[2].2, seen[2].3.clone()), (3, ms(20), true, None));
}

#[test]
fn on_timeout_replaces_the_error_and_sees_violations_too() {
    let e = eventually(|| false)
        .timeout(ms(0))
        .on_timeout(|e| Error::invalid_argument(format!("service never came up\n{e}")))
        .run()
        .unwrap_err();
    assert!(e.to_string().starts_with("service never came up\neventually: not met"), "{e}");
    let called = Arc::new(AtomicBool::new(false));
    let flag = called.clone();
    let e = never(|| true, ms(10))
        .on_timeout(move |e| {
            flag.store(true, Ordering::SeqCst);
            e
        })
        .run()
        .unwrap_err();
    assert!(matches!(e, Error::Violated { .. }) && called.load(Ordering::SeqCst));
    // An error of the options is not a failed wait: the hook is not called.
    let called = Arc::new(AtomicBool::new(false));
    let flag = called.clone();
    let _ = eventually(|| true).intervals([]).on_timeout(move |e| {
        flag.store(true, Ordering::SeqCst);
        e
    });
    assert!(!called.load(Ordering::SeqCst));
}

#[test]
fn probes_run_on_the_callers_thread_one_at_a_time_and_never_after_the_wait() {
    let caller = thread::current().id();
    let running = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU32::new(0));
    let (r, c) = (running.clone(), calls.clone());
    let result = eventually(move || {
        assert_eq!(thread::current().id(), caller, "the probe runs on the caller's thread");
        assert!(!r.swap(true, Ordering::SeqCst), "two evaluations overlapped");
        let n = c.fetch_add(1, Ordering::SeqCst);
        r.store(false, Ordering::SeqCst);
        n >= 5
    })
    .min_interval(Duration::ZERO)
    .run();
    assert!(result.is_ok());
    let after = calls.load(Ordering::SeqCst);
    // Nothing polls on after the wait returned: the count stays put while other work happens.
    let e = eventually(|| false).timeout(ms(20)).run().unwrap_err();
    assert!(e.to_string().contains("not met"));
    assert_eq!(calls.load(Ordering::SeqCst), after);
}

#[test]
fn a_real_wait_longer_than_an_instant_can_hold_is_cut_short_by_a_hint() {
    // timeout FOREVER, interval ~584 billion years, wake_on: parking until `now + interval`
    // overflowed the Instant and panicked. A hint from another thread ends the park.
    let ready = Arc::new(AtomicBool::new(false));
    let flag = ready.clone();
    let emitter = thread::spawn(move || {
        // Emits until the wait has seen the flag (it may start parking after the first emit).
        liveness::eventually(|| {
            flag.store(true, Ordering::SeqCst);
            liveness::events::event("peer_options.ready").emit();
            Arc::strong_count(&flag) == 1
        })
        .forever()
        .run()
        .unwrap();
    });
    let calls = AtomicU32::new(0);
    let got = eventually(|| {
        calls.fetch_add(1, Ordering::SeqCst);
        ready.load(Ordering::SeqCst)
    })
    .forever()
    .interval(Duration::MAX)
    .wake_on("peer_options.ready")
    .run();
    assert!(got.is_ok(), "{got:?}");
    drop(ready);
    emitter.join().unwrap();
}
