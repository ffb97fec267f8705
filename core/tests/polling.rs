//! The polling operations against real threads and the real clock. Timing is never asserted
//! (machines are noisy); outcomes, counts and messages are.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread;
use std::time::Duration;

use liveness::poll::ReportKind;
use liveness::{Error, Failure, always, eventually, eventually_changes, eventually_passes, never, sync_operation};

/// A flag another thread raises after `delay`: the simulated system under test.
fn flag_raised_after(delay: Duration) -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let setter = flag.clone();
    thread::spawn(move || {
        thread::sleep(delay); // liveness: allow-sleep(the system's own latency)
        setter.store(true, Ordering::SeqCst);
    });
    flag
}

#[test]
fn eventually_sees_a_condition_made_true_by_another_thread() {
    let flag = flag_raised_after(Duration::from_millis(20));
    let v = eventually(|| flag.load(Ordering::SeqCst)).timeout(Duration::from_secs(5)).run().unwrap();
    assert!(v);
}

#[test]
fn eventually_returns_the_accepted_value() {
    let calls = AtomicU32::new(0);
    let v = eventually(|| {
        let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
        (n >= 3).then_some(n * 10)
    })
    .run()
    .unwrap();
    assert_eq!(v, 30);
    let r: Result<u32, Error> = eventually(|| Ok::<u32, String>(7)).run();
    assert_eq!(r.unwrap(), 7);
}

#[test]
fn timeout_error_carries_the_report_fields() {
    let err = eventually(|| Err::<(), _>("connection refused"))
        .timeout(Duration::from_millis(30))
        .message("service is up")
        .run()
        .unwrap_err();
    let Error::Timeout { report } = &err else { panic!("expected a timeout, got {err:?}") };
    assert_eq!(report.kind, ReportKind::NotMet);
    assert!(report.evaluations >= 2, "at least the first and the deadline evaluation");
    assert_eq!(report.last, Some(Failure::raised("&str", "connection refused")));
    assert_eq!(report.history.len(), 1);
    assert_eq!(report.history[0].count, report.evaluations);
    let text = err.to_string();
    assert!(text.starts_with("eventually \"service is up\": not met after 0.03 s ("), "{text}");
    assert!(text.contains("\n  last: &str: connection refused"), "{text}");
}

#[test]
fn a_none_every_time_points_at_eventually_passes() {
    let err = eventually(|| None::<u8>).timeout(Duration::from_millis(5)).run().unwrap_err();
    assert!(err.to_string().contains("use eventually_passes"), "{err}");
}

#[test]
fn eventually_passes_retries_failing_asserts() {
    let calls = AtomicU32::new(0);
    let value = eventually_passes(|| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        assert!(n >= 8, "only {n} calls so far");
        Ok::<u32, String>(n)
    })
    .run()
    .unwrap();
    assert!(value >= 8);
}

#[test]
fn eventually_passes_treats_false_as_a_failure() {
    let err = eventually_passes(|| false).timeout(Duration::from_millis(5)).run().unwrap_err();
    assert!(err.to_string().contains("last: returned false"), "{err}");
}

#[test]
fn always_holds_or_fails_at_the_first_violation() {
    always(|| true, Duration::from_millis(20)).run().unwrap();
    let calls = AtomicU32::new(0);
    let err = always(|| calls.fetch_add(1, Ordering::SeqCst) < 2, Duration::from_secs(10)).run().unwrap_err();
    assert!(matches!(err, Error::Violated { .. }));
    assert_eq!(calls.load(Ordering::SeqCst), 3, "stops at the first rejected evaluation");
    assert!(err.to_string().starts_with("always: violated at evaluation #3"), "{err}");
}

#[test]
fn never_fails_when_the_condition_holds() {
    never(|| false, Duration::from_millis(20)).run().unwrap();
    let flag = flag_raised_after(Duration::from_millis(5));
    let err = never(|| flag.load(Ordering::SeqCst).then_some("raised"), Duration::from_secs(10)).run().unwrap_err();
    assert!(err.to_string().contains("last: returned \"raised\""), "{err}");
}

#[test]
fn eventually_changes_returns_the_new_value() {
    let pid = Arc::new(AtomicU32::new(100));
    let restarter = pid.clone();
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(10)); // liveness: allow-sleep(the restart takes a while)
        restarter.store(101, Ordering::SeqCst);
    });
    let new = eventually_changes(|| pid.load(Ordering::SeqCst)).run().unwrap();
    assert_eq!(new, 101);
    let err = eventually_changes(|| 5).timeout(Duration::from_millis(5)).run().unwrap_err();
    assert!(err.to_string().contains("last: returned 5 (unchanged)"), "{err}");
}

