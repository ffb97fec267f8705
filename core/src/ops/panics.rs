//! Panics inside a probe are failed evaluations (a failing `assert!` is "not yet"). They are
//! caught, and kept quiet: a probe that fails 200 times must not print 200 panic messages.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::poll::Failure;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Wraps the current panic hook once: silent (but noting the location) inside a probe,
/// unchanged everywhere else.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
                LOCATION.with(|slot| *slot.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

/// The message of a panic payload.
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

/// Calls `f`, turning a panic into a `Failure` of kind `panic`.
pub(crate) fn catch<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    quietly(|| panic::catch_unwind(AssertUnwindSafe(f))).and_then(|outcome| outcome)
}

/// Runs `f`, which catches unwinding itself, with the panic hook quiet; a caught panic becomes a
/// `Failure` of kind `panic` that names where it happened.
pub(crate) fn quietly<T>(f: impl FnOnce() -> std::thread::Result<T>) -> Result<T, Failure> {
    install_hook();
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = f();
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|payload| {
        let mut text = panic_text(payload.as_ref());
        if let Some(at) = LOCATION.with(|slot| slot.borrow_mut().take()) {
            text = format!("{text} (at {at})");
        }
        Failure::raised("panic", text)
    })
}
