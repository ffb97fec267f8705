//! What a failing Rust test prints (issue 13, Rust): the report, not the error's structure,
//! whether the test unwraps, returns `Result`, or uses the panicking finishers and macros.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use liveness::events::{emitted, event, not_emitted};
use liveness::{Error, eventually};

/// The panic message of `f`, which must panic.
fn panic_of(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

fn a_timeout() -> Error {
    eventually(|| false).timeout(Duration::ZERO).message("the service is up").run().unwrap_err()
}

#[test]
fn unwrap_prints_the_report() {
    let text = panic_of(|| {
        eventually(|| false).timeout(Duration::ZERO).message("the service is up").run().unwrap();
    });
    assert!(
        text.starts_with("called `Result::unwrap()` on an `Err` value: eventually \"the service is up\": not met"),
        "{text}"
    );
    assert!(!text.contains("Report {"), "{text}");
    // `{:#?}` still shows the structure for whoever asks for it.
    assert!(format!("{:#?}", a_timeout()).contains("Timeout {"));
}

#[test]
fn a_test_returning_result_prints_the_report() {
    // What the test harness prints for `fn t() -> Result<(), liveness::Error>`: the error's Debug.
    let shown = format!("{:?}", a_timeout());
    assert!(shown.starts_with("eventually \"the service is up\": not met after 0.00 s"), "{shown}");
    assert!(shown.contains("\n  last: returned false"), "{shown}");
}

#[test]
fn assert_finishers_panic_with_the_report_and_return_the_value() {
    assert_eq!(eventually(|| Some(3)).assert(), 3);
    let text = panic_of(|| {
        eventually(|| false).timeout(Duration::ZERO).assert();
    });
    assert!(text.starts_with("eventually: not met after 0.00 s (1 evaluation)"), "{text}");
    assert_eq!(emitted("fo.done").assert(|| event("fo.done").emit()), ());
    let text = panic_of(|| not_emitted("fo.bad").assert(|| event("fo.bad").emit()));
    assert!(text.contains("fo.bad"), "{text}");
}

#[test]
fn the_macros_take_options() {
    liveness::assert_eventually!(true, timeout = Duration::from_secs(1), interval = Duration::from_millis(1));
    let text = panic_of(|| liveness::assert_eventually!(1 > 2, timeout = Duration::ZERO));
    assert!(text.starts_with("eventually \"1 > 2\": not met after 0.00 s"), "{text}");
    let text = panic_of(|| liveness::assert_eventually!(1 > 2, timeout = Duration::ZERO, message = "one wins"));
    assert!(text.starts_with("eventually \"one wins\": not met"), "{text}");
    let text = panic_of(|| liveness::assert_eventually_passes!({ assert_eq!(1, 2) }, timeout = Duration::ZERO));
    assert!(text.contains("eventually_passes: not met after 0.00 s"), "{text}");
}

#[test]
fn emit_needs_no_result_handling_and_try_emit_reports_a_bad_name() {
    // `emit()` is fire and forget (no unused-Result warning); a bad name is dropped, not delivered.
    not_emitted("**").assert(|| event("bad..name").emit());
    let e = event("bad..name").try_emit().unwrap_err();
    assert!(e.to_string().contains("bad..name"), "{e}");
}
