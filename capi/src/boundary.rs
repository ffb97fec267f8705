//! The one panic boundary, and the thread-local text of the last error.
//!
//! A panic must never unwind into C (undefined behaviour; in practice an abort of the test
//! process). Every `extern "C"` function therefore runs its body through [`boundary`]; the
//! status-returning ones through [`guarded`], which is [`boundary`] plus the error mapping.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::ffi::{CString, c_char};
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::Once;

use liveness_core::Error;

use crate::status::liveness_status;

thread_local! {
    // None rather than an empty CString: clearing runs on every call (emit included), and an
    // empty CString is an allocation.
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
    // How many C boundaries the thread is inside (a C handler or probe may call liveness again).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    // Where the panic caught by the innermost boundary happened, noted by the hook.
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs, once per process, a panic hook that stays silent for panics raised while the thread
/// is inside a C boundary (the boundary turns them into LIVENESS_INTERNAL plus a message, so the
/// library never prints a panic and a backtrace into a C program's stderr) and defers to the
/// hook installed before it (Rust's default printer, or the host's own) for every other panic.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            // `try_with`: a panic during thread teardown must still reach the previous hook.
            let inside = DEPTH.try_with(|d| d.get() > 0).unwrap_or(false);
            if inside {
                let at = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
                let _ = PANIC_AT.try_with(|slot| *slot.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Leaves the boundary even when the body unwinds.
struct Inside;

impl Inside {
    fn enter() -> Inside {
        DEPTH.with(|d| d.set(d.get() + 1));
        Inside
    }
}

impl Drop for Inside {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Runs `body`; if it panics, records the panic (message and place) as the last error and returns
/// `on_panic`. Nothing is printed: the panic hook is silent inside a boundary.
pub(crate) fn boundary<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    install_hook();
    let inside = Inside::enter();
    let result = catch_unwind(AssertUnwindSafe(body));
    drop(inside);
    match result {
        Ok(value) => value,
        Err(panic) => {
            let at = PANIC_AT.with(|slot| slot.borrow_mut().take());
            set_last_error(&format!(
                "internal error in liveness (a bug, please report it): {}{}",
                panic_text(panic.as_ref()),
                at.map_or_else(String::new, |at| format!(" (at {at})"))
            ));
            on_panic
        }
    }
}

/// [`boundary`] for the functions that return a status: clears the last error, runs `body`, and
/// turns its error into a status code plus message.
pub(crate) fn guarded(body: impl FnOnce() -> Result<(), Error>) -> liveness_status {
    boundary(liveness_status::LIVENESS_INTERNAL, || {
        clear_last_error();
        match body() {
            Ok(()) => liveness_status::LIVENESS_OK,
            Err(error) => fail(&error),
        }
    })
}

/// Records `error` as the last error and returns its status.
pub(crate) fn fail(error: &Error) -> liveness_status {
    set_last_error(&error.to_string());
    liveness_status::of(error)
}

pub(crate) fn set_last_error(text: &str) {
    // Texts come from C strings and core messages; a stray NUL would truncate, so replace it.
    let text = CString::new(text.replace('\0', "\u{FFFD}")).unwrap_or_default();
    LAST_ERROR.with(|slot| *slot.borrow_mut() = Some(text));
}

pub(crate) fn clear_last_error() {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = None);
}

fn panic_text(panic: &(dyn Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// The text of the last failed liveness call on the calling thread: for LIVENESS_TIMEOUT the
/// whole report (operation, time waited, evaluations, last failure, history), for
/// LIVENESS_INVALID_ARGUMENT what was wrong with which argument. "" after a call that succeeded.
///
/// Never NULL. The string belongs to the calling thread and stays valid until that thread's next
/// liveness call (copy it to keep it); do not free it. Thread-safe: each thread has its own.
#[unsafe(no_mangle)]
pub extern "C" fn liveness_last_error_message() -> *const c_char {
    boundary(c"".as_ptr(), || LAST_ERROR.with(|slot| slot.borrow().as_ref().map_or(c"".as_ptr(), |text| text.as_ptr())))
}
