//! The seeds' scenarios, tested the way liveness argues for: no sleeps, waits on state, events
//! asserted after the block that emitted them.

use std::time::Duration;

use liveness::events::{emitted, not_emitted};
use liveness::{Error, eventually, eventually_passes, sync_operation};
use liveness_examples::circuit_breaker::{CircuitBreaker, State};
use liveness_examples::delayed_writer::{schedule_addition, scratch_dir};
use liveness_examples::jitter::shutdown_delay;
use liveness_examples::singleton::{Adder, AlreadyStarted};

/// Seed 004, example 1: each test starts the registered adder; the previous test's instance
/// is still shutting down for a varying time. Waiting for "can be started" makes all 100 pass.
#[test]
fn restart_race_every_test_can_start_the_singleton_again() {
    let name = "adder-restart-race";
    for n in 0..100i64 {
        let delay = shutdown_delay(10, Duration::from_millis(30));
        let adder = eventually(|| Adder::start(name, delay)).message("the adder can be started").run().unwrap();
        assert_eq!(adder.add(n, 0), n);
    }
}

#[test]
fn restart_race_is_real_starting_at_once_fails() {
    let name = "adder-race-is-real";
    drop(Adder::start(name, Duration::from_millis(40)).unwrap());
    // Nothing waited: the old instance is still registered. This is the race the sleeps hid.
    assert_eq!(Adder::start(name, Duration::ZERO).unwrap_err(), AlreadyStarted(name.to_owned()));
    let again = eventually(|| Adder::start(name, Duration::ZERO)).run();
    assert!(again.is_ok());
}

/// Seed 004, example 3: the result lands in the file after a buffered flush. The same test keeps
/// passing when the flush delay grows (the spec change that broke the sleep).
#[test]
fn delayed_write_the_file_eventually_holds_the_result() {
    let dir = scratch_dir("delayed-write");
    for flush_ms in [20u64, 75] {
        let path = schedule_addition(&dir, 1, 2, Duration::from_millis(flush_ms));
        eventually_passes(|| assert_eq!(std::fs::read_to_string(&path).unwrap(), "3"))
            .message("file holds 3")
            .run()
            .unwrap();
    }
}

#[test]
fn delayed_write_timeout_report_shows_the_last_assertion() {
    let dir = scratch_dir("delayed-write-timeout");
    let path = schedule_addition(&dir, 1, 2, Duration::from_secs(30));
    let err = eventually_passes(|| assert_eq!(std::fs::read_to_string(&path).unwrap(), "3"))
        .message("file holds 3")
        .timeout(Duration::from_millis(60))
        .run()
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Timeout { .. }));
    assert!(text.starts_with("eventually_passes \"file holds 3\": not met after 0.06 s"), "{text}");
    assert!(text.contains("last: panic: assertion `left == right` failed"), "{text}");
    assert!(text.contains("history: "), "{text}");
}

/// Seed 000: trip the breaker with a sync operation (fire the casts, wait for the state), and
/// verify the telemetry as an outcome of the block, not as a signal to wait for.
#[test]
fn circuit_breaker_opens_after_three_failures_and_says_so() {
    let breaker = CircuitBreaker::start("opens", 3, Duration::from_millis(2));
    let status = emitted("breaker.state_change")
        .with_meta("breaker", "opens")
        .with_meta("to", "open")
        .count(1)
        .run(|| {
            sync_operation(
                || {
                    for _ in 0..3 {
                        breaker.fail();
                    }
                },
                || breaker.status() == State::Open,
            )
            .run()
        })
        .unwrap()
        .unwrap();
    assert!(status);
    assert_eq!(breaker.call(|| 1), Err(State::Open));
}

#[test]
fn circuit_breaker_stays_closed_below_the_threshold() {
    let breaker = CircuitBreaker::start("stays-closed", 3, Duration::from_millis(2));
    not_emitted("breaker.state_change")
        .with_meta("breaker", "stays-closed")
        .run(|| {
            sync_operation(|| (0..2).for_each(|_| breaker.fail()), || breaker.failure_count() == 2).run().unwrap();
        })
        .unwrap();
    assert_eq!(breaker.status(), State::Closed);
    let value =
        emitted("breaker.call_success").with_meta("breaker", "stays-closed").run(|| breaker.call(|| 7)).unwrap();
    assert_eq!(value, Ok(7));
}

#[test]
fn circuit_breaker_assertion_failure_lists_what_was_emitted() {
    let breaker = CircuitBreaker::start("lists", 1, Duration::ZERO);
    let err = emitted("breaker.state_change")
        .with_meta("to", "half_open")
        .run(|| sync_operation(|| breaker.fail(), || breaker.status() == State::Open).run().unwrap())
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "expected at least one event matching \"breaker.state_change\" where {\"to\":\"half_open\"}, found 0"
        ),
        "{text}"
    );
    let listed = r#"breaker.state_change {"failures":1.0} {"breaker":"lists","from":"closed","to":"open"}"#;
    assert!(text.contains(listed), "{text}");
    assert!(text.contains("near misses:"), "{text}");
    assert!(text.contains("metadata \"to\" is \"open\", expected \"half_open\""), "{text}");
}
