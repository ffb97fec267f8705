//! C probes: a function pointer plus `void *ctx`, and the two calls a probe can make to say why
//! it failed (liveness_probe_fail) or that the wait must stop at once (liveness_probe_stop).

use std::cell::Cell;
use std::ffi::{CStr, c_char, c_void};

use liveness_core::Error;
use liveness_core::poll::Failure;

use crate::boundary::boundary;

/// A probe: returns true when the awaited condition holds. Called on the thread that called the
/// liveness operation, never concurrently with itself. To say why it does not hold (shown as the
/// last failure in the timeout report), `return liveness_probe_fail("why");`.
pub type liveness_probe = Option<unsafe extern "C" fn(ctx: *mut c_void) -> bool>;

/// A probe of a value, for liveness_eventually_changes(): stores the current value in `*value`
/// and returns true, or returns false when the value cannot be read now (a failed evaluation).
pub type liveness_value_probe = Option<unsafe extern "C" fn(ctx: *mut c_void, value: *mut i64) -> bool>;

/// The error kind a C failure is reported as ("last: Failure: why").
pub(crate) const FAILURE_KIND: &str = "Failure";

/// What the running probe said about itself, if anything.
struct Note {
    kind: String,
    text: String,
    stop: bool,
}

thread_local! {
    // A `Cell`: taken and put back whole, never borrowed across a probe's call. Boxed, so that
    // the take and put-back of every evaluation move a pointer, not a note (a note is made only
    // when a probe describes its failure, which allocates its texts anyway).
    static NOTE: Cell<Option<Box<Note>>> = const { Cell::new(None) };
}

/// A C string as text: lossy, so that a failure is never lost because its text is not UTF-8.
fn lossy(text: *const c_char) -> String {
    if text.is_null() {
        String::new()
    } else {
        // SAFETY: the caller promises a NUL-terminated string.
        unsafe { CStr::from_ptr(text) }.to_string_lossy().into_owned()
    }
}

fn note(kind: String, text: *const c_char, stop: bool) {
    let kind = if kind.is_empty() { FAILURE_KIND.to_owned() } else { kind };
    NOTE.with(|slot| slot.set(Some(Box::new(Note { kind, text: lossy(text), stop }))));
}

/// Call from inside a probe to describe why this evaluation failed; always returns false, so a
/// probe can `return liveness_probe_fail("queue has 2 items, expected 3");`. The text (copied;
/// invalid UTF-8 is replaced) is remembered as this evaluation's failure and shown as the last
/// failure and in the history of the timeout report. Outside a probe it has no effect.
/// Thread-safe: it concerns the probe running on the calling thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_probe_fail(text: *const c_char) -> bool {
    boundary(false, || {
        note(String::new(), text, false);
        false
    })
}

/// As liveness_probe_fail(), with the kind of failure (an error name such as "ECONNREFUSED"),
/// shown as "last: ECONNREFUSED: text" instead of "last: Failure: text". The history of the
/// report groups consecutive failures of the same kind and text. NULL or "" means "Failure".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_probe_fail_as(kind: *const c_char, text: *const c_char) -> bool {
    boundary(false, || {
        note(lossy(kind), text, false);
        false
    })
}

/// Call from inside a probe to stop the wait at once, without retrying: the operation returns
/// LIVENESS_PROBE_FAILED with this text (copied). For a failure that waiting cannot fix (a
/// crashed service, a wrong configuration). Always returns false. Outside a probe it has no
/// effect. Thread-safe as liveness_probe_fail().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_probe_stop(text: *const c_char) -> bool {
    boundary(false, || {
        note(String::new(), text, true);
        false
    })
}

/// Calls a C probe with a fresh note. `Ok` holds the attempt as the core's operations judge one
/// (the value, or the failure the probe described), `Err` the stop a probe asked for with
/// liveness_probe_stop() (an [`Error::Probe`] that propagates as itself). A note left by an
/// enclosing probe (a probe that itself waits with liveness) is put back afterwards.
pub(crate) fn call<T>(probe: impl FnOnce() -> Option<T>) -> Result<Result<T, Failure>, Error> {
    // One look-up of the thread-local per evaluation (in the shared library each one is a call
    // to `__tls_get_addr`): the probe's own liveness_probe_fail() sets the same cell meanwhile.
    let (result, own) = NOTE.with(|slot| {
        let outer = slot.take();
        let result = probe();
        (result, slot.replace(outer))
    });
    match (result, own.map(|note| *note)) {
        (_, Some(Note { kind, text, stop: true })) => Err(Error::Probe { failure: Failure::raised(kind, text) }),
        // A probe that noted a failure but returned true passed: its return value decides.
        (Some(value), _) => Ok(Ok(value)),
        (None, Some(Note { kind, text, stop: false })) => Ok(Err(Failure::raised(kind, text))),
        (None, None) => Ok(Err(Failure::returned("false", false))),
    }
}
