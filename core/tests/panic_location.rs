//! The `.assert()` finishers and the macros panic at the caller's line, not inside liveness (a
//! test's failure must point at the test). Its own binary: it replaces the panic hook.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use liveness::events::{emitted, event};

/// Where `f` panicked, as the panic hook saw it.
fn panic_location(f: impl FnOnce()) -> String {
    let seen = Arc::new(Mutex::new(String::new()));
    let into = seen.clone();
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        *into.lock().unwrap() = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    assert!(result.is_err(), "expected a panic");
    seen.lock().unwrap().clone()
}

#[test]
fn failures_point_at_the_test() {
    let here = file!();
    let at = panic_location(|| {
        liveness::eventually(|| false).timeout(Duration::ZERO).assert();
    });
    assert!(at.starts_with(here), "{at}");
    let at = panic_location(|| emitted("location.x").assert(|| event("location.y").emit()));
    assert!(at.starts_with(here), "{at}");
    let at = panic_location(|| liveness::assert_eventually!(false, timeout = Duration::ZERO));
    assert!(at.starts_with(here), "{at}");
}
