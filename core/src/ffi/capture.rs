//! Captures from C: open, read the recorded events as JSON, close.

use std::ffi::{CString, c_char};

use super::args::{out_arg, patterns_arg};
use super::boundary::{boundary, guarded};
use super::status::liveness_status;
use crate::error::Error;
use crate::events::Capture;

/// An open capture (opaque). Made by liveness_capture_open(), ended by liveness_capture_close().
pub struct liveness_capture {
    capture: Capture,
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
    guarded(|| {
        let out = unsafe { out_arg("out", out) }?;
        *out = std::ptr::null_mut();
        let patterns = unsafe { patterns_arg("patterns", patterns, patterns_len) }?;
        let capture = Capture::open(&patterns)?;
        *out = Box::into_raw(Box::new(liveness_capture { capture }));
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
        // SAFETY: the caller promises an open capture from liveness_capture_open(), or NULL.
        let capture = unsafe { capture.as_ref() }.ok_or_else(|| Error::invalid_argument("`capture` is NULL"))?;
        let items: Vec<String> = capture.capture.events().iter().map(|e| e.to_json()).collect();
        let text = CString::new(format!("[{}]", items.join(",")))
            .map_err(|e| Error::invalid_argument(format!("an event holds a NUL character: {e}")))?;
        *out = text.into_raw();
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
        let capture = unsafe { capture.as_ref() }.ok_or_else(|| Error::invalid_argument("`capture` is NULL"))?;
        *out = capture.capture.len();
        Ok(())
    })
}

/// Stops recording and frees the capture. NULL is allowed (nothing happens). Do not use the
/// pointer afterwards, nor close it twice, nor close it while another thread reads it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_capture_close(capture: *mut liveness_capture) {
    boundary((), || {
        if !capture.is_null() {
            // SAFETY: the caller promises the pointer came from liveness_capture_open() and is
            // closed once; dropping the Capture detaches it from the bus.
            drop(unsafe { Box::from_raw(capture) });
        }
    })
}