#[test]
fn sync_operation_fires_once_then_polls() {
    let fired = Arc::new(AtomicU32::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let (f, d) = (fired.clone(), done.clone());
    let v = sync_operation(
        move || {
            f.fetch_add(1, Ordering::SeqCst);
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(5)); // liveness: allow-sleep(the cast is processed later)
                d.store(true, Ordering::SeqCst);
            });
        },
        || done.load(Ordering::SeqCst),
    )
    .run()
    .unwrap();
    assert!(v);
    assert_eq!(fired.load(Ordering::SeqCst), 1);
}

#[test]
fn sync_operation_action_error_propagates_and_nothing_is_polled() {
    let polled = AtomicU32::new(0);
    let err = sync_operation(
        || Err::<(), _>("mailbox closed"),
        || {
            polled.fetch_add(1, Ordering::SeqCst);
            true
        },
    )
    .run()
    .unwrap_err();
    assert!(matches!(err, Error::Probe { .. }), "{err:?}");
    assert_eq!(err.to_string(), "&str: mailbox closed");
    assert_eq!(polled.load(Ordering::SeqCst), 0);
}

#[test]
fn bad_options_are_rejected_before_any_evaluation() {
    let calls = AtomicU32::new(0);
    let probe = || {
        calls.fetch_add(1, Ordering::SeqCst);
        true
    };
    let err = eventually(probe)
        .min_interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(1))
        .run()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidOption { ref option, .. } if option == "max_interval"), "{err:?}");
    let err = eventually(probe).attempts(0).run().unwrap_err();
    assert!(err.to_string().contains("attempts"));
    let fired = AtomicBool::new(false);
    let err = sync_operation(|| fired.store(true, Ordering::SeqCst), || true).wake_on("a..b").run().unwrap_err();
    assert!(err.to_string().contains("wake_on"), "{err}");
    assert!(!fired.load(Ordering::SeqCst), "the action must not fire with bad options");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn attempts_limit_the_evaluations() {
    let calls = AtomicU32::new(0);
    let err = eventually(|| {
        calls.fetch_add(1, Ordering::SeqCst);
        false
    })
    .attempts(3)
    .interval(Duration::ZERO)
    .run()
    .unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert!(err.to_string().contains("stopped at the attempt limit of 3"), "{err}");
}

#[test]
fn fail_on_and_retry_on_propagate_at_once() {
    let calls = AtomicU32::new(0);
    let err = eventually(|| {
        calls.fetch_add(1, Ordering::SeqCst);
        Err::<(), _>("permission denied")
    })
    .fail_on(|f| matches!(f, Failure::Raised { text, .. } if text.contains("denied")))
    .run()
    .unwrap_err();
    assert!(matches!(err, Error::Probe { .. }));
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let err = eventually(|| -> Result<(), String> { panic!("bug in the probe") })
        .retry_on(|f| f.kind() != Some("panic"))
        .run()
        .unwrap_err();
    assert!(err.to_string().contains("bug in the probe"), "{err}");
}

#[test]
fn stable_for_waits_for_a_stretch_of_acceptance() {
    let calls = AtomicU32::new(0);
    let v = eventually(|| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        (n != 3).then_some(n)
    })
    .interval(Duration::from_millis(1))
    .stable_for(Duration::from_millis(10))
    .run()
    .unwrap();
    assert!(v >= 4, "the stretch restarted after the failure at call 3, got {v}");
}

#[test]
fn probe_panics_are_retried_quietly() {
    let calls = AtomicU32::new(0);
    eventually_passes(|| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        assert_eq!(n, 5);
    })
    .run()
    .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 6);
}

#[test]
fn assertion_macros_panic_with_the_report() {
    let flag = flag_raised_after(Duration::from_millis(5));
    liveness::assert_eventually!(flag.load(Ordering::SeqCst));
    liveness::assert_eventually_passes!({ assert!(flag.load(Ordering::SeqCst)) });
    let caught = std::panic::catch_unwind(|| {
        let err = eventually(|| false).timeout(Duration::from_millis(1)).message("never true").run().unwrap_err();
        panic!("{err}");
    });
    let text = liveness::ops::panic_text(caught.unwrap_err().as_ref());
    assert!(text.starts_with("eventually \"never true\": not met"), "{text}");
}
