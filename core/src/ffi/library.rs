//! Facts about the library itself, and freeing what it handed out.

use std::ffi::{CStr, CString, c_char};

use super::boundary::boundary;

/// Frees a string that liveness handed to the caller (liveness_capture_events_json()). NULL is
/// allowed. Never pass other strings, or one twice.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_string_free(text: *mut c_char) {
    boundary((), || {
        if !text.is_null() {
            // SAFETY: the caller promises `text` came from `CString::into_raw` in this library.
            drop(unsafe { CString::from_raw(text) });
        }
    })
}

/// The version of the library, e.g. "0.1.0" (compare with LIVENESS_VERSION from the header).
/// Static: never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn liveness_version() -> *const c_char {
    boundary(c"".as_ptr(), || VERSION.as_ptr())
}

static VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(v) => v,
    Err(_) => c"",
};
