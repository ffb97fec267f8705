//! Captures from C: open, read the recorded events as JSON, close.

use std::ffi::{CString, c_char};

use liveness_core::Error;
use std::thread::ThreadId;

use liveness_core::events::{Capture, Scope};

use crate::args::{out_arg, patterns_arg};
use crate::boundary::{boundary, fail, guarded};
use crate::handles::{CAPTURES, give_string};
use crate::status::liveness_status;

/// An open capture (opaque). Made by liveness_capture_open(), ended by liveness_capture_close().
/// The pointer is a checked handle, not an address: a closed (or never opened) capture passed to
/// any liveness_capture_* function is answered with LIVENESS_INVALID_ARGUMENT.
pub struct liveness_capture {
    capture: Capture,
    /// A scoped capture's scope, the thread that entered it and the scope it replaced there.
    scoped: Option<(Scope, ThreadId, Option<Scope>)>,
}

impl liveness_capture {
    /// Leaves the capture's scope when closed on the thread that opened it and the scope is
    /// still that thread's current one (captures closed out of order leave the scope alone).
    fn leave_scope(&self) {
        if let Some((scope, thread, previous)) = &self.scoped {
            if *thread == std::thread::current().id() && Scope::current().as_ref() == Some(scope) {
                Scope::replace_current(previous.clone());
            }
        }
    }
}

fn open_capture(arg: *const liveness_capture) -> Result<std::sync::Arc<liveness_capture>, Error> {
    CAPTURES.get("capture", arg as usize)
}

/// Starts recording, in emit order, every event matching any of the `patterns_len` `patterns`
/// (`"**"` records everything) emitted from any thread, until liveness_capture_close(). Stores the
/// capture in `*out` (set to NULL on error). The patterns are copied. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_capture_open(
    patterns: *const *const c_char,
    patterns_len: usize,
    out: *mut *mut liveness_capture,
) -> liveness_status {
    unsafe { open_into(patterns, patterns_len, out, false) }
}

/// liveness_capture_open() for this thread's code only: the capture opens a new scope nested in
/// the calling thread's current one and makes it the thread's current scope until
/// liveness_capture_close() on this thread. It records the matching events emitted in that scope
/// (by this thread meanwhile, or in a scoped capture opened inside), and those emitted in no
/// scope (threads that opened no scoped capture); never those emitted in another scope, such as
/// another test's thread's scoped capture. Threads do not inherit a scope. Close scoped captures
/// in the reverse order of opening. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_capture_open_scoped(
    patterns: *const *const c_char,
    patterns_len: usize,
    out: *mut *mut liveness_capture,
) -> liveness_status {
    unsafe { open_into(patterns, patterns_len, out, true) }
}

/// Both opens; a scoped one enters its scope on this thread once the handle exists.
unsafe fn open_into(
    patterns: *const *const c_char,
    patterns_len: usize,
    out: *mut *mut liveness_capture,
    scoped: bool,
) -> liveness_status {
    guarded(|| {
        let out = unsafe { out_arg("out", out) }?;
        *out = std::ptr::null_mut();
        let patterns = unsafe { patterns_arg("patterns", patterns, patterns_len) }?;
        if !scoped {
            let capture = Capture::open(&patterns)?;
            *out = CAPTURES.insert(liveness_capture { capture, scoped: None })? as *mut liveness_capture;
            return Ok(());
        }
        let scope = Scope::new();
        let capture = Capture::open_scoped(&patterns, &scope)?;
        let previous = Scope::current();
        let thread = std::thread::current().id();
        let handle = liveness_capture { capture, scoped: Some((scope.clone(), thread, previous)) };
        *out = CAPTURES.insert(handle)? as *mut liveness_capture;
        Scope::replace_current(Some(scope));
        Ok(())
    })
}

/// The events recorded so far, as a JSON array of event objects in emit order (each as in
/// liveness_handler). Stores a new string in `*out_json`, owned by the caller: free it with
/// liveness_string_free(). The capture stays open. Thread-safe (events may be emitted meanwhile).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_capture_events_json(
    capture: *const liveness_capture,
    out_json: *mut *mut c_char,
) -> liveness_status {
    guarded(|| {
        let out = unsafe { out_arg("out_json", out_json) }?;
        *out = std::ptr::null_mut();
        let capture = open_capture(capture)?;
        let items: Vec<String> = capture.capture.events().iter().map(|e| e.to_json()).collect();
        let text = CString::new(format!("[{}]", items.join(",")))
            .map_err(|e| Error::invalid_argument(format!("an event holds a NUL character: {e}")))?;
        *out = give_string(text);
        Ok(())
    })
}

/// How many events the capture has recorded so far, in `*out_count`. Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_capture_count(
    capture: *const liveness_capture,
    out_count: *mut usize,
) -> liveness_status {
    guarded(|| {
        let out = unsafe { out_arg("out_count", out_count) }?;
        *out = open_capture(capture)?.capture.len();
        Ok(())
    })
}

/// Stops recording and frees the capture. NULL is allowed (nothing happens). Closing a capture
/// twice, or a handle that is not an open capture, does nothing but set
/// liveness_last_error_message() (checked handles: see the header's preamble). A capture that
/// another thread is still reading ends when that read returns.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_capture_close(capture: *mut liveness_capture) {
    boundary((), || {
        crate::boundary::clear_last_error();
        if !capture.is_null() {
            match CAPTURES.remove("capture", capture as usize) {
                // Dropped outside the registry's lock: dropping the Capture detaches it from the bus.
                Ok(capture) => {
                    capture.leave_scope();
                    drop(capture)
                }
                Err(error) => {
                    fail(&error);
                }
            }
        }
    })
}
